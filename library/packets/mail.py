"""Email for packets: building the message, saving it as an .eml draft, sending it over
SMTP, and reporting whether the attachments are too large to send.

The SMTP password comes from the system keyring (service ``Pitchpack SMTP``) or, for
scripts, from ``PITCHPACK_SMTP_PASSWORD``; it is never written to a file.
"""

from __future__ import annotations

import ipaddress
import mimetypes
import os
import smtplib
import ssl
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from enum import StrEnum
from pathlib import Path

from library.atomic import atomic_path
from library.packets.errors import SendError
from library.packets.settings import DEFAULT_ATTACHMENT_LIMIT_MB, SECURITY_MODES
from library.progress import ProgressHook, report
from library.settings import set_command

KEYRING_SERVICE = "Pitchpack SMTP"
PASSWORD_ENV = "PITCHPACK_SMTP_PASSWORD"
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


class Attach(StrEnum):
    """What goes with the message: the PDF packet, each asset's own file, or nothing
    (the body lists the assets, for sending links when attachments are too large)."""

    PACKET = "packet"
    FILES = "files"
    NONE = "none"


@dataclass
class SmtpConfig:
    host: str
    port: int = 587
    security: str = "starttls"  # starttls, ssl or none
    user: str = ""
    timeout: float = 30.0

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


def parse_server(text: str, security: str = "starttls") -> tuple[str, int]:
    """Split ``HOST[:PORT]`` (``[::1]:25`` for IPv6); the port defaults by security."""
    text = text.strip()
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port = rest.removeprefix(":")
    elif text.count(":") == 1:
        host, _, port = text.partition(":")
    else:
        host, port = text, ""
    try:
        number = int(port) if port else DEFAULT_PORTS.get(security, 587)
    except ValueError:
        number = 0
    if not host or not 0 < number < 65536:
        raise SendError(f"'{text}' is not a mail server address; write it as HOST:PORT.")
    return host, number


@dataclass
class SizeReport:
    """How large the attachments are, against the limit many mail servers enforce."""

    files: list[tuple[str, int]] = field(default_factory=list)
    limit: int = int(DEFAULT_ATTACHMENT_LIMIT_MB * 1_000_000)

    @property
    def total(self) -> int:
        return sum(size for _, size in self.files)

    @property
    def over_limit(self) -> bool:
        return self.total > self.limit

    @property
    def message(self) -> str:
        size, limit = format_size(self.total), format_size(self.limit)
        if not self.over_limit:
            return f"Attachments: {size} in {len(self.files)} file(s), within the {limit} limit."
        return (
            f"The attachments come to {size}, above the {limit} that many mail servers accept. "
            "Consider sending links to the assets instead of attaching them."
        )


def format_size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.0f} KB"


def size_report(paths: Iterable[Path], limit: int) -> SizeReport:
    return SizeReport([(Path(p).name, Path(p).stat().st_size) for p in paths], limit)


def build_message(
    *,
    sender: str,
    recipient: str,
    subject: str,
    body: str,
    attachments: Iterable[tuple[str, Path]] = (),
    draft: bool = False,
) -> EmailMessage:
    """A plain-text message with files attached as ``(file name, path)`` pairs.

    ``sender`` and ``recipient`` are addresses, optionally with names ("Jane <j@x.com>").
    A ``draft`` is marked so mail clients open it for editing rather than as received.
    """
    message = EmailMessage()
    if sender:
        message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    domain = sender.rpartition("@")[2].strip(">").strip() or None
    message["Message-ID"] = make_msgid(domain=domain)
    if draft:
        message["X-Unsent"] = "1"
    message.set_content(body)
    for name, path in attachments:
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        maintype, subtype = kind.split("/", 1)
        data = Path(path).read_bytes()
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message


def save_eml(message: EmailMessage, path: Path | str) -> Path:
    """Write the message as an .eml file that mail clients open as a draft."""
    with atomic_path(path) as temp:
        temp.write_bytes(message.as_bytes())
    return Path(path)


def smtp_password(user: str) -> str | None:
    """The password for ``user``: ``$PITCHPACK_SMTP_PASSWORD`` first, then the keyring."""
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    import keyring  # on first use: finding the system's keyring backend takes a while
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(KEYRING_SERVICE, user)
    except KeyringError:
        return None  # no usable keyring on this system: the caller says what to do


