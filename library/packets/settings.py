"""The rep's own details and mail server: the packets' typed view of the library settings.

The keys are declared in ``library.settings``; passwords live in the system keyring.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from pathlib import Path

from library.settings import DEFAULT_ATTACHMENT_LIMIT_MB, SECURITY_MODES, SETTINGS, Settings

__all__ = ["DEFAULT_ATTACHMENT_LIMIT_MB", "SECURITY_MODES", "RepSettings", "SettingsStore"]


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
    """The rep's settings as one ``RepSettings``, through the library's settings registry."""

    def __init__(self, folder: Path) -> None:
        self.file = Settings(folder)
        self.path = self.file.path

    def load(self) -> RepSettings:
        """The saved settings, with defaults for whatever is missing.

        :raises SettingsError: when the file or one of its values is not valid.
        """
        return RepSettings(**self.file.stored(spec.name for spec in fields(RepSettings)))

    def save(self, settings: RepSettings) -> None:
        """Check and write every field at once: a crash leaves the old file or the new one.

        :raises SettingsError: naming the setting whose value is not valid; nothing is written.
        """
        by_name = {spec.name: spec.key for spec in SETTINGS.values()}
        self.file.update({by_name[name]: value for name, value in asdict(settings).items()})
