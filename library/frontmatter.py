"""YAML front matter at the top of Markdown files: the metadata marketers write by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

import yaml

from library.models import Facet

if TYPE_CHECKING:
    from library.taxonomy import TaxonomyManager

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# YAML aliases let a few lines name a structure of billions of items ("billion laughs");
# the loader shares them, but copying them out would not, so copying stops at this size.
MAX_NODES = 10_000
SCALAR_KEYS = ("title", "summary", "type", "status", "owner", "expires", "language", "date")
LIST_KEYS = ("stages", "personas", "industries", "products", "tags")
# What people and CMSs (Jekyll, Hugo, WordPress exports) write, by the field it fills;
# keys are matched ignoring case, and "-" or "_" as a space.
KEY_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "summary": ("summary", "description", "excerpt", "abstract"),
    "type": ("type", "content type"),
    "status": ("status",),
    "owner": ("owner", "author", "authors"),
    "expires": ("expires", "expiry", "expiry date", "expiration"),
    "language": ("language", "lang"),
    "date": ("date", "published", "publish date"),
    "stages": ("stage", "stages", "buyer stage", "buyer stages"),
    "personas": ("persona", "personas", "audience", "audiences"),
    "industries": ("industry", "industries", "vertical", "verticals"),
    "products": ("product", "products"),
    "tags": ("tag", "tags", "keywords", "category", "categories"),
}
FACET_KEYS = {
    "stages": Facet.STAGE,
    "personas": Facet.PERSONA,
    "industries": Facet.INDUSTRY,
    "products": Facet.PRODUCT,
    "tags": Facet.TAG,
}
# Facets whose names are free: a name that matches no term becomes a new one. Stages,
# personas and industries are the library's chosen lists, so a typo must not add to them.
OPEN_FACETS = frozenset({Facet.PRODUCT, Facet.TAG})
_KEY_OF = {alias: key for key, aliases in KEY_ALIASES.items() for alias in aliases}


def _plain(value: object, budget: list[int] | None = None) -> object:
    """YAML reads `2027-06-30` as a date; callers want the text people wrote."""
    budget = [MAX_NODES] if budget is None else budget
    budget[0] -= 1
    if budget[0] < 0:
        raise ValueError("The front matter is too large or repeats itself too deeply to be read.")
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(item, budget) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item, budget) for key, item in value.items()}
    return value


def _key(name: object) -> str:
    return " ".join(str(name).replace("-", " ").replace("_", " ").split()).casefold()


def _scalar(value: object) -> str | None:
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return str(value).strip() or None
    return None


def clean_front_matter(metadata: dict | None) -> dict:
    """The fields Pitchpack reads from front matter, in the shapes it expects.

    Keys may be singular or plural and in any case (``Stage:``, ``stages:``), or a common
    CMS key (``description``, ``author``, ``categories``, ``date``); see ``KEY_ALIASES``.
    Front matter is typed by hand, so a value may be a number, a list or a mapping where
    text was meant: scalar fields become text (a list of authors is joined; other
    non-scalars are dropped), list fields become lists of names, whether written as a
    list, one value or comma-separated values, and an ``expires`` or ``date`` that is
    not a date is dropped. When two keys fill one field, their values are combined (lists)
    or the first wins (text).
    """
    clean: dict = {}
    for name, value in (metadata or {}).items():
        key = _KEY_OF.get(_key(name))
        if key is None:
            continue
        items = value if isinstance(value, list) else [value]
        names = [text for item in items if (text := _scalar(item))]
        if key in LIST_KEYS:
            split = [part.strip() for text in names for part in text.split(",")]
            merged = clean.setdefault(key, [])
            merged += [part for part in split if part and part not in merged]
        elif key not in clean and names:
            if key == "owner" or len(names) == 1 and not isinstance(value, list):
                clean[key] = ", ".join(names)
    for key in ("expires", "date"):
        if key in clean:
            try:
                clean[key] = date.fromisoformat(clean[key][:10]).isoformat()
            except ValueError:
                del clean[key]
    return {key: value for key, value in clean.items() if value}


@dataclass(frozen=True)
class Unmatched:
    """A front matter value that names no term of its facet, so no term was set."""

    path: str
    facet: str
    value: str
    known: tuple[str, ...]  # the facet's terms, to say what would have matched

    @property
    def message(self) -> str:
        known = ", ".join(self.known) or "none yet"
        return (
            f"{self.facet} '{self.value}' matches no {self.facet} of this library "
            f"(known: {known}); correct it in the file, which the next rescan reads, or tag "
            "the asset by hand."
        )


def front_matter_terms(
    taxonomy: TaxonomyManager,
    clean: dict,
    path: str = "",
    resolved: dict[tuple[str, str], int | None] | None = None,
) -> tuple[list[int], list[Unmatched]]:
    """The ids of the terms named in cleaned front matter, and the values naming none.

    Values are matched to terms with ``TaxonomyManager.match`` (names, their parts and
    keywords, any case). A product or tag that matches none is added as a new term.
    ``resolved``, kept by the caller for one import, remembers each value's term so that
    thousands of files naming the same few stages match each name once.
    """
    ids: list[int] = []
    unmatched: list[Unmatched] = []
    resolved = {} if resolved is None else resolved
    for key, facet in FACET_KEYS.items():
        for value in clean.get(key, []):
            if (facet.value, value) not in resolved:
                # A new tag that merely starts like an old one ("cloud", "cloud costs") is new.
                term = taxonomy.match(facet, value, loose=facet not in OPEN_FACETS)
                if term is None and facet in OPEN_FACETS:
                    term = taxonomy.resolve(facet, value, create=True)
                resolved[(facet.value, value)] = None if term is None else term.id
            term_id = resolved[(facet.value, value)]
            if term_id is None:
                unmatched.append(Unmatched(path, facet.value, value, tuple(taxonomy.names(facet))))
            elif term_id not in ids:
                ids.append(term_id)
    return ids, unmatched


def split_front_matter(text: str) -> tuple[dict, str]:
    """Split YAML front matter, fenced by `---` lines at the top, from a Markdown body.

    Returns `(metadata, body)`, with dates as ISO strings; `({}, text)` when there is no
    front matter (a leading `---` without a closing fence is a horizontal rule, not front
    matter). Raises ValueError, saying where, when the fenced block is not a YAML mapping.
    """
    stripped = text.removeprefix("\ufeff")
    lines = stripped.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return {}, text
    end = next(
        (index for index in range(1, len(lines)) if lines[index].rstrip() in ("---", "...")),
        None,
    )
    if end is None:
        return {}, text
    raw, body = "".join(lines[1:end]), "".join(lines[end + 1 :])
    try:
        data = yaml.load(raw, Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        # +2: the opening fence is line 1 and YAML counts from 0.
        where = f" on line {mark.line + 2}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ValueError(
            f"The front matter is not valid YAML{where}: {problem}. "
            "Check the indentation, and put quotes around values that contain a colon."
        ) from exc
    if data is None:
        return {}, body
    if not isinstance(data, dict):
        raise ValueError(
            "The front matter must be 'key: value' lines between two '---' lines, "
            f"but it reads as a {type(data).__name__}."
        )
    return _plain(data), body