def store_password(user: str, password: str) -> None:
    """Keep the SMTP password in the system keyring; raises SendError if there is none."""
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, user, password)
    except KeyringError as exc:
        raise SendError(
            f"The password could not be stored in the system keyring ({exc}). "
            f"Set {PASSWORD_ENV} in the environment instead."
        ) from exc


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _reply(code: int, text: bytes | str) -> str:
    """A server reply as one line: "550 5.7.1 Message rejected"."""
    text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(text.split())}"


def _connect(config: SmtpConfig) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if config.security == "ssl":
        return smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout, context=context)
    client = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
    if config.security == "starttls":
        try:
            client.starttls(context=context)
        except smtplib.SMTPNotSupportedError:
            client.close()
            raise SendError(
                f"The mail server {config.address} does not offer STARTTLS. Choose SSL, "
                "or check the server settings with your administrator."
            ) from None
        except BaseException:
            client.close()
            raise
    return client


def send_message(
    message: EmailMessage,
    config: SmtpConfig,
    *,
    password: str | None = None,
    progress: ProgressHook = None,
) -> None:
    """Hand the message to the SMTP server; returns only once the server accepted it.

    :param password: for ``config.user``; looked up with ``smtp_password`` when None.
    :raises SendError: saying in words what went wrong (connection, login, refusal).
    """
    if config.security not in SECURITY_MODES:
        raise SendError(f"'{config.security}' is not one of {', '.join(SECURITY_MODES)}.")
    if config.user:
        password = password if password is not None else smtp_password(config.user)
        if password is None:
            raise SendError(
                f"No password for {config.user}: save it in the app's mail settings (it is "
                f"kept in the system keyring) or set {PASSWORD_ENV} for scripts."
            )
        if config.security == "none" and not _is_loopback(config.host):
            raise SendError(
                "The password would travel unencrypted; choose STARTTLS or SSL for "
                f"{config.address}."
            )
    where = config.address
    report(progress, "connecting", 0, 3, where)
    try:
        client = _connect(config)
    except SendError:
        raise
    except ssl.SSLError as exc:
        raise SendError(f"A secure connection to {where} failed: {exc.reason or exc}.") from exc
    except (OSError, smtplib.SMTPException) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise SendError(
            f"Could not connect to the mail server {where} ({reason}). Check the server "
            "name, port and security setting, and your network."
        ) from exc
    try:
        if config.user:
            report(progress, "signing in", 1, 3, where)
            client.login(config.user, password or "")
        report(progress, "sending", 2, 3, where)
        refused = client.send_message(message)
    except smtplib.SMTPAuthenticationError as exc:
        reply = _reply(exc.smtp_code, exc.smtp_error)
        raise SendError(
            f"The mail server {where} refused the user name or password ({reply})."
        ) from exc
    except smtplib.SMTPNotSupportedError as exc:
        raise SendError(f"The mail server {where} does not accept logins ({exc}).") from exc
    except smtplib.SMTPRecipientsRefused as exc:
        reasons = "; ".join(f"{to}: {_reply(*r)}" for to, r in exc.recipients.items())
        raise SendError(f"The mail server {where} refused the recipient ({reasons}).") from exc
    except smtplib.SMTPSenderRefused as exc:
        reply = _reply(exc.smtp_code, exc.smtp_error)
        raise SendError(
            f"The mail server {where} refused the sender {exc.sender} ({reply}). "
            f"Check your email address, and fix it with: {set_command('rep.email')}"
        ) from exc
    except smtplib.SMTPResponseException as exc:
        reply = _reply(exc.smtp_code, exc.smtp_error)
        raise SendError(f"The mail server {where} refused the message ({reply}).") from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise SendError(
            f"The connection to {where} failed while sending ({exc}). The packet was not sent."
        ) from exc
    finally:
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            # Once the server has taken the message, a failed goodbye changes nothing.
            client.close()
    if refused:
        raise SendError(f"The mail server {where} refused: {', '.join(refused)}.")
    report(progress, "sent", 3, 3, where)
