"""Undoable edits of assets: each command snapshots the assets before and after its change.

The work runs on the runner's write pool, which takes one job at a time in order, so an
undo queued right after its redo always sees the snapshots the redo stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtGui import QUndoCommand

from library import Library
from library.models import Asset
from ui.tasks import TaskRunner

Change = Callable[[Library], None]


@dataclass
class _Snapshots:
    """Filled in on the worker thread; read only by later jobs on the same write pool."""

    before: list[Asset] | None = None
    after: list[Asset] | None = None
    failed: bool = False
    ids: list[int] = field(default_factory=list)


class AssetEditCommand(QUndoCommand):
    """Apply ``change`` to assets ``ids``; undo puts back their snapshot, redo the later one.

    ``on_done(ids)`` runs on the GUI thread after each apply, undo or redo.
    """

    def __init__(
        self,
        text: str,
        library: Library,
        runner: TaskRunner,
        ids: list[int],
        change: Change,
        on_done: Callable[[list[int]], None],
    ) -> None:
        super().__init__(text)
        self.library = library
        self.runner = runner
        self.change = change
        self.on_done = on_done
        self.state = _Snapshots(ids=list(ids))

    def redo(self) -> None:
        library, state, change = self.library, self.state, self.change

        def work() -> list[int]:
            if state.after is not None:
                library.restore_assets(state.after)
                return state.ids
            state.before = library.assets.snapshot(state.ids)
            try:
                change(library)
            except Exception:
                state.failed = True
                raise
            state.after = library.assets.snapshot(state.ids)
            return state.ids

        self._submit(work)

    def undo(self) -> None:
        library, state = self.library, self.state

        def work() -> list[int]:
            if state.failed or state.before is None:
                return []
            library.restore_assets(state.before)
            return state.ids

        self._submit(work)

    def _submit(self, work: Callable[[], list[int]]) -> None:
        self.runner.run(work, write=True, on_success=self.on_done)


def set_fields(ids: list[int], **fields) -> Change:
    return lambda library: library.update_assets(ids, **fields)


def tag(ids: list[int], facet: str, names: list[str], mode: str, *, create: bool = False) -> Change:
    return lambda library: library.tag_assets(ids, facet, names, mode=mode, create=create)


def resolve_suggestions(
    ids: list[int], *, accept: bool, facet: str | None = None, names: list[str] | None = None
) -> Change:
    return lambda library: library.resolve_suggestions(ids, accept=accept, facet=facet, names=names)
