"""Note templates with merge fields (``{first_name}``), rendered in a Jinja2 sandbox.

Marketers ship templates as Markdown files with front matter (``name``, ``subject``,
``stages``, ``personas``) in ``assets/templates/``; a library's own ``templates/`` folder
adds to them and overrides a shipped template of the same file name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError, meta
from jinja2 import TemplateError as JinjaError
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from library.frontmatter import split_front_matter
from library.packets.errors import TemplateError
from library.packets.model import Prospect
from library.packets.settings import RepSettings
from library.settings import set_command

SHIPPED_TEMPLATES = Path(__file__).resolve().parents[2] / "assets" / "templates"
LIBRARY_TEMPLATES = "templates"

#: Every merge field a note or subject may use, with what it holds (for pickers and errors).
FIELDS: dict[str, str] = {
    "first_name": "the prospect's first name",
    "last_name": "the prospect's last name",
    "full_name": "the prospect's full name",
    "email": "the prospect's email address",
    "company": "the prospect's company",
    "role": "the prospect's role",
    "persona": "the prospect's persona",
    "stage": "the prospect's buyer stage",
    "rep_name": "your name",
    "rep_title": "your job title",
    "rep_email": "your email address",
    "rep_phone": "your phone number",
    "rep_company": "your company",
    "signature": "your signature",
    "date": "today's date",
    "asset_count": "the number of assets in the packet",
}
_REP_FIELDS = {"rep_name", "rep_title", "rep_email", "rep_phone", "rep_company", "signature"}

# {name} but not {{ name }}: a single-brace field becomes a Jinja2 expression.
_SINGLE_BRACE = re.compile(r"(?<!\{)\{\s*([A-Za-z_]\w*)\s*\}(?!\})")
_MAX_REPEAT = 10_000


class _Sandbox(SandboxedEnvironment):
    """Jinja2's sandbox, also refusing huge repetitions and powers that would hang a render."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, operator: str, left, right):
        numbers = [v for v in (left, right) if isinstance(v, int)]
        if operator == "**" and isinstance(right, int | float) and abs(right) > 100:
            raise SecurityError("powers above 100 are not allowed in templates")
        repeats = any(isinstance(v, str | list) for v in (left, right))
        if operator == "*" and repeats and any(abs(n) > _MAX_REPEAT for n in numbers):
            raise SecurityError(f"repeating text more than {_MAX_REPEAT} times")
        return super().call_binop(context, operator, left, right)


