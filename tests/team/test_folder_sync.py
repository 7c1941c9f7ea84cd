"""Team library in shared-folder mode: immutable releases, write-once event batches, the
same commands and status as server mode. Reps run as their own processes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import STATUS_KEYS, run_cli, search_ids

from library import Library
from library.team import PublishConflict, Team


@pytest.fixture
def share(tmp_path) -> Path:
    folder = tmp_path / "share"
    folder.mkdir()
    return folder


def connect(folder: Path, share: Path, role: str) -> None:
    run_cli(folder, "team", "connect", "--store", str(share), "--role", role)


def test_release_pull_events_and_deletion_through_a_shared_folder(marketer, share, tmp_path):
    connect(marketer, share, "marketer")
    out = run_cli(marketer, "team", "publish").stdout
    assert "Published version 1" in out
    release = share / "releases" / "1"
    manifest = json.loads((release / "manifest.json").read_text())
    with Library(marketer) as lib:
        assert manifest["assets"] == len(lib.assets.ids(state="ok"))
        hashes = {a.content_hash for a in lib.assets.all()}
    assert {p.name for p in (share / "files" / "sha256").iterdir()} == hashes
    assert not list(share.rglob("*.sqlite*")) and not list(share.rglob(".tmp-*"))

    rep = tmp_path / "rep"
    connect(rep, share, "rep")
    run_cli(rep, "team", "pull")
    status = json.loads(run_cli(rep, "team", "status", "--json").stdout)
    assert set(status) == STATUS_KEYS
    assert (status["role"], status["library_version"], status["files_missing"]) == ("rep", 1, 0)
    quokka = search_ids(rep, "quokka")
    assert quokka == search_ids(marketer, "quokka")

    # The rep's usage goes to write-once batch files; the marketer's pull takes each once.
    target = next(iter(quokka))
    with Library(rep, rep="rita") as lib:
        for _ in range(3):
            lib.usage.record_open(target)
    assert "Sent" in run_cli(rep, "team", "push").stdout
    batches = list((share / "events").glob("*/*.jsonl"))
    assert len(batches) == 1
    assert "Sent 0" in run_cli(rep, "team", "push").stdout
    assert len(list((share / "events").glob("*/*.jsonl"))) == 1
    out = run_cli(marketer, "team", "pull").stdout
    assert "team usage events added" in out
    report = json.loads(run_cli(marketer, "stats", "--team", "--json").stdout)
    assert {r["rep"]: r for r in report["by_rep"]}["rita"]["opens"] == 3
    report = json.loads(run_cli(marketer, "stats", "--team", "--json").stdout)
    assert {r["rep"]: r for r in report["by_rep"]}["rita"]["opens"] == 3

    with Library(marketer) as lib:
        lib.remove_assets([target])
        lib.delete_term("stage", "Expansion")
        assert Team(lib).publish().version == 2
    assert (share / "releases" / "1" / "manifest.json").exists()  # releases are never changed
    assert "1 removed" in run_cli(rep, "team", "pull").stdout
    assert search_ids(rep, "quokka") == set()
    with Library(rep) as lib:
        assert "Expansion" not in lib.taxonomy.names("stage")


def test_second_marketer_refused_in_folder_mode(marketer, share, tmp_path):
    connect(marketer, share, "marketer")
    run_cli(marketer, "team", "publish")
    second = tmp_path / "second"
    connect(second, share, "marketer")
    run_cli(second, "team", "pull", "--no-files")
    target = next(iter(search_ids(second, "quokka")))
    with Library(marketer) as lib:
        lib.update_assets([target], title="Mine first")
        Team(lib).publish()
    with Library(second) as lib:
        lib.update_assets([target], title="Mine second")
        with pytest.raises(PublishConflict):
            Team(lib).publish()
        assert lib.assets.get(target).title == "Mine second"
    assert not (share / "releases" / "3").exists()


def test_tampered_file_on_the_share_is_refused(marketer, share, tmp_path):
    connect(marketer, share, "marketer")
    run_cli(marketer, "team", "publish")
    victim = next((share / "files" / "sha256").iterdir())
    victim.write_bytes(b"not what the hash says")
    rep = tmp_path / "rep"
    connect(rep, share, "rep")
    proc = run_cli(rep, "team", "pull", check=False)
    assert proc.returncode == 2 and "refused" in proc.stdout
    status = json.loads(run_cli(rep, "team", "status", "--json").stdout)
    assert status["files_missing"] == 1


def test_a_rep_fetches_only_the_files_of_their_scope(marketer, share, tmp_path):
    connect(marketer, share, "marketer")
    with Library(marketer) as lib:
        target = next(iter(search_ids(marketer, "quokka")))
        lib.tag_assets([target], "stage", ["Decision"])
        total = len(lib.assets.ids(state="ok"))
        Team(lib).publish()
    rep = tmp_path / "rep"
    connect(rep, share, "rep")
    out = run_cli(rep, "team", "pull", "--stage", "decision").stdout
    assert "1 files downloaded" in out
    with Library(rep) as lib:
        assert lib.assets.count() == total  # every asset's metadata and text
        assert Team(lib).status()["files_missing"] == 0  # within the scope
        assert Path(lib.assets.get(target).path).exists()
    out = run_cli(rep, "team", "pull", "--all-files").stdout
    assert f"{total - 1} files downloaded" in out


def test_a_new_term_never_lands_on_a_longer_one(marketer, share, tmp_path):
    with Library(marketer) as lib:
        Team.connect(lib, str(share), "marketer")
        first, second = lib.assets.ids(state="ok")[:2]
        lib.tag_assets([first], "product", ["Hybrid cloud"], create=True)
        Team(lib).publish()
        with Library(tmp_path / "rep") as rep:
            Team.connect(rep, str(share), "rep")
            Team(rep).pull(files=False)
            lib.add_term("product", "Cloud")  # (resolve would pick "Hybrid cloud")
            lib.tag_assets([second], "product", ["Cloud"])
            Team(lib).publish()
            Team(rep).pull(files=False)
            assert rep.assets.get(second).terms["product"] == ["Cloud"]
            assert rep.assets.get(first).terms["product"] == ["Hybrid cloud"]
            assert sorted(rep.taxonomy.names("product")) == ["Cloud", "Hybrid cloud"]
