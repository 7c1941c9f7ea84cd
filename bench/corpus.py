"""A deterministic generator of B2B marketing documents for the benchmarks.

Words follow a Zipf-like distribution over about 5,000 English words and domain terms,
so prefixes such as "c" or "co" have as many completions as in real content. Document
``n`` is the same on every run and machine for a given seed and ``GENERATOR_VERSION``.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

from bench import words as w
from search import IndexRecord
from search.vocabulary import tokenize

GENERATOR_VERSION = 1  # bump whenever generated text changes, so cached data is rebuilt
DEFAULT_SEED = 20260105
NAME_COUNT = 1_200
_ZIPF_EXPONENT = 1.07
_FIRST_DAY = date(2021, 1, 1)
_PAGES_BY_TYPE = {
    "white paper": (6, 10),
    "case study": (2, 4),
    "blog post": (1, 3),
    "data sheet": (1, 2),
    "slide deck": (5, 10),
    "one-pager": (1, 1),
    "video/link": (1, 1),
}
_UNPAGED_TYPES = {"blog post", "video/link"}
_MARKER = ".bench-complete.json"  # hidden, so a library scan skips it


@dataclass(frozen=True)
class Lexicon:
    """The corpus's words in Zipf rank order, and the pools benchmark queries draw from."""

    ranked: list[str]
    cum_weights: list[float]
    content: list[str]  # ranked words that are not function words
    names: list[str]  # invented names: each shows up in few documents
    vocabulary: frozenset[str]

    @property
    def common(self) -> list[str]:
        return self.content[:60]

    @property
    def mid(self) -> list[str]:
        return self.content[150:600]

    @property
    def long_words(self) -> list[str]:
        return [word for word in self.content[:3_000] if len(word) >= 6]

    @property
    def phrases(self) -> list[str]:
        return w.PHRASES


@dataclass
class Document:
    """One generated asset; ``pages`` are plain text with a heading on the first line."""

    id: int
    title: str
    summary: str
    pages: list[str]
    type: str
    status: str
    stage: list[str]
    persona: list[str]
    industry: list[str] = field(default_factory=list)
    product: list[str] = field(default_factory=list)
    tag: list[str] = field(default_factory=list)
    updated: str = ""
    expires: str | None = None
    usage: int = 0

    @property
    def paged(self) -> bool:
        return self.type not in _UNPAGED_TYPES

    @property
    def slug(self) -> str:
        return f"{self.type.replace(' ', '-').replace('/', '-')}-{self.id:06d}"

    def record(self) -> IndexRecord:
        return IndexRecord(
            id=self.id,
            title=self.title,
            path=f"/library/{self.slug}.pdf",
            summary=self.summary,
            pages=self.pages,
            paged=self.paged,
            type=self.type,
            status=self.status,
            stage=self.stage,
            persona=self.persona,
            industry=self.industry,
            product=self.product,
            tag=self.tag,
            updated=self.updated,
            expires=self.expires,
            usage=self.usage,
        )

    def markup_pages(self) -> list[str]:
        """Pages in the mini-markup of ``library.docgen``: the first line becomes a heading."""
        marked = []
        for text in self.pages:
            heading, _, body = text.partition("\n\n")
            marked.append(f"## {heading}\n\n{body}")
        return marked

    def markdown(self) -> str:
        """A Markdown file with YAML front matter, as marketing teams keep them."""
        meta = {
            "title": self.title,
            "type": self.type,
            "status": self.status,
            "stages": self.stage,
            "personas": self.persona,
            "industries": self.industry,
            "products": self.product,
            "tags": self.tag,
            "summary": self.summary,
        }
        if self.expires:
            meta["expires"] = self.expires
        front = "\n".join(f"{key}: {json.dumps(value)}" for key, value in meta.items())
        body = "\n\n".join(f"## {p}" for p in self.pages)
        return f"---\n{front}\n---\n# {self.title}\n\n{body}\n"


