"""Sending packets through a real SMTP server on 127.0.0.1 (aiosmtpd, started per test),
and .eml drafts; a refused message never marks a packet sent."""

from __future__ import annotations

import email
import io
from datetime import date
from email import policy
from pathlib import Path

import keyring
import pytest
from people import JANE, REP
from pypdf import PdfReader
from smtp import Inbox, free_port

from library.errors import PitchpackError
from library.packets import Attach, ExportError, RepSettings, SendError, SmtpConfig
from library.packets import mail as mail_module

TODAY = date(2026, 3, 2)
FILES = ["colocation-tco-white-paper.pdf", "colocation-sales-deck.pptx", "blog-colo-vs-cloud.html"]


@pytest.fixture
def lib(sample_library, rep_settings):
    return rep_settings(sample_library)


@pytest.fixture
def packet(lib):
    by_name = {Path(a.path).name: a.id for a in lib.assets.all()}
    packet = lib.create_packet(JANE, asset_ids=[by_name[name] for name in FILES])
    lib.set_packet_item_note(packet.id, packet.asset_ids[0], "The model {company} asked for.")
    return lib.packets.get(packet.id)


def test_send_packet_over_smtp(lib, packet, smtp_server, tmp_path):
    inbox = Inbox()
    config = smtp_server(inbox)
    exported = lib.export_packet_pdf(packet.id, tmp_path / "packet.pdf")
    progress = []
    receipt = lib.send_packet(packet.id, config, pdf=exported, progress=progress.append)

    (envelope,) = inbox.envelopes
    assert envelope.rcpt_tos == ["jane@acme.example"]
    assert envelope.mail_from == "priya.raman@harborline.example"
    (message,) = inbox.messages()
    assert message["To"] == "Jane Doe <jane@acme.example>"
    assert message["From"] == "Priya Raman <priya.raman@harborline.example>"
    assert message["Subject"] == "Acme Corp: the numbers behind the move"
    body = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    assert body.startswith("Hi Jane,\n") and "in front of Acme Corp" in body
    assert "{" not in body and "Senior Account Executive, Harborline Data" in body
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "packet.pdf"
    assert attachment.get_payload(decode=True) == exported.path.read_bytes()
    assert [p.phase for p in progress][-1] == "sent"

    assert (receipt.recipient, receipt.send_number) == ("jane@acme.example", 1)
    sent = lib.packets.get(packet.id)
    assert sent.status == "sent" and sent.sent == receipt.sent
    current = {a.id: a.content_hash for a in lib.assets.get_many(packet.asset_ids)}
    versions = lib.packets.sent_versions(packet.id)
    assert [(v.asset_id, v.content_hash) for v in versions] == list(current.items())


def test_send_exports_the_packet_itself(lib, packet, smtp_server):
    inbox = Inbox()
    lib.send_packet(packet.id, smtp_server(inbox))
    (attachment,) = list(inbox.messages()[0].iter_attachments())
    assert attachment.get_filename() == "Acme Corp the numbers behind the move.pdf"
    reader = PdfReader(io.BytesIO(attachment.get_content()))
    assert len(reader.pages) > 3 and reader.metadata.title.startswith("Acme Corp")


def test_individual_files_or_no_attachments(lib, packet, smtp_server):
    inbox = Inbox()
    config = smtp_server(inbox)
    lib.send_packet(packet.id, config, attach=Attach.FILES)
    lib.send_packet(packet.id, config, attach=Attach.NONE)
    with_files, links_only = inbox.messages()
    attached = {a.get_filename(): a.get_payload(decode=True) for a in with_files.iter_attachments()}
    assets = lib.assets.get_many(packet.asset_ids)
    assert attached == {Path(a.path).name: Path(a.path).read_bytes() for a in assets}
    body = with_files.get_body().get_content().replace("\r\n", "\n")
    assert "Attached:\n1. The Real Cost of Colocation" in body
    body = links_only.get_body().get_content()
    assert not list(links_only.iter_attachments())
    assert "In this packet:" in body and "   The model Acme Corp asked for." in body
    assert [v.send_number for v in lib.packets.sent_versions(packet.id)][-1] == 2


