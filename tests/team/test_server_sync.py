"""Team library in server mode, for real: PostgreSQL and an S3 server on 127.0.0.1, a
marketer's library in this process, reps as separate processes of ``main.py``."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest
from conftest import STATUS_KEYS, TeamHarness, run_cli, search_ids, status

from library import Library
from library.team import PublishConflict, Team, TeamError
from library.team.files import key_of


def publish(folder: Path, team: TeamHarness, user: str = "marketer1", connect: bool = True):
    with Library(folder) as lib:
        t = team.connect_lib(lib, user, "marketer") if connect else Team(lib)
        return t.publish(), lib.assets.ids(state="ok")


def test_publish_then_two_reps_pull_and_work_offline(team, marketer, tmp_path):
    report, ids = publish(marketer, team)
    assert (report.version, report.assets, report.deleted) == (1, len(ids), 0)
    assert report.uploaded == len(ids)
    settings = (marketer / "team" / "settings.json").read_text()
    assert "m1-secret" not in settings and "testsecret" not in settings
    with Library(marketer) as lib:
        quokka = search_ids(marketer, "quokka")
        assert len(quokka) == 1
        hashes = {a.id: a.content_hash for a in lib.assets.all()}

    for rep in ("rep1", "rep2"):
        folder = tmp_path / rep
        team.connect(folder, rep, "rep")
        assert status(folder)["library_version"] == 0
        out = run_cli(folder, "team", "pull").stdout
        assert f"{len(ids)} assets new or updated" in out
        got = status(folder)
        assert set(got) == STATUS_KEYS
        assert got["role"] == "rep" and got["library_version"] == 1
        assert got["files_missing"] == 0 and got["last_pull"] and got["last_publish"]
        assert search_ids(folder, "quokka") == quokka  # same ids as the marketer's catalog
        with Library(folder) as lib:
            for asset in lib.assets.all():
                assert asset.content_hash == hashes[asset.id]
                assert Path(asset.path).read_bytes()  # downloaded and kept
        # A second pull with nothing new changes nothing.
        assert "0 assets new or updated" in run_cli(folder, "team", "pull").stdout

    # Publishing again uploads nothing and bumps nothing when nothing changed.
    again, _ = publish(marketer, team, connect=False)
    assert (again.version, again.assets, again.uploaded) == (1, 0, 0)


def test_edit_publish_pull_shows_new_title_and_tags(team, marketer, tmp_path):
    publish(marketer, team)
    rep = tmp_path / "rep"
    team.connect(rep, "rep1", "rep")
    run_cli(rep, "team", "pull")
    with Library(marketer) as lib:
        target = next(iter(search_ids(marketer, "quokka")))
        lib.update_assets([target], title="Wombat pricing guide")
        lib.tag_assets([target], "tag", ["wombat-tag"], create=True)
        report = Team(lib).publish()
    assert (report.version, report.assets) == (2, 1)
    run_cli(rep, "team", "pull", "--no-files")
    assert search_ids(rep, "wombat") == {target}
    with Library(rep) as lib:
        assert lib.assets.get(target).terms["tag"] == ["wombat-tag"]


def test_deletion_propagates(team, marketer, tmp_path):
    publish(marketer, team)
    rep = tmp_path / "rep"
    team.connect(rep, "rep1", "rep")
    run_cli(rep, "team", "pull")
    target = next(iter(search_ids(rep, "quokka")))
    with Library(rep) as lib:
        assert "Expansion" in lib.taxonomy.names("stage")
    with Library(marketer) as lib:
        lib.remove_assets([target])
        lib.delete_term("stage", "Expansion")
        report = Team(lib).publish()
    assert report.deleted == 1
    out = run_cli(rep, "team", "pull").stdout
    assert "1 removed" in out
    assert search_ids(rep, "quokka") == set()
    with Library(rep) as lib:
        assert target not in lib.assets.ids()
        assert "Expansion" not in lib.taxonomy.names("stage")
    with team.admin() as conn:  # a tombstone, not a missing row
        assert conn.execute(
            "SELECT data IS NULL FROM pitchpack.assets WHERE id = %s", (target,)
        ).fetchone() == (True,)


def test_two_marketers_on_one_asset_second_is_refused_and_keeps_edit(team, marketer, tmp_path):
    publish(marketer, team)
    second = tmp_path / "marketer2"
    team.connect(second, "marketer2", "marketer")
    run_cli(second, "team", "pull")
    target = next(iter(search_ids(second, "quokka")))

    with Library(marketer) as lib:
        lib.update_assets([target], title="First marketer's title")
        assert Team(lib).publish().version == 2
    with Library(second) as lib:
        lib.update_assets([target], title="Second marketer's title")
        with pytest.raises(PublishConflict) as caught:
            Team(lib).publish()
        assert "another marketer" in str(caught.value)
        assert lib.assets.get(target).title == "Second marketer's title"  # edit kept
    proc = run_cli(second, "team", "publish", check=False)
    assert proc.returncode == 1 and "Nothing was published" in proc.stderr
    with team.admin() as conn:
        assert conn.execute(
            "SELECT data->>'title', version FROM pitchpack.assets WHERE id = %s", (target,)
        ).fetchone() == ("First marketer's title", 2)

    # Pulling takes the first marketer's version and saves the second's edit aside.
    run_cli(second, "team", "pull", "--no-files")
    with Library(second) as lib:
        assert lib.assets.get(target).title == "First marketer's title"
    kept = list((second / "team" / "kept").glob(f"asset-{target}-*.json"))
    assert json.loads(kept[0].read_text())["title"] == "Second marketer's title"
    # Now a new edit publishes cleanly.
    with Library(second) as lib:
        lib.update_assets([target], title="Agreed title")
        assert Team(lib).publish().version == 3


def test_rep_role_is_refused_by_postgresql(team, marketer, tmp_path):
    publish(marketer, team)
    with team.server("rep1") as server:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            server.conn.execute("UPDATE pitchpack.assets SET data = NULL")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            server.conn.execute("SELECT count(*) FROM pitchpack.events")
        with pytest.raises(TeamError, match="refused this for your role"):
            server.publish([], [])
        assert server.info().version == 1  # reading the catalog is allowed
    rep = tmp_path / "rep"
    team.connect(rep, "rep1", "rep")
    proc = run_cli(rep, "team", "publish", check=False)
    assert proc.returncode == 1 and "Only a marketer" in proc.stderr


def test_file_whose_bytes_do_not_match_its_hash_is_refused(team, marketer, tmp_path):
    publish(marketer, team)
    target = next(iter(search_ids(marketer, "quokka")))
    with Library(marketer) as lib:
        content_hash = lib.assets.get(target).content_hash
    team.s3.client().put_object(Bucket=team.bucket, Key=key_of(content_hash), Body=b"tampered")
    rep = tmp_path / "rep"
    team.connect(rep, "rep1", "rep")
    proc = run_cli(rep, "team", "pull", check=False)
    assert proc.returncode == 2
    assert f"asset {target}" in proc.stdout and "refused" in proc.stdout
    assert status(rep)["files_missing"] == 1
    with Library(rep) as lib:
        path = Path(lib.assets.get(target).path)
        assert not path.exists() and not list(path.parent.glob("*.part"))


def test_rep_offline_past_retention_takes_a_full_resync(team, marketer, tmp_path):
    with team.admin() as conn:
        conn.execute("UPDATE pitchpack.library SET retain = 1")
    publish(marketer, team)
    rep = tmp_path / "rep"
    team.connect(rep, "rep1", "rep")
    run_cli(rep, "team", "pull", "--no-files")
    target = next(iter(search_ids(rep, "quokka")))
    with Library(marketer) as lib:
        lib.remove_assets([target])  # version 2: a tombstone
        Team(lib).publish()
        other = lib.assets.ids()[0]
        lib.update_assets([other], title="Renamed while the rep was away")
        Team(lib).publish()  # version 3 purges the tombstone of version 2
    with team.admin() as conn:
        assert conn.execute(
            "SELECT count(*) FROM pitchpack.assets WHERE id = %s", (target,)
        ).fetchone() == (0,)
        assert conn.execute("SELECT min_version FROM pitchpack.library").fetchone() == (2,)
    out = run_cli(rep, "team", "pull", "--no-files").stdout
    assert "full resync" in out
    assert search_ids(rep, "quokka") == set()
    with Library(rep) as lib:
        assert target not in lib.assets.ids()
        assert lib.assets.get(other).title == "Renamed while the rep was away"
    assert status(rep)["library_version"] == 3


def test_events_pool_exactly_once_and_drain_after_server_comes_back(
    team, marketer, tmp_path, postgres
):
    publish(marketer, team)
    rep = tmp_path / "rep"
    team.connect(rep, "rep1", "rep")
    run_cli(rep, "team", "pull", "--no-files")
    ids = sorted(search_ids(rep, "all"))
    with Library(rep, rep="rita") as lib:
        for asset_id in ids:
            lib.usage.record_open(asset_id)
            lib.usage.record_preview(asset_id)
    waiting = status(rep)["outbox"]
    assert waiting >= 2 * len(ids)

    postgres.stop()
    try:
        proc = run_cli(rep, "team", "push", check=False)
        assert proc.returncode == 1 and "cannot be reached" in proc.stderr
        assert status(rep)["outbox"] == waiting  # nothing marked sent
    finally:
        postgres.start()
    assert f"Sent {waiting}" in run_cli(rep, "team", "push").stdout
    assert status(rep)["outbox"] == 0
    assert "Sent 0" in run_cli(rep, "team", "push").stdout

    report = json.loads(run_cli(marketer, "stats", "--team", "--json").stdout)
    local = json.loads(run_cli(rep, "stats", "--json").stdout)
    assert set(report) == set(local)
    assert {r["rep"]: r for r in report["by_rep"]}["rita"]["opens"] == len(ids)
    # Pooling again adds nothing; the marketer never pushes the reps' events back.
    again = json.loads(run_cli(marketer, "stats", "--team", "--json").stdout)
    assert again["by_rep"] == report["by_rep"]
    with team.admin() as conn:
        total = conn.execute("SELECT count(*) FROM pitchpack.events").fetchone()[0]
    run_cli(marketer, "team", "push")
    with team.admin() as conn:
        assert conn.execute("SELECT count(*) FROM pitchpack.events").fetchone()[0] == total


def test_connect_keeps_secrets_out_of_files(team, tmp_path):
    import keyring

    folder = tmp_path / "rep"
    team.connect(folder, "rep1", "rep")
    text = (folder / "team" / "settings.json").read_text()
    assert "r1-secret" not in text and "testsecret" not in text
    settings = json.loads(text)
    assert keyring.get_password("Pitchpack team", settings["db_url"]) == "r1-secret"
    for path in folder.rglob("*"):
        if path.is_file():
            assert b"r1-secret" not in path.read_bytes()


def test_every_team_command_has_help():
    from main import main

    for action in ("connect", "migrate", "publish", "pull", "push", "status"):
        with pytest.raises(SystemExit) as done:
            main(["team", action, "--help"])
        assert done.value.code == 0
