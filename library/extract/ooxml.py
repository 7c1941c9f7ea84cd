"""Checks on DOCX and PPTX zip packages before a reader is allowed to unpack them."""

from __future__ import annotations

import zipfile
from pathlib import Path

from library.errors import ExtractionError
from library.models import FailureReason

MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 20_000
# Document XML compresses 10-50x; only a crafted member inflates a thousandfold.
MAX_RATIO = 200
_RATIO_FLOOR_BYTES = 10 * 1024 * 1024
# Password-protected DOCX/PPTX files are not zips but compound files with this signature.
_COMPOUND_FILE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_package(
    path: Path,
    *,
    main_part: str,
    kind: str,
    max_unpacked: int = MAX_UNPACKED_BYTES,
) -> None:
    """Refuse a file that is not a sound DOCX or PPTX package before anything unpacks it.

    Python's zipfile stops inflating a member at its declared size (and then fails its
    CRC check), so the sizes in the zip's directory are a safe bound to check against.

    :param main_part: the part every such document has, e.g. ``word/document.xml``.
    :param kind: the document kind for messages, e.g. "DOCX document".
    :raises ExtractionError: "encrypted" for a password-protected document; "corrupt"
        for a file that is not a zip or lacks ``main_part``; "too_large" for a package
        that would unpack past ``max_unpacked`` bytes, has too many members, or
        inflates absurdly (a zip bomb).
    """
    not_kind = f"The file is damaged or is not a {kind}."
    too_large = (
        f"The {kind} unpacks to more than {max_unpacked // (1024 * 1024)} MB, which is "
        "more than Pitchpack reads; save a smaller copy and add it again."
    )
    encrypted = ExtractionError(
        FailureReason.ENCRYPTED,
        f"The {kind} is password-protected or in an old format; "
        "save an unprotected copy as a current file and add it again.",
    )
    with open(path, "rb") as file:
        if file.read(len(_COMPOUND_FILE_SIGNATURE)) == _COMPOUND_FILE_SIGNATURE:
            raise encrypted
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise ExtractionError(FailureReason.CORRUPT, not_kind) from exc
    if len(members) > MAX_MEMBERS:
        raise ExtractionError(FailureReason.TOO_LARGE, too_large)
    if main_part not in {member.filename for member in members}:
        raise ExtractionError(FailureReason.CORRUPT, not_kind)
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise encrypted
        # DOCX and PPTX only store or deflate; other methods inflate without a bound per read.
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ExtractionError(FailureReason.CORRUPT, not_kind)
        total += member.file_size
        if total > max_unpacked:
            raise ExtractionError(FailureReason.TOO_LARGE, too_large)
        if member.file_size > _RATIO_FLOOR_BYTES and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise ExtractionError(
                FailureReason.TOO_LARGE,
                f"The {kind} would expand to an implausible size when opened, so it was not read.",
            )
