"""Plain text (.txt): reads at most a bounded prefix and guesses the encoding."""

from __future__ import annotations

import codecs
from pathlib import Path

from library.models import Extracted, Page

# Up to four bytes per character in UTF-8, so this prefix always covers max_chars.
BYTES_PER_CHAR = 4


def extract(path: Path, max_chars: int) -> Extracted:
    """Read a text file as one page; only the first ``4 * max_chars`` bytes are loaded."""
    text, truncated = read_text(path, max_chars * BYTES_PER_CHAR)
    return Extracted(pages=[Page(1, text)], paged=False, truncated=truncated)


def read_text(path: Path, max_bytes: int) -> tuple[str, bool]:
    """Return the decoded start of the file, and whether the file went on past max_bytes."""
    with open(path, "rb") as file:
        data = file.read(max_bytes + 1)
    truncated = len(data) > max_bytes
    return decode(data[:max_bytes], complete=not truncated), truncated


def decode(data: bytes, *, complete: bool = True) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 or Latin-1.

    Line ends become ``\\n`` and NUL bytes are dropped. ``complete=False`` says the data
    was cut short, so a character split at the end is not taken as a sign of another
    encoding.
    """
    text = _decode(data, complete)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def _decode(data: bytes, complete: bool) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return codecs.getincrementaldecoder("utf-8-sig")().decode(data, final=complete)
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; Latin-1 maps every byte.
        return data.decode("latin-1")
