"""The ``packet`` command line end to end, called in process: a packet made, exported,
written as an .eml draft and sent through a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import email
import io
import json
from email import policy
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader
from smtp import Inbox

from main import main

ASSETS = ["colocation-tco-white-paper.pdf", "colocation-sales-deck.pptx", "colocation-faq.md"]
PROSPECT = [
    "--first-name", "Jane", "--last-name", "Doe", "--email", "jane@acme.example",
    "--company", "Acme Corp", "--role", "Chief Financial Officer",
    "--persona", "cfo", "--stage", "Decision",
]  # fmt: skip
SETTINGS = {
    "rep_name": "Priya Raman",
    "rep_title": "Senior Account Executive",
    "rep_company": "Harborline Data",
    "rep_email": "priya.raman@harborline.example",
}


@pytest.fixture
def smtp(smtp_server):
    """``smtp(inbox)``: the HOST:PORT of a real SMTP server on 127.0.0.1, for ``--smtp``."""

    def start(inbox: Inbox) -> str:
        config = smtp_server(inbox)
        return f"{config.host}:{config.port}"

    return start


@pytest.fixture
def folder(sample_library, monkeypatch) -> str:
    monkeypatch.delenv("PITCHPACK_SMTP_PASSWORD", raising=False)
    (sample_library.folder / "settings.json").write_text(json.dumps(SETTINGS))
    return str(sample_library.folder)


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def asset_ids(capsys, folder) -> list[str]:
    listing = json.loads(run(capsys, "list", "--json", "--library", folder)[1])
    by_name = {Path(a["path"]).name: a["id"] for a in listing}
    return [str(by_name[name]) for name in ASSETS]


def test_packet_from_new_to_sent(capsys, folder, smtp, tmp_path, monkeypatch):
    code, out, err = run(capsys, "packet", "new", *PROSPECT, "--library", folder)
    assert code == 0 and err == "" and out.strip().isdigit()
    packet_id = out.strip()
    code, out, _ = run(
        capsys, "packet", "add", packet_id, *asset_ids(capsys, folder), "--library", folder
    )
    assert code == 0 and "3 assets" in out

    note = tmp_path / "note.txt"
    note.write_text(
        "Dear {first_name},\n\nThe numbers for {company}, as promised.\n\n{signature}\n"
    )
    assert (
        run(capsys, "packet", "note", packet_id, "--file", str(note), "--library", folder)[0] == 0
    )

    pdf, word, eml = tmp_path / "packet.pdf", tmp_path / "note.docx", tmp_path / "draft.eml"
    code, out, _ = run(
        capsys,
        "--library",
        folder,
        "packet",
        "export",
        packet_id,
        "--pdf",
        str(pdf),
        "--docx",
        str(word),
    )
    assert code == 0 and str(pdf) in out and str(word) in out
    reader = PdfReader(pdf)
    assert reader.metadata.title == "Acme Corp: the numbers behind the move"
    assert [o.title for o in reader.outline][3:] == [
        "The Real Cost of Colocation: A Five-Year TCO Model",
        "Why Colocation: The Sales Presentation",
        "Colocation FAQ: Answers to the Questions Prospects Ask Most",
    ]
    assert "Dear Jane," in [p.text for p in docx.Document(str(word)).paragraphs]

    assert run(capsys, "packet", "email", packet_id, "--eml", str(eml), "--library", folder)[0] == 0
    draft = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert draft["To"] == "Jane Doe <jane@acme.example>" and draft["X-Unsent"] == "1"

    inbox = Inbox()
    server = smtp(inbox)
    monkeypatch.setenv("PITCHPACK_SMTP_PASSWORD", "not-needed-here")
    code, out, err = run(capsys, "packet", "send", packet_id, "--smtp", server, "--library", folder)
    assert (code, err) == (
        0,
        "",
    ) and out.strip() == f"Sent packet {packet_id} to jane@acme.example."
    (envelope,) = inbox.envelopes
    message = email.message_from_bytes(envelope.content, policy=policy.default)
    assert envelope.rcpt_tos == ["jane@acme.example"]
    assert message["Subject"] == "Acme Corp: the numbers behind the move"
    assert "The numbers for Acme Corp, as promised." in message.get_body().get_content()
    (attachment,) = list(message.iter_attachments())
    assert PdfReader(io.BytesIO(attachment.get_content())).outline

    listing = json.loads(run(capsys, "packet", "list", "--json", "--library", folder)[1])
    (row,) = listing
    assert row["id"] == int(packet_id) and row["status"] == "sent" and row["item_count"] == 3
    assert row["prospect"]["persona"] == "CFO/Finance" and row["outdated"] == 0
    shown = json.loads(run(capsys, "packet", "show", packet_id, "--json", "--library", folder)[1])
    assert shown["status"] == "sent" and shown["template"] == "decision-finance"
    assert [i["title"] for i in shown["items"]][0].startswith("The Real Cost of Colocation")
    assert [v["asset_id"] for v in shown["sent_versions"]] == [
        i["asset_id"] for i in shown["items"]
    ]
    assert all(len(v["content_hash"]) == 64 for v in shown["sent_versions"])
    assert shown["outdated"] == []

    code, out, _ = run(capsys, "packet", "show", packet_id, "--library", folder)
    assert code == 0 and "Packet 1 (sent) for Jane Doe, Acme Corp" in out
    code, out, _ = run(capsys, "packet", "list", "--library", folder)
    assert code == 0 and out.rstrip().endswith("1 packets")


def test_refused_send_exits_1_and_leaves_the_packet_unsent(capsys, folder, smtp):
    packet_id = run(capsys, "packet", "new", *PROSPECT, "--library", folder)[1].strip()
    run(capsys, "packet", "add", packet_id, *asset_ids(capsys, folder), "--library", folder)
    server = smtp(Inbox("554 5.7.1 Attachments are not accepted here"))
    code, out, err = run(capsys, "packet", "send", packet_id, "--smtp", server, "--library", folder)
    assert code == 1 and out == ""
    assert err.startswith("pitchpack: ") and "554 5.7.1 Attachments are not accepted" in err
    assert len(err.strip().splitlines()) == 1
    shown = json.loads(run(capsys, "packet", "show", packet_id, "--json", "--library", folder)[1])
    assert shown["status"] != "sent" and shown["sent_versions"] == []


@pytest.mark.parametrize(
    "argv, message",
    [
        (["packet", "show", "42"], "No packet with id 42"),
        (["packet", "add", "1", "999"], "No asset with id 999"),
        (["packet", "note", "1", "--text", "Hi {frist_name}"], "{frist_name}"),
        (["packet", "new", *PROSPECT[:-2], "--stage", "Nowhere"], "'Nowhere' is not a stage"),
        (["packet", "new", *PROSPECT, "--template", "nope"], "no note template 'nope'"),
        (["packet", "send", "1", "--smtp", "no-port:x"], "HOST:PORT"),
    ],
)
def test_errors_are_one_line_and_exit_1(capsys, folder, argv, message):
    run(capsys, "packet", "new", *PROSPECT, "--library", folder)
    code, out, err = run(capsys, *argv, "--library", folder)
    assert code == 1 and err.startswith("pitchpack: ") and len(err.strip().splitlines()) == 1
    assert message in err and "Traceback" not in err


def test_usage_errors_exit_2(capsys, folder):
    for argv in (
        ["packet"],
        ["packet", "note", "1"],
        ["packet", "note", "1", "--text", "a", "--file", "b"],
        ["packet", "send", "1", "--ssl", "--starttls"],
        ["packet", "new", "--first-name", "Jane"],
    ):
        with pytest.raises(SystemExit) as exc:
            main([*argv, "--library", folder])
        assert exc.value.code == 2, argv


def test_every_packet_action_has_help(capsys):
    for action in ("new", "add", "note", "export", "email", "send", "list", "show"):
        with pytest.raises(SystemExit) as exc:
            main(["packet", action, "--help"])
        assert exc.value.code == 0
        assert "usage: pitchpack packet" in capsys.readouterr().out


def stored_events(folder: str) -> list[tuple[str, int | None, list[int]]]:
    from library import Library

    with Library(folder) as lib:
        return [(e.kind, e.packet_id, e.asset_ids) for e in lib.usage.events()]


def test_every_packet_command_leaves_its_usage_events(capsys, folder, smtp, tmp_path, monkeypatch):
    """Packets made from a terminal count in "most used" like those made in the window."""
    before = stored_events(folder)
    packet_id = run(capsys, "packet", "new", *PROSPECT, "--library", folder)[1].strip()
    ids = asset_ids(capsys, folder)
    assert run(capsys, "packet", "add", packet_id, *ids[:2], "--library", folder)[0] == 0
    # Adding again what is already there is no new use; only the third asset is added.
    assert run(capsys, "packet", "add", packet_id, *ids, "--library", folder)[0] == 0
    run(capsys, "packet", "note", packet_id, "--text", "Dear {first_name},", "--library", folder)
    run(capsys, "packet", "list", "--library", folder)
    run(capsys, "packet", "show", packet_id, "--library", folder)
    pdf = tmp_path / "packet.pdf"
    code = run(capsys, "packet", "export", packet_id, "--pdf", str(pdf), "--library", folder)[0]
    assert code == 0
    eml = tmp_path / "draft.eml"
    assert run(capsys, "packet", "email", packet_id, "--eml", str(eml), "--library", folder)[0] == 0
    inbox = Inbox()
    monkeypatch.setenv("PITCHPACK_SMTP_PASSWORD", "not-needed-here")
    code = run(capsys, "packet", "send", packet_id, "--smtp", smtp(inbox), "--library", folder)[0]
    assert code == 0 and len(inbox.envelopes) == 1

    numbers, pid = [int(i) for i in ids], int(packet_id)
    assert stored_events(folder)[len(before) :] == [
        ("packet_add", pid, numbers[:2]),
        ("packet_add", pid, numbers[2:]),
        ("packet_export", pid, numbers),
        ("packet_send", pid, numbers),
    ]
