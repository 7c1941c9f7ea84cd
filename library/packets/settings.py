"""The rep's own details and mail server, kept in ``settings.json`` in the library folder.

Passwords never go in this file: they live in the system keyring (see ``library.packets.mail``).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from library.atomic import atomic_path
from library.packets.errors import SettingsError

SETTINGS_FILE = "settings.json"
SECURITY_MODES = ("starttls", "ssl", "none")
DEFAULT_ATTACHMENT_LIMIT_MB = 10.0


@dataclass
class RepSettings:
    """Who the packets come from, and how they are sent.

    ``signature`` is the rep's own sign-off; when empty, one is built from name, title,
    company, email and phone. ``logo`` is an image file shown on the packet's cover.
    """

    rep_name: str = ""
    rep_title: str = ""
    rep_email: str = ""
    rep_phone: str = ""
    rep_company: str = ""
    signature: str = ""
    logo: str = ""
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_security: str = "starttls"
    smtp_user: str = ""
    attachment_limit_mb: float = DEFAULT_ATTACHMENT_LIMIT_MB
    # Whether add and rescan follow links in a folder that lead out of it (to ~/.ssh, say).
    follow_links: bool = False

    @property
    def signature_text(self) -> str:
        if self.signature.strip():
            return self.signature.strip()
        title = ", ".join(part for part in (self.rep_title, self.rep_company) if part)
        lines = (self.rep_name, title, self.rep_email, self.rep_phone)
        return "\n".join(line for line in lines if line)

    @property
    def attachment_limit(self) -> int:
        return int(self.attachment_limit_mb * 1_000_000)


class SettingsStore:
    """Reads and writes ``settings.json``; keys it does not know are kept as they are."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / SETTINGS_FILE

    def _raw(self) -> dict:
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

    def load(self) -> RepSettings:
        """The saved settings, with defaults for whatever is missing."""
        data = self._raw()
        values = {}
        for spec in fields(RepSettings):
            if spec.name not in data:
                continue
            value = data[spec.name]
            default = getattr(RepSettings, spec.name)
            if isinstance(default, bool):
                values[spec.name] = _flag(spec.name, value, self.path)
                continue
            try:
                values[spec.name] = type(default)(value)
            except (TypeError, ValueError):
                raise SettingsError(
                    f"'{spec.name}' in {self.path} should be a {type(default).__name__}, "
                    f"not {value!r}."
                ) from None
        settings = RepSettings(**values)
        if settings.smtp_security not in SECURITY_MODES:
            raise SettingsError(
                f"'smtp_security' in {self.path} must be one of {', '.join(SECURITY_MODES)}."
            )
        return settings

    def save(self, settings: RepSettings) -> None:
        """Write the settings atomically: a crash leaves the old file or the new one."""
        data = self._raw() | asdict(settings)
        data.pop("password", None)  # never written, whoever put it there
        try:
            with atomic_path(self.path) as temp:
                text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
                temp.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise SettingsError(f"The settings could not be saved to {self.path}: {exc}") from exc


def _flag(name: str, value: object, path: Path) -> bool:
    """A yes/no setting: JSON true or false, or the words people type for them."""
    if isinstance(value, bool):
        return value
    words = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}
    if isinstance(value, str) and value.strip().lower() in words:
        return words[value.strip().lower()]
    raise SettingsError(f"'{name}' in {path} should be true or false, not {value!r}.")
