"""Text extraction from real generated files, inline and through the worker-process pool."""

from __future__ import annotations

import functools
import os
import pickle
import signal
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import docx
import pptx
import pytest
from pptx.util import Inches
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

from library.analysis import analyse
from library.errors import ExtractionError, UnsupportedFormat
from library.extract import SUPPORTED_SUFFIXES, extract_file, extract_inline
from library.extract.ooxml import check_package
from library.extract.pool import ExtractionPool
from library.models import Extracted

UNIQUE = "zanzibarite"
Make = Callable[[Path], None]


def make_pdf(path: Path, encrypt: StandardEncryption | None = None, text: bool = True) -> None:
    pdf = canvas.Canvas(str(path), encrypt=encrypt)
    pdf.setTitle("Quarterly Review")
    pdf.setAuthor("Dana Reyes")
    for number in range(1, 7 if text else 4):
        if text:
            pdf.drawString(72, 720, f"Quarterly review page {number}")
            pdf.drawString(72, 700, f"The {UNIQUE} finding" if number == 5 else "")
        else:
            pdf.rect(72, 72, 200, 200, fill=1)
        pdf.showPage()
    pdf.save()


def make_truncated_pdf(path: Path) -> None:
    make_pdf(path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def make_docx(path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = "Retail Playbook"
    document.core_properties.author = "Dana Reyes"
    document.add_heading("Why retailers switch", level=1)
    table = document.add_table(rows=2, cols=2)
    for (row, column), text in {(0, 0): "Metric", (1, 0): "Basket size", (1, 1): UNIQUE}.items():
        table.cell(row, column).text = text
    document.sections[0].header.paragraphs[0].text = "Confidential header"
    document.sections[0].footer.paragraphs[0].text = "Footer note"
    document.save(str(path))


def make_pptx(path: Path) -> None:
    deck = pptx.Presentation()
    deck.core_properties.title = "Launch Deck"
    for number in range(1, 4):
        slide = deck.slides.add_slide(deck.slide_layouts[5])  # title only
        slide.shapes.title.text = f"Slide {number} headline"
        if number == 2:
            slide.notes_slide.notes_text_frame.text = f"Mention the {UNIQUE} pilot"
        if number == 3:
            group = slide.shapes.add_group_shape()
            box = group.shapes.add_textbox(Inches(1), Inches(2), Inches(3), Inches(1))
            box.text_frame.text = "Grouped caption"
            frame = slide.shapes.add_table(2, 2, Inches(1), Inches(4), Inches(4), Inches(1))
            frame.table.cell(1, 1).text = "Table cell value"
    deck.save(str(path))


def make_docx_bomb(path: Path) -> None:
    # Level 1 rather than 9: the same 1 GiB member, written in a quarter of the time.
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        with zf.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(1024):
                member.write(chunk)


def make_zip_without_document(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")


def writer(data: bytes | str) -> Make:
    return lambda path: path.write_bytes(data.encode() if isinstance(data, str) else data)


HTML = (
    "<!doctype html><html><head><title>Pricing &amp; Plans</title>"
    "<style>body { color: red }</style><script>var hidden = 'scripted';</script>"
    "</head><body><h1>Plans</h1><p>Pay yearly, save more.</p><noscript>Enable scripts"
    f"</noscript><template>Template text</template><p>{UNIQUE} tier</p>"
    + "<div>" * 5000
    + "Deep text"
    + "</div>" * 5000
    + "</body></html>"
)
LATIN1_HTML = (
    b'<html><head><meta charset="iso-8859-1"><title>Caf\xe9</title></head>'
    b"<body><p>Cr\xe8me br\xfbl\xe9e</p></body></html>"
)
MARKDOWN = (
    "---\ntitle: Security Brief\nstage: [Decision]\npersona: CISO\n---\n"
    "# Heading that is not the title\n\nWe **encrypt** data at rest, see [docs](https://x.test)."
    f"\n<!-- page -->\n\n- {UNIQUE} controls\n"
)


@dataclass
class Reads:
    """The expected outcome of a file that extracts."""

    texts: tuple[str, ...]
    hidden: tuple[str, ...] = ()
    pages: int = 1
    page: int | None = None  # the only page on which texts[0] appears
    title: str | None = None
    author: str | None = None
    metadata: dict | None = None


PDF = Reads((UNIQUE,), pages=6, page=5, title="Quarterly Review", author="Dana Reyes")
SCAN = Reads(("",), pages=3, title="Quarterly Review", author="Dana Reyes")
DECK = Reads((UNIQUE, "Grouped caption", "Table cell value"), pages=3, page=2, title="Launch Deck")
DOCX_TEXTS = (UNIQUE, "Why retailers switch", "Basket size", "Confidential header", "Footer note")
DOCX = Reads(DOCX_TEXTS, title="Retail Playbook", author="Dana Reyes")
HIDDEN_HTML = ("color: red", "scripted", "Enable scripts", "Template text", "Pricing")
PAGE = Reads((UNIQUE, "Pay yearly, save more.", "Deep text"), HIDDEN_HTML, title="Pricing & Plans")
FRONT_MATTER = {"title": "Security Brief", "stage": ["Decision"], "persona": "CISO"}
BRIEF_TEXTS = (UNIQUE, "We encrypt data at rest, see docs.")
HIDDEN_MARKUP = ("**", "](", "<!--", "---", "stage:")
BRIEF = Reads(BRIEF_TEXTS, HIDDEN_MARKUP, title="Security Brief", metadata=FRONT_MATTER)
LATIN1_TEXT = "Résumé, café\x00 NULs\x00".encode("latin-1")
CASES: list[tuple[str, Make, Reads | str]] = [
    ("report.pdf", make_pdf, PDF),
    ("REPORT.PDF", make_pdf, PDF),
    ("locked.pdf", lambda p: make_pdf(p, StandardEncryption("secret", "owner")), "encrypted"),
    ("owner-only.pdf", lambda p: make_pdf(p, StandardEncryption("", "owner", canCopy=0)), PDF),
    ("scan.pdf", lambda p: make_pdf(p, text=False), SCAN),
    ("truncated.pdf", make_truncated_pdf, "corrupt"),
    ("header-only.pdf", writer(b"%PDF-1.7\n"), "corrupt"),
    ("random.pdf", writer(os.urandom(4096)), "corrupt"),
    ("words.pdf", writer("plain words, not a PDF\n"), "corrupt"),
    ("playbook.docx", make_docx, DOCX),
    ("bomb.docx", make_docx_bomb, "too_large"),
    ("no-document.docx", make_zip_without_document, "corrupt"),
    ("not-a-zip.docx", writer("hello"), "corrupt"),
    ("protected.docx", writer(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)), "encrypted"),
    ("deck.pptx", make_pptx, DECK),
    ("no-document.pptx", make_zip_without_document, "corrupt"),
    ("page.html", writer(HTML), PAGE),
    ("page.htm", writer(LATIN1_HTML), Reads(("Crème brûlée",), title="Café")),
    ("brief.md", writer(MARKDOWN), BRIEF),
    ("note.markdown", writer("Hi.\n\n# Real Title\n"), Reads(("Hi.",), title="Real Title")),
    ("notes.txt", writer(LATIN1_TEXT), Reads(("Résumé, café NULs",))),
    ("gone.pdf", lambda path: None, "unreadable"),
    ("sheet.xlsx", writer(b"PK"), "unsupported"),
    ("README", writer(b"text"), "unsupported"),
] + [(f"empty{suffix}", writer(b""), "empty") for suffix in sorted(SUPPORTED_SUFFIXES)]


@pytest.mark.parametrize(("name", "make", "expected"), CASES, ids=[case[0] for case in CASES])
def test_extract_file(tmp_path: Path, name: str, make: Make, expected: Reads | str) -> None:
    path = tmp_path / name
    make(path)
    if isinstance(expected, str):
        with pytest.raises(ExtractionError) as info:
            extract_file(path)
        assert info.value.reason == expected
        assert str(info.value).endswith(".") and ". " not in str(info.value)  # one sentence
        return
    extracted = extract_file(path)
    assert all(text in extracted.text for text in expected.texts)
    assert not any(text in extracted.text for text in expected.hidden)
    assert [page.number for page in extracted.pages] == list(range(1, expected.pages + 1))
    assert extracted.paged == (path.suffix.lower() in (".pdf", ".pptx"))
    if expected.page:
        assert [expected.texts[0] in page.text for page in extracted.pages] == [
            number == expected.page for number in range(1, expected.pages + 1)
        ]
    assert (extracted.title, extracted.author) == (expected.title, expected.author)
    assert extracted.metadata == (expected.metadata or {})
    assert not extracted.truncated


@pytest.mark.parametrize(
    ("name", "make", "max_chars", "pages"),
    [
        ("report.pdf", make_pdf, 40, 6),
        ("big.txt", writer(b"word " * 200_000), 1_000, 1),
        ("accents.txt", writer("é" * 1_000), 101, 1),  # cut inside a UTF-8 character
    ],
)
def test_truncation(tmp_path: Path, name: str, make: Make, max_chars: int, pages: int) -> None:
    make(tmp_path / name)
    extracted = extract_inline(tmp_path / name, max_chars=max_chars)
    assert extracted.truncated and len(extracted.pages) == pages
    assert sum(len(page.text) for page in extracted.pages) == max_chars
    assert "Ã" not in extracted.text  # still read as UTF-8


def test_zip_with_absurd_ratio_is_refused_under_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "small-bomb.pptx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("ppt/presentation.xml", bytes(20 * 1024 * 1024))
    with pytest.raises(ExtractionError) as info:
        check_package(path, main_part="ppt/presentation.xml", kind="PPTX presentation")
    assert info.value.reason == "too_large"


def test_errors_survive_pickling() -> None:
    for error in (ExtractionError("encrypted", "Protected."), UnsupportedFormat(".xlsx")):
        copy = pickle.loads(pickle.dumps(error))
        assert (type(copy), copy.reason, str(copy)) == (type(error), error.reason, str(error))


# A pool target must be module-level so that worker processes can import it by name.
def misbehave_on_marked(path: Path, *, max_chars: int) -> Extracted:
    """Hangs on 'slow...', dies on 'crash...', overruns memory on 'hog...'; else extracts."""
    if path.name.startswith("slow"):
        time.sleep(60)
    elif path.name.startswith("crash"):
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
    elif path.name.startswith("hog"):
        bytearray(1024**3)
    return extract_file(path, max_chars=max_chars)


GOOD = ("report.pdf", "playbook.docx", "deck.pptx", "brief.md")


@pytest.fixture
def batch(tmp_path: Path) -> dict[str, Path]:
    for name, make, _ in CASES:
        if name in (*GOOD, "locked.pdf"):
            make(tmp_path / name)
    return {name: tmp_path / name for name in (*GOOD, "locked.pdf")}


def outcomes(pool: ExtractionPool, paths: list[Path]) -> dict[str, Extracted | ExtractionError]:
    return {path.name: outcome for path, outcome in pool.map(paths)}


def test_pool_extracts_a_batch_from_another_thread(batch: dict[str, Path]) -> None:
    results: dict[str, Extracted | ExtractionError] = {}

    def run() -> None:
        with ExtractionPool(workers=2) as pool:
            results.update(outcomes(pool, list(batch.values())))

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    assert set(results) == set(batch)
    assert all(UNIQUE in results[name].text for name in GOOD)
    assert isinstance(results["locked.pdf"], ExtractionError)
    assert results["locked.pdf"].reason == "encrypted"


def test_pool_fails_only_the_hostile_files(batch: dict[str, Path]) -> None:
    hostile = {"slow.pdf": "timed_out", "crash.pdf": "corrupt"}
    if os.name == "posix":  # the memory limit needs resource.setrlimit
        hostile["hog.pdf"] = "too_large"
    for name in hostile:
        (batch["report.pdf"].parent / name).write_bytes(batch["report.pdf"].read_bytes())
    paths = [batch["report.pdf"].parent / name for name in hostile] + list(batch.values())
    with ExtractionPool(
        workers=2, timeout=2.0, memory_limit=512 * 1024**2, target=misbehave_on_marked
    ) as pool:
        results = outcomes(pool, paths)
    assert {name: results[name].reason for name in hostile} == hostile
    assert all(UNIQUE in results[name].text for name in GOOD)
    assert results["locked.pdf"].reason == "encrypted"


def test_pool_keeps_few_files_in_flight(batch: dict[str, Path]) -> None:
    taken = 0
    count = 1_000

    def paths() -> Iterator[Path]:
        nonlocal taken
        for _ in range(count):
            taken += 1
            yield batch["brief.md"]

    with ExtractionPool(workers=1) as pool:
        results = pool.map(paths())
        next(results)
        assert taken <= pool.max_queued < count
        assert sum(1 for _ in results) == count - 1


def test_running_headers_and_footers_are_dropped(tmp_path):
    from library.docgen import write_pdf

    bodies = ["Cooling", "Power", "Cross-connects", "Remote hands", "Security"]
    pages = [f"# {b}\n\nThe {b.lower()} section, part {n}." for n, b in enumerate(bodies, 1)]
    path = write_pdf(tmp_path / "running.pdf", pages, title="The Running Title")
    extracted = extract_file(path)
    assert all("Page" not in p.text and "The Running Title" not in p.text for p in extracted.pages)
    assert "The remote hands section, part 4." in extracted.pages[3].text


def test_small_text_files_in_groups_blame_only_the_file_that_misbehaved(tmp_path: Path) -> None:
    # Small text files travel to a worker many at a time; a worker that hangs, dies or
    # runs out of memory mid-group must fail that one file and read the rest again.
    hostile = {"slow-note.txt": "timed_out", "crash-note.md": "corrupt"}
    if os.name == "posix":
        hostile["hog-note.txt"] = "too_large"
    names = [f"note-{n:02d}.md" for n in range(30)]
    for position, name in zip((3, 11, 20), hostile, strict=False):
        names.insert(position, name)
    for name in names:
        text = f"# {name}\n\nThe {UNIQUE} and the text of the note is in the file for the test.\n"
        (tmp_path / name).write_text(text, encoding="utf-8")
    then = functools.partial(analyse, keywords=[])
    with ExtractionPool(
        workers=1,
        timeout=3.0,
        memory_limit=512 * 1024**2,
        target=misbehave_on_marked,
        then=then,
    ) as pool:
        results = outcomes(pool, [tmp_path / name for name in names])
    assert set(results) == set(names)
    assert {name: results[name].reason for name in hostile} == hostile
    good = [results[name] for name in names if name not in hostile]
    assert all(UNIQUE in extracted.text for extracted in good)
    assert all(extracted.facts and extracted.facts.language == "en" for extracted in good)
