"""YAML front matter at the top of Markdown files: the metadata marketers write by hand."""

from __future__ import annotations

from datetime import date, datetime

import yaml

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# YAML aliases let a few lines name a structure of billions of items ("billion laughs");
# the loader shares them, but copying them out would not, so copying stops at this size.
MAX_NODES = 10_000
SCALAR_KEYS = ("title", "summary", "type", "status", "owner", "expires", "language")
LIST_KEYS = ("stages", "personas", "industries", "products", "tags")


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


def clean_front_matter(metadata: dict | None) -> dict:
    """The fields Pitchpack reads from front matter, in the shapes it expects.

    Front matter is typed by hand, so a value may be a number, a list or a mapping where
    text was meant: scalar fields become text (or are dropped when they are not
    scalars), list fields become lists of names, and an ``expires`` that is not a date
    is dropped.
    """
    metadata = metadata or {}
    clean: dict = {}
    for key in SCALAR_KEYS:
        value = metadata.get(key)
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            if text := str(value).strip():
                clean[key] = text
    if "expires" in clean:
        try:
            clean["expires"] = date.fromisoformat(clean["expires"]).isoformat()
        except ValueError:
            del clean["expires"]
    for key in LIST_KEYS:
        value = metadata.get(key)
        items = value if isinstance(value, list) else [value]
        names = [
            str(item).strip()
            for item in items
            if isinstance(item, str | int | float) and not isinstance(item, bool)
        ]
        if names := [name for name in names if name]:
            clean[key] = names
    return clean


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
