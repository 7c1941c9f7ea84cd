"""Tokenising ASCII text without the regex finds the very words the regex finds."""

import re

from hypothesis import given
from hypothesis import strategies as st

from search.vocabulary import fold, tokenize

ascii_text = st.text(alphabet=st.characters(max_codepoint=127), max_size=200)


@given(st.one_of(ascii_text, st.text(max_size=200)))
def test_tokenize_finds_the_regex_words(text):
    assert tokenize(text) == re.findall(r"[^\W_]+", fold(text))


def test_diacritics_are_folded_before_splitting():
    assert tokenize("Café_crème, naïve—x2") == ["cafe", "creme", "naive", "x2"]
