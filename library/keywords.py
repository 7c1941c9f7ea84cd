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


def match_keywords(text: str, keywords: Keywords) -> dict[str, list[int]]:
    """Term ids, per facet, whose keywords occur in ``text`` as whole words, in any case."""
    words = _WORD.findall(text.casefold())
    present = set(words)
    lowered = None
    found: dict[str, list[int]] = {}
    for facet, term_id, single, phrases in keywords:
        if single.isdisjoint(present):
            if not phrases:
                continue
            if lowered is None:
                lowered = " " + " ".join(words) + " "
            if not any(p in lowered for p in phrases):
                continue
        found.setdefault(facet, []).append(term_id)
    return found


def split_keywords(keywords: list[str]) -> tuple[frozenset[str], tuple[str, ...]]:
    folded = [k.casefold() for k in keywords]
    single = frozenset(k for k in folded if _WORD.fullmatch(k))
    return single, tuple(f" {k} " for k in folded if not _WORD.fullmatch(k))
