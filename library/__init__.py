"""Pitchpack's catalog and ingestion: plain Python, no Qt."""

from library.errors import PitchpackError
from library.library import Library

__all__ = ["Library", "PitchpackError"]
