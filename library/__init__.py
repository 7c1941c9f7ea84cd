"""Pitchpack's catalog and ingestion: plain Python, no Qt."""

from __future__ import annotations

from typing import TYPE_CHECKING

from library.errors import PitchpackError

if TYPE_CHECKING:
    from library.library import Library

__all__ = ["Library", "PitchpackError"]


def __getattr__(name: str):
    # Extraction workers import this package too: only code that asks for the facade
    # pays for importing the whole core behind it.
    if name == "Library":
        from library.library import Library

        return Library
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
