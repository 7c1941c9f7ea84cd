"""Parsing of what users type into the search box, and compiling it to an FTS5 expression.

Supported: words (stemmed), "quoted phrases", AND / OR / NOT (or a leading ``-``),
parentheses, ``title:``/``summary:``/``body:`` column filters, facet filters such as
``stage:decision`` or ``persona:"CIO/IT leader"``, and a last word matched as a prefix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from search.types import FACETS
from search.vocabulary import Vocabulary, tokenize

TEXT_COLUMNS = ("title", "summary", "body")
SHORT_PREFIX = 2
SHORT_PREFIX_COLUMNS = "{title terms}"  # an FTS5 column set
_TOKEN = re.compile(
    r'(?P<field>[A-Za-z]+):(?:"(?P<fquoted>[^"]*)"?|(?P<fvalue>[^\s()"]+))'
    r'|(?P<neg>-)?"(?P<phrase>[^"]*)"?'
    r"|(?P<paren>[()])"
    r'|(?P<neg2>-)?(?P<word>[^\s()"]+)'
)


@dataclass
class Term:
    word: str
    prefix: bool = False
    column: str | None = None


@dataclass
class Phrase:
    words: list[str]
    column: str | None = None


@dataclass
class Group:
    """Children joined by ``op`` ("AND" or "OR")."""

    op: str
    children: list = field(default_factory=list)


@dataclass
class ParsedQuery:
    positive: Group
    negative: list = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.positive.children

    def words(self) -> list[Term]:
        found: list[Term] = []

        def walk(node) -> None:
            if isinstance(node, Term):
                found.append(node)
            elif isinstance(node, Group):
                for child in node.children:
                    walk(child)

        walk(self.positive)
        return found


def parse(text: str, *, as_you_type: bool = True) -> ParsedQuery:
    """Parse query text; never raises: unknown syntax is read as words."""
    parsed = ParsedQuery(positive=Group("AND"))
    stack: list[Group] = [parsed.positive]
    pending_op: str | None = None
    negate_next = False

    def attach(node, negated: bool) -> None:
        nonlocal pending_op
        target = stack[-1]
        if negated and len(stack) == 1:
            parsed.negative.append(node)
        elif pending_op == "OR" and target.children:
            last = target.children[-1]
            if isinstance(last, Group) and last.op == "OR" and getattr(last, "_open", True):
                last.children.append(node)
            else:
                target.children[-1] = Group("OR", [last, node])
        elif not negated:
            target.children.append(node)
        pending_op = None

    for match in _TOKEN.finditer(text):
        if match["field"]:
            name = match["field"].lower()
            value = match["fquoted"] if match["fquoted"] is not None else match["fvalue"]
            if name in FACETS:
                parsed.filters.setdefault(name, []).append(value)
                continue
            if name in TEXT_COLUMNS:
                words = tokenize(value)
                node = (
                    Phrase(words, name)
                    if len(words) > 1
                    else Term(words[0], column=name)
                    if words
                    else None
                )
                if node:
                    attach(node, negate_next)
                negate_next = False
                continue
            words = tokenize(match.group(0))
            if words:
                attach(Phrase(words), negate_next)
            negate_next = False
        elif match["phrase"] is not None:
            words = tokenize(match["phrase"])
            if words:
                attach(
                    Phrase(words) if len(words) > 1 else Term(words[0]),
                    bool(match["neg"]) or negate_next,
                )
            negate_next = False
        elif match["paren"] == "(":
            group = Group("AND")
            stack.append(group)
        elif match["paren"] == ")":
            if len(stack) > 1:
                group = stack.pop()
                if group.children:
                    attach(group, negate_next)
                negate_next = False
        else:
            raw = match["word"]
            if raw in ("AND", "OR", "NOT"):
                if raw == "NOT":
                    negate_next = True
                elif raw == "OR":
                    pending_op = "OR"
                continue
            words = tokenize(raw)
            negated = bool(match["neg2"]) or negate_next
            negate_next = False
            if len(words) == 1:
                attach(Term(words[0]), negated)
            elif words:
                attach(Phrase(words), negated)
    while len(stack) > 1:  # unclosed parentheses: close them
        group = stack.pop()
        if group.children:
            stack[-1].children.append(group)

    if as_you_type and text and not text[-1].isspace() and not text.rstrip().endswith('"'):
        last = _last_term(parsed.positive)
        if last is not None and last.column is None:
            last.prefix = True
            if len(last.word) <= SHORT_PREFIX:
                # One or two letters match most of the library's text: they narrow nothing
                # after other words, and alone they are matched against titles and tags.
                if len(_leaves(parsed.positive)) > 1:
                    _drop(parsed.positive, last)
                else:
                    last.column = SHORT_PREFIX_COLUMNS
    return parsed


def _drop(group: Group, term: Term) -> None:
    for child in list(group.children):
        if child is term:
            group.children.remove(child)
        elif isinstance(child, Group):
            _drop(child, term)
            if not child.children:
                group.children.remove(child)


def _last_term(group: Group) -> Term | None:
    if not group.children:
        return None
    last = group.children[-1]
    if isinstance(last, Term):
        return last
    if isinstance(last, Group):
        return _last_term(last)
    return None


class Compiler:
    """Turns parsed queries into FTS5 MATCH expressions using the index's vocabulary."""

    def __init__(self, vocabulary: Vocabulary, *, fuzzy: bool = False) -> None:
        self.vocabulary = vocabulary
        self.fuzzy = fuzzy
        self._expansions: dict[tuple[str, bool], list[str]] = {}

    def compile(self, node, *, columns: bool = True) -> str:
        if isinstance(node, Group):
            parts = [self.compile(child, columns=columns) for child in node.children]
            return "(" + f" {node.op} ".join(parts) + ")"
        if isinstance(node, Phrase):
            expr = '"' + " ".join(node.words) + '"'
        else:
            expr = "(" + " OR ".join(f'"{w}"' for w in self._expand(node)) + ")"
        if columns and node.column:
            return f"{node.column} : {expr}"
        return expr

    def plan(self, node) -> tuple | str | None:
        """The expression as a tree of ``(op, children)`` over single-phrase FTS5 expressions.

        FTS5's bm25 is a sum over the expression's phrases, so a tree's scores can be put
        together from its phrases' own. A typed word's forms or completions are one node,
        ``("FORMS", phrases)``, matched as an OR and weighed as one word. None when FTS5
        would reject the whole expression (a word that expands to nothing): it then
        matches nothing.
        """
        if isinstance(node, Group):
            children = tuple(self.plan(child) for child in node.children)
            if not children or None in children:
                return None
            return children[0] if len(children) == 1 else (node.op, children)
        if isinstance(node, Phrase):
            phrases = ['"' + " ".join(node.words) + '"']
        else:
            phrases = [f'"{w}"' for w in self._expand(node)]
        if node.column:
            phrases = [f"{node.column} : {p}" for p in phrases]
        if not phrases:
            return None
        return phrases[0] if len(phrases) == 1 else ("FORMS", tuple(phrases))

    def any_word(self, parsed: ParsedQuery) -> str | None:
        """An OR of every positive word and phrase, for ranking pages within one document."""
        parts = [self.compile(n, columns=False) for n in _leaves(parsed.positive)]
        return " OR ".join(parts) if parts else None

    def _expand(self, term: Term) -> list[str]:
        key = (term.word, term.prefix)
        if key not in self._expansions:
            self._expansions[key] = self._expand_new(term)
        return self._expansions[key]

    def _expand_new(self, term: Term) -> list[str]:
        vocab = self.vocabulary
        short = term.prefix and len(term.word) <= SHORT_PREFIX
        words = (
            [term.word]
            if short and term.word in vocab
            else []
            if short
            else vocab.variants(term.word)
        )
        words = list(words)
        if term.prefix or (self.fuzzy and len(term.word) >= 3):
            limit = 3 if len(term.word) <= 2 else 8
            words += vocab.completions(term.word, limit)
        if self.fuzzy:
            words += vocab.fuzzy(term.word)
        return list(dict.fromkeys(words))


def _leaves(group: Group) -> list:
    leaves = []
    for child in group.children:
        leaves += _leaves(child) if isinstance(child, Group) else [child]
    return leaves