@lru_cache(maxsize=4)
def lexicon(seed: int = DEFAULT_SEED) -> Lexicon:
    rng = random.Random(seed)
    general = list(
        dict.fromkeys(
            [f for s in w.VERBS for f in w.verb_forms(s)]
            + [f for s in w.RE_VERBS for f in w.verb_forms("re" + s)]
            + [f for s in w.NOUNS for f in w.noun_forms(s)]
            + [f for s in w.ADJECTIVES for f in w.adjective_forms(s)]
            + ["un" + a for a in w.UN_ADJECTIVES]
        )
    )
    functions = list(dict.fromkeys(w.FUNCTION_WORDS))
    domain = [d for d in dict.fromkeys(w.DOMAIN_TERMS) if d not in functions]
    general = [g for g in general if g not in functions and g not in domain]
    rng.shuffle(general)
    rng.shuffle(domain)
    # Domain terms are spread over the first 600 content ranks: marketing copy repeats them.
    content = list(general)
    step = 600 // len(domain)
    for i, term in enumerate(domain):
        content.insert(i * step + rng.randrange(step), term)
    ranked = functions + content
    weights = [1.0 / (r + 2.7) ** _ZIPF_EXPONENT for r in range(len(ranked))]
    names = w.proper_names(NAME_COUNT, seed)
    labels = w.PHRASES + w.PERSONAS + w.INDUSTRIES + w.PRODUCTS + w.TAGS + w.TYPES
    vocabulary = (
        frozenset(ranked)
        | {n.casefold() for n in names}
        | {x for label in labels for x in tokenize(label)}
    )
    return Lexicon(ranked, list(accumulate(weights)), content, names, frozenset(vocabulary))


