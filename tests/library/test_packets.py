"""Packets in the core: model and autosave, templates in the sandbox, suggestions,
duplicating, and telling which sent assets changed since."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from people import REP
from smtp import Inbox

from library.errors import AssetNotFound, PitchpackError, UnknownTerm
from library.packets import (
    FIELDS,
    OutdatedReason,
    PacketLocked,
    PacketNotFound,
    PacketStatus,
    Prospect,
    SettingsError,
    TemplateError,
)
from library.packets.settings import SettingsStore
from library.packets.templates import (
    TemplateLibrary,
    merge_values,
    read_template,
    render_text,
)

JANE = Prospect(
    "Jane", "Doe", "jane@acme.example", "Acme Corp", "Chief Financial Officer", "cfo", "decision"
)


@pytest.fixture
def lib(library, mixed_folder, rep_settings):
    library.add_paths([mixed_folder])
    return rep_settings(library)


def ids_by_name(lib) -> dict[str, int]:
    return {Path(a.path).name: a.id for a in lib.assets.all()}


def values(**overrides) -> dict[str, str]:
    return merge_values(JANE, REP, asset_count=3, today=date(2026, 3, 2)) | overrides


# -- model and autosave -------------------------------------------------------------------


def test_create_picks_the_best_template_and_names_terms_as_the_taxonomy_does(lib):
    packet = lib.create_packet(JANE)
    assert packet.prospect.persona == "CFO/Finance" and packet.prospect.stage == "Decision"
    assert packet.template == "decision-finance" and packet.status == PacketStatus.DRAFT
    assert "{first_name}" in packet.note and "{company}" in packet.subject
    assert lib.packets.render(packet).subject == "Acme Corp: the numbers behind the move"
    onboarding = Prospect("Li", "Wei", "li@x.example", "X", "Ops lead", "Operations", "Onboarding")
    assert lib.create_packet(onboarding).template == "onboarding"
    assert lib.create_packet(JANE, template="General introduction").template == "general"


@pytest.mark.parametrize(
    "change, error",
    [
        ({"persona": "Astronaut"}, UnknownTerm),
        ({"stage": "Somewhere"}, UnknownTerm),
    ],
)
def test_unknown_terms_are_refused(lib, change, error):
    fields = {name: getattr(JANE, name) for name in Prospect.names()} | change
    with pytest.raises(error):
        lib.create_packet(Prospect(**fields))


def test_items_keep_order_and_notes(lib):
    ids = ids_by_name(lib)
    packet = lib.create_packet(JANE, asset_ids=[ids["notes.txt"], ids["sales-deck.pptx"]])
    packet = lib.add_to_packet(packet.id, [ids["blog-edge.html"], ids["notes.txt"]])
    assert packet.asset_ids == [ids["notes.txt"], ids["sales-deck.pptx"], ids["blog-edge.html"]]
    packet = lib.move_in_packet(packet.id, ids["blog-edge.html"], 0)
    packet = lib.set_packet_item_note(
        packet.id, ids["sales-deck.pptx"], "For {first_name}'s board."
    )
    packet = lib.remove_from_packet(packet.id, [ids["notes.txt"]])
    assert [(i.asset_id, i.note) for i in packet.items] == [
        (ids["blog-edge.html"], ""),
        (ids["sales-deck.pptx"], "For {first_name}'s board."),
    ]
    assert packet.items[1].title == "Sales Deck" and packet.items[1].content_type == "slide deck"
    with pytest.raises(AssetNotFound):
        lib.add_to_packet(packet.id, [999])
    with pytest.raises(PitchpackError, match="not in packet"):
        lib.set_packet_item_note(packet.id, ids["notes.txt"], "gone")
    with pytest.raises(PacketNotFound):
        lib.packets.get(404)


def test_save_is_safe_to_call_on_every_keystroke(lib):
    ids = ids_by_name(lib)
    packet = lib.create_packet(JANE, asset_ids=[ids["notes.txt"]])
    again = lib.save_packet(packet)
    assert (again.revision, again.updated) == (packet.revision, packet.updated)
    packet.prospect.first_name = "Janet"
    packet.items.append(packet.items[0])  # a double drop keeps one item
    saved = lib.save_packet(packet)
    assert saved.revision == packet.revision + 1 and saved.prospect.first_name == "Janet"
    assert saved.asset_ids == [ids["notes.txt"]]
    lib.export_packet_pdf(saved.id, lib.folder / "out.pdf")
    assert lib.packets.get(saved.id).status == PacketStatus.EXPORTED
    saved.note = "Hi {first_name}, a new note.\n\n{signature}"
    assert lib.save_packet(saved).status == PacketStatus.DRAFT  # the export is stale now


def test_history_is_newest_first_with_subjects_filled_in(lib):
    first = lib.create_packet(JANE)
    other = Prospect(
        "Sam", "Lee", "sam@b.example", "Beta LLC", "CIO", "CIO/IT leader", "Consideration"
    )
    second = lib.create_packet(other)
    lib.db.execute("UPDATE packets SET updated = '2020-01-01' WHERE id = ?", (first.id,))
    history = lib.packets.history()
    assert [h.id for h in history] == [second.id, first.id]
    assert history[0].subject == "Architecture options for Beta LLC"
    assert history[1].prospect.full_name == "Jane Doe" and history[1].item_count == 0
    assert [h.id for h in lib.packets.history(status="sent")] == []


def test_duplicate_for_another_prospect(lib):
    ids = ids_by_name(lib)
    source = lib.create_packet(JANE, asset_ids=[ids["notes.txt"], ids["blog-edge.html"]])
    lib.set_packet_item_note(source.id, ids["notes.txt"], "Backups for {company}")
    sam = Prospect("Sam", "Lee", "sam@b.example", "Beta LLC", "CFO", "CFO/Finance", "Decision")
    copy = lib.duplicate_packet(source.id, sam)
    assert copy.id != source.id and copy.duplicated_from == source.id
    assert copy.status == PacketStatus.DRAFT and copy.prospect.first_name == "Sam"
    assert [(i.asset_id, i.note) for i in copy.items] == [
        (ids["notes.txt"], "Backups for {company}"),
        (ids["blog-edge.html"], ""),
    ]
    assert lib.packets.render(copy).body.startswith("Hi Sam,")
    assert "Beta LLC" in lib.packets.document(copy.id).items[0].note


# -- templates ----------------------------------------------------------------------------


def test_single_and_double_brace_fields():
    text = "Hi {first_name}, {{ company }} and { first_name }. Braces {not a field} and {} stay."
    assert render_text(text, values()) == (
        "Hi Jane, Acme Corp and Jane. Braces {not a field} and {} stay."
    )
    assert render_text("{{ first_name | upper }}{% if role %} ({role}){% endif %}", values()) == (
        "JANE (Chief Financial Officer)"
    )


def test_unknown_field_is_named_before_anything_is_made():
    with pytest.raises(TemplateError) as exc:
        render_text("Hi {frist_name}, from {rep_nme}", values())
    assert exc.value.fields == ["frist_name", "rep_nme"]
    assert "{frist_name}" in str(exc.value) and "{first_name}" in str(exc.value)


def test_a_field_without_a_value_is_an_error_not_a_blank():
    with pytest.raises(TemplateError, match="rep_title") as exc:
        render_text("{rep_name}, {rep_title}", values(rep_title=""))
    assert exc.value.fields == ["rep_title"]


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ first_name.__class__.__init__.__globals__ }}",
        "{{ first_name|attr('__class__') }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{{ range(10) }}",
        "{{ 'x' * 100000000 }}",
        "{{ 9 ** 99999999 }}",
        "{{ first_name + 1 }}",
        "{% for x in %}",
    ],
)
def test_sandbox_refuses_escapes_and_abuse(source):
    with pytest.raises(TemplateError) as exc:
        render_text(source, values())
    assert "Traceback" not in str(exc.value)


def test_every_shipped_template_renders(tmp_path):
    templates = TemplateLibrary([Path(__file__).resolve().parents[2] / "assets" / "templates"])
    found = templates.all()
    assert {t.slug for t in found} >= {"general", "decision-finance", "follow-up"}
    for template in found:
        subject = render_text(template.subject, values(), what="subject")
        body = render_text(template.body, values())
        assert "{" not in subject + body and "Jane" in subject + body, template.slug
        assert "Priya Raman" in body


def test_library_templates_add_to_and_override_shipped_ones(lib):
    folder = lib.folder / "templates"
    folder.mkdir()
    (folder / "general.md").write_text(
        "---\nname: Our general note\nsubject: Hello {company}\n---\nHi {first_name}!\n"
    )
    (folder / "broken.md").write_text("---\nname: Broken\n---\nHi {first_nme}\n")
    with pytest.raises(TemplateError, match="broken.md"):
        lib.packets.templates.all()
    (folder / "broken.md").unlink()
    assert lib.packets.templates.get("general").name == "Our general note"
    assert lib.packets.templates.get("Decision – finance").slug == "decision-finance"
    with pytest.raises(TemplateError, match="no note template 'nope'"):
        lib.packets.templates.get("nope")


def test_template_front_matter(tmp_path):
    path = tmp_path / "expansion-ops.md"
    path.write_text(
        "---\nname: Ops growth\nstages: [Expansion]\npersonas: Operations; Procurement\n"
        "subject: More room for {company}\n---\n\nHi {first_name}\n"
    )
    template = read_template(path)
    assert template.stages == ["Expansion"] and template.personas == ["Operations", "Procurement"]
    assert template.fit("Expansion", "procurement") == 3
    assert template.fit("Expansion", "CFO/Finance") is None
    assert template.body == "Hi {first_name}\n"
    assert set(FIELDS) >= {"first_name", "company", "persona", "rep_name", "signature"}


# -- settings -----------------------------------------------------------------------------


def test_settings_are_written_atomically_and_keep_other_keys(tmp_path):
    store = SettingsStore(tmp_path)
    (tmp_path / "settings.json").write_text(json.dumps({"theme": "dark", "password": "oops"}))
    store.save(REP)
    data = json.loads((tmp_path / "settings.json").read_text())
    assert data["theme"] == "dark" and data["rep_name"] == "Priya Raman"
    assert "password" not in data
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]
    loaded = store.load()
    assert loaded == REP and loaded.attachment_limit == 10_000_000
    assert loaded.signature_text.splitlines() == [
        "Priya Raman",
        "Senior Account Executive, Harborline Data",
        "priya.raman@harborline.example",
    ]
    (tmp_path / "settings.json").write_text("{not json")
    with pytest.raises(SettingsError, match="cannot be read"):
        store.load()
    (tmp_path / "settings.json").write_text('{"smtp_port": "many"}')
    with pytest.raises(SettingsError, match="smtp_port"):
        store.load()


# -- suggestions --------------------------------------------------------------------------


def test_suggestions_rank_by_match_then_usage_with_reasons(sample_library):
    lib = sample_library
    today = date(2026, 3, 2)
    suggestions = lib.packets.suggest("decision", "CFO", limit=50, today=today)
    assert suggestions
    scores = [s.score for s in suggestions]
    assert scores == sorted(scores, reverse=True) and scores[0] == 2
    for s in suggestions:
        assert s.asset.status == "approved" and s.asset.file_state == "ok"
        assert not s.asset.expires or s.asset.expires >= today.isoformat()
        assert ("Decision" in s.asset.stages) == s.matches_stage
        assert ("CFO/Finance" in s.asset.personas) == s.matches_persona
        assert s.reason.endswith(".") and ("Decision" in s.reason or "CFO/Finance" in s.reason)
    both = [s.asset.id for s in suggestions if s.score == 2]
    favourite = both[-1]
    lib.db.execute("UPDATE assets SET usage_count = 7 WHERE id = ?", (favourite,))
    first = lib.packets.suggest("Decision", "CFO/Finance", today=today)[0]
    assert first.asset.id == favourite and "used 7 times by reps" in first.reason

    lib.update_assets([favourite], expires="2026-01-31")
    later = lib.packets.suggest("Decision", "CFO/Finance", limit=50, today=today)
    assert favourite not in {s.asset.id for s in later}
    excluded = lib.packets.suggest("Decision", "CFO/Finance", exclude=both, limit=50, today=today)
    assert not {s.asset.id for s in excluded} & set(both)
    archived_or_draft = {a.id for a in lib.assets.all() if a.status != "approved"}
    assert not archived_or_draft & {s.asset.id for s in later}


# -- sent versions and what changed since --------------------------------------------------


def test_sent_packet_records_versions_and_reports_what_changed(lib, mixed_folder, smtp_server):
    ids = ids_by_name(lib)
    chosen = ["notes.txt", "blog-edge.html", "onboarding-guide.md", "sales-deck.pptx"]
    packet = lib.create_packet(JANE, asset_ids=[ids[name] for name in chosen])
    hashes = {a.id: a.content_hash for a in lib.assets.all()}
    inbox = Inbox()
    server = smtp_server(inbox)
    receipt = lib.send_packet(packet.id, server)
    assert receipt.send_number == 1 and len(inbox.envelopes) == 1
    sent = lib.packets.get(packet.id)
    assert sent.status == PacketStatus.SENT and sent.sent
    versions = lib.packets.sent_versions(packet.id)
    assert [(v.asset_id, v.content_hash) for v in versions] == [
        (ids[n], hashes[ids[n]]) for n in chosen
    ]
    assert {v.recipient for v in versions} == {"jane@acme.example"}
    assert lib.packets.outdated(packet.id) == []

    with pytest.raises(PacketLocked, match="Duplicate it"):
        lib.set_packet_note(packet.id, "changed")
    with pytest.raises(PacketLocked):
        lib.delete_packet(packet.id)

    (mixed_folder / "notes.txt").write_text(
        "Rewritten notes about disaster recovery, 2026 edition.\n"
    )
    lib.rescan()
    lib.update_assets([ids["blog-edge.html"]], status="archived")
    lib.update_assets([ids["onboarding-guide.md"]], expires="2026-01-31")
    outdated = {o.asset_id: o for o in lib.packets.outdated(packet.id, today=date(2026, 3, 2))}
    assert set(outdated) == {ids["notes.txt"], ids["blog-edge.html"], ids["onboarding-guide.md"]}
    replaced = outdated[ids["notes.txt"]]
    assert replaced.reasons == [OutdatedReason.REPLACED] and replaced.resendable
    assert replaced.sent_hash == hashes[ids["notes.txt"]] != replaced.current_hash
    assert "replaced by a newer version" in replaced.message
    assert outdated[ids["blog-edge.html"]].reasons == [OutdatedReason.ARCHIVED]
    assert "has expired (2026-01-31)" in outdated[ids["onboarding-guide.md"]].message
    assert [h.outdated for h in lib.packets.history() if h.id == packet.id] == [3]

    update = lib.follow_up_packet(packet.id)
    assert update.asset_ids == [ids["notes.txt"]] and update.template == "follow-up"
    assert update.status == PacketStatus.DRAFT and update.duplicated_from == packet.id
    lib.send_packet(update.id, server)
    assert len(inbox.envelopes) == 2
    assert lib.packets.sent_versions(update.id)[0].content_hash == replaced.current_hash

    (mixed_folder / "sales-deck.pptx").unlink()
    lib.rescan()
    missing = {o.asset_id: o for o in lib.packets.outdated(packet.id)}[ids["sales-deck.pptx"]]
    assert missing.reasons == [OutdatedReason.MISSING]


def test_a_packet_with_nothing_changed_has_no_update_to_send(lib, smtp_server):
    packet = lib.create_packet(JANE, asset_ids=[ids_by_name(lib)["notes.txt"]])
    lib.send_packet(packet.id, smtp_server())
    with pytest.raises(PitchpackError, match="no update to send"):
        lib.follow_up_packet(packet.id)