_ENV = _Sandbox(
    undefined=StrictUndefined,
    autoescape=False,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
# Templates see the merge fields and nothing else: range, cycler, lipsum and the like are
# of no use in a note and only widen what a template can reach.
_ENV.globals.clear()


def to_jinja(source: str) -> str:
    """Turn ``{first_name}`` fields into Jinja2's ``{{ first_name }}``; the rest stays."""
    return _SINGLE_BRACE.sub(r"{{ \1 }}", source)


def check(source: str, *, what: str = "note") -> None:
    """Raise TemplateError if the text has bad syntax or unknown merge fields."""
    unknown = sorted(meta.find_undeclared_variables(_parse(source, what)) - FIELDS.keys())
    if unknown:
        names = ", ".join(f"{{{name}}}" for name in unknown)
        known = ", ".join(f"{{{name}}}" for name in FIELDS)
        raise TemplateError(
            f"The {what} uses unknown merge field{'s' if len(unknown) > 1 else ''} {names}. "
            f"Known fields: {known}.",
            unknown,
        )


def _parse(source: str, what: str):
    try:
        return _ENV.parse(to_jinja(source))
    except TemplateSyntaxError as exc:
        raise TemplateError(
            f"The {what} cannot be read (line {exc.lineno}: {exc.message}). "
            "Write merge fields as {first_name}."
        ) from exc


def _empty_hint(name: str) -> str:
    if name == "signature":
        return f"set your name with: {set_command('rep.name')} (or a signature: {set_command('signature')})"
    if name in _REP_FIELDS:
        return f"set {FIELDS[name]} with: {set_command(name.replace('_', '.'))}"
    return f"fill in {FIELDS[name]}"


def _sentence(exc: Exception) -> str:
    return str(exc).rstrip(".") + "."


def render_text(source: str, values: Mapping[str, str], *, what: str = "note") -> str:
    """Fill in a note or subject.

    :param source: text with ``{field}`` merge fields (Jinja2 syntax works too, sandboxed).
    :param values: a value for each field of ``FIELDS``, as built by ``merge_values``.
    :param what: what the text is, for messages ("note", "subject", a template's name).
    :raises TemplateError: naming the fields, when a field is unknown or its value is
        empty, when the syntax is wrong, or when the text tries what the sandbox forbids.
    """
    check(source, what=what)
    tree = _parse(source, what)
    used = meta.find_undeclared_variables(tree)
    empty = sorted(name for name in used if not str(values.get(name, "")).strip())
    if empty:
        hints = "; ".join(f"{{{name}}}: {_empty_hint(name)}" for name in empty)
        raise TemplateError(
            f"The {what} uses merge fields that have no value yet ({hints}).", empty
        )
    try:
        return _ENV.from_string(tree).render(dict(values))
    except SecurityError as exc:
        raise TemplateError(
            f"The {what} uses something templates may not do: {_sentence(exc)}"
        ) from exc
    except UndefinedError as exc:
        raise TemplateError(
            f"The {what} refers to something that does not exist: {_sentence(exc)}"
        ) from exc
    except (JinjaError, ArithmeticError, LookupError, TypeError, ValueError) as exc:
        raise TemplateError(f"The {what} cannot be filled in: {_sentence(exc)}") from exc


def merge_values(
    prospect: Prospect, rep: RepSettings, *, asset_count: int = 0, today: date | None = None
) -> dict[str, str]:
    """The value of every field of ``FIELDS`` for one prospect and rep."""
    today = today or date.today()
    values = {name: getattr(prospect, name).strip() for name in Prospect.names()}
    values |= {
        "full_name": prospect.full_name,
        "rep_name": rep.rep_name,
        "rep_title": rep.rep_title,
        "rep_email": rep.rep_email,
        "rep_phone": rep.rep_phone,
        "rep_company": rep.rep_company,
        "signature": rep.signature_text,
        "date": f"{today.day} {today:%B %Y}",
        "asset_count": str(asset_count),
    }
    return values


@dataclass
class NoteTemplate:
    """A starting subject and note for prospects of some stages and personas.

    Empty ``stages`` or ``personas`` means the template suits any. ``use`` is "note" for
    a packet's first note, or "follow-up" for the note that sends updated versions.
    """

    slug: str
    name: str
    subject: str
    body: str
    stages: list[str] = field(default_factory=list)
    personas: list[str] = field(default_factory=list)
    use: str = "note"
    path: Path | None = None

    def fit(self, stage: str, persona: str) -> int | None:
        """How well the template suits a prospect (higher is better); None if it does not."""
        score = 0
        for wanted, names, weight in ((stage, self.stages, 2), (persona, self.personas, 1)):
            if not names:
                continue
            if wanted.casefold() not in {n.casefold() for n in names}:
                return None
            score += weight
        return score


def _as_list(value: object) -> list[str]:
    if isinstance(value, list):
        return [str(item).strip() for item in value if str(item).strip()]
    return [part.strip() for part in str(value or "").split(";") if part.strip()]


def read_template(path: Path) -> NoteTemplate:
    """Read one template file; raises TemplateError naming the file when it is malformed."""
    try:
        meta_data, body = split_front_matter(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise TemplateError(f"The note template {path.name} cannot be read: {exc}") from exc
    template = NoteTemplate(
        slug=path.stem,
        name=str(meta_data.get("name") or path.stem.replace("-", " ").capitalize()),
        subject=str(meta_data.get("subject") or "Information for {company}"),
        body=body.strip("\n") + "\n",
        stages=_as_list(meta_data.get("stages")),
        personas=_as_list(meta_data.get("personas")),
        use=str(meta_data.get("use") or "note"),
        path=path,
    )
    for text, what in ((template.subject, "subject"), (template.body, "note")):
        check(text, what=f"{what} of note template {path.name}")
    return template


class TemplateLibrary:
    """The note templates available to a library: shipped ones plus the library's own."""

    def __init__(self, folders: Iterable[Path]) -> None:
        self.folders = [Path(folder) for folder in folders]

    def all(self) -> list[NoteTemplate]:
        """Every template, by name; a later folder's file overrides an earlier one's."""
        found: dict[str, Path] = {}
        for folder in self.folders:
            for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
                found[path.stem] = path
        return sorted((read_template(p) for p in found.values()), key=lambda t: t.name.casefold())

    def get(self, name: str) -> NoteTemplate:
        """A template by file name (without ``.md``) or display name, in any case."""
        key = name.strip().casefold()
        templates = self.all()
        for template in templates:
            if key in (template.slug.casefold(), template.name.casefold()):
                return template
        known = ", ".join(t.slug for t in templates) or "none"
        raise TemplateError(f"There is no note template '{name}' (known: {known}).")

    def best_for(self, stage: str, persona: str, *, use: str = "note") -> NoteTemplate | None:
        """The template for ``use`` that fits the stage and persona most closely, if any."""
        scored = [
            (score, template)
            for template in self.all()
            if template.use == use and (score := template.fit(stage, persona)) is not None
        ]
        if not scored:
            return None
        return max(scored, key=lambda pair: pair[0])[1]  # the first by name among equals
