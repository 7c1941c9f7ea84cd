"""File names for what a packet writes: safe on every platform, made from free text."""

from __future__ import annotations

import re

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')


def safe_filename(text: str, suffix: str = "") -> str:
    """A file name that every platform accepts, made from free text such as a title."""
    name = " ".join(_UNSAFE.sub(" ", text).split()).strip(" .")[:120] or "packet"
    return name + suffix
