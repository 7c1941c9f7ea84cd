"""The fast paths for ASCII text find the very words the regular expressions find."""

import re
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from library import guess
from library.keywords import match_keywords, split_keywords, words

ascii_text = st.text(alphabet=st.characters(max_codepoint=127), max_size=200)
any_text = st.text(max_size=200)
# Enough stop words, joined by letters and signs that do and do not part words.
stop_words = st.lists(
    st.sampled_from(
        [
            "the",
            "and",
            "of",
            "der",
            "und",
            "le",
            "et",
            "los",
            "y",
            " ",
            "-",
            "'",
            "É",
            "é",
            "ß",
            "1",
            "x",
            "\n",
        ]
    ),
    max_size=120,
).map("".join)


@given(st.one_of(ascii_text, any_text))
def test_keyword_words_are_the_regex_words(text):
    assert words(text) == re.findall(r"[\w'-]+", text.casefold())


@given(st.one_of(stop_words, ascii_text, any_text))
def test_language_counts_the_regex_words(text):
    expected = Counter(re.findall(r"[a-zäöüéèàñ]+", text[:20_000].lower()))
    scores = {lang: sum(expected[w] for w in stops) for lang, stops in guess._STOPWORDS.items()}
    best = max(scores, key=scores.get)
    assert guess.language(text) == (best if scores[best] >= 5 else None)


def test_language_of_plain_english():
    text = "The cost of the plan is in the budget, and the board is for it. " * 3
    assert guess.language(text) == "en"


KEYWORDS = [
    ("industry", 1, *split_keywords(["bank", "supply chain", "e-commerce"])),
    ("stage", 2, *split_keywords(["what is", "roi"])),
]
phrases = st.lists(
    st.sampled_from(
        ["bank", "Supply", "chain", "E-Commerce", "what", "IS", "roi", "x", " ", ",", "-"]
    ),
    max_size=40,
).map("".join)


def _matched_by_regex(text: str) -> dict[str, list[int]]:
    tokens = re.findall(r"[\w'-]+", text.casefold())
    lowered = " " + " ".join(tokens) + " "
    found: dict[str, list[int]] = {}
    for facet, term_id, single, phrases in KEYWORDS:
        if not single.isdisjoint(tokens) or any(p in lowered for p in phrases):
            found.setdefault(facet, []).append(term_id)
    return found


@given(st.one_of(phrases, any_text))
def test_keywords_match_as_with_the_regex(text):
    assert match_keywords(text, KEYWORDS) == _matched_by_regex(text)


def test_a_phrase_matches_across_spaces_and_case():
    assert match_keywords("Our SUPPLY  chain, and what is ROI?", KEYWORDS) == {
        "industry": [1],
        "stage": [2],
    }
