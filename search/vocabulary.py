"""The index's word list: tokenising, stemming, prefix completion and typo tolerance.

Words are indexed unstemmed so that as-you-type prefixes match what users see; stemming
happens at query time by expanding a word to the indexed words that share its stem.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from functools import lru_cache

import snowballstemmer
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_stemmer = snowballstemmer.stemmer("english")
MEMO_SIZE = 4096  # expansions remembered per vocabulary


def fold(text: str) -> str:
    """Lower-case and strip diacritics, as the FTS5 ``unicode61 remove_diacritics 2`` tokenizer does."""
    text = text.casefold()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# ASCII text, most text, has the same words found four times faster: every character
# but a letter or a digit made a space, then split.
_ASCII_NOT_WORD = str.maketrans(
    dict.fromkeys((chr(c) for c in range(128) if not chr(c).isalnum()), " ")
)


def tokenize(text: str) -> list[str]:
    folded = fold(text)
    if folded.isascii():
        return folded.translate(_ASCII_NOT_WORD).split()
    return _WORD.findall(folded)


def distinct_words(texts: list[str]) -> set[str]:
    words: set[str] = set()
    for text in texts:
        words.update(tokenize(text))
    return words


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


class Vocabulary:
    """Indexed words with their document frequencies, sorted for prefix look-ups."""

    def __init__(self, frequencies: dict[str, int]) -> None:
        self._words = sorted(w for w, df in frequencies.items() if df > 0)
        self._df = frequencies
        # Typing repeats prefixes and words; a vocabulary lives as long as one index state.
        self._completions: dict[tuple[str, int], list[str]] = {}
        self._variants: dict[str, list[str]] = {}

    def updated(self, frequencies: dict[str, int]) -> Vocabulary:
        """A new vocabulary: this one with these words' frequencies (0: gone) replaced."""
        new = object.__new__(Vocabulary)
        new._df = {**self._df, **frequencies}
        words = self._words.copy()
        for word, df in frequencies.items():
            i = bisect_left(words, word)
            present = i < len(words) and words[i] == word
            if df > 0 and not present:
                words.insert(i, word)
            elif df <= 0 and present:
                del words[i]
        new._words = words
        new._completions, new._variants = {}, {}
        return new

    def __len__(self) -> int:
        return len(self._words)

    def __contains__(self, word: str) -> bool:
        return self._df.get(word, 0) > 0

    def df(self, word: str) -> int:
        return self._df.get(word, 0)

    def _with_prefix(self, prefix: str, cap: int) -> list[str]:
        start = bisect_left(self._words, prefix)
        found = []
        for word in self._words[start : start + cap]:
            if not word.startswith(prefix):
                break
            found.append(word)
        return found

    def completions(self, prefix: str, limit: int) -> list[str]:
        """The ``limit`` most frequent words starting with ``prefix`` (the prefix itself included
        when indexed). Bounding the expansion is what keeps 1- and 2-letter prefixes fast."""
        key = (prefix, limit)
        if key not in self._completions:
            if len(self._completions) > MEMO_SIZE:
                self._completions.clear()
            self._completions[key] = self._completions_new(prefix, limit)
        return list(self._completions[key])

    def _completions_new(self, prefix: str, limit: int) -> list[str]:
        candidates = self._with_prefix(prefix, cap=200_000)
        if len(candidates) > limit:
            candidates = sorted(candidates, key=self.df, reverse=True)[:limit]
            if prefix in self and prefix not in candidates:
                candidates[-1] = prefix
        return candidates

    def variants(self, word: str) -> list[str]:
        """Indexed words sharing ``word``'s stem ("pricing" → price, prices, priced, pricing)."""
        if word not in self._variants:
            if len(self._variants) > MEMO_SIZE:
                self._variants.clear()
            self._variants[word] = self._variants_new(word)
        return list(self._variants[word])

    def _variants_new(self, word: str) -> list[str]:
        target = stem(word)
        root = target[: max(3, min(len(target), len(word)) - 1)]
        found = [w for w in self._with_prefix(root, cap=5000) if stem(w) == target]
        if word in self and word not in found:
            found.append(word)
        return found or [word]

    def fuzzy(self, word: str, limit: int = 8) -> list[str]:
        """Words within a small edit distance of ``word`` or containing it, for short queries."""
        if len(word) < 3:
            return []
        # Short words are one edit away from too many others ("tco" from "to" and "two").
        max_distance = 0 if len(word) <= 4 else 1 if len(word) <= 7 else 2
        near = (
            []
            if not max_distance
            else process.extract(
                word,
                self._words,
                scorer=Levenshtein.distance,
                score_cutoff=max_distance,
                limit=limit,
            )
        )
        found = [w for w, _, _ in near if w != word]
        if len(word) >= 4:
            containing = [
                w for w in self._words if word in w and w != word and not w.startswith(word)
            ]
            found += sorted(containing, key=self.df, reverse=True)[:limit]
        return list(dict.fromkeys(found))

    def correction(self, word: str) -> str | None:
        """The likeliest intended word for a misspelt one, or None."""
        if word in self or len(word) < 3:
            return None
        max_distance = 1 if len(word) <= 5 else 2
        near = process.extract(
            word, self._words, scorer=Levenshtein.distance, score_cutoff=max_distance, limit=20
        )
        if not near:
            near = process.extract(word, self._words, scorer=fuzz.ratio, score_cutoff=80, limit=5)
            return near[0][0] if near else None
        # Fewest edits first, then the most common word.
        return min(near, key=lambda m: (m[1], -self.df(m[0])))[0]


def count_words(texts_per_doc: list[list[str]]) -> Counter[str]:
    """Document frequencies contributed by a batch of documents."""
    counts: Counter[str] = Counter()
    for texts in texts_per_doc:
        counts.update(distinct_words(texts))
    return counts
