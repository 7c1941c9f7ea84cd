"""Backing a library up to one zip archive, and restoring one into an empty folder.

The archive holds a consistent copy of the catalog (taken with SQLite's backup API, so a
library in use can be backed up) and the library's own files: settings, note templates
and packet files. The search index is left out: it is rebuilt from the catalog.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from library.atomic import atomic_path
from library.errors import PitchpackError

if TYPE_CHECKING:
    from library.library import Library

FORMAT = "pitchpack-backup"
VERSION = 1
MANIFEST = "pitchpack-backup.json"
CATALOG = "catalog.sqlite"
# What a library folder holds besides its catalog that is worth keeping; the index, the
# usage cache and other processes' usage journals are rebuilt or replayed, not restored.
KEPT_FILES = ("settings.json",)
KEPT_FOLDERS = ("templates", "packets")


class BackupError(PitchpackError):
    """An archive that cannot be written, read or restored."""


@dataclass
class BackupReport:
    path: Path
    assets: int
    files: list[str]  # the library files stored besides the catalog, as archive names
    size: int


def backup(library: Library, archive_path: Path | str) -> BackupReport:
    """Write ``library`` to a zip archive at ``archive_path``, replacing it atomically.

    :raises BackupError: when the catalog copy fails its integrity check or the archive
        cannot be written.
    """
    archive_path = Path(archive_path).expanduser().absolute()
    library.usage.flush()  # usage still queued in memory belongs in the backup too
    with tempfile.TemporaryDirectory(prefix="pitchpack-backup-") as scratch:
        copy = Path(scratch) / CATALOG
        _copy_catalog(library.folder / CATALOG, copy)
        with sqlite3.connect(copy) as db:
            assets = db.execute("SELECT count(*) FROM assets").fetchone()[0]
            generation = db.execute("SELECT value FROM info WHERE key = 'generation'").fetchone()
        db.close()
        files = _library_files(library.folder)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created": datetime.now(UTC).replace(microsecond=0).isoformat(),
            "generation": int(generation[0]) if generation else 0,
            "assets": assets,
            "files": [name for name, _ in files],
        }
        try:
            with (
                atomic_path(archive_path) as temp,
                zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as archive,
            ):
                archive.writestr(MANIFEST, json.dumps(manifest, indent=2))
                archive.write(copy, CATALOG)
                for name, source in files:
                    archive.write(source, name)
        except OSError as exc:
            raise BackupError(f"The backup could not be written to {archive_path}: {exc}") from exc
    return BackupReport(archive_path, assets, manifest["files"], archive_path.stat().st_size)


def restore(archive_path: Path | str, folder: Path | str) -> dict:
    """Unpack a backup made by `backup` into ``folder``, which must be empty or not exist.

    Every member must land inside ``folder``: absolute names, ``..`` and links are refused
    before anything is written. Nothing is left behind when a restore fails. Open the
    folder as a ``Library`` and call ``ensure_index()`` afterwards to rebuild the index.

    :returns: the archive's manifest.
    :raises BackupError: for a non-empty folder, a file that is not a Pitchpack backup,
        an unsafe member, too little disk space, or a damaged catalog.
    """
    archive_path = Path(archive_path).expanduser()
    folder = Path(folder).expanduser().absolute()
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BackupError(f"{folder} is not empty; restore into a new, empty folder.")
    try:
        archive = zipfile.ZipFile(archive_path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise BackupError(f"{archive_path} is not a Pitchpack backup ({exc}).") from exc
    with archive:
        manifest = _manifest(archive, archive_path)
        members = [info for info in archive.infolist() if not info.is_dir()]
        names = [_checked_name(info) for info in members]
        if len(set(names)) != len(names) or CATALOG not in names:
            raise BackupError(f"{archive_path} is damaged: its list of files is inconsistent.")
        created = not folder.exists()
        folder.mkdir(parents=True, exist_ok=True)
        try:
            needed = sum(info.file_size for info in members)
            if shutil.disk_usage(folder).free < needed:
                raise BackupError(f"There is not enough free disk space in {folder} to restore.")
            staging = Path(tempfile.mkdtemp(prefix=".restoring-", dir=folder))
            for info, name in zip(members, names, strict=True):
                _extract(archive, info, staging, name)
            _check_catalog(staging / CATALOG)
            (staging / MANIFEST).unlink()
            for item in staging.iterdir():
                item.rename(folder / item.name)
        except BaseException:
            for item in folder.iterdir():  # the folder was empty: leave it so
                if item.is_dir() and not item.is_symlink():
                    shutil.rmtree(item)
                else:
                    item.unlink()
            if created:
                folder.rmdir()
            raise
        staging.rmdir()
    return manifest


# -- backing up ------------------------------------------------------------------------------


def _copy_catalog(source: Path, target: Path) -> None:
    """A consistent copy of a catalog that may be in use, as one self-contained file."""
    src = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        # The copy inherits WAL mode; a rollback journal keeps it one file inside the zip.
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        src.close()
        dst.close()
    _check_catalog(target)


def _library_files(folder: Path) -> list[tuple[str, Path]]:
    """The library's own files to keep, as (archive name, path); links are never followed,
    so a backup cannot carry files from outside the library."""
    found = [(name, folder / name) for name in KEPT_FILES if _plain_file(folder / name)]
    for top in KEPT_FOLDERS:
        if not (folder / top).is_dir() or (folder / top).is_symlink():
            continue
        for parent, dirs, names in os.walk(folder / top):  # links to folders: not entered
            dirs.sort()
            for name in sorted(names):
                path = Path(parent, name)
                if _plain_file(path):
                    found.append((path.relative_to(folder).as_posix(), path))
    return found


def _plain_file(path: Path) -> bool:
    return path.is_file() and not path.is_symlink()


# -- restoring -------------------------------------------------------------------------------


def _manifest(archive: zipfile.ZipFile, path: Path) -> dict:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError) as exc:
        raise BackupError(f"{path} is not a Pitchpack backup.") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a Pitchpack backup.")
    if not isinstance(manifest.get("version"), int) or manifest["version"] > VERSION:
        raise BackupError(f"{path} was made by a newer Pitchpack; update Pitchpack to restore it.")
    return manifest


def _checked_name(info: zipfile.ZipInfo) -> str:
    """The member's name if it stays inside the folder it is restored into, else raise."""
    name = info.filename
    unsafe = BackupError(
        f"The backup holds an unsafe file name ({name!r}), so nothing was restored."
    )
    if not name or "\\" in name or "\x00" in name or ":" in name:
        raise unsafe
    path = PurePosixPath(name)
    if path.is_absolute() or any(part in ("", ".", "..") for part in name.split("/")):
        raise unsafe
    kind = stat.S_IFMT(info.external_attr >> 16)  # 0 when the archiver recorded none
    if kind not in (0, stat.S_IFREG):
        raise BackupError(
            f"The backup holds a link or special file ({name!r}), so nothing was restored."
        )
    if path.parts[0] not in (MANIFEST, CATALOG, *KEPT_FILES, *KEPT_FOLDERS):
        raise BackupError(
            f"The backup holds an unexpected file ({name!r}), so nothing was restored."
        )
    return name


def _extract(archive: zipfile.ZipFile, info: zipfile.ZipInfo, root: Path, name: str) -> None:
    target = root.joinpath(*name.split("/"))
    if not target.resolve().is_relative_to(root.resolve()):  # belt and braces
        raise BackupError(
            f"The backup holds an unsafe file name ({name!r}), so nothing was restored."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with archive.open(info) as source, open(target, "xb") as sink:
            shutil.copyfileobj(source, sink, 1 << 20)
    except (zipfile.BadZipFile, EOFError) as exc:
        raise BackupError(f"The backup is damaged ({name}: {exc}).") from exc


def _check_catalog(path: Path) -> None:
    try:
        with sqlite3.connect(path) as db:
            result = db.execute("PRAGMA integrity_check").fetchone()[0]
            db.execute("SELECT value FROM info WHERE key = 'generation'").fetchone()
        db.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"The catalog in the backup is damaged ({exc}).") from exc
    if result != "ok":
        raise BackupError(f"The catalog in the backup is damaged ({result}).")
