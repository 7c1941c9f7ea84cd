"""What an add or rescan did: the report the CLI prints and the import dialog shows."""

from __future__ import annotations

from dataclasses import dataclass, field

from library.extract import ocr
from library.frontmatter import Unmatched
from library.models import FailureReason, TextSource

# Why a file met in a folder was passed over without being read (``Failure.reason``).
LINK_LEAVES_FOLDER = "link_outside"


@dataclass
class Failure:
    path: str
    reason: str
    message: str


@dataclass
class Duplicate:
    path: str
    asset_id: int
    kind: str  # "exact": the same bytes; "near": the same text in a different file


@dataclass
class ImportReport:
    """What an add or rescan did, for the CLI's summary and the import dialog."""

    added: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    moved: list[int] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)
    unchanged: int = 0
    duplicates: list[Duplicate] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    truncated: list[str] = field(default_factory=list)
    # Files met in folders and passed over: unsupported types, links leaving the folder.
    skipped: list[Failure] = field(default_factory=list)
    no_text: list[str] = field(default_factory=list)  # kept without text (image-only files)
    ocr: list[str] = field(default_factory=list)  # text read by OCR
    ocr_hint: str | None = None  # how to enable OCR, when files needed it and it is missing
    unmatched: list[Unmatched] = field(default_factory=list)  # front matter naming no term
    cancelled: bool = False

    def note_text_source(self, path: str, source: str) -> None:
        """Count a file read by OCR or kept without text; the OCR hint is given once."""
        if source == TextSource.OCR:
            self.ocr.append(path)
        elif not TextSource(source).has_text:
            self.no_text.append(path)
            if source == TextSource.NO_OCR:
                self.ocr_hint = ocr.ENABLE_HINT

    @property
    def changed_ids(self) -> list[int]:
        return self.added + self.updated + self.moved + self.missing

    def summary(self) -> str:
        parts = [
            f"{len(self.added)} added",
            f"{len(self.updated)} updated",
            f"{self.unchanged} unchanged",
        ]
        links = [s for s in self.skipped if s.reason == LINK_LEAVES_FOLDER]
        unsupported = [s for s in self.skipped if s.reason == FailureReason.UNSUPPORTED]
        for label, items in (
            ("moved", self.moved),
            ("missing", self.missing),
            ("duplicates", self.duplicates),
            ("failed", self.failed),
            ("skipped as unsupported", unsupported),
            ("links out of the folder skipped", links),
            ("cut at the text limit", self.truncated),
            ("read by OCR", self.ocr),
            ("kept without text", self.no_text),
            ("front matter values matching no term", self.unmatched),
        ):
            if items:
                parts.append(f"{len(items)} {label}")
        return ", ".join(parts) + (" (cancelled)" if self.cancelled else "")
