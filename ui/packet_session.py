"""The packet being edited: its state in the UI, autosave, the live preview and suggestions.

Every change shows at once and is stored by the core in the order it was made, on the
runner's write pool. The preview renders the unsaved state, so it follows typing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, QTimer, Signal

from library import Library
from library.errors import PitchpackError
from library.packets import NoteTemplate, OutdatedItem, Packet, Prospect, RenderedNote
from ui.models.packet_items import PacketItemListModel
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)

SAVE_DELAY_MS = 600
PREVIEW_DELAY_MS = 150
SUGGEST_DELAY_MS = 250
SUGGESTIONS = 8

Edit = Callable[[Library, int], Packet]


class _Handle:
    """Which stored packet the edits go to, shared with the callables on the write pool.

    A packet is created by the first edit that needs it. Only write-pool callables set
    ``id`` and they run one at a time, so edits queued before the id was known find it.
    """

    def __init__(self, packet_id: int | None = None) -> None:
        self.id = packet_id
        self.pending = 0  # edits queued and not yet stored


def _create(library: Library, text: Packet) -> Packet:
    if text.subject.strip() or text.note.strip():
        return library.save_packet(replace(text, id=None, items=[]))
    return library.create_packet(text.prospect)  # the template for stage and persona


class PacketSession(QObject):
    packet_loaded = Signal(object)  # Packet: another packet is shown; refill every field
    packet_stored = Signal(object)  # Packet: status, revision or items changed in the store
    text_replaced = Signal(object)  # Packet: subject and note replaced (template, creation)
    saving_changed = Signal(bool)  # True while edits wait to be stored
    preview_ready = Signal(object)  # RenderedNote
    preview_failed = Signal(object)  # the exception, usually a TemplateError
    suggestions_ready = Signal(list)
    templates_ready = Signal(list)
    outdated_ready = Signal(list)  # OutdatedItem of the latest send
    assets_added = Signal(list)  # asset ids, once stored
    error_raised = Signal(object)

    def __init__(self, library: Library, runner: TaskRunner, parent: QObject | None = None):
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.packet = Packet(None)
        self.model = PacketItemListModel(self)
        self.templates: list[NoteTemplate] = []
        self.rendered: RenderedNote | None = None  # the latest preview that rendered
        self.outdated: list[OutdatedItem] = []  # what changed since a sent packet went out
        self._handle = _Handle()
        self._dirty = False
        self._preview_sequence = 0
        self._suggest_sequence = 0
        self._template_sequence = 0
        self._save_timer = self._timer(SAVE_DELAY_MS, self.flush)
        self._preview_timer = self._timer(PREVIEW_DELAY_MS, self.render_preview)
        self._suggest_timer = self._timer(SUGGEST_DELAY_MS, self.refresh_suggestions)
        self.model.item_moved.connect(self._item_moved)
        self.model.note_edited.connect(self._item_note_edited)
        self.model.assets_dropped.connect(self.add_assets)

    def _timer(self, interval: int, slot) -> QTimer:
        timer = QTimer(self, singleShot=True, interval=interval)
        timer.timeout.connect(slot)
        return timer

    @property
    def is_sent(self) -> bool:
        return self.packet.is_sent

    @property
    def saving(self) -> bool:
        return self._dirty or self._handle.pending > 0

    # -- which packet ----------------------------------------------------------------------

    def load_templates(self) -> None:
        templates = self.library.packets.templates
        self.runner.run(templates.all, on_success=self._templates_loaded)

    def _templates_loaded(self, templates: list[NoteTemplate]) -> None:
        self.templates = templates
        self.templates_ready.emit(templates)

    def new(self) -> None:
        """Start an empty packet; it is stored with the first edit."""
        self.flush()
        self._show(Packet(None))

    def open(self, packet_id: int, *, quiet: bool = False) -> None:
        """Show a stored packet (after any edits still queued for the current one)."""
        self.flush()
        packets = self.library.packets
        self.runner.run(
            lambda: packets.get(packet_id),
            write=True,
            on_success=self._show,
            on_failure=(lambda _exc: self._show(Packet(None))) if quiet else self.error_raised.emit,
        )

    def _show(self, packet: Packet) -> None:
        self._handle = _Handle(packet.id)
        self._dirty = False
        self._save_timer.stop()
        self.packet = replace(packet, prospect=replace(packet.prospect), items=[])
        self.outdated = []
        self.model.read_only = packet.is_sent
        self.model.set_items(packet.items)
        self.packet_loaded.emit(self.packet)
        self.saving_changed.emit(False)
        self.render_preview()
        self.refresh_suggestions()
        if packet.is_sent:
            self._load_outdated()

    def _load_outdated(self) -> None:
        packets, packet_id = self.library.packets, self.packet.id
        self.runner.run(
            lambda: packets.outdated(packet_id),
            on_success=lambda found: self._outdated_loaded(packet_id, found),
        )

    def _outdated_loaded(self, packet_id: int, found: list[OutdatedItem]) -> None:
        if packet_id == self.packet.id:
            self.outdated = found
            self.model.set_outdated({item.asset_id: item.message for item in found})
            self.outdated_ready.emit(found)

    # -- editing the text ------------------------------------------------------------------

    def set_prospect(self, prospect: Prospect) -> None:
        old = self.packet.prospect
        if prospect == old:
            return
        self.packet.prospect = replace(prospect)
        self._changed()
        if (old.stage, old.persona) != (prospect.stage, prospect.persona):
            self._suggest_timer.start()
            self._follow_template()

    def set_subject(self, subject: str) -> None:
        if subject != self.packet.subject:
            self.packet.subject = subject
            self._changed()

    def set_note(self, note: str) -> None:
        if note != self.packet.note:
            self.packet.note = note
            self._changed()

    def template(self, slug: str) -> NoteTemplate | None:
        return next((t for t in self.templates if t.slug == slug), None)

    def note_is_template(self) -> bool:
        """True while the subject and note are a template's, untouched (or empty)."""
        packet = self.packet
        if not packet.subject.strip() and not packet.note.strip():
            return True
        chosen = self.template(packet.template)
        return chosen is not None and (chosen.subject, chosen.body) == (packet.subject, packet.note)

    def apply_template(self, template: NoteTemplate) -> None:
        self.packet.subject, self.packet.note = template.subject, template.body
        self.packet.template = template.slug
        self.text_replaced.emit(self.packet)
        self._changed()

    def _follow_template(self) -> None:
        """While the note is still a template's, switch to the one for the new stage/persona."""
        if not self.note_is_template() or self.packet.id is None:
            return
        templates = self.library.packets.templates
        stage, persona = self.packet.prospect.stage, self.packet.prospect.persona
        self._template_sequence += 1
        sequence = self._template_sequence
        self.runner.run(
            lambda: templates.best_for(stage, persona),
            on_success=lambda found: self._best_template_found(sequence, found),
        )

    def _best_template_found(self, sequence: int, template: NoteTemplate | None) -> None:
        if sequence != self._template_sequence:
            return  # the stage or persona changed again meanwhile
        if template and template.slug != self.packet.template and self.note_is_template():
            self.apply_template(template)

    def _changed(self) -> None:
        if self.is_sent:
            return
        self._dirty = True
        self.saving_changed.emit(True)
        self._save_timer.start()
        self._preview_timer.start()

    def flush(self) -> None:
        """Queue the text edits waiting for the autosave delay now."""
        self._save_timer.stop()
        if not self._dirty:
            return
        self._dirty = False
        text = replace(self.packet, prospect=replace(self.packet.prospect), items=[])

        def store(library: Library, packet_id: int) -> Packet:
            packet = library.packets.get(packet_id)
            packet.prospect, packet.subject = text.prospect, text.subject
            packet.note, packet.template = text.note, text.template
            return library.save_packet(packet)

        self._write(store)

    # -- editing the items -----------------------------------------------------------------

    def add_assets(self, asset_ids: list[int], row: int = -1) -> None:
        """Add assets (at ``row``, else at the end); those already in the packet stay put."""
        if self.is_sent:
            self.error_raised.emit(
                PitchpackError(
                    "This packet was sent and is kept as the record of what went out. Start a "
                    "new packet, or duplicate this one, to add assets."
                )
            )
            return
        present = set(self.model.asset_ids())
        ids = [i for i in dict.fromkeys(asset_ids) if i not in present]
        if not ids:
            return
        position = row if row >= 0 else None

        def add(library: Library, packet_id: int) -> Packet:
            return library.add_to_packet(packet_id, ids, position=position)

        self._write(add, after=lambda _packet: self.assets_added.emit(ids))

    def remove_assets(self, asset_ids: list[int]) -> None:
        if self.is_sent or not asset_ids:
            return
        ids = list(asset_ids)
        self.model.remove(ids)
        self._write(lambda library, packet_id: library.remove_from_packet(packet_id, ids))
        self._items_changed()

    def _item_moved(self, asset_id: int, position: int) -> None:
        self._write(
            lambda library, packet_id: library.move_in_packet(packet_id, asset_id, position)
        )

    def _item_note_edited(self, asset_id: int, note: str) -> None:
        self._write(
            lambda library, packet_id: library.set_packet_item_note(packet_id, asset_id, note)
        )

    def _items_changed(self) -> None:
        self._preview_timer.start()  # {asset_count} follows the items
        self._suggest_timer.start()

    # -- storing ---------------------------------------------------------------------------

    def _write(self, edit: Edit, *, after: Callable[[Packet], None] | None = None) -> None:
        handle, library = self._handle, self.library
        text = replace(self.packet, prospect=replace(self.packet.prospect), items=[])

        def work() -> Packet:
            if handle.id is None:
                handle.id = _create(library, text).id
            return edit(library, handle.id)

        handle.pending += 1
        self.saving_changed.emit(True)
        self.runner.run(
            work,
            write=True,
            on_success=lambda packet: self._stored(handle, packet, after),
            on_failure=lambda exc: self._store_failed(handle, exc),
        )

    def _stored(self, handle: _Handle, packet: Packet, after) -> None:
        handle.pending -= 1
        if handle is not self._handle:
            return  # an edit of a packet that is no longer shown
        created = self.packet.id is None
        self._take_status(packet)
        if created and not self.packet.subject and not self.packet.note and packet.note:
            self.packet.subject, self.packet.note = packet.subject, packet.note
            self.packet.template = packet.template
            self.text_replaced.emit(self.packet)
        if handle.pending == 0:
            # Only once nothing is in flight: earlier results would undo later local moves.
            self.model.sync(packet.items)
            self._items_changed()
        if after is not None:
            after(packet)
        self.saving_changed.emit(self.saving)
        self.packet_stored.emit(self.packet)

    def _store_failed(self, handle: _Handle, exc: BaseException) -> None:
        handle.pending -= 1
        self.error_raised.emit(exc)
        if handle is self._handle and handle.id is not None:
            packets, packet_id = self.library.packets, handle.id
            self.runner.run(
                lambda: packets.get(packet_id),
                write=True,
                on_success=lambda packet: self._resync(handle, packet),
                on_failure=None,
            )
        self.saving_changed.emit(self.saving)

    def _resync(self, handle: _Handle, packet: Packet) -> None:
        if handle is self._handle and handle.pending == 0:
            self._take_status(packet)
            self.model.sync(packet.items)
            self.packet_stored.emit(self.packet)

    def _take_status(self, packet: Packet) -> None:
        for name in ("id", "status", "revision", "created", "updated", "exported", "sent"):
            setattr(self.packet, name, getattr(packet, name))
        self.packet.duplicated_from = packet.duplicated_from
        self.model.read_only = packet.is_sent

    # -- preview and suggestions -----------------------------------------------------------

    def render_preview(self) -> None:
        """Render the subject and note as they are now (saved or not), off the GUI thread."""
        self._preview_timer.stop()
        self._preview_sequence += 1
        sequence, packets = self._preview_sequence, self.library.packets
        snapshot = replace(
            self.packet, prospect=replace(self.packet.prospect), items=self.model.items()
        )

        def rendered(note: RenderedNote) -> None:
            if sequence == self._preview_sequence:
                self.rendered = note
                self.preview_ready.emit(note)

        def failed(exc: BaseException) -> None:
            if sequence == self._preview_sequence:
                self.rendered = None
                self.preview_failed.emit(exc)

        self.runner.run(lambda: packets.render(snapshot), on_success=rendered, on_failure=failed)

    def refresh_suggestions(self) -> None:
        self._suggest_timer.stop()
        self._suggest_sequence += 1
        sequence, packets = self._suggest_sequence, self.library.packets
        stage, persona = self.packet.prospect.stage, self.packet.prospect.persona
        if self.is_sent or not (stage or persona):
            self.suggestions_ready.emit([])
            return
        exclude = self.model.asset_ids()
        note, library = self.packet.note, self.library

        def suggest() -> list:
            found = packets.suggest(stage, persona, exclude=exclude, limit=SUGGESTIONS * 3)
            return library.embeddings.rank_suggestions(found, exclude, note)[:SUGGESTIONS]

        def failed(exc: BaseException) -> None:
            log.warning("No suggestions for %s/%s: %s", stage, persona, exc)
            if sequence == self._suggest_sequence:
                self.suggestions_ready.emit([])

        self.runner.run(
            suggest,
            on_success=lambda found: (
                sequence == self._suggest_sequence and self.suggestions_ready.emit(found)
            ),
            on_failure=failed,
        )

    # -- history ---------------------------------------------------------------------------

    def duplicate(self, packet_id: int, prospect: Prospect) -> None:
        self._replace_with(lambda library: library.duplicate_packet(packet_id, prospect))

    def follow_up(self, packet_id: int) -> None:
        """Open a new draft with the current versions of what changed since sending."""
        self._replace_with(lambda library: library.follow_up_packet(packet_id))

    def _replace_with(self, make: Callable[[Library], Packet]) -> None:
        self.flush()
        library = self.library
        self.runner.run(
            lambda: make(library),
            write=True,
            on_success=self._show,
            on_failure=self.error_raised.emit,
        )

    # -- for exports and sending ----------------------------------------------------------

    def when_stored(
        self, then: Callable[[int | None], None], failed: Callable[[BaseException], None]
    ) -> None:
        """Call ``then(packet_id)`` once every edit made so far is stored (None: no packet)."""
        self.flush()
        handle = self._handle
        # A no-op on the write pool runs after every edit queued before it: a barrier.
        self.runner.run(
            lambda: None, write=True, on_success=lambda _none: then(handle.id), on_failure=failed
        )

    def take_stored(self, packet: Packet) -> None:
        """Take the status of the packet as stored after an export or a send."""
        if packet.id is None or packet.id != self.packet.id:
            return
        self._take_status(packet)
        self.packet_stored.emit(self.packet)
        if packet.is_sent:
            self._load_outdated()
            self.refresh_suggestions()
