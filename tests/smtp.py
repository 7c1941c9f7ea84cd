"""A real SMTP server's handler for tests: keeps what it accepts, or refuses with a reply."""

from __future__ import annotations

import email
import socket
from email import policy


class Inbox:
    """An aiosmtpd handler that keeps what it accepts, or refuses with a fixed reply."""

    def __init__(self, data_reply: str | None = None, rcpt_reply: str | None = None) -> None:
        self.envelopes = []
        self.data_reply, self.rcpt_reply = data_reply, rcpt_reply

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.data_reply:
            return self.data_reply
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(e.content, policy=policy.default) for e in self.envelopes]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
