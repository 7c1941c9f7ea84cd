"""Packets in the catalog: rows of ``packets``, ``packet_items`` and ``packet_sent_versions``."""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from library.db import now
from library.packets.errors import PacketNotFound
from library.packets.model import (
    Packet,
    PacketItem,
    PacketStatus,
    PacketSummary,
    Prospect,
    SentVersion,
)

_PROSPECT = Prospect.names()
_COLUMNS = (*_PROSPECT, "subject", "note", "template", "status", "revision")
_COLUMNS += ("created", "updated", "exported", "sent", "duplicated_from")

# The latest send of each packet, and whether each asset in it has changed since.
_LATEST_SENT = """
    SELECT v.* FROM packet_sent_versions v
    JOIN (SELECT packet_id, max(send_number) AS n FROM packet_sent_versions GROUP BY packet_id)
        last ON last.packet_id = v.packet_id AND last.n = v.send_number
"""
_CHANGED = """
    a.id IS NULL OR a.content_hash != v.content_hash OR a.status = 'archived'
    OR a.file_state = 'missing' OR (a.expires IS NOT NULL AND a.expires < :today)
"""


class PacketStore:
    """Reads and writes packet rows; callers hold the write lock and validate values."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, packet_id: int) -> Packet:
        row = self.db.execute(
            f"SELECT id, {', '.join(_COLUMNS)} FROM packets WHERE id = ?", (packet_id,)
        ).fetchone()
        if row is None:
            raise PacketNotFound(packet_id)
        values = dict(zip(("id", *_COLUMNS), row, strict=True))
        prospect = Prospect(**{name: values.pop(name) for name in _PROSPECT})
        items = [
            PacketItem(asset_id, note, title, content_type, path)
            for asset_id, note, title, content_type, path in self.db.execute(
                "SELECT i.asset_id, i.note, a.title, a.content_type, a.path FROM packet_items i "
                "JOIN assets a ON a.id = i.asset_id WHERE i.packet_id = ? ORDER BY i.position",
                (packet_id,),
            )
        ]
        return Packet(prospect=prospect, items=items, **values)

    def exists(self, packet_id: int) -> bool:
        return bool(self.db.execute("SELECT 1 FROM packets WHERE id = ?", (packet_id,)).fetchone())

    def insert(self, packet: Packet) -> int:
        stamp = now()
        with self.db.atomic():
            cursor = self.db.execute(
                f"INSERT INTO packets ({', '.join(_COLUMNS)}) VALUES "
                f"({', '.join('?' * len(_COLUMNS))})",
                (
                    *(getattr(packet.prospect, name) for name in _PROSPECT),
                    packet.subject,
                    packet.note,
                    packet.template,
                    PacketStatus.DRAFT.value,
                    0,
                    stamp,
                    stamp,
                    None,
                    None,
                    packet.duplicated_from,
                ),
            )
            self._write_items(cursor.lastrowid, packet.items)
        return cursor.lastrowid

    def update(self, packet: Packet) -> None:
        """Store an edited packet: its prospect, text and items; an export is now stale."""
        assignments = ", ".join(
            f"{name} = ?" for name in (*_PROSPECT, "subject", "note", "template")
        )
        with self.db.atomic():
            self.db.execute(
                f"UPDATE packets SET {assignments}, revision = revision + 1, updated = ?, "
                "status = CASE status WHEN 'exported' THEN 'draft' ELSE status END WHERE id = ?",
                (
                    *(getattr(packet.prospect, name) for name in _PROSPECT),
                    packet.subject,
                    packet.note,
                    packet.template,
                    now(),
                    packet.id,
                ),
            )
            self.db.execute("DELETE FROM packet_items WHERE packet_id = ?", (packet.id,))
            self._write_items(packet.id, packet.items)

    def _write_items(self, packet_id: int, items: list[PacketItem]) -> None:
        self.db.conn.executemany(
            "INSERT INTO packet_items (packet_id, position, asset_id, note) VALUES (?, ?, ?, ?)",
            [(packet_id, n, item.asset_id, item.note) for n, item in enumerate(items)],
        )

    def delete(self, packet_id: int) -> None:
        with self.db.atomic():
            self.db.execute("DELETE FROM packets WHERE id = ?", (packet_id,))

    def mark_exported(self, packet_id: int) -> None:
        with self.db.atomic():
            self.db.execute(
                "UPDATE packets SET exported = ?, status = CASE status WHEN 'sent' THEN status "
                "ELSE 'exported' END WHERE id = ?",
                (now(), packet_id),
            )

    def record_send(
        self, packet_id: int, versions: Iterable[tuple[int, str, str]], recipient: str
    ) -> int:
        """Mark a packet sent with the (asset id, title, content hash) of what went out;
        returns the send's number (1 for the first)."""
        stamp = now()
        with self.db.atomic():
            number = self.db.execute(
                "SELECT coalesce(max(send_number), 0) + 1 FROM packet_sent_versions "
                "WHERE packet_id = ?",
                (packet_id,),
            ).fetchone()[0]
            self.db.conn.executemany(
                "INSERT INTO packet_sent_versions (packet_id, send_number, position, asset_id, "
                "title, content_hash, recipient, sent) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (packet_id, number, position, asset_id, title, digest, recipient, stamp)
                    for position, (asset_id, title, digest) in enumerate(versions)
                ],
            )
            self.db.execute(
                "UPDATE packets SET status = 'sent', sent = ? WHERE id = ?", (stamp, packet_id)
            )
        return number

    def sent_versions(self, packet_id: int, *, latest: bool = False) -> list[SentVersion]:
        source = _LATEST_SENT if latest else "SELECT * FROM packet_sent_versions"
        rows = self.db.execute(
            f"SELECT packet_id, send_number, position, asset_id, title, content_hash, recipient, "
            f"sent FROM ({source}) WHERE packet_id = ? ORDER BY send_number, position",
            (packet_id,),
        )
        return [SentVersion(*row) for row in rows]

    def summaries(self, *, today: str, status: str | None = None) -> list[PacketSummary]:
        """The history, most recently changed first, with counts of outdated items."""
        where = "WHERE p.status = :status" if status else ""
        prospect = ", ".join(f"p.{name}" for name in _PROSPECT)
        rows = self.db.execute(
            f"""
            SELECT p.id, {prospect}, p.subject, p.status,
                (SELECT count(*) FROM packet_items i WHERE i.packet_id = p.id),
                p.created, p.updated, p.sent,
                (SELECT count(*) FROM ({_LATEST_SENT}) v LEFT JOIN assets a ON a.id = v.asset_id
                    WHERE v.packet_id = p.id AND ({_CHANGED}))
            FROM packets p {where} ORDER BY p.updated DESC, p.id DESC
            """,
            {"today": today, "status": status},
        )
        count = len(_PROSPECT)
        return [
            PacketSummary(row[0], Prospect(*row[1 : count + 1]), *row[count + 1 :]) for row in rows
        ]
