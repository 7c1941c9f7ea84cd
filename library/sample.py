"""The sample library: Markdown sources of a fictional provider's marketing content.

`build_sample_library` renders them to real PDF, DOCX, PPTX, HTML, Markdown and text files.
"""

from __future__ import annotations

import csv
import html
import re
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from library import docgen
from library.progress import ProgressHook

if TYPE_CHECKING:
    from library.ingest import ImportReport
    from library.library import Library
from library.frontmatter import split_front_matter

SAMPLE_SOURCE_DIR = Path(__file__).resolve().parent.parent / "assets" / "sample"
FORMATS = ("pdf", "docx", "pptx", "html", "md", "txt")
CSV_COLUMNS = (
    "path",
    "title",
    "type",
    "status",
    "stages",
    "personas",
    "industries",
    "products",
    "tags",
    "owner",
    "summary",
    "expires",
)
COMPANY = "Harborline Data"

_LIST_FIELDS = ("stages", "personas", "industries", "products", "tags")
_PAGE_MARKER = re.compile(r"^\s*<!--\s*page\s*-->\s*$", re.MULTILINE)


@dataclass
class SampleSource:
    """One Markdown source: its front matter fields and its body."""

    slug: str
    title: str
    type: str
    format: str
    body: str
    status: str = "approved"
    stages: list[str] = field(default_factory=list)
    personas: list[str] = field(default_factory=list)
    industries: list[str] = field(default_factory=list)
    products: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    owner: str = ""
    summary: str = ""
    expires: str | None = None
    source: Path | None = None

    @property
    def pages(self) -> list[str]:
        """The body cut at `<!-- page -->` lines: PDF pages, or DOCX page breaks."""
        return [page.strip("\n") for page in _PAGE_MARKER.split(self.body)]

    @property
    def filename(self) -> str:
        return f"{self.slug}.{self.format}"


def _as_list(value: object) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(item).strip() for item in value if str(item).strip()]
    return [part.strip() for part in str(value).split(";") if part.strip()]


