"""What the latest pull brought: the assets new to this library and those updated.

A pull that brings changes replaces the list; a pull that brings nothing (the app pulls
every few minutes) keeps it, so a rep still sees what arrived while they were away.
Removed assets are counted by the pull's report but not listed: there is nothing to open.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

NEW, UPDATED = "new", "updated"


@dataclass
class PullNews:
    """The assets the latest pull that changed something brought, and when it ran."""

    pulled_at: str | None = None
    new: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)

    def summary(self) -> str:
        if not (self.new or self.updated):
            return "Nothing new from the team."
        return f"Pulled: {len(self.new)} new, {len(self.updated)} updated"

    def kind_of(self, asset_id: int) -> str | None:
        """``"new"``, ``"updated"``, or None for an asset the latest pull did not bring."""
        if asset_id in self.new:
            return NEW
        return UPDATED if asset_id in self.updated else None

    def to_json(self) -> dict:
        return {"pulled_at": self.pulled_at, "new": self.new, "updated": self.updated}


def remember(state, news: PullNews) -> None:
    """Keep ``news`` as the latest pull's changes, unless it brought none."""
    if news.new or news.updated:
        state.set(pull_news=json.dumps(news.to_json()))


def latest(state, present: set[int]) -> PullNews:
    """The latest pull's changes, without the assets no longer in the library."""
    data = json.loads(state.get("pull_news") or "{}")
    return PullNews(
        data.get("pulled_at"),
        [i for i in data.get("new", []) if i in present],
        [i for i in data.get("updated", []) if i in present],
    )
