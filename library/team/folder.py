"""Shared-folder mode: immutable releases a marketer writes and reps copy, and write-once
batch files of reps' events. Nothing on the share is ever opened as a database.

Layout of the share::

    releases/<N>/manifest.json       version, time, asset count, catalog hash
    releases/<N>/catalog.jsonl.gz    first line the terms, then one published asset a line
    files/sha256/<hash>              each file once, by content
    events/<sender>/<batch>.jsonl    usage events, one file per push, never changed

A release is built in a temporary folder and renamed to ``releases/<N>``: the rename is
what publishes it, and it fails if another marketer took that number first.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from library.team.errors import PublishConflict, ServerUnavailable, TeamError
from library.team.local import AssetRow, TermRow
from library.team.server import Change, ServerInfo

CATALOG = "catalog.jsonl.gz"
MANIFEST = "manifest.json"


class FolderStore:
    """The releases and event batches of a shared folder."""

    def __init__(self, folder: Path) -> None:
        self.root = Path(folder)
        if not self.root.is_dir():
            raise ServerUnavailable(f"The shared folder {self.root} is not reachable.")
        self.releases = self.root / "releases"
        self.events = self.root / "events"

    def latest(self) -> int:
        if not self.releases.is_dir():
            return 0
        numbers = [
            int(p.name)
            for p in self.releases.iterdir()
            if p.name.isdigit() and (p / MANIFEST).exists()
        ]
        return max(numbers, default=0)

    def info(self) -> ServerInfo:
        n = self.latest()
        if not n:
            return ServerInfo(0, 0, None)
        manifest = json.loads((self.releases / str(n) / MANIFEST).read_text(encoding="utf-8"))
        # Every release is a full snapshot: any cursor can resync from it.
        return ServerInfo(n, 0, manifest.get("published"))

    def fetch_release(self, version: int, into: Path) -> Path:
        """Copy release ``version``'s catalog into ``into`` and check it; returns the copy."""
        folder = self.releases / str(version)
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        into.mkdir(parents=True, exist_ok=True)
        target = into / f"release-{version}.jsonl.gz"
        temp = target.with_suffix(".part")
        shutil.copyfile(folder / CATALOG, temp)
        actual = hashlib.sha256(temp.read_bytes()).hexdigest()
        if actual != manifest["catalog_sha256"]:
            temp.unlink(missing_ok=True)
            raise TeamError(f"Release {version} on the shared folder is damaged; publish again.")
        os.replace(temp, target)
        return target

    @staticmethod
    def read_release(path: Path) -> tuple[list[TermRow], Iterator[AssetRow]]:
        file = gzip.open(path, "rt", encoding="utf-8")
        head = json.loads(file.readline())
        terms = [TermRow(**t) for t in head["terms"]]

        def assets() -> Iterator[AssetRow]:
            with file:
                for line in file:
                    a = json.loads(line)
                    yield AssetRow(a["id"], a["version"], a["data"], a["pages"])

        return terms, assets()

    def publish(
        self,
        changes: list[Change],
        terms: list[TermRow],
        cache: Path,
    ) -> ServerInfo:
        """Write the next release: ``changes`` over the previous release's assets.

        :param cache: a local folder to copy the previous release into.
        :raises PublishConflict: when an asset was published since the marketer's base.
        """
        latest = self.latest()
        previous: dict[int, AssetRow] = {}
        prev_terms: dict[str, TermRow] = {}
        if latest:
            path = self.fetch_release(latest, cache)
            t, assets = self.read_release(path)
            prev_terms = {x.key: x for x in t}
            previous = {a.id: a for a in assets}
        version = latest + 1
        conflicts = []
        for c in changes:
            theirs = previous.get(c.row.id)
            if (theirs.version if theirs else None) != c.base and not (
                c.row.data is None and theirs is None
            ):
                conflicts.append((c.row.id, c.title, c.base, theirs.version if theirs else 0))
        if conflicts:
            raise PublishConflict(conflicts)
        for c in changes:
            if c.row.data is None:
                previous.pop(c.row.id, None)
            else:
                previous[c.row.id] = AssetRow(c.row.id, version, c.row.data, c.row.pages)
        for t in terms:
            if t.deleted:
                prev_terms.pop(t.key, None)
            else:
                prev_terms[t.key] = TermRow(t.facet, t.name, version, t.position, t.keywords)
        self.releases.mkdir(parents=True, exist_ok=True)
        temp = self.releases / f".tmp-{uuid.uuid4().hex}"
        temp.mkdir()
        try:
            with gzip.open(temp / CATALOG, "wt", encoding="utf-8") as out:
                out.write(json.dumps({"terms": [vars(t) for t in prev_terms.values()]}) + "\n")
                for a in sorted(previous.values(), key=lambda a: a.id):
                    out.write(json.dumps(vars(a)) + "\n")
            published = datetime.now(UTC).isoformat(timespec="seconds")
            manifest = {
                "version": version,
                "published": published,
                "assets": len(previous),
                "catalog_sha256": hashlib.sha256((temp / CATALOG).read_bytes()).hexdigest(),
            }
            (temp / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
            try:
                os.rename(temp, self.releases / str(version))
            except OSError:
                raise TeamError(
                    f"Another marketer published release {version} at the same moment; "
                    "nothing was published. Run 'pitchpack team pull', then publish again."
                ) from None
        finally:
            shutil.rmtree(temp, ignore_errors=True)
        return ServerInfo(version, 0, published)

    # -- events --------------------------------------------------------------------------

    def push_events(self, sender: str, events: list[dict]) -> None:
        """Write one batch file (temporary name, then renamed: readers see it whole)."""
        folder = self.events / re.sub(r"[^\w.-]", "_", sender)
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:12]}.jsonl"
        temp = folder / f".{name}.tmp"
        with open(temp, "w", encoding="utf-8") as out:
            for e in events:
                out.write(json.dumps(e) + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.rename(temp, folder / name)

    def batches(self) -> list[Path]:
        if not self.events.is_dir():
            return []
        return sorted(p for p in self.events.glob("*/*.jsonl") if not p.name.startswith("."))
