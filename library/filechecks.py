"""Checks on a file before anything opens it, and OS errors told as sentences for users."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from library.models import FailureReason

# A file whose mtime is this close to the moment it is recorded may still change within
# the file system's timestamp granularity (up to 2 s on FAT); see `recorded_mtime`.
RACY_SECONDS = 2.0


def refusal(path: Path, st: os.stat_result) -> tuple[FailureReason, str] | None:
    """Why ``path`` must not be read at all, or None when it may be.

    Pipes, devices and sockets are refused before anything opens them: reading a pipe
    waits forever for a writer, and a device such as /dev/zero never ends. A name that
    is not valid text (bytes from another system's encoding) cannot be stored.
    """
    if not stat.S_ISREG(st.st_mode):
        return (
            FailureReason.UNSUPPORTED,
            "This is not an ordinary file (it is a pipe, device or socket), so it was not read.",
        )
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return (
            FailureReason.UNREADABLE,
            "The file's name has characters that are not valid text; rename the file and add it again.",
        )
    return None


def os_message(exc: OSError) -> str:
    """One sentence, for users, on why the system would not let a file be opened."""
    if exc.errno == errno.ELOOP:
        return "The file is a link that leads back to itself, so there is nothing to read."
    if isinstance(exc, FileNotFoundError):
        if exc.filename and os.path.islink(exc.filename):
            return "The file is a link to something that is no longer there."
        return "The file was moved or deleted before it could be read."
    if isinstance(exc, PermissionError):
        return "Pitchpack is not allowed to read the file; check its permissions."
    reason = (exc.strerror or "unknown error").rstrip(".").lower()
    return f"The file could not be opened ({reason})."


def recorded_mtime(st: os.stat_result, now: float) -> float:
    """The modification time to remember for a file, or -1 to look at it again next time.

    A file changed within a timestamp tick of being scanned may change again without its
    time moving; remembering -1 makes the next scan compare its hash instead (the
    "racily clean" problem that git solves the same way).
    """
    return -1.0 if now - st.st_mtime < RACY_SECONDS else st.st_mtime
