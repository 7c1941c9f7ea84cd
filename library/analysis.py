"""What the catalog derives from a file's text: language, summary, near-duplicate hash and
suggested terms. Run in the extraction worker, beside the reader, to spare the app's process."""

from __future__ import annotations

import hashlib
from pathlib import Path

from library import guess
from library.frontmatter import clean_front_matter
from library.keywords import Keywords, match_keywords
from library.models import Extracted, TextFacts

# Suggestions look at the start of the text only: a keyword deep in a long file says
# little about what the file is for.
SUGGEST_CHARS = 200_000


def title_of(path: Path, ex: Extracted, meta: dict) -> str:
    """The title a new asset gets: front matter's, else the file's own, else its name's."""
    return str(meta.get("title") or ex.title or guess.title_from_name(path))


def text_facts(path: Path, ex: Extracted, keywords: Keywords) -> TextFacts:
    meta = clean_front_matter(ex.metadata)
    text = ex.text
    suggested = match_keywords(f"{title_of(path, ex, meta)}\n{text[:SUGGEST_CHARS]}", keywords)
    words = text.split()  # the pages' words: the pages are joined by blank lines
    return TextFacts(
        language=meta.get("language") or guess.language(text),
        text_hash=hashlib.sha256(" ".join(words).casefold().encode()).hexdigest(),
        summary=guess.summary(text),
        suggested=[t for ids in suggested.values() for t in ids],
        word_count=len(words),
    )


def analyse(path: Path, ex: Extracted, *, keywords: Keywords) -> Extracted:
    """Pool hook (``ExtractionPool(then=...)``): attach `text_facts` to what was read."""
    ex.facts = text_facts(path, ex, keywords)
    return ex