def _read_source(path: Path) -> SampleSource:
    try:
        meta, body = split_front_matter(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ValueError(f"{path.name}: {exc}") from exc
    for key in ("title", "type", "format"):
        if not meta.get(key):
            raise ValueError(f"{path.name}: the front matter needs a '{key}'.")
    if meta["format"] not in FORMATS:
        raise ValueError(f"{path.name}: format '{meta['format']}' is not one of {FORMATS}.")
    expires = meta.get("expires")
    return SampleSource(
        slug=path.stem,
        title=str(meta["title"]),
        type=str(meta["type"]),
        format=str(meta["format"]),
        body=body.strip("\n") + "\n",
        status=str(meta.get("status", "approved")),
        owner=str(meta.get("owner", "")),
        summary=str(meta.get("summary", "")).strip(),
        expires=str(expires) if expires else None,
        source=path,
        **{name: _as_list(meta.get(name)) for name in _LIST_FIELDS},
    )


def load_sources(directory: Path = SAMPLE_SOURCE_DIR) -> list[SampleSource]:
    """Read every `*.md` source in `directory`, sorted by file name.

    Raises ValueError naming the file when its front matter is malformed or incomplete.
    """
    return [_read_source(path) for path in sorted(Path(directory).glob("*.md"))]


def parse_slides(body: str) -> list[docgen.Slide]:
    """Cut a deck source into slides: `## ` starts one, a `Notes:` paragraph is its notes."""
    slides: list[docgen.Slide] = []
    in_notes = False
    for raw in body.splitlines():
        line = raw.strip()
        if line.startswith("## "):
            slides.append(docgen.Slide(line[3:].strip(), []))
            in_notes = False
        elif not slides or _PAGE_MARKER.match(line) or line.startswith("# "):
            continue
        elif not line:
            in_notes = False
        elif line.startswith("Notes:"):
            in_notes = True
            slides[-1].notes = " ".join(filter(None, [slides[-1].notes, line[6:].strip()]))
        elif in_notes:
            slides[-1].notes += " " + line
        else:
            slides[-1].bullets.append(line[2:] if line.startswith(("- ", "* ")) else line)
    return slides


def markdown_to_text(body: str) -> str:
    """Plain text of a Markdown body: underlined headings, no markers, tables as rows."""
    out: list[str] = []
    for raw in body.splitlines():
        line = raw.rstrip()
        heading = re.match(r"^(#{1,3})\s+(.*)$", line)
        if _PAGE_MARKER.match(line) or re.fullmatch(r"\|?[\s:|-]*-{2,}[\s:|-]*", line):
            continue
        if heading:
            text = docgen.plain_text(heading.group(2))
            out += [text, ("=" if len(heading.group(1)) == 1 else "-") * len(text)]
        elif line.startswith("|"):
            out.append("  ".join(docgen.plain_text(c.strip()) for c in line.strip("|").split("|")))
        else:
            out.append(docgen.plain_text(line))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n"


def _html_head(source: SampleSource) -> str:
    tags = {"author": source.owner, "description": source.summary}
    tags["keywords"] = ", ".join(source.tags)
    return "".join(
        f'<meta name="{name}" content="{html.escape(value)}">\n'
        for name, value in tags.items()
        if value
    )


def render_source(source: SampleSource, dest: Path) -> Path:
    """Render one source to `dest/<slug>.<format>` and return that path."""
    path = Path(dest) / source.filename
    title, author = source.title, source.owner or None
    if source.format == "pdf":
        return docgen.write_pdf(path, source.pages, title=title, author=author)
    if source.format == "docx":
        header = f"{COMPANY} | {source.type.capitalize()}"
        return docgen.write_docx(path, source.pages, title=title, author=author, header_text=header)
    if source.format == "pptx":
        return docgen.write_pptx(path, parse_slides(source.body), title=title, author=author)
    if source.format == "html":
        body = docgen.markdown_to_html(source.body)
        return docgen.write_html(path, title, body, extra_head=_html_head(source))
    path.parent.mkdir(parents=True, exist_ok=True)
    if source.format == "md" and source.source is not None:
        shutil.copyfile(source.source, path)
    elif source.format == "md":
        path.write_text(source.body, encoding="utf-8")
    else:
        path.write_text(markdown_to_text(source.body), encoding="utf-8")
    return path


def write_metadata_csv(sources: list[SampleSource], path: Path) -> Path:
    """Write the catalog sheet: one row per source, multi-valued cells joined with "; "."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for source in sources:
            row = {name: "; ".join(getattr(source, name)) for name in _LIST_FIELDS}
            row.update(
                path=source.filename,
                title=source.title,
                type=source.type,
                status=source.status,
                owner=source.owner,
                summary=source.summary,
                expires=source.expires or "",
            )
            writer.writerow(row)
    return path


def build_sample_library(dest: Path, directory: Path = SAMPLE_SOURCE_DIR) -> list[Path]:
    """Render every sample source into `dest` and write `dest/metadata.csv`.

    Output is byte-for-byte deterministic. Returns the rendered files in slug order (the
    CSV is not among them).
    """
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    sources = load_sources(directory)
    paths = [render_source(source, dest) for source in sources]
    write_metadata_csv(sources, dest / "metadata.csv")
    return paths


def load_sample_library(
    library: Library,
    dest: Path | None = None,
    *,
    progress: ProgressHook = None,
    cancel: threading.Event | None = None,
) -> ImportReport:
    """Render the sample files into ``dest`` (the library's ``sample/`` folder by default,
    once), add them, then apply their metadata spreadsheet."""
    dest = dest or library.folder / "sample"
    if not (dest / "metadata.csv").exists():
        build_sample_library(dest)
    report = library.add_paths([dest], progress=progress, cancel=cancel)
    sheet = dest / "metadata.csv"  # applied below, not content: not worth a warning
    report.skipped = [s for s in report.skipped if Path(s.path) != sheet]
    if not report.cancelled:
        library.import_csv(dest / "metadata.csv", add_missing=False)
    return report
