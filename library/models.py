"""Plain data types of the catalog: assets, their pages, and the closed vocabularies."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ContentType(StrEnum):
    WHITE_PAPER = "white paper"
    CASE_STUDY = "case study"
    BLOG_POST = "blog post"
    DATA_SHEET = "data sheet"
    SLIDE_DECK = "slide deck"
    ONE_PAGER = "one-pager"
    VIDEO_LINK = "video/link"
    OTHER = "other"

    @classmethod
    def parse(cls, text: str | None) -> ContentType:
        """Read a content type as people write it ("Case Study", "case-study", "deck")."""
        if not text:
            return cls.OTHER
        key = text.strip().lower().replace("_", " ").replace("-", " ")
        aliases = {
            "whitepaper": cls.WHITE_PAPER,
            "casestudy": cls.CASE_STUDY,
            "blog": cls.BLOG_POST,
            "datasheet": cls.DATA_SHEET,
            "deck": cls.SLIDE_DECK,
            "slides": cls.SLIDE_DECK,
            "one pager": cls.ONE_PAGER,
            "onepager": cls.ONE_PAGER,
            "video": cls.VIDEO_LINK,
            "link": cls.VIDEO_LINK,
            "video/link": cls.VIDEO_LINK,
        }
        for member in cls:
            if member.value.replace("-", " ") == key:
                return member
        return aliases.get(key.replace(" ", ""), aliases.get(key, cls.OTHER))


class Status(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    ARCHIVED = "archived"


class FileState(StrEnum):
    """Where the asset's file stands on disk, apart from its editorial status."""

    OK = "ok"
    FAILED = "failed"
    MISSING = "missing"


class TextSource(StrEnum):
    """Where an asset's searchable text came from. A PDF or PPTX without text (a scan, a
    deck of pictures) is an asset all the same, found by its title, file name, summary
    and terms."""

    FILE = "file"  # read from the file
    OCR = "ocr"  # some of it read from images by OCR
    NONE = "none"  # none found, OCR included
    NO_OCR = "no_ocr"  # none found, and OCR was not installed to try

    @property
    def has_text(self) -> bool:
        return self in (TextSource.FILE, TextSource.OCR)

    @property
    def label(self) -> str:
        """The marker shown beside the asset: empty for text read from the file."""
        return {"ocr": "text from OCR", "none": "no text", "no_ocr": "no text"}.get(self, "")


class FailureReason(StrEnum):
    CORRUPT = "corrupt"
    ENCRYPTED = "encrypted"
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    UNSUPPORTED = "unsupported"
    TIMED_OUT = "timed_out"
    UNREADABLE = "unreadable"


class Facet(StrEnum):
    """Taxonomies an asset is tagged with; the value is the singular name used in the CLI."""

    STAGE = "stage"
    PERSONA = "persona"
    INDUSTRY = "industry"
    PRODUCT = "product"
    TAG = "tag"


@dataclass
class Page:
    number: int
    text: str


@dataclass
class TextFacts:
    """What the catalog derives from a file's text, worked out in the worker that read it
    so that the app's own process only stores it (see ``library.analysis``)."""

    language: str | None
    text_hash: str  # of the text with spacing and case evened out: finds near duplicates
    summary: str
    suggested: list[int]  # term ids whose keywords occur in the title and text
    word_count: int


@dataclass
class Extracted:
    """What an extractor read from one file."""

    pages: list[Page]
    title: str | None = None
    author: str | None = None
    paged: bool = False  # PDF pages and PPTX slides are numbered for users; HTML is not
    language: str | None = None
    metadata: dict = field(default_factory=dict)  # front matter: stage, persona, tags, ...
    truncated: bool = False
    facts: TextFacts | None = None
    text_source: str = TextSource.FILE.value

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.pages)

    @property
    def word_count(self) -> int:
        return sum(len(p.text.split()) for p in self.pages)


@dataclass
class Asset:
    """One file of the library as the catalog knows it: a plain snapshot, never live.

    ``path`` is absolute. ``status`` is a ``Status`` value (draft, approved, archived) and
    ``file_state`` a ``FileState`` one: a file that could not be read is kept with
    ``failure_reason`` (a ``FailureReason`` value) and ``error``, a sentence saying what to
    do. ``expires`` and the stamps are ISO dates. ``content_hash`` is the SHA-256 of the
    bytes, ``text_hash`` of the extracted text (for near duplicates). ``terms`` maps a
    facet to its confirmed term names in taxonomy order; ``suggested`` holds the terms the
    text's keywords suggest, waiting for review. Change an asset through ``Library``
    verbs (``update_assets``, ``tag_assets``...), not by editing this object.
    """

    id: int
    path: str
    title: str
    summary: str = ""
    content_type: str = ContentType.OTHER.value
    status: str = Status.DRAFT.value
    file_state: str = FileState.OK.value
    owner: str = ""
    created: str = ""
    updated: str = ""
    expires: str | None = None
    page_count: int = 0
    paged: bool = False
    word_count: int = 0
    language: str | None = None
    content_hash: str = ""
    text_hash: str = ""
    size: int = 0
    mtime: float = 0.0
    failure_reason: str | None = None
    error: str | None = None
    usage_count: int = 0
    truncated: bool = False  # text past the library's character limit was not kept
    text_source: str = TextSource.FILE.value
    terms: dict[str, list[str]] = field(default_factory=dict)
    suggested: dict[str, list[str]] = field(default_factory=dict)

    @property
    def stages(self) -> list[str]:
        return self.terms.get(Facet.STAGE, [])

    @property
    def personas(self) -> list[str]:
        return self.terms.get(Facet.PERSONA, [])
