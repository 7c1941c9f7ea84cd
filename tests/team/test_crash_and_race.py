"""Team sync under stress, for real: a rep's pull or push killed with SIGKILL and run again,
and a pull racing a stream of publishes. Rows are published straight to the server as a
marketer would, so the tests need thousands of assets without ingesting thousands of files."""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import uuid
from pathlib import Path

import psycopg
from conftest import USERS, TeamHarness, spawn_cli, wait_for
from servers import asset_data

from library import Library
from library.team import Team
from library.team.local import AssetRow
from library.team.server import Change, Server
from library.usage import UsageEvent


def publish_rows(server: Server, versions: dict[int, int], ids, title: str) -> int:
    """Publish ``ids`` with ``title``; ``versions`` tracks each asset's published version."""
    changes = [
        Change(
            AssetRow(i, 0, asset_data(i, f"{title} {i}"), [[1, f"{title} body {i}"]]),
            versions.get(i),
        )
        for i in ids
    ]
    info = server.publish(changes, [])
    versions.update((i, info.version) for i in ids)
    return info.version


def marketer_server(team: TeamHarness) -> Server:
    return Server(team.postgres.url("marketer1", team.db, password=False), USERS["marketer1"][1])


def local_rows(folder: Path) -> dict[int, int]:
    conn = sqlite3.connect(f"file:{folder / 'catalog.sqlite'}?mode=ro", uri=True)
    try:
        return {
            int(k): v
            for k, v in conn.execute("SELECT key, version FROM team_rows WHERE kind = 'asset'")
        }
    finally:
        conn.close()


def local_count(folder: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{folder / 'catalog.sqlite'}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute("SELECT count(*) FROM assets").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return 0


def kill(proc) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


def test_kill_mid_pull_then_pull_again(team, tmp_path, monkeypatch):
    total = 1200
    with marketer_server(team) as server:
        publish_rows(server, {}, range(1, total + 1), "Bulk")
    rep = tmp_path / "rep"
    team.connect(rep, "rep1", "rep")
    monkeypatch.setenv("PITCHPACK_TEAM_PAGE", "25")
    proc = spawn_cli(rep, "team", "pull", "--no-files")
    wait_for(lambda: local_count(rep) > 0 or proc.poll() is not None)
    kill(proc)
    assert 0 < local_count(rep) < total, "the pull was not cut short"
    monkeypatch.setenv("PITCHPACK_TEAM_PAGE", "500")
    with Library(rep) as lib:
        Team(lib).pull(files=False)
        assert lib.assets.count() == total
        assert lib.index.count() == total  # every asset searchable, none twice
        assert Team(lib).status()["library_version"] == 1
    assert set(local_rows(rep)) == set(range(1, total + 1))


def test_kill_mid_push_then_push_again(team, tmp_path, monkeypatch):
    rep = tmp_path / "rep"
    team.connect(rep, "rep1", "rep")
    total = 4000
    with Library(rep, rep="rita") as lib:
        lib.add_usage_events(
            UsageEvent("open", id=str(uuid.uuid4()), asset_ids=[n % 50 + 1]) for n in range(total)
        )
    monkeypatch.setenv("PITCHPACK_TEAM_BATCH", "50")

    def on_server() -> int:
        with team.admin() as conn:
            return conn.execute("SELECT count(*) FROM pitchpack.events").fetchone()[0]

    proc = spawn_cli(rep, "team", "push")
    wait_for(lambda: on_server() > 0 or proc.poll() is not None)
    kill(proc)
    assert 0 < on_server() < total, "the push was not cut short"
    monkeypatch.setenv("PITCHPACK_TEAM_BATCH", "2000")
    with Library(rep) as lib:
        Team(lib).push()
        assert Team(lib).status()["outbox"] == 0
        assert lib.usage.count() == total
    with team.admin() as conn:
        assert conn.execute(
            "SELECT count(*), count(DISTINCT id) FROM pitchpack.events"
        ).fetchone() == (total, total)


def test_publishes_racing_pulls_skip_no_row(team, tmp_path, monkeypatch):
    monkeypatch.setenv("PITCHPACK_TEAM_PAGE", "40")
    versions: dict[int, int] = {}
    with marketer_server(team) as server:
        publish_rows(server, versions, range(1, 301), "Start")
    rep = tmp_path / "rep"
    team.connect(rep, "rep1", "rep")
    stop = threading.Event()
    errors: list[BaseException] = []

    def publisher() -> None:
        try:
            with marketer_server(team) as server:
                for round_ in range(40):
                    if stop.is_set():
                        return
                    # Each round touches a slice old and new, so pages shift under the pull.
                    start = (round_ * 37) % 300
                    ids = [1 + (start + k) % 300 for k in range(60)] + [301 + round_]
                    publish_rows(server, versions, ids, f"Round {round_}")
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    thread = threading.Thread(target=publisher)
    thread.start()
    pulls = 0
    with Library(rep) as lib:
        team_ = Team(lib)
        while thread.is_alive() or pulls < 3:
            team_.pull(files=False)
            pulls += 1
        thread.join()
        team_.pull(files=False)
    stop.set()
    assert not errors, errors
    assert pulls >= 3
    assert local_rows(rep) == versions  # every row at its last published version
    with psycopg.connect(team.postgres.url(db=team.db)) as conn:
        titles = dict(conn.execute("SELECT id, data->>'title' FROM pitchpack.assets"))
    with Library(rep) as lib:
        assert {a.id: a.title for a in lib.assets.all()} == titles
