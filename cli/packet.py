"""The packet commands: a prospect's packet made, filled, exported and sent from a terminal."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from cli.common import ProgressBar
from library import Library, PitchpackError

if TYPE_CHECKING:  # loaded on first use, so that starting a command stays quick
    from library.packets import Prospect, SizeReport


def cmd_packet_new(lib: Library, args: argparse.Namespace) -> int:
    from library.packets import Prospect

    names = ("first_name", "last_name", "email", "company", "role", "persona", "stage")
    prospect = Prospect(**{name: getattr(args, name) for name in names})
    print(lib.create_packet(prospect, template=args.template).id)
    return 0


def cmd_packet_add(lib: Library, args: argparse.Namespace) -> int:
    packet = lib.add_to_packet(args.packet_id, args.asset_ids)
    print(f"Packet {packet.id} holds {len(packet.items)} assets.")
    return 0


def cmd_packet_note(lib: Library, args: argparse.Namespace) -> int:
    from library.packets.templates import check

    if args.file is not None:
        try:
            text = Path(args.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise PitchpackError(f"Cannot read the note file {args.file}: {exc}") from exc
    else:
        text = args.text
    check(text)
    lib.set_packet_note(args.packet_id, text)
    print(f"Note of packet {args.packet_id} saved.")
    return 0


def _warn_size(report: SizeReport) -> None:
    if report.over_limit:
        print(f"pitchpack: warning: {report.message}", file=sys.stderr)


def cmd_packet_export(lib: Library, args: argparse.Namespace) -> int:
    from library.packets.mail import format_size

    bar = ProgressBar()
    try:
        pdf = lib.export_packet_pdf(args.packet_id, args.pdf, progress=bar)
    finally:
        bar.close()
    print(f"{pdf.path}: {pdf.pages} pages, {format_size(pdf.size)}, {pdf.seconds:.1f} s")
    for warning in pdf.warnings:
        print(f"pitchpack: warning: {warning}", file=sys.stderr)
    if args.docx:
        print(lib.export_packet_docx(args.packet_id, args.docx))
    _warn_size(lib.packets.size_report(args.packet_id, pdf=pdf))
    return 0


def cmd_packet_email(lib: Library, args: argparse.Namespace) -> int:
    _warn_size(lib.save_packet_eml(args.packet_id, args.eml))
    print(args.eml)
    return 0


def cmd_packet_send(lib: Library, args: argparse.Namespace) -> int:
    from dataclasses import replace

    from library.packets import SmtpConfig
    from library.packets.mail import parse_server

    security = "ssl" if args.ssl else "starttls" if args.starttls else None
    config = lib.packets.smtp_config()
    if args.smtp:
        host, port = parse_server(args.smtp, security or "none")
        config = SmtpConfig(host, port, security or "none", args.user or "")
    elif config is not None:
        config = replace(
            config, security=security or config.security, user=args.user or config.user
        )
    bar = ProgressBar()
    try:
        receipt = lib.send_packet(args.packet_id, config, progress=bar)
    finally:
        bar.close()
    print(f"Sent packet {receipt.packet_id} to {receipt.recipient}.")
    return 0


def _prospect_json(prospect: Prospect) -> dict:
    return asdict(prospect) | {"full_name": prospect.full_name}


def cmd_packet_list(lib: Library, args: argparse.Namespace) -> int:
    packets = lib.packets.history()
    if args.json:
        rows = [asdict(p) | {"prospect": _prospect_json(p.prospect)} for p in packets]
        print(json.dumps(rows, indent=2))
        return 0
    for p in packets:
        who = f"{p.prospect.full_name}, {p.prospect.company}"
        flag = f"  ({p.outdated} outdated)" if p.outdated else ""
        print(f"{p.id:>5}  {p.status:<8}  {who[:36]:<36}  {p.subject[:50]}{flag}")
    print(f"{len(packets)} packets")
    return 0


def cmd_packet_show(lib: Library, args: argparse.Namespace) -> int:
    packet = lib.packets.get(args.packet_id)
    data = asdict(packet) | {"prospect": _prospect_json(packet.prospect)}
    data["sent_versions"] = [asdict(v) for v in lib.packets.sent_versions(packet.id)]
    data["outdated"] = [asdict(o) for o in lib.packets.outdated(packet.id)]
    if args.json:
        print(json.dumps(data, indent=2))
        return 0
    who = f"{packet.prospect.full_name}, {packet.prospect.company}"
    print(f"Packet {packet.id} ({packet.status}) for {who}")
    print(f"Subject: {packet.subject}\n\n{packet.note.strip()}\n")
    for number, item in enumerate(packet.items, start=1):
        note = f": {item.note}" if item.note else ""
        print(f"{number:>3}. [{item.asset_id}] {item.title}{note}")
    for outdated in data["outdated"]:
        print(f"  update available: {outdated['message']}")
    return 0


def add_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    help_text = "Make packets for prospects, export them and send them."
    packet = sub.add_parser("packet", parents=[common], help=help_text, description=help_text)
    actions = packet.add_subparsers(dest="packet_command", metavar="ACTION", required=True)

    def action(name, func, help_text, *, packet_id=True):
        p = actions.add_parser(name, parents=[common], help=help_text, description=help_text)
        p.set_defaults(func=func)
        if packet_id:
            p.add_argument("packet_id", type=int, metavar="PACKET_ID")
        return p

    p = action(
        "new", cmd_packet_new, "Start a packet for a prospect; prints its id.", packet_id=False
    )
    for name in ("first-name", "last-name", "email", "company", "role", "persona", "stage"):
        p.add_argument(f"--{name}", required=True)
    p.add_argument("--template", metavar="NAME", help="note template (default: best fit)")
    p = action("add", cmd_packet_add, "Add assets to a packet, in order.")
    p.add_argument("asset_ids", type=int, nargs="+", metavar="ASSET_ID")
    p = action("note", cmd_packet_note, "Set a packet's personal note (merge fields allowed).")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--text", metavar="TEXT")
    group.add_argument("--file", metavar="FILE")
    p = action("export", cmd_packet_export, "Export a packet as PDF, and its note as DOCX.")
    p.add_argument("--pdf", required=True, metavar="FILE")
    p.add_argument("--docx", metavar="FILE")
    p = action("email", cmd_packet_email, "Write the packet's email, PDF attached, as a draft.")
    p.add_argument("--eml", required=True, metavar="FILE")
    p = action("send", cmd_packet_send, "Send a packet by email over SMTP.")
    p.add_argument("--smtp", metavar="HOST:PORT", help="mail server (default: from settings)")
    p.add_argument(
        "--user",
        metavar="U",
        help="SMTP user; the password comes from the keyring or $PITCHPACK_SMTP_PASSWORD",
    )
    group = p.add_mutually_exclusive_group()
    group.add_argument("--starttls", action="store_true")
    group.add_argument("--ssl", action="store_true")
    p = action(
        "list", cmd_packet_list, "List packets, most recently changed first.", packet_id=False
    )
    p.add_argument("--json", action="store_true")
    p = action("show", cmd_packet_show, "Show a packet, what was sent and what changed since.")
    p.add_argument("--json", action="store_true")
