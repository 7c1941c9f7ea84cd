"""Where a library's team connection is kept: settings in the library folder, secrets in the
OS keyring (never in a file or a log line)."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from library.atomic import atomic_write_text
from library.team.errors import NotConnected, TeamError

TEAM_DIR = "team"
SETTINGS_FILE = "settings.json"
KEYRING_SERVICE = "Pitchpack team"
ROLES = ("marketer", "rep")


@dataclass
class TeamSettings:
    """How this library reaches its team: ``mode`` is "server" (PostgreSQL and an S3 store)
    or "folder" (a shared folder); URLs here carry no password or secret key."""

    role: str
    store: str
    db_url: str = ""
    mode: str = "server"

    @property
    def is_marketer(self) -> bool:
        return self.role == "marketer"


def settings_path(folder: Path) -> Path:
    return Path(folder) / TEAM_DIR / SETTINGS_FILE


def load_settings(folder: Path) -> TeamSettings:
    """The library's team settings; raises NotConnected when it has none."""
    try:
        data = json.loads(settings_path(folder).read_text(encoding="utf-8"))
        return TeamSettings(**data)
    except FileNotFoundError:
        raise NotConnected() from None
    except (ValueError, TypeError) as exc:
        raise TeamError(
            f"The team settings in {settings_path(folder)} are damaged ({exc}); "
            "run 'pitchpack team connect' again."
        ) from None


def save_settings(folder: Path, settings: TeamSettings) -> None:
    path = settings_path(folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, json.dumps(asdict(settings), indent=2))


def split_secret(url: str) -> tuple[str, str | None]:
    """``url`` without its password, and the password (None when it has none)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url, None
    user = quote(unquote(parts.username or ""), safe="")
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{user}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc)), unquote(parts.password)


def is_folder_store(store: str) -> bool:
    return "://" not in store or store.startswith("file://")


def folder_of(store: str) -> Path:
    return Path(store.removeprefix("file://")).expanduser()


def _env_secret(url: str) -> str | None:
    name = (
        "PITCHPACK_TEAM_PASSWORD" if url.startswith("postgres") else "PITCHPACK_TEAM_STORE_SECRET"
    )
    return os.environ.get(name) or None


def store_secret(url: str, secret: str | None) -> bool:
    """Keep ``secret`` for ``url`` (a password-free URL) in the OS keyring; False when it
    was not kept (no secret, or none needed because the environment gives it)."""
    if secret is None:
        return False
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, url, secret)
        return True
    except KeyringError as exc:
        if _env_secret(url) == secret:
            return False  # this machine has no keyring; the secret comes from the environment
        raise TeamError(
            f"Cannot keep the password in the system keyring ({exc}); set up a keyring, or "
            "give the secrets in PITCHPACK_TEAM_PASSWORD and PITCHPACK_TEAM_STORE_SECRET."
        ) from None


def secret_for(url: str) -> str | None:
    """The secret kept for ``url``, if any. PITCHPACK_TEAM_PASSWORD (database) and
    PITCHPACK_TEAM_STORE_SECRET (file store) override the keyring, for machines without one."""
    import keyring
    from keyring.errors import KeyringError

    if env := _env_secret(url):
        return env
    try:
        return keyring.get_password(KEYRING_SERVICE, url)
    except KeyringError:
        return None