class CorpusGenerator:
    """Generates document ``n`` on its own, so any range can be built in any process."""

    def __init__(self, seed: int = DEFAULT_SEED) -> None:
        self.seed = seed
        self.lex = lexicon(seed)

    def document(
        self, doc_id: int, *, pages: int | None = None, chars_per_page: int | None = None
    ) -> Document:
        """The document with this id; ``pages`` and ``chars_per_page`` override its shape."""
        rng = random.Random(self.seed * 1_000_003 + doc_id)
        doc_type = rng.choices(w.TYPES, weights=(20, 14, 18, 16, 12, 12, 8))[0]
        low, high = _PAGES_BY_TYPE[doc_type]
        page_count = pages or rng.randint(low, high)
        total = chars_per_page * page_count if chars_per_page else rng.randint(1_200, 3_600)
        names = rng.sample(self.lex.names, rng.choice((0, 1, 1, 2, 3)))
        texts = [
            self._page(rng, max(240, total // page_count), names if n == 0 else [])
            for n in range(page_count)
        ]
        updated = _FIRST_DAY + timedelta(days=rng.randint(0, 2_000))
        status = rng.choices(("approved", "draft", "archived"), weights=(85, 9, 6))[0]
        expires = None
        if rng.random() < 0.15:
            expires = (updated + timedelta(days=rng.randint(180, 1_500))).isoformat()
        return Document(
            id=doc_id,
            title=self._title(rng, doc_type, names),
            summary=self._sentences(rng, 2),
            pages=texts,
            type=doc_type,
            status=status,
            stage=sorted(rng.sample(w.STAGES, rng.choice((1, 1, 2, 2, 3))), key=w.STAGES.index),
            persona=rng.sample(w.PERSONAS, rng.choice((1, 1, 2, 2, 3))),
            industry=rng.sample(w.INDUSTRIES, rng.choice((0, 1, 1, 2))),
            product=rng.sample(w.PRODUCTS, rng.choice((0, 1, 1, 2))),
            tag=rng.sample(w.TAGS, rng.choice((0, 1, 2, 3, 4))),
            updated=updated.isoformat(),
            expires=expires,
            usage=min(500, int(rng.paretovariate(1.2)) - 1),
        )

    def records(self, count: int, start: int = 1) -> Iterator[IndexRecord]:
        for doc_id in range(start, start + count):
            yield self.document(doc_id).record()

    # -- text ----------------------------------------------------------------------------

    def _words(self, rng: random.Random, count: int) -> list[str]:
        return rng.choices(self.lex.ranked, cum_weights=self.lex.cum_weights, k=count)

    def _sentences(self, rng: random.Random, count: int, names: Sequence[str] = ()) -> str:
        sentences = []
        for n in range(count):
            words = self._words(rng, rng.randint(7, 22))
            if rng.random() < 0.3:
                words.insert(rng.randrange(len(words)), rng.choice(w.PHRASES))
            if rng.random() < 0.1:
                words.insert(rng.randrange(len(words)), _number(rng))
            if n < len(names):
                words.insert(rng.randrange(len(words)), names[n])
            sentences.append(words[0].capitalize() + " " + " ".join(words[1:]) + ".")
        return " ".join(sentences)

    def _page(self, rng: random.Random, chars: int, names: list[str]) -> str:
        heading = " ".join(rng.choices(self.lex.content[:1_500], k=rng.randint(2, 5))).capitalize()
        paragraphs = []
        size = len(heading)
        while size < chars:
            paragraph = self._sentences(rng, rng.randint(2, 5), names if not paragraphs else [])
            paragraphs.append(paragraph)
            size += len(paragraph) + 2
        return heading + "\n\n" + "\n\n".join(paragraphs)

    def _title(self, rng: random.Random, doc_type: str, names: list[str]) -> str:
        content = self.lex.content[:1_500]
        phrase = rng.choice(w.PHRASES)
        if doc_type == "case study" and names:
            return f"How {names[0]} cut {phrase} costs by {rng.randint(12, 61)}%"
        if doc_type == "data sheet":
            return f"{rng.choice(w.PRODUCTS)} data sheet: {rng.choice(content)} and {phrase}"
        pattern = rng.randrange(4)
        if pattern == 0:
            return f"The {rng.choice(w.PERSONAS)} guide to {phrase}"
        if pattern == 1:
            return f"{rng.randint(3, 12)} ways to {rng.choice(content)} your {phrase}"
        if pattern == 2:
            return f"{phrase.capitalize()} for {rng.choice(w.INDUSTRIES).lower()}: {rng.choice(content)}"
        return " ".join(rng.choices(content, k=rng.randint(3, 6))).capitalize() + f" and {phrase}"


def _number(rng: random.Random) -> str:
    kind = rng.randrange(5)
    if kind == 0:
        return f"{rng.randint(2, 99)}%"
    if kind == 1:
        return str(rng.randint(2018, 2030))
    if kind == 2:
        return f"{rng.choice((1, 10, 40, 100, 400))} Gbps"
    if kind == 3:
        return f"{rng.randint(2, 60)} kW"
    return f"${rng.randint(1, 950)},{rng.randint(0, 999):03d}"


# -- files on disk ------------------------------------------------------------------------


def _cached(folder: Path, key: dict) -> list[Path] | None:
    marker = folder / _MARKER
    if marker.exists():
        saved = json.loads(marker.read_text())
        if saved.get("key") == key:
            return [folder / p for p in saved["files"]]
    return None


def _mark(folder: Path, key: dict, files: list[Path]) -> None:
    names = [str(p.relative_to(folder)) for p in files]
    (folder / _MARKER).write_text(json.dumps({"key": key, "files": names}))


def write_text_files(
    folder: Path, count: int, *, seed: int = DEFAULT_SEED, per_folder: int = 500
) -> list[Path]:
    """Write ``count`` Markdown files with front matter into subfolders of ``folder``.

    Reuses the files of an earlier call with the same arguments and generator version.
    """
    folder = Path(folder)
    key = {"kind": "md", "count": count, "seed": seed, "version": GENERATOR_VERSION}
    if (files := _cached(folder, key)) is not None:
        return files
    generator = CorpusGenerator(seed)
    files = []
    for doc_id in range(1, count + 1):
        doc = generator.document(doc_id)
        path = folder / f"batch-{(doc_id - 1) // per_folder:03d}" / f"{doc.slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(doc.markdown(), encoding="utf-8")
        files.append(path)
    _mark(folder, key, files)
    return files


def _write_pdf_range(folder: str, seed: int, ids: list[int], pages: int) -> list[str]:
    from library.docgen import write_pdf  # reportlab is slow to import; only workers need it

    generator = CorpusGenerator(seed)
    written = []
    for doc_id in ids:
        doc = generator.document(doc_id, pages=pages, chars_per_page=1_700)
        path = Path(folder) / f"{doc.slug}.pdf"
        write_pdf(path, doc.markup_pages(), title=doc.title)
        written.append(path.name)
    return written


def write_pdfs(
    folder: Path, count: int, *, pages: int = 10, seed: int = DEFAULT_SEED, workers: int = 2
) -> list[Path]:
    """Write ``count`` PDFs of ``pages`` full pages each (about 1,700 characters a page).

    Files are rendered in ``workers`` processes and reused by later calls with the same
    arguments and generator version.
    """
    folder = Path(folder)
    key = {
        "kind": "pdf",
        "count": count,
        "pages": pages,
        "seed": seed,
        "version": GENERATOR_VERSION,
    }
    if (files := _cached(folder, key)) is not None:
        return files
    folder.mkdir(parents=True, exist_ok=True)
    ids = list(range(1, count + 1))
    chunks = [ids[i : i + 25] for i in range(0, count, 25)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        names = [
            name
            for chunk in pool.map(
                _write_pdf_range,
                [str(folder)] * len(chunks),
                [seed] * len(chunks),
                chunks,
                [pages] * len(chunks),
            )
            for name in chunk
        ]
    files = [folder / name for name in names]
    _mark(folder, key, files)
    return files
