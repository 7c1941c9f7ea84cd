"""The taxonomy: ordered buyer stages, personas, industries, products and free tags.

Each term can carry keywords; a keyword found in an asset's text *suggests* the term,
kept apart from the confirmed terms until someone accepts it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlite_utils import Database

from library.db import changing
from library.errors import UnknownTerm
from library.keywords import Keywords, match_keywords, split_keywords
from library.models import Facet

DEFAULT_TERMS: dict[Facet, list[tuple[str, str]]] = {
    Facet.STAGE: [
        ("Awareness", "trends, challenges, guide, introduction, what is, overview"),
        ("Consideration", "comparison, evaluation, options, versus, architecture, best practices"),
        ("Decision", "pricing, proposal, roi, contract, business case, tco, quote"),
        ("Onboarding", "getting started, onboarding, setup, checklist, first 90 days"),
        ("Expansion", "upgrade, expand, add-on, scale, renewal"),
    ],
    Facet.PERSONA: [
        ("Executive/CEO", "strategy, growth, board, competitive advantage"),
        ("CFO/Finance", "cost, budget, tco, roi, capex, opex, finance"),
        ("CIO/IT leader", "architecture, infrastructure, security, it leaders, cio"),
        ("Operations", "operations, uptime, maintenance, monitoring, sla"),
        ("Procurement", "procurement, contract, vendor, terms, purchasing"),
        ("End user", "how to, tutorial, user guide, tips"),
    ],
    Facet.INDUSTRY: [
        ("Healthcare", "healthcare, hospital, patient, hipaa, clinical"),
        ("Financial services", "bank, banking, financial services, trading, insurance"),
        ("Retail", "retail, e-commerce, store, shopper"),
        ("Manufacturing", "manufacturing, factory, plant, supply chain"),
        ("Public sector", "government, public sector, agency, municipal"),
        ("Media", "media, streaming, broadcast, publishing"),
    ],
    Facet.PRODUCT: [],
    Facet.TAG: [],
}


def _writes(method: Callable) -> Callable:
    """Forget cached terms after a method that changes them, even if it fails midway."""

    @functools.wraps(method)
    def wrapper(self: TaxonomyManager, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        finally:
            self._terms.clear()

    return wrapper


@dataclass
class Term:
    id: int
    facet: str
    name: str
    position: int
    keywords: list[str]


def _normal(text: str) -> str:
    """Text as compared with term names: any case, "-" and "_" read as spaces."""
    return " ".join(re.sub(r"[_-]+", " ", text).split()).casefold()


def _keywords(text: str) -> list[str]:
    return [k.strip() for k in text.split(",") if k.strip()]


class TaxonomyManager:
    """Reads and edits taxonomy terms. Term names are unique per facet, ignoring case."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._terms: dict[str, list[Term]] = {}  # per facet; imports look terms up per file

    @_writes
    def install_defaults(self) -> None:
        """Add the default terms to a library that has none yet."""
        if self.db.execute("SELECT count(*) FROM terms").fetchone()[0]:
            return
        with self.db.atomic():
            for facet, terms in DEFAULT_TERMS.items():
                for position, (name, keywords) in enumerate(terms):
                    self.db.execute(
                        "INSERT INTO terms (facet, name, position, keywords) VALUES (?,?,?,?)",
                        (facet.value, name, position, keywords),
                    )

    def terms(self, facet: str) -> list[Term]:
        facet = Facet(facet).value
        if facet not in self._terms:
            self._terms[facet] = self._load(facet)
        return list(self._terms[facet])

    def _load(self, facet: str) -> list[Term]:
        rows = self.db.execute(
            "SELECT id, facet, name, position, keywords FROM terms WHERE facet = ? "
            "ORDER BY position, name COLLATE NOCASE",
            (Facet(facet).value,),
        ).fetchall()
        return [Term(r[0], r[1], r[2], r[3], _keywords(r[4])) for r in rows]

    def names(self, facet: str) -> list[str]:
        return [t.name for t in self.terms(facet)]

    def find(self, facet: str, name: str) -> Term | None:
        """The term a user means: exact name (any case), else the only one it starts or is in."""
        terms = self.terms(facet)
        key = name.strip().casefold()
        for test in (
            lambda t: t.name.casefold() == key,
            lambda t: t.name.casefold().startswith(key),
            lambda t: key in t.name.casefold(),
        ):
            found = [t for t in terms if test(t)]
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                return None
        return None

    def match(self, facet: str, name: str, *, loose: bool = True) -> Term | None:
        """The term a value written in a file means, ignoring case: its name; a part of
        a name written with "/" ("CEO" for "Executive/CEO"); one of its keywords, read as
        a synonym ("banking" for "Financial services"); else, when ``loose``, what
        ``find`` makes of it (the one name it starts or is in).

        :returns: None when no term, or more than one, matches.
        """
        key = _normal(name)
        if not key:
            return None
        terms = self.terms(facet)
        for test in (
            lambda t: _normal(t.name) == key,
            lambda t: key in {_normal(part) for part in re.split(r"[/&]", t.name)},
            lambda t: key in {_normal(keyword) for keyword in t.keywords},
        ):
            found = [t for t in terms if test(t)]
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                return None
        return self.find(facet, name) if loose else None

    def resolve(self, facet: str, name: str, *, create: bool = False) -> Term:
        """Find a term or, with ``create``, add it; raises UnknownTerm naming the known ones."""
        term = self.find(facet, name)
        if term is not None:
            return term
        if create and name.strip():
            return self._add(facet, name.strip())
        known = ", ".join(self.names(facet)) or "none yet"
        raise UnknownTerm(f"'{name}' is not a {facet} of this library (known: {known}).")

    @_writes
    def _add(self, facet: str, name: str, keywords: list[str] | None = None) -> Term:
        position = self.db.execute(
            "SELECT coalesce(max(position) + 1, 0) FROM terms WHERE facet = ?", (facet,)
        ).fetchone()[0]
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT INTO terms (facet, name, position, keywords) VALUES (?,?,?,?)",
                (Facet(facet).value, name, position, ", ".join(keywords or [])),
            )
        return Term(cursor.lastrowid, facet, name, position, keywords or [])

    @_writes
    def _set_keywords(self, term_id: int, keywords: list[str]) -> None:
        with self.db.atomic():
            self.db.execute(
                "UPDATE terms SET keywords = ? WHERE id = ?", (", ".join(keywords), term_id)
            )

    @_writes
    def _reorder(self, facet: str, names: list[str]) -> None:
        with self.db.atomic():
            for position, name in enumerate(names):
                self.db.execute(
                    "UPDATE terms SET position = ? WHERE facet = ? AND name = ?",
                    (position, facet, name),
                )

    @_writes
    def _rename(self, facet: str, old: str, new: str) -> list[int]:
        """Rename a term everywhere; renaming onto an existing term merges the two.

        Returns the ids of the assets whose tags changed.
        """
        source = self.resolve(facet, old)
        target = self.find(facet, new)
        with changing(self.db) as changed:
            changed += [
                r[0]
                for r in self.db.execute(
                    "SELECT asset_id FROM asset_terms WHERE term_id = ?", (source.id,)
                )
            ]
            if target is None or target.id == source.id:
                self.db.execute("UPDATE terms SET name = ? WHERE id = ?", (new, source.id))
            else:
                self.db.execute(
                    # A confirmed tag on either side stays confirmed on the merged term.
                    "INSERT INTO asset_terms (asset_id, term_id, suggested) "
                    "SELECT asset_id, ?, suggested FROM asset_terms WHERE term_id = ? "
                    "ON CONFLICT(asset_id, term_id) DO UPDATE "
                    "SET suggested = min(suggested, excluded.suggested)",
                    (target.id, source.id),
                )
                self.db.execute("DELETE FROM terms WHERE id = ?", (source.id,))
        return changed

    @_writes
    def _delete(self, facet: str, name: str) -> list[int]:
        term = self.resolve(facet, name)
        with changing(self.db) as changed:
            changed += [
                r[0]
                for r in self.db.execute(
                    "SELECT asset_id FROM asset_terms WHERE term_id = ?", (term.id,)
                )
            ]
            self.db.execute("DELETE FROM terms WHERE id = ?", (term.id,))
        return changed

    def unused(self) -> list[Term]:
        rows = self.db.execute(
            "SELECT id, facet, name, position, keywords FROM terms t WHERE NOT EXISTS "
            "(SELECT 1 FROM asset_terms a WHERE a.term_id = t.id AND a.suggested = 0) "
            "ORDER BY facet, position"
        ).fetchall()
        return [Term(r[0], r[1], r[2], r[3], _keywords(r[4])) for r in rows]

    def suggest(self, text: str) -> dict[str, list[int]]:
        """Term ids whose keywords occur in ``text`` (whole words, any case), per facet."""
        return match_keywords(text, self.keywords())

    def keywords(self) -> Keywords:
        """Every term's keywords, ready for `match_keywords` (in another process, too)."""
        return [
            (facet.value, term.id, *split_keywords(term.keywords))
            for facet in Facet
            for term in self.terms(facet)
            if term.keywords
        ]
