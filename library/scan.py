"""Scanning: which files an add or rescan must look at, and what changed in them.

Nothing here writes to the catalog: the scan lists files (passing over links that leave a
folder), compares size and time, then hashes, against what the catalog knows, and says
what to read, what moved and what is gone. ``library.store`` writes the outcome.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from library.extract import SUPPORTED_SUFFIXES
from library.filechecks import os_message, refusal
from library.import_report import LINK_LEAVES_FOLDER, Failure, ImportReport
from library.models import FailureReason, FileState
from library.progress import ProgressHook, cancelled, report
from library.settings import set_command

_JUNK = {".ds_store", "thumbs.db", "desktop.ini"}


@dataclass
class Known:
    """A file the catalog already has, as it was recorded."""

    id: int
    size: int
    mtime: float
    content_hash: str
    state: str


@dataclass
class ScanPlan:
    """What the first pass over the files found, before anything is written."""

    to_read: list[tuple[Path, os.stat_result, str]] = field(default_factory=list)
    unknown: list[tuple[Path, os.stat_result]] = field(default_factory=list)
    touched: list[tuple[int, os.stat_result]] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def walk(
    root: Path, *, follow_links: bool = False, skipped: list[Failure] | None = None
) -> Iterator[Path]:
    """Files below ``root``, skipping hidden and temporary ones.

    A link that leads out of ``root`` (to ``~/.ssh``, say) is not followed unless
    ``follow_links``; it is added to ``skipped`` with the reason. Links to folders are
    followed only with ``follow_links``, and then each real folder once, so a link loop
    cannot trap the scan.
    """
    real_root = os.path.realpath(root)
    visited = {real_root}
    for folder, dirs, files in os.walk(root, followlinks=follow_links, onerror=lambda e: None):
        kept = []
        for name in sorted(dirs):
            if name.startswith("."):
                continue
            path = os.path.join(folder, name)
            if os.path.islink(path):
                target = os.path.realpath(path)
                if not follow_links:
                    if not _inside(target, real_root) and skipped is not None:
                        skipped.append(_link_skipped(path, target))
                    continue
                if target in visited:
                    continue
                visited.add(target)
            kept.append(name)
        dirs[:] = kept
        for name in sorted(files):
            if name.startswith((".", "~$")) or name.lower() in _JUNK:
                continue
            path = os.path.join(folder, name)
            if not follow_links and os.path.islink(path):
                target = os.path.realpath(path)
                if not _inside(target, real_root):
                    if skipped is not None:
                        skipped.append(_link_skipped(path, target))
                    continue
            yield Path(path)


def _inside(target: str, real_root: str) -> bool:
    return target == real_root or target.startswith(real_root.rstrip(os.sep) + os.sep)


def _link_skipped(path: str, target: str) -> Failure:
    return Failure(
        path,
        LINK_LEAVES_FOLDER,
        f"This is a link to {target}, outside the folder, so it was not followed "
        f"(to follow such links: {set_command('watch.follow_links')}).",
    )


def unsupported_message(path: Path) -> str:
    return (
        f"Files of type '{path.suffix or 'without extension'}' are not supported "
        "(PDF, DOCX, PPTX, HTML, Markdown and plain text are)."
    )


def files_to_add(
    paths: Iterable[Path | str], rep: ImportReport, *, follow_links: bool
) -> tuple[list[Path], list[Path]]:
    """The files named or found in folders, and the folders; what is passed over goes to ``rep``."""
    files: list[Path] = []
    roots: list[Path] = []
    for raw in paths:
        path = Path(raw).expanduser().absolute()
        if path.is_dir():
            roots.append(path)
            for found in walk(path, follow_links=follow_links, skipped=rep.skipped):
                if found.suffix.lower() in SUPPORTED_SUFFIXES:
                    files.append(found)
                else:
                    rep.skipped.append(
                        Failure(str(found), FailureReason.UNSUPPORTED, unsupported_message(found))
                    )
        elif path.exists() or path.is_symlink():  # a broken link is reported when read
            files.append(path)
        else:
            rep.failed.append(
                Failure(str(path), FailureReason.UNREADABLE, "There is no such file or folder.")
            )
    return files, roots


def files_to_rescan(
    roots: list[Path], known_paths: Iterable[str], rep: ImportReport, *, follow_links: bool
) -> list[Path]:
    """Supported files in the watched folders, then every known file not among them."""
    files = [
        f
        for root in roots
        if root.is_dir()
        for f in walk(root, follow_links=follow_links, skipped=rep.skipped)
        if f.suffix.lower() in SUPPORTED_SUFFIXES
    ]
    seen = {str(f) for f in files}
    return files + [Path(p) for p in known_paths if p not in seen]


def compare(
    files: list[Path],
    known: dict[str, Known],
    rep: ImportReport,
    progress: ProgressHook,
    cancel: threading.Event | None,
) -> ScanPlan | None:
    """First pass: stat every file and hash those whose size or time moved.

    Returns None when cancelled. Unchanged files are counted in ``rep``; new files are left
    in ``ScanPlan.unknown`` to be hashed once the vanished ones are known (a move).
    """
    plan = ScanPlan()
    total = len(files)
    for n, path in enumerate(files, 1):
        if cancelled(cancel):
            rep.cancelled = True
            return None
        if n % 64 == 0 or n == total:
            report(progress, "scanning", n, total, str(path))
        key = str(path)
        if key in plan.seen:
            continue
        plan.seen.add(key)
        try:
            st = path.stat()
        except OSError as exc:
            if key not in known:
                rep.failed.append(Failure(key, FailureReason.UNREADABLE, os_message(exc)))
            continue
        if refused := refusal(path, st):
            rep.failed.append(Failure(key, *refused))
            continue
        entry = known.get(key)
        if entry is None:
            plan.unknown.append((path, st))
        elif (
            entry.size == st.st_size
            and entry.mtime == st.st_mtime
            and entry.state != FileState.MISSING
        ):
            rep.unchanged += 1
        else:
            digest = hash_or_fail(path, rep)
            if digest is None:
                continue
            if digest == entry.content_hash and entry.state == FileState.OK:
                plan.touched.append((entry.id, st))
                rep.unchanged += 1
            else:
                plan.to_read.append((path, st, digest))
    return plan


def hash_or_fail(path: Path, rep: ImportReport) -> str | None:
    """The file's hash, or None with the reason recorded in ``rep``."""
    try:
        return file_hash(path)
    except OSError as exc:
        rep.failed.append(Failure(str(path), FailureReason.UNREADABLE, os_message(exc)))
        return None


def _under(path: str, roots: list[Path]) -> bool:
    return any(path.startswith(str(r) + os.sep) for r in roots)


def vanished(
    known: dict[str, Known], seen: set[str], roots: list[Path], files: list[Path]
) -> list[Known]:
    """Known files in these folders, or named, that are no longer on disk."""
    explicit = {str(f) for f in files}
    gone = []
    for path, entry in known.items():
        if path in seen and os.path.exists(path):
            continue
        if (path in explicit or _under(path, roots)) and not os.path.exists(path):
            gone.append(entry)
    return gone


def stale_duplicates(paths: Iterable[str], roots: list[Path], files: list[Path]) -> list[str]:
    """Recorded copies, in these folders or named, whose file was deleted."""
    explicit = {str(f) for f in files}
    return [p for p in paths if (p in explicit or _under(p, roots)) and not os.path.lexists(p)]
