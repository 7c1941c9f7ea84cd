"""``Team``: connect a library to its team, publish, pull, push events, and report status.

One publisher side (marketers), read-only reps, append-only events: nothing a rep does is
merged with what marketing does. Every local change goes through the ``Library`` facade.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from library.db import now
from library.progress import ProgressHook, report
from library.team import local
from library.team.errors import FileMismatch, ServerUnavailable, TeamError
from library.team.files import FolderFiles, S3Files
from library.team.folder import FolderStore
from library.team.local import ASSET, TERM, AssetRow, LocalState, TermRow
from library.team.news import PullNews, latest, remember
from library.team.server import PAGE, Change, Server
from library.team.settings import (
    ROLES,
    TeamSettings,
    folder_of,
    is_folder_store,
    load_settings,
    save_settings,
    secret_for,
    split_secret,
    store_secret,
)

log = logging.getLogger(__name__)

PUSH_BATCH = 2_000  # events per push transaction (PITCHPACK_TEAM_BATCH overrides)


@dataclass
class PublishReport:
    version: int
    assets: int
    deleted: int
    terms: int
    uploaded: int

    def summary(self) -> str:
        if not (self.assets or self.deleted or self.terms):
            return f"Nothing to publish; the team library is at version {self.version}."
        return (
            f"Published version {self.version}: {self.assets} assets changed, "
            f"{self.deleted} deleted, {self.terms} taxonomy terms, {self.uploaded} files uploaded."
        )


@dataclass
class PullReport:
    version: int
    changed: int = 0
    deleted: int = 0
    full: bool = False
    downloaded: int = 0
    refused: list[str] = field(default_factory=list)
    events: int = 0
    news: PullNews = field(default_factory=PullNews)

    def summary(self) -> str:
        text = (
            f"Library at version {self.version}: {self.changed} assets new or updated "
            f"({len(self.news.new)} new, {len(self.news.updated)} updated), "
            f"{self.deleted} removed"
        )
        if self.full:
            text += " (full resync: this copy was older than what the team keeps)"
        text += f"; {self.downloaded} files downloaded."
        if self.events:
            text += f" {self.events} team usage events added."
        for line in self.refused:
            text += f"\n  refused: {line}"
        return text


class Team:
    """A library's link to its team library. Raises NotConnected when it has none."""

    def __init__(self, lib) -> None:
        self.lib = lib
        self.settings = load_settings(lib.folder)
        self.state = LocalState(lib)
        self.secrets_in_keyring = 0  # set by ``connect``

    @classmethod
    def connect(cls, lib, store: str, role: str, db_url: str = "") -> Team:
        """Keep the team settings in the library folder and secrets in the OS keyring.

        With a database URL, the store is an S3 URL (``http(s)://KEY:SECRET@host/bucket``);
        without one, it is a shared folder.
        """
        if role not in ROLES:
            raise TeamError(f"'{role}' is not a team role; use marketer or rep.")
        if db_url:
            if is_folder_store(store):
                raise TeamError(
                    "With a database, --store must be an S3 URL such as http://host:9000/bucket."
                )
            db_url, password = split_secret(db_url)
            store, secret = split_secret(store)
            kept = store_secret(db_url, password) + store_secret(store, secret)
            settings = TeamSettings(role=role, store=store, db_url=db_url, mode="server")
        else:
            if not is_folder_store(store):
                raise TeamError(
                    "Without a database URL, --store must be a folder (a share or a synced drive)."
                )
            folder = folder_of(store).absolute()
            if not folder.is_dir():
                raise TeamError(f"The folder {folder} does not exist.")
            settings = TeamSettings(role=role, store=str(folder), mode="folder")
            kept = 0
        save_settings(lib.folder, settings)
        team = cls(lib)
        team.state.set(role=role)
        team.secrets_in_keyring = kept
        return team

    # -- the two sides ---------------------------------------------------------------------

    @property
    def is_folder(self) -> bool:
        return self.settings.mode == "folder"

    def _server(self) -> Server:
        return Server(self.settings.db_url, secret_for(self.settings.db_url))

    def _folder(self) -> FolderStore:
        return FolderStore(Path(self.settings.store))

    def _files(self):
        if self.is_folder:
            return FolderFiles(Path(self.settings.store))
        files = S3Files(self.settings.store, secret_for(self.settings.store))
        return files

    def _require_marketer(self, what: str) -> None:
        if not self.settings.is_marketer:
            raise TeamError(f"Only a marketer can {what}; this library is connected as a rep.")

    # -- publishing ----------------------------------------------------------------------

    def publish(self, *, progress: ProgressHook = None) -> PublishReport:
        """Publish every asset and term changed here since the last publish or pull.

        :raises PublishConflict: another marketer published one of the changed assets
            first; nothing is published and the local edits stay.
        """
        self._require_marketer("publish")
        state = self.state
        mine = state.asset_digests()
        known = state.known(ASSET)
        present = set(self.lib.assets.ids())
        changed = [i for i, (d, _data) in mine.items() if known.get(str(i), (None, None))[1] != d]
        deleted = [int(k) for k, (_v, d) in known.items() if d and int(k) not in present]
        files = self._files()
        if not self.is_folder:
            files.ensure_bucket()
        changes: list[Change] = []
        uploaded = 0
        for n, asset_id in enumerate(changed):
            digest, data = mine[asset_id]
            try:
                uploaded += files.put(data["content_hash"], state.source_path(asset_id))
            except FileNotFoundError:
                log.warning("Asset %s: its file is gone; not published this time", asset_id)
                continue
            base = known.get(str(asset_id))
            row = AssetRow(asset_id, 0, data, state.pages(asset_id))
            changes.append(Change(row, base[0] if base else None, data["title"]))
            report(progress, "uploading", n + 1, len(changed))
        for asset_id in deleted:
            changes.append(Change(AssetRow(asset_id, 0, None), known[str(asset_id)][0]))
        terms = self._changed_terms()
        if not changes and not terms:
            return PublishReport(state.get_int("cursor"), 0, 0, 0, 0)
        if self.is_folder:
            info = self._folder().publish(changes, terms, self._cache())
        else:
            with self._server() as server:
                info = server.publish(changes, terms)
        state.remember(
            ASSET,
            [
                (str(c.row.id), info.version, "" if c.row.data is None else mine[c.row.id][0])
                for c in changes
            ],
        )
        state.remember(
            TERM, [(t.key, info.version, "" if t.deleted else local.term_digest(t)) for t in terms]
        )
        state.set(last_publish=info.last_publish or now())
        # Take what other marketers published meanwhile (ours is known, so skipped).
        self.pull(files=False)
        return PublishReport(
            info.version,
            sum(c.row.data is not None for c in changes),
            sum(c.row.data is None for c in changes),
            len(terms),
            uploaded,
        )

    def _changed_terms(self) -> list[TermRow]:
        mine = self.state.term_rows()
        known = self.state.known(TERM)
        changed = [t for k, t in mine.items() if known.get(k, (0, None))[1] != local.term_digest(t)]
        gone = [k for k, (_v, d) in known.items() if d and k not in mine]
        for k in gone:
            facet, name = k.split("\x1f", 1)
            changed.append(TermRow(facet, name, 0, deleted=True))
        return changed

    def _cache(self) -> Path:
        return Path(self.lib.folder) / "team" / "releases"

    # -- pulling -------------------------------------------------------------------------

    def pull(self, *, files: bool = True, progress: ProgressHook = None) -> PullReport:
        """Bring the local copy up to the team library's latest version, in pages; a copy
        older than what the server keeps takes a full snapshot. Then, with ``files``,
        download the files not here yet (and, for a marketer, take reps' new events)."""
        # A pull killed between a page's commit and its index update left it queued.
        self.lib.ensure_index(progress=progress)
        if self.is_folder:
            result = self._pull_release(progress)
        else:
            result = self._pull_server(progress)
        result.news.pulled_at = self.state.get("last_pull")
        remember(self.state, result.news)
        if files:
            result.downloaded, result.refused = self.download_files(progress=progress)
        if self.settings.is_marketer and files:
            result.events = self.pool_events()
        return result

    def _pull_server(self, progress: ProgressHook) -> PullReport:
        state = self.state
        cursor = state.get_int("cursor")
        with self._server() as server, server.snapshot() as info:
            full = cursor < info.min_version
            after = 0 if full else cursor
            result = PullReport(info.version, full=full)
            terms = server.terms_since(after, info.version)
            local.apply_terms(self.lib, state, [t for t in terms if not (full and t.deleted)])
            page_size = int(os.environ.get("PITCHPACK_TEAM_PAGE") or PAGE)
            for page in server.asset_pages(after, info.version, live_only=full, page=page_size):
                self._apply(page, result)
                report(progress, "pulling", result.changed + result.deleted, 0)
            if full:
                self._drop_missing(server.live_asset_ids(), result)
                self._drop_missing_terms(server.live_term_keys())
        state.set(cursor=info.version, last_pull=now(), last_publish=info.last_publish or "")
        return result

    def _pull_release(self, progress: ProgressHook) -> PullReport:
        state = self.state
        share = self._folder()
        info = share.info()
        cursor = state.get_int("cursor")
        result = PullReport(info.version)
        if info.version and info.version != cursor:
            path = share.fetch_release(info.version, self._cache())
            terms, assets = share.read_release(path)
            local.apply_terms(self.lib, state, terms)
            live: set[int] = set()
            page: list[AssetRow] = []
            for row in assets:
                live.add(row.id)
                page.append(row)
                if len(page) >= 500:
                    self._apply(page, result)
                    page = []
            self._apply(page, result)
            self._drop_missing(live, result)
            self._drop_missing_terms({t.key for t in terms})
            for old in self._cache().glob("release-*.jsonl.gz"):
                if old != path:
                    old.unlink(missing_ok=True)
        state.set(cursor=info.version, last_pull=now(), last_publish=info.last_publish or "")
        return result

    def _apply(self, rows: list[AssetRow], result: PullReport) -> None:
        known = self.state.known(ASSET)
        rows = [r for r in rows if known.get(str(r.id), (-1, ""))[0] < r.version]
        local.apply_assets(self.lib, self.state, rows)
        for r in rows:
            if not r.deleted:
                seen = known.get(str(r.id))  # a tombstone's digest is empty: it comes back new
                (result.news.updated if seen and seen[1] else result.news.new).append(r.id)
        result.changed += sum(not r.deleted for r in rows)
        result.deleted += sum(r.deleted for r in rows)

    def _drop_missing(self, live: set[int], result: PullReport) -> None:
        """After a full snapshot: remove team assets the team library no longer has."""
        known = self.state.known(ASSET)
        present = set(self.lib.assets.ids())
        gone = [int(k) for k in known if int(k) not in live and int(k) in present]
        local.apply_assets(
            self.lib, self.state, [AssetRow(i, known[str(i)][0] + 1, None) for i in gone]
        )
        result.deleted += len(gone)

    def _drop_missing_terms(self, live: set[str]) -> None:
        """After a full snapshot: remove team terms the team library no longer has."""
        gone = [k for k, (_v, d) in self.state.known(TERM).items() if d and k not in live]
        rows = [TermRow(*k.split("\x1f", 1), 0, deleted=True) for k in gone]
        local.apply_terms(self.lib, self.state, rows)

    def download_files(self, *, progress: ProgressHook = None) -> tuple[int, list[str]]:
        """Fetch the files of pulled assets not here yet; a file whose bytes do not match
        its hash is refused (not kept) and named in the returned list."""
        missing = local.missing_files(self.lib, self.scope)
        if not missing:
            return 0, []
        files = self._files()
        done, refused = 0, []
        for n, (asset_id, content_hash, path) in enumerate(missing):
            try:
                files.get(content_hash, path)
                done += 1
            except FileMismatch as exc:
                log.warning("Asset %s: %s", asset_id, exc)
                refused.append(f"asset {asset_id}: {exc}")
            except TeamError as exc:
                refused.append(f"asset {asset_id}: {exc}")
            report(progress, "downloading", n + 1, len(missing))
        return done, refused

    @property
    def scope(self) -> dict[str, list[str]]:
        """The stages and products whose files this library fetches (empty: all)."""
        return json.loads(self.state.get("scope") or "{}")

    def set_scope(
        self, *, stage: list[str] | None = None, product: list[str] | None = None
    ) -> None:
        """Fetch only the files of assets in these stages and products (None for both: all).
        Metadata and text always come whole, so search still finds everything."""
        scope = {k: v for k, v in (("stage", stage), ("product", product)) if v}
        self.state.set(scope=json.dumps(scope))

    # -- usage events --------------------------------------------------------------------

    def push(self) -> int:
        """Send the events waiting in the outbox, in batches; each batch is marked sent
        only after the server has committed it. Returns how many were sent."""
        self.lib.usage.flush()
        sent = 0
        server = None if self.is_folder else self._server()
        share = self._folder() if self.is_folder else None
        try:
            size = int(os.environ.get("PITCHPACK_TEAM_BATCH") or PUSH_BATCH)
            while batch := self.state.outbox_batch(size):
                events = [e for _seq, e in batch]
                if server is not None:
                    server.push_events(events)
                else:
                    share.push_events(self._sender(), events)
                self.state.set(pushed_seq=batch[-1][0])
                sent += len(batch)
        finally:
            if server is not None:
                server.close()
        return sent

    def _sender(self) -> str:
        sender = self.state.get("sender")
        if not sender:
            import uuid

            sender = f"{self.lib.usage.rep}-{uuid.uuid4().hex[:8]}"
            self.state.set(sender=sender)
        return sender

    def pool_events(self) -> int:
        """(Marketers) add the team's pooled events to this library, each once."""
        from library.usage import UsageEvent

        self._require_marketer("read the team's usage")
        added = 0
        if self.is_folder:
            done = self.state.known("batch")
            for path in self._folder().batches():
                key = str(path.relative_to(self.settings.store))
                if key in done:
                    continue
                events = [
                    UsageEvent.from_dict(json.loads(line))
                    for line in path.read_text(encoding="utf-8").splitlines()
                    if line.strip()
                ]
                self.state.mark_received(e.id for e in events)
                added += self.lib.add_usage_events(events)
                self.state.remember("batch", [(key, 0, "")])
            return added
        after = self.state.get_int("pooled_seq")
        with self._server() as server:
            while rows := server.fetch_events(after):
                events = [UsageEvent.from_dict(d) for _s, d in rows]
                # Received first: a crash before the add leaves them to be fetched again,
                # never to be pushed back as this library's own.
                self.state.mark_received(e.id for e in events)
                added += self.lib.add_usage_events(events)
                after = rows[-1][0]
                self.state.set(pooled_seq=after)
        return added

    def news(self) -> PullNews:
        """The assets the latest pull that changed something brought (new or updated)."""
        return latest(self.state, set(self.lib.assets.ids()))

    # -- status --------------------------------------------------------------------------

    def status(self) -> dict:
        """Where this library stands, from local state only (no network)."""
        state = self.state
        return {
            "role": self.settings.role,
            "library_version": state.get_int("cursor"),
            "last_publish": state.get("last_publish") or None,
            "last_pull": state.get("last_pull") or None,
            "outbox": state.outbox_count(),
            "files_missing": len(local.missing_files(self.lib, self.scope)),
        }


def team_status(lib) -> dict | None:
    """The status of a connected library, or None when it is not connected."""
    from library.team.errors import NotConnected

    try:
        return Team(lib).status()
    except NotConnected:
        return None


def team_role(lib) -> str | None:
    """ "marketer" or "rep" for a connected library, None for one on its own (no I/O but
    the settings file)."""
    from library.team.errors import NotConnected

    try:
        return load_settings(lib.folder).role
    except NotConnected:
        return None


__all__ = ["PublishReport", "PullReport", "ServerUnavailable", "Team", "team_role", "team_status"]
