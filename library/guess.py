"""Metadata guessed from a file when nobody wrote it: title, summary, content type, language."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from library.models import ContentType, Extracted

_TYPE_HINTS = [
    (r"white[\s_-]?paper", ContentType.WHITE_PAPER),
    (r"case[\s_-]?stud", ContentType.CASE_STUDY),
    (r"data[\s_-]?sheet", ContentType.DATA_SHEET),
    (r"one[\s_-]?pager", ContentType.ONE_PAGER),
    (r"\bblog\b", ContentType.BLOG_POST),
    (r"\b(deck|slides)\b", ContentType.SLIDE_DECK),
    (r"\b(video|webinar)\b", ContentType.VIDEO_LINK),
]


def title_from_name(path: Path) -> str:
    words = re.sub(r"[_\-]+", " ", path.stem).strip()
    return words[:1].upper() + words[1:] if words else path.name


def summary(text: str, width: int = 240) -> str:
    for para in re.split(r"\n\s*\n", text):
        para = " ".join(para.split())
        if len(para) > 60:
            return para if len(para) <= width else para[: width - 1].rsplit(" ", 1)[0] + "…"
    return " ".join(text.split())[:width]


def guess_type(path: Path, ex: Extracted | None) -> ContentType:
    name = f"{path.stem} {ex.title if ex and ex.title else ''}".lower()
    for pattern, ctype in _TYPE_HINTS:
        if re.search(pattern, name):
            return ctype
    return ContentType.SLIDE_DECK if path.suffix.lower() == ".pptx" else ContentType.OTHER


_STOPWORDS = {
    "en": {"the", "and", "of", "to", "is", "in", "for", "with"},
    "de": {"der", "die", "und", "das", "ist", "mit", "nicht", "zu"},
    "fr": {"le", "la", "et", "les", "des", "est", "pour", "dans"},
    "es": {"el", "la", "y", "los", "las", "es", "para", "con"},
}


_ANY_STOPWORD = frozenset().union(*_STOPWORDS.values())
_LETTERS = re.compile(r"[a-zäöüéèàñ]+")
# For ASCII text, the same words found faster: every character but a-z made a space.
_ASCII_NOT_LETTER = str.maketrans(
    dict.fromkeys((chr(c) for c in range(128) if not "a" <= chr(c) <= "z"), " ")
)


def language(text: str) -> str | None:
    sample = text[:20_000].lower()
    if sample.isascii():
        found = sample.translate(_ASCII_NOT_LETTER).split()
    else:
        found = _LETTERS.findall(sample)
    words = Counter(filter(_ANY_STOPWORD.__contains__, found))
    scores = {lang: sum(words[w] for w in stops) for lang, stops in _STOPWORDS.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] >= 5 else None
