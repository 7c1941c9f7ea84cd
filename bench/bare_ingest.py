"""The bare anchors the ingestion benchmark compares Pitchpack with, each run as a process.

``python -m bench.bare_ingest add FOLDER``: read every Markdown file below FOLDER, hash it
(SHA-256) and insert it into a new SQLite FTS5 table, in one transaction.
``python -m bench.bare_ingest stat FOLDER``: stat every file below FOLDER.
``python -m bench.bare_ingest pdf FOLDER``: the text of every page of every PDF below
FOLDER with PDFium, in one process per CPU: what bounds adding PDFs.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
import tempfile
from pathlib import Path


def files_below(folder: Path, suffix: str = ".md") -> list[str]:
    return [
        os.path.join(root, name)
        for root, _, names in os.walk(folder)
        for name in names
        if name.endswith(suffix)
    ]


def bare_add(folder: Path) -> int:
    files = files_below(folder)
    with tempfile.TemporaryDirectory() as scratch:
        db = sqlite3.connect(Path(scratch, "bare.sqlite"))
        db.execute("CREATE TABLE files (path TEXT PRIMARY KEY, hash TEXT)")
        db.execute("CREATE VIRTUAL TABLE text USING fts5(path, body)")
        with db:
            for path in files:
                data = Path(path).read_bytes()
                db.execute(
                    "INSERT INTO files VALUES (?, ?)", (path, hashlib.sha256(data).hexdigest())
                )
                db.execute("INSERT INTO text VALUES (?, ?)", (path, data.decode("utf-8")))
        db.close()
    return len(files)


def bare_stat(folder: Path) -> int:
    files = files_below(folder)
    for path in files:
        os.stat(path)
    return len(files)


def _pdf_pages(path: str) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
        return len(pdf)
    finally:
        pdf.close()


def bare_pdf(folder: Path) -> int:
    from multiprocessing import get_context

    with get_context("spawn").Pool(os.cpu_count()) as pool:
        return sum(pool.imap_unordered(_pdf_pages, files_below(folder, ".pdf"), chunksize=4))


if __name__ == "__main__":
    kind, folder = sys.argv[1], Path(sys.argv[2])
    print({"add": bare_add, "stat": bare_stat, "pdf": bare_pdf}[kind](folder))
