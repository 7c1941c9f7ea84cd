"""The library's settings (``settings.json`` in the library folder): one registry of keys.

Adding a setting is one ``Setting(...)`` line in ``SETTINGS``: its key, kind, default and
help. ``Settings(folder)`` reads and writes them, checking every value against its kind.
Passwords never go in this file: they live in the system keyring.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path

from library.atomic import atomic_path
from library.errors import PitchpackError, SettingsError
from library.usage.model import Weights

SETTINGS_FILE = "settings.json"
SECURITY_MODES = ("starttls", "ssl", "none")
DEFAULT_ATTACHMENT_LIMIT_MB = 10.0
DEFAULT_MAX_CHARS = 2_000_000


class Kind:
    """How one kind of value is written on a command line, checked and kept in JSON."""

    format = "text"

    def parse(self, text: str, current: object) -> object:
        """The value for ``text`` typed by a user; raises ValueError saying what is wrong."""
        return self.check(text)

    def check(self, value: object) -> object:
        """The value as kept, or ValueError when it is not one of this kind."""
        if not isinstance(value, str):
            raise ValueError("not text")
        return value.strip()

    def dump(self, value: object) -> object:
        return value

    def show(self, value: object) -> str:
        return str(value)


class Email(Kind):
    format = "an email address such as ana@example.com, or empty"
    _SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

    def check(self, value: object) -> object:
        text = super().check(value)
        if text and not self._SHAPE.match(text):
            raise ValueError("not an email address")
        return text


@dataclass(frozen=True)
class Number(Kind):
    low: float
    high: float | None = None
    whole: bool = False

    @property
    def format(self) -> str:  # type: ignore[override]
        what = "a whole number" if self.whole else "a number"
        low, high = self.show(self.low), self.show(self.high)
        return f"{what} from {low} to {high}" if self.high else f"{what} of {low} or more"

    def show(self, value: object) -> str:
        number = float(value)  # type: ignore[arg-type]
        return f"{int(number)}" if number.is_integer() else f"{number:g}"

    def parse(self, text: str, current: object) -> object:
        try:
            number = float(text.replace("_", "").replace(",", ""))
        except ValueError:
            raise ValueError("not a number") from None
        return self.check(int(number) if number.is_integer() else number)

    def check(self, value: object) -> object:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError("not a number")
        if self.whole and not float(value).is_integer():
            raise ValueError("not a whole number")
        if value < self.low or (self.high is not None and value > self.high):
            raise ValueError("out of range")
        return int(value) if self.whole else float(value)


@dataclass(frozen=True)
class Choice(Kind):
    options: tuple[str, ...]

    @property
    def format(self) -> str:  # type: ignore[override]
        return "one of " + ", ".join(self.options)

    def check(self, value: object) -> object:
        text = super().check(value)
        if text.lower() not in self.options:
            raise ValueError("not one of the options")
        return text.lower()


class Flag(Kind):
    format = "on or off (also yes/no, true/false, 1/0)"
    _WORDS = {"on": True, "yes": True, "true": True, "1": True}
    _WORDS |= {"off": False, "no": False, "false": False, "0": False}

    def parse(self, text: str, current: object) -> object:
        try:
            return self._WORDS[text.strip().lower()]
        except KeyError:
            raise ValueError("not on or off") from None

    def check(self, value: object) -> object:
        if not isinstance(value, bool):
            raise ValueError("not true or false")
        return value

    def show(self, value: object) -> str:
        return "on" if value else "off"


class WeightsKind(Kind):
    format = "KIND=N items such as 'send=8 export=5 add=3 open=2 preview=1'"

    def parse(self, text: str, current: object) -> object:
        items = [item for item in re.split(r"[\s,;]+", text) if item]
        if not items:
            raise ValueError("no weights")
        try:
            return Weights.parse(items, base=current if isinstance(current, Weights) else None)
        except PitchpackError as exc:
            raise ValueError(str(exc)) from None

    def check(self, value: object) -> object:
        if isinstance(value, Weights):
            return value
        if not isinstance(value, dict):
            raise ValueError("not a set of weights")
        try:
            return Weights.parse(f"{name}={number}" for name, number in value.items())
        except PitchpackError as exc:
            raise ValueError(str(exc)) from None

    def dump(self, value: object) -> object:
        return {f.name: getattr(value, f.name) for f in fields(Weights)}

    def show(self, value: object) -> str:
        assert isinstance(value, Weights)
        names = {"packet_send": "send", "packet_export": "export", "packet_add": "add"}
        return " ".join(
            f"{names.get(f.name, f.name)}={getattr(value, f.name):g}" for f in fields(value)
        )


TEXT, EMAIL, FLAG = Kind(), Email(), Flag()


@dataclass(frozen=True)
class Setting:
    """One setting: ``key`` is what users type (``rep.name``); ``stored`` its name in the
    file (by default the key with dots as underscores); ``example`` a value for hints."""

    key: str
    kind: Kind
    default: object
    help: str
    example: str = "VALUE"
    stored: str = ""

    @property
    def name(self) -> str:
        return self.stored or self.key.replace(".", "_")

    def command(self, value: str | None = None) -> str:
        """The command that sets it, e.g. ``pitchpack settings set rep.name "Ana Lima"``."""
        value = self.example if value is None else value
        shown = f'"{value}"' if not value or re.search(r"[\s'\"$;&|<>]", value) else value
        return f"pitchpack settings set {self.key} {shown}"


_DECLARED = (
    Setting("rep.name", TEXT, "", "your name, on packets and in {rep_name}", "Ana Lima"),
    Setting("rep.title", TEXT, "", "your job title", "Account Executive"),
    Setting("rep.company", TEXT, "", "your company", "Northwind"),
    Setting("rep.email", EMAIL, "", "your email address (replies go there)", "ana@example.com"),
    Setting("rep.phone", TEXT, "", "your phone number", "+1 555 0100"),
    Setting(
        "signature",
        TEXT,
        "",
        "your sign-off in {signature}; empty: built from name, title, company, email, phone",
        "Ana Lima, Northwind",
    ),
    Setting("rep.logo", TEXT, "", "an image file for the packet cover", "/path/logo.png", "logo"),
    Setting("smtp.host", TEXT, "", "the mail server that sends packets", "smtp.example.com"),
    Setting("smtp.port", Number(1, 65535, whole=True), 587, "the mail server's port", "587"),
    Setting("smtp.security", Choice(SECURITY_MODES), "starttls", "how mail is encrypted", "ssl"),
    Setting("smtp.user", TEXT, "", "the login on the mail server", "ana@example.com"),
    Setting(
        "mail.attachment_limit_mb",
        Number(0.001, 1000),
        DEFAULT_ATTACHMENT_LIMIT_MB,
        "warn when a packet's attachments pass this many MB",
        "10",
        "attachment_limit_mb",
    ),
    Setting(
        "usage.weights",
        WeightsKind(),
        Weights(),
        "what one use scores in usage reports, by kind",
        "send=8 export=5 add=3 open=2 preview=1",
    ),
    Setting(
        "watch.follow_links",
        FLAG,
        False,
        "follow links in added or watched folders that lead out of them (to ~/.ssh, say)",
        "on",
        "follow_links",
    ),
    Setting(
        "text.max_chars",
        Number(1000, 10**9, whole=True),
        DEFAULT_MAX_CHARS,
        "characters of text kept per file when importing",
        "5000000",
        "max_chars",
    ),
)
#: Every setting by key, in the order ``settings list`` shows them.
SETTINGS: dict[str, Setting] = {setting.key: setting for setting in _DECLARED}
_BY_NAME = {setting.name: setting for setting in _DECLARED}


def setting(key: str) -> Setting:
    """The declaration of ``key``; raises SettingsError listing the valid keys."""
    try:
        return SETTINGS[key.strip().lower()]
    except KeyError:
        raise SettingsError(
            f"There is no setting '{key}'. Valid keys: {', '.join(SETTINGS)}."
        ) from None


def set_command(key: str) -> str:
    """The exact command that sets ``key``, for "missing setting" messages."""
    return setting(key).command()


class Settings:
    """Reads and writes ``settings.json``; keys it does not know are kept as they are."""

    def __init__(self, folder: Path | str) -> None:
        self.path = Path(folder) / SETTINGS_FILE

    def raw(self) -> dict:
        """The file's JSON object as it is ({} when there is no file)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise SettingsError(
                f"The settings file {self.path} cannot be read ({exc}). "
                "Fix or delete it, then try again."
            ) from exc
        if not isinstance(data, dict):
            raise SettingsError(f"The settings file {self.path} must hold a JSON object.")
        return data

    def get(self, key: str) -> object:
        """The value of ``key``, or its default when unset.

        :raises SettingsError: for an unknown key, or a stored value that is not valid
            (naming the command that fixes it).
        """
        return self._value(setting(key), self.raw())

    def values(self) -> dict[str, object]:
        """Every setting's value (or default), by key."""
        data = self.raw()
        return {key: self._value(spec, data) for key, spec in SETTINGS.items()}

    def stored(self, names: Iterable[str]) -> dict[str, object]:
        """Values by their names in the file (``rep_name``), for typed views of the settings;
        the file is read once."""
        data = self.raw()
        return {name: self._value(_BY_NAME[name], data) for name in names}

    def is_set(self, key: str) -> bool:
        return setting(key).name in self.raw()

    def _value(self, spec: Setting, data: dict) -> object:
        if spec.name not in data:
            return spec.default
        value = data[spec.name]
        try:
            # A hand-edited file may hold "587" for 587: read it as a user would type it.
            if isinstance(value, str):
                value = spec.kind.parse(value, spec.default)
            return spec.kind.check(value)
        except ValueError:
            raise SettingsError(
                f"'{spec.name}' in {self.path} should be {spec.kind.format}, not "
                f"{data[spec.name]!r}. Fix it with: {spec.command()}"
            ) from None

    def parse(self, key: str, text: str) -> object:
        """The value ``text`` stands for; raises SettingsError naming the format."""
        spec = setting(key)
        try:
            current = self.get(spec.key)
        except SettingsError:
            current = spec.default  # a damaged value is what this call replaces
        try:
            return spec.kind.parse(text, current)
        except ValueError:
            raise SettingsError(
                f"'{text}' is not a valid {spec.key}: write {spec.kind.format}."
            ) from None

    def set(self, key: str, value: object) -> object:
        """Store one setting (text is parsed as a user typed it); returns the stored value."""
        return self.update({key: value})[setting(key).key]

    def update(self, values: dict[str, object]) -> dict[str, object]:
        """Check every value, then write them all at once; returns the values by key.

        A value of None forgets the setting, so its default applies again.

        :raises SettingsError: for an unknown key or a bad value; nothing is written then.
        """
        checked: dict[str, object] = {}
        forget = set()
        for key, value in values.items():
            spec = setting(key)
            if value is None:
                checked[spec.key] = spec.default
                forget.add(spec.name)
                continue
            if isinstance(value, str):
                value = self.parse(spec.key, value)
            try:
                checked[spec.key] = spec.kind.check(value)
            except ValueError:
                raise SettingsError(
                    f"{value!r} is not a valid {spec.key}: write {spec.kind.format}."
                ) from None
        data = self.raw()
        data |= {SETTINGS[key].name: SETTINGS[key].kind.dump(v) for key, v in checked.items()}
        self._write({name: value for name, value in data.items() if name not in forget})
        return checked

    def _write(self, data: dict) -> None:
        data.pop("password", None)  # never written, whoever put it there
        try:
            with atomic_path(self.path) as temp:
                text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
                temp.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise SettingsError(f"The settings could not be saved to {self.path}: {exc}") from exc
