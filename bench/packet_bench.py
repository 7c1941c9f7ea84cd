"""Packet export benchmark: a 10-asset, ~150-page PDF packet of every format.

Run ``python -m bench.packet_bench [--repeat N]``. Source files are generated once into
``bench/.data/packet`` and reused; the library is made anew in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import CorpusGenerator
from library import docgen
from library.library import Library
from library.packets import Prospect, RepSettings
from library.progress import Progress

DATA = Path(__file__).resolve().parent / ".data"
SOURCES = DATA / "packet"
RESULTS = DATA / "results-packet.json"
TARGET_S = 3.0
GENERATOR_VERSION = 2
# (format, number of files, pages or slides or sections each, characters per page)
SHAPE = [("pdf", 4, 22, 2_400), ("docx", 2, 8, 3_000), ("pptx", 2, 12, 300)]
SHAPE += [("html", 1, 8, 3_000), ("md", 1, 8, 3_000)]


def write_sources(folder: Path) -> list[Path]:
    """The benchmark's ten files, generated from the bench corpus (reused when present)."""
    stamp = folder / f".version-{GENERATOR_VERSION}"
    paths: list[Path] = []
    generator = CorpusGenerator()
    doc_id = 900_000
    for fmt, count, pages, chars in SHAPE:
        for _ in range(count):
            doc_id += 1
            doc = generator.document(doc_id, pages=pages, chars_per_page=chars)
            path = folder / f"{doc.slug}.{fmt}"
            paths.append(path)
            if stamp.exists() and path.exists():
                continue
            if fmt == "pdf":
                docgen.write_pdf(path, doc.markup_pages(), title=doc.title)
            elif fmt == "docx":
                docgen.write_docx(path, doc.markup_pages(), title=doc.title)
            elif fmt == "pptx":
                slides = [
                    docgen.Slide(page.partition("\n\n")[0], page.partition("\n\n")[2].split(". "))
                    for page in doc.pages
                ]
                docgen.write_pptx(path, slides, title=doc.title)
            elif fmt == "html":
                docgen.write_html(path, doc.title, docgen.markdown_to_html(doc.markdown()))
            else:
                path.write_text(doc.markdown(), encoding="utf-8")
    stamp.touch()
    return paths


class PhaseClock:
    """A progress hook noting when each phase of the export first reported."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.first: dict[str, float] = {}

    def __call__(self, progress: Progress) -> None:
        self.first.setdefault(progress.phase, time.perf_counter() - self.start)

    def phases(self, total: float) -> dict[str, float]:
        names = list(self.first)
        ends = [self.first[n] for n in names[1:]] + [total]
        return {name: end - self.first[name] for name, end in zip(names, ends, strict=True)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed exports (default 5)")
    args = parser.parse_args(argv)

    SOURCES.mkdir(parents=True, exist_ok=True)
    sources = write_sources(SOURCES)
    with tempfile.TemporaryDirectory() as scratch, Library(Path(scratch) / "lib") as lib:
        lib.add_paths(sources)
        lib.packets.settings.save(RepSettings(rep_name="Bench Rep", rep_company="Harborline Data"))
        by_path = {Path(a.path).name: a.id for a in lib.assets.all()}
        # Generated front matter may carry a past expiry, which an export rightly refuses.
        lib.update_assets(by_path.values(), status="approved", expires="")
        prospect = Prospect("Dana", "Lee", "dana@example.com", "Acme", "CFO", "CFO", "Decision")
        packet = lib.create_packet(prospect, asset_ids=[by_path[p.name] for p in sources])
        out = Path(scratch) / "packet.pdf"
        lib.export_packet_pdf(packet.id, out)  # warm-up: imports and font metrics
        times, phases = [], []
        for _ in range(args.repeat):
            clock = PhaseClock()
            result = lib.export_packet_pdf(packet.id, out, progress=clock)
            times.append(result.seconds)
            phases.append(clock.phases(result.seconds))

    merged = sum(i.page_count for i in result.items if i.merged)
    median = statistics.median(times)
    print(
        f"Packet export: {len(result.items)} assets ({len(sources)} files: "
        + ", ".join(f"{count} {fmt}" for fmt, count, _, _ in SHAPE)
        + f"), {result.pages} pages ({merged} merged, {result.pages - merged} typeset), "
        f"{result.size / 1_000_000:.1f} MB"
    )
    print(
        f"  median {median:.2f} s, best {min(times):.2f} s, worst {max(times):.2f} s "
        f"over {len(times)} runs; target < {TARGET_S:.0f} s: {'met' if median < TARGET_S else 'MISSED'}"
    )
    typical = phases[times.index(sorted(times)[len(times) // 2])]
    print("  phases: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in typical.items()))
    RESULTS.write_text(
        json.dumps(
            {
                "assets": len(result.items),
                "pages": result.pages,
                "merged_pages": merged,
                "bytes": result.size,
                "seconds": times,
                "median_s": median,
                "phases": typical,
                "target_s": TARGET_S,
            },
            indent=2,
        )
    )
    return 0 if median < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
