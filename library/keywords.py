"""Keywords that suggest taxonomy terms, matched against a file's text.

Apart from ``library.taxonomy`` so that extraction workers can match without importing the
catalog's database code.
"""

from __future__ import annotations

import re

# Per term with keywords: (facet, term id, its one-word keywords, its longer ones padded
# with a space each side), casefolded; plain data, so another process can use it.
Keywords = list[tuple[str, int, frozenset[str], tuple[str, ...]]]
_WORD = re.compile(r"[\w'-]+")
# ASCII text, most text, has the same words found four times faster: every character
# that is not part of a word made a space, then split.
_ASCII_NOT_WORD = str.maketrans(
    dict.fromkeys((chr(c) for c in range(128) if not (chr(c).isalnum() or chr(c) in "_'-")), " ")
)


def words(text: str) -> list[str]:
    """The words of ``text``, casefolded, as keywords are matched against them."""
    if text.isascii():
        return text.lower().translate(_ASCII_NOT_WORD).split()
    return _WORD.findall(text.casefold())


def match_keywords(text: str, keywords: Keywords) -> dict[str, list[int]]:
    """Term ids, per facet, whose keywords occur in ``text`` as whole words, in any case."""
    tokens = words(text)
    present = set(tokens)
    lowered = None
    found: dict[str, list[int]] = {}
    for facet, term_id, single, phrases in keywords:
        if single.isdisjoint(present):
            if not phrases:
                continue
            if lowered is None:
                lowered = " " + " ".join(tokens) + " "
            if not any(p in lowered for p in phrases):
                continue
        found.setdefault(facet, []).append(term_id)
    return found


def split_keywords(keywords: list[str]) -> tuple[frozenset[str], tuple[str, ...]]:
    folded = [k.casefold() for k in keywords]
    single = frozenset(k for k in folded if _WORD.fullmatch(k))
    return single, tuple(f" {k} " for k in folded if not _WORD.fullmatch(k))