@pytest.mark.parametrize(
    "handler, words",
    [
        (Inbox(data_reply="550 5.7.1 Message rejected as spam"), "550 5.7.1 Message rejected"),
        (Inbox(rcpt_reply="550 5.1.1 No such user here"), "refused the recipient"),
    ],
)
def test_refusal_is_reported_and_packet_not_marked_sent(lib, packet, smtp_server, handler, words):
    config = smtp_server(handler)
    with pytest.raises(SendError, match=words):
        lib.send_packet(packet.id, config)
    after = lib.packets.get(packet.id)
    assert after.status != "sent" and after.sent is None
    assert lib.packets.sent_versions(packet.id) == [] and handler.envelopes == []


def test_unreachable_server(lib, packet):
    config = SmtpConfig("127.0.0.1", free_port(), "none", timeout=5)
    with pytest.raises(SendError, match="Could not connect to the mail server 127.0.0.1"):
        lib.send_packet(packet.id, config)
    assert lib.packets.get(packet.id).status != "sent"


def test_password_from_environment_then_keyring(lib, packet, smtp_server, monkeypatch):
    asked = []
    monkeypatch.setattr(keyring, "get_password", lambda s, u: asked.append(s) or None)
    config = smtp_server(Inbox())
    config.user = "priya"
    with pytest.raises(SendError, match="No password for priya"):
        lib.send_packet(packet.id, config)
    assert asked == ["Pitchpack SMTP"]
    monkeypatch.setenv(mail_module.PASSWORD_ENV, "from-env")
    assert mail_module.smtp_password("priya") == "from-env"
    # The test server offers no login, which the error says in words.
    with pytest.raises(SendError, match="does not accept logins"):
        lib.send_packet(packet.id, config)
    remote = SmtpConfig("mail.example.com", 25, "none", user="priya")
    with pytest.raises(SendError, match="unencrypted"):
        lib.send_packet(packet.id, remote)
    assert lib.packets.get(packet.id).status != "sent"
    assert "from-env" not in (lib.folder / "settings.json").read_text()


def test_missing_sender_or_server_or_bad_recipient(lib, packet, smtp_server):
    with pytest.raises(SendError, match="No mail server is set up"):
        lib.send_packet(packet.id)
    lib.packets.settings.save(RepSettings(rep_name="Priya Raman", rep_company="Harborline Data"))
    with pytest.raises(SendError, match="pitchpack settings set rep.email"):
        lib.send_packet(packet.id, smtp_server(Inbox()))
    lib.packets.settings.save(REP)
    edited = lib.packets.get(packet.id)
    edited.prospect.email = "jane at acme"
    lib.save_packet(edited)
    with pytest.raises(PitchpackError, match="does not look right"):
        lib.send_packet(packet.id, smtp_server(Inbox()))


def test_stale_export_is_not_sent(lib, packet, smtp_server, tmp_path):
    exported = lib.export_packet_pdf(packet.id, tmp_path / "packet.pdf")
    lib.set_packet_item_note(packet.id, packet.asset_ids[1], "Changed after the export.")
    with pytest.raises(ExportError, match="export it again before sending"):
        lib.send_packet(packet.id, smtp_server(Inbox()), pdf=exported)


def test_eml_draft(lib, packet, tmp_path):
    report = lib.save_packet_eml(packet.id, tmp_path / "draft.eml")
    message = email.message_from_bytes((tmp_path / "draft.eml").read_bytes(), policy=policy.default)
    assert message["X-Unsent"] == "1" and message["To"] == "Jane Doe <jane@acme.example>"
    assert message["Subject"] == "Acme Corp: the numbers behind the move"
    assert message.get_body().get_content().startswith("Hi Jane,")
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content().startswith(b"%PDF") and report.total == len(
        attachment.get_content()
    )
    assert not report.over_limit and lib.packets.get(packet.id).status == "exported"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["draft.eml", "sample-library"]


@pytest.mark.parametrize(
    "text, security, expected",
    [
        ("smtp.example.com:2525", "none", ("smtp.example.com", 2525)),
        ("smtp.example.com", "ssl", ("smtp.example.com", 465)),
        ("smtp.example.com", "starttls", ("smtp.example.com", 587)),
        ("[::1]:25", "none", ("::1", 25)),
    ],
)
def test_parse_server(text, security, expected):
    assert mail_module.parse_server(text, security) == expected


@pytest.mark.parametrize("text", ["", ":25", "host:port", "host:70000"])
def test_parse_server_errors(text):
    with pytest.raises(SendError, match="HOST:PORT"):
        mail_module.parse_server(text)
