"""Errors raised by packets, templates, exports and sending; all are PitchpackErrors."""

from __future__ import annotations

from library.errors import PitchpackError, SettingsError

__all__ = ["ExportError", "PacketLocked", "PacketNotFound", "SendError", "SettingsError"]
__all__ += ["TemplateError"]


class PacketNotFound(PitchpackError):
    def __init__(self, packet_id: int | str) -> None:
        super().__init__(f"No packet with id {packet_id} in this library.")
        self.packet_id = packet_id


class PacketLocked(PitchpackError):
    """A sent packet is a record of what went out, so it is not edited afterwards."""


class TemplateError(PitchpackError):
    """A note or subject that cannot be rendered: unknown or empty fields, bad syntax."""

    def __init__(self, message: str, fields: list[str] | None = None) -> None:
        super().__init__(message)
        self.fields = fields or []


class ExportError(PitchpackError):
    """A packet that cannot be exported, usually because of one of its files."""


class SendError(PitchpackError):
    """The mail server could not be reached, or refused the login or the message."""
