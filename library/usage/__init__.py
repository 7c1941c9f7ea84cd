"""Usage analytics: what reps search, preview, open and send, and reports on it.

``Library.usage`` (a ``UsageManager``) is the entry point; the types are re-exported here.
"""

from library.usage.events import EventKind, UsageError, UsageEvent, normalise_query
from library.usage.manager import ImportSummary, UsageManager, UsageReport
from library.usage.model import (
    AssetUse,
    ContentGap,
    HeatMap,
    Period,
    RepActivity,
    StaleAsset,
    TermUse,
    UnusedAsset,
    WeekUse,
    Weights,
)
from library.usage.recorder import UsageRecorder
from library.usage.reports import Reports

__all__ = [
    "AssetUse",
    "ContentGap",
    "EventKind",
    "HeatMap",
    "ImportSummary",
    "Period",
    "RepActivity",
    "Reports",
    "StaleAsset",
    "TermUse",
    "UnusedAsset",
    "UsageError",
    "UsageEvent",
    "UsageManager",
    "UsageRecorder",
    "UsageReport",
    "WeekUse",
    "Weights",
    "normalise_query",
]
