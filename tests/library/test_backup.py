"""Backup and restore: the same catalog and library files afterwards, search rebuilt, and
archives that try to write outside the folder refused before anything is written."""

from __future__ import annotations

import json
import sqlite3
import stat
import zipfile
from pathlib import Path

import pytest

from library import Library
from library.backup import MANIFEST, BackupError, backup, restore
from library.packets import Prospect
from library.packets.settings import RepSettings
from main import main
from search import SearchQuery


def dump(catalog: Path) -> dict[str, list[tuple]]:
    """Every table of a catalog, rows in a stable order."""
    with sqlite3.connect(catalog) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        dumped = {
            t: sorted(db.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables
        }
    db.close()
    return dumped


def library_files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for top in ("settings.json", "templates", "packets")
        for p in ([folder / top] if (folder / top).is_file() else sorted((folder / top).rglob("*")))
        if p.is_file()
    }


@pytest.fixture
def filled(library: Library, mixed_folder: Path) -> Library:
    library.add_paths([mixed_folder])
    ids = library.assets.ids(state="ok")
    library.tag_assets(ids[:2], "stage", ["Decision"])
    library.update_assets([ids[0]], title="Backed-up pricing guide")
    packet = library.create_packet(
        Prospect(first_name="Ana", last_name="Lima", email="ana@example.com", company="Acme")
    )
    library.add_to_packet(packet.id, ids[:2])
    library.packets.settings.save(RepSettings(rep_name="Dana Rep", smtp_host="mail.example.com"))
    (library.folder / "templates").mkdir()
    (library.folder / "templates" / "custom.md").write_text("Hello {{ first_name }}\n")
    (library.folder / "packets").mkdir()
    (library.folder / "packets" / "acme.pdf").write_bytes(b"%PDF-1.7 packet")
    return library


def test_backup_then_restore_gives_the_same_library(filled: Library, tmp_path: Path) -> None:
    archive = tmp_path / "backup.zip"
    done = backup(filled, archive)
    assert done.assets == filled.assets.count()
    assert set(done.files) == {"settings.json", "templates/custom.md", "packets/acme.pdf"}
    with zipfile.ZipFile(archive) as zf:
        assert not any(name.startswith("index/") for name in zf.namelist())

    target = tmp_path / "restored"
    manifest = restore(archive, target)
    assert manifest["assets"] == done.assets
    assert dump(target / "catalog.sqlite") == dump(filled.folder / "catalog.sqlite")
    assert library_files(target) == library_files(filled.folder)
    assert not list(target.glob(".restoring-*"))
    with Library(target, workers=1) as restored:
        assert restored.ensure_index()
        hits = restored.search(SearchQuery(text="backed-up pricing")).hits
        assert [h.title for h in hits if not h.fuzzy] == ["Backed-up pricing guide"]
        assert restored.packets.settings.load().rep_name == "Dana Rep"
        assert restored.index.ids() == set(restored.assets.ids(state="ok"))


def test_backup_of_a_library_in_use_takes_only_committed_changes(filled, tmp_path) -> None:
    writer = sqlite3.connect(filled.folder / "catalog.sqlite")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE assets SET title = 'Uncommitted'")
    backup(filled, tmp_path / "during.zip")  # does not wait for, or see, the open write
    writer.rollback()
    writer.close()
    restore(tmp_path / "during.zip", tmp_path / "restored")
    titles = {
        row[0]
        for row in sqlite3.connect(tmp_path / "restored" / "catalog.sqlite").execute(
            "SELECT title FROM assets"
        )
    }
    assert "Uncommitted" not in titles and "Backed-up pricing guide" in titles


def test_the_cli_backs_up_and_restores(filled, tmp_path, capsys) -> None:
    archive, target = tmp_path / "cli.zip", tmp_path / "cli-restored"
    filled.close()
    assert main(["--library", str(filled.folder), "backup", str(archive)]) == 0
    assert "Backed up" in capsys.readouterr().out
    assert main(["restore", str(archive), "--library", str(target)]) == 0
    assert "the search index was rebuilt" in capsys.readouterr().out
    assert main(["--library", str(target), "search", "quokka", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 1
    # Restoring over a library that is there already is refused, and changes nothing.
    before = dump(target / "catalog.sqlite")
    assert main(["restore", str(archive), "--library", str(target)]) == 1
    assert "not empty" in capsys.readouterr().err
    assert dump(target / "catalog.sqlite") == before


def evil_archive(path: Path, name: str, *, link: bool = False) -> Path:
    """A backup with a valid manifest and catalog, plus one hostile member."""
    catalog = path.parent / "ok-catalog.sqlite"
    if not catalog.exists():
        Library(path.parent / "source").close()
        sqlite3.connect(path.parent / "source" / "catalog.sqlite").execute(
            "VACUUM INTO ?", (str(catalog),)
        )
    manifest = json.dumps({"format": "pitchpack-backup", "version": 1})
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(MANIFEST, manifest)
        zf.write(catalog, "catalog.sqlite")
        info = zipfile.ZipInfo(name)
        if link:
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd" if link else "escaped!")
    return path


@pytest.mark.parametrize(
    ("name", "link"),
    [
        ("../escaped.txt", False),
        ("templates/../../escaped.txt", False),
        ("/tmp/escaped-absolute.txt", False),
        ("..\\escaped.txt", False),
        ("C:/escaped.txt", False),
        ("templates/passwd", True),
        ("templates/./x.md", False),
        ("run-me.sh", False),  # not a file a library has
    ],
)
def test_restore_refuses_members_that_escape(tmp_path, name, link) -> None:
    archive = evil_archive(tmp_path / "evil.zip", name, link=link)
    target = tmp_path / "target"
    with pytest.raises(BackupError, match="nothing was restored"):
        restore(archive, target)
    assert not target.exists() or not any(target.iterdir())
    assert not list(tmp_path.rglob("escaped*")) and not Path("/tmp/escaped-absolute.txt").exists()


@pytest.mark.parametrize("kind", ["not-a-zip", "no-manifest", "damaged-catalog", "newer"])
def test_restore_refuses_what_is_not_a_sound_backup(tmp_path, kind) -> None:
    archive = tmp_path / "bad.zip"
    if kind == "not-a-zip":
        archive.write_bytes(b"just some bytes")
    else:
        with zipfile.ZipFile(archive, "w") as zf:
            if kind != "no-manifest":
                version = 99 if kind == "newer" else 1
                zf.writestr(
                    MANIFEST, json.dumps({"format": "pitchpack-backup", "version": version})
                )
            zf.writestr("catalog.sqlite", b"SQLite format 3\x00" + b"\x00" * 200)
    target = tmp_path / "target"
    with pytest.raises(BackupError):
        restore(archive, target)
    assert not target.exists()  # made for the restore, so removed again
