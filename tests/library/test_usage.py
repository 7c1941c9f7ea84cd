"""Usage events and reports: every report against the oracle's plain loops, import/export,
the recorder, the journal, usage counts in search ranking."""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import asdict, replace
from datetime import date, timedelta

import pytest
import usage_oracle as oracle
from usage_oracle import END

from library import Library, PitchpackError
from library.usage import EventKind, Period, UsageError, UsageEvent, Weights, normalise_query
from library.usage.journal import JOURNAL_DIR, Segment
from search import SearchQuery

PERIODS = {
    "all time": (None, None),
    "last 60 days": (END - timedelta(days=59), END),
    "one month": (date(2026, 8, 1), date(2026, 8, 31)),
    "open start": (None, date(2026, 9, 15)),
}


@pytest.fixture(scope="module")
def history_template(usage_history):
    """The sample library with a generated history stored (see conftest)."""
    return usage_history(5)


@pytest.fixture
def history(tmp_path, history_template):
    import shutil

    folder, events = history_template
    copy = tmp_path / "history"
    shutil.copytree(folder, copy)
    lib = Library(copy, rep="tester", workers=1)
    yield lib, events
    lib.close()


def _rows(items) -> list[dict]:
    return [asdict(i) for i in items]


def _assets(lib):
    return {a.id: a for a in lib.assets.all()}


def test_history_is_realistic(history):
    lib, events = history
    reps = {e.rep for e in events}
    kinds = {e.kind for e in events}
    days = {e.time[:10] for e in events}
    assert len(events) > 600 and len(reps) >= 6 and kinds == set(EventKind)
    assert max(days) == END.isoformat() and min(days) <= (END - timedelta(days=140)).isoformat()
    assert lib.usage.count() == len(events)


@pytest.mark.parametrize("name", PERIODS)
def test_every_report_matches_plain_loops(history, name):
    lib, events = history
    since, until = PERIODS[name]
    assets = _assets(lib)
    as_of = until or END
    report = lib.usage.report(Period(since, until), as_of=as_of, top=None, gaps=None)

    assert _rows(report.top_assets) == oracle.top_assets(events, assets, since, until)
    assert _rows(report.trend) == oracle.trend(events, since, until)
    for facet in ("stage", "persona", "type"):
        expected = oracle.by_term(events, assets, facet, since, until)
        assert _rows(getattr(report, f"by_{facet}")) == expected, facet
    assert _rows(report.by_rep) == oracle.by_rep(events, since, until)
    assert _rows(report.unused) == oracle.unused(events, assets, as_of)
    assert _rows(report.content_gaps) == oracle.content_gaps(events, since, until)
    assert _rows(report.stale) == oracle.stale(events, assets, as_of, since, until)


def test_reports_are_not_trivially_empty(history):
    lib, events = history
    report = lib.usage.report(as_of=END, top=None, gaps=None)
    assert len(report.top_assets) > 20 and report.top_assets[0].score > report.top_assets[-1].score
    assert any(r.asset_id == oracle.REMOVED_ASSET for r in report.top_assets)
    assert report.unused and any(u.last_used is None for u in report.unused)
    assert any(g.zero_results for g in report.content_gaps)
    assert any(g.not_opened for g in report.content_gaps)
    assert any(g.stage and not g.query for g in report.content_gaps)
    assert report.stale and any(s.days_left < 0 for s in report.stale)
    assert {s.name for s in report.by_stage} >= {"Awareness", "Decision"}
    # Spelling variants of one query land in one gap.
    sovereign = [
        g
        for g in report.content_gaps
        if g.query == "sovereign cloud" and not (g.stage or g.persona)
    ]
    assert len(sovereign) == 1 and "Zoe Quinn" in sovereign[0].reps


def test_limits_and_custom_weights(history):
    lib, events = history
    assets = _assets(lib)
    weights = Weights.parse(["preview=0", "open=1", "add=2", "export=10", "send=20"])
    custom = {"preview": 0, "open": 1, "packet_add": 2, "packet_export": 10, "packet_send": 20}
    report = lib.usage.report(weights=weights, as_of=END, top=5, gaps=3)
    assert _rows(report.top_assets) == oracle.top_assets(events, assets, weights=custom)[:5]
    assert _rows(report.trend) == oracle.trend(events, weights=custom)
    assert _rows(report.by_rep) == oracle.by_rep(events, weights=custom)
    assert _rows(report.content_gaps) == oracle.content_gaps(events)[:3]
    fractional = Weights.parse(["send=2.5"])
    scores = {
        r.asset_id: r.score for r in lib.usage.report(weights=fractional, top=None).top_assets
    }
    assert isinstance(next(iter(scores.values())), float)


def test_unused_window_and_heat_map(history):
    lib, events = history
    assets = _assets(lib)
    for days in (7, 30, 365):
        rows = lib.usage.reports().unused(END, days)
        assert _rows(rows) == oracle.unused(events, assets, END, days)
    heat = lib.usage.heat_map(Period(END - timedelta(days=59), END))
    assert heat.stages == lib.taxonomy.names("stage")
    assert heat.personas == lib.taxonomy.names("persona")
    expected = [[0] * len(heat.personas) for _ in heat.stages]
    for e, asset_id in oracle.uses(events, END - timedelta(days=59), END):
        asset = assets.get(asset_id)
        for s in asset.stages if asset else []:
            for p in asset.personas:
                expected[heat.stages.index(s)][heat.personas.index(p)] += oracle.WEIGHTS[e.kind]
    assert heat.scores == expected and any(any(row) for row in expected)


def test_report_json_keys(history):
    lib, _events = history
    data = lib.usage.report(as_of=END).to_json()
    assert list(data) == [
        "top_assets",
        "trend",
        "by_stage",
        "by_persona",
        "by_type",
        "by_rep",
        "unused",
        "content_gaps",
        "stale",
    ]
    json.dumps(data)  # plain data all the way down


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_export_import_round_trip_adds_nothing_twice(history, library, tmp_path, suffix):
    lib, events = history
    path = tmp_path / f"events{suffix}"
    assert lib.usage.export(path) == len(events)
    assert lib.import_usage(path).added == 0  # everything is already here

    summary = library.import_usage(path)
    assert (summary.read, summary.added) == (len(events), len(events))
    assert library.import_usage(path).added == 0
    assert library.usage.count() == len(events)
    stored = sorted((e.to_dict() for e in library.usage.events()), key=lambda d: d["id"])
    original = sorted((e.to_dict() for e in lib.usage.events()), key=lambda d: d["id"])
    assert stored == original
    # The search flags travel as they are: opened where a preview came from the search.
    opened = {e.search_id for e in events if e.search_id}
    assert {d["id"] for d in stored if d["opened"]} == opened


def test_export_of_a_period_and_merge_of_two_reps(history, library, tmp_path):
    lib, events = history
    since = END - timedelta(days=29)
    path = tmp_path / "month.jsonl"
    expected = [e for e in events if e.time[:10] >= since.isoformat()]
    assert lib.usage.export(path, Period(since, None)) == len(expected)
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    lib.usage.export(first, Period(None, since - timedelta(days=1)))
    lib.usage.export(second, Period(since - timedelta(days=10), None))  # overlaps the first
    assert library.import_usage(first).added + library.import_usage(second).added == len(events)


def test_import_maps_assets_by_content(tmp_path, mixed_folder):
    files = sorted(p for p in mixed_folder.iterdir() if p.is_file())
    with Library(tmp_path / "a", workers=1) as a, Library(tmp_path / "b", workers=1) as b:
        a.add_paths(files)
        b.add_paths(list(reversed(files)))
        by_path_a = {a_.path.split("/")[-1]: a_.id for a_ in a.assets.all()}
        by_path_b = {b_.path.split("/")[-1]: b_.id for b_ in b.assets.all()}
        name = next(n for n in by_path_a if by_path_a[n] != by_path_b[n])
        a.add_usage_events([UsageEvent("packet_send", asset_ids=[by_path_a[name]], packet_id=3)])
        a.usage.export(tmp_path / "a.jsonl")
        b.import_usage(tmp_path / "a.jsonl")
        (event,) = list(b.usage.events())
        assert event.asset_ids == [by_path_b[name]]
        assert b.assets.get(by_path_b[name]).usage_count == 8


@pytest.mark.parametrize(
    "content, message",
    [
        ('{"id": "x", "time": "2026-01-01", "kind": "search"}\n', "line 1"),
        ("not json\n", "line 1: not JSON"),
        (
            '{"id": "6f1e7e0e-52a4-4a59-9d0e-9a0a8c1f7d11", "time": "2026-01-01", "kind": "hug"}\n',
            "line 1",
        ),
    ],
)
def test_bad_import_files_say_where(library, tmp_path, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(content)
    with pytest.raises(UsageError, match=message):
        library.import_usage(path)
    assert library.usage.count() == 0
    with pytest.raises(UsageError, match=r"\.csv or \.jsonl"):
        library.import_usage(tmp_path / "events.xlsx")


def test_usage_counts_feed_search_and_suggestions(history):
    lib, events = history
    expected = oracle.usage_counts(events)
    assets = lib.assets.all()
    assert {a.id: a.usage_count for a in assets} == {a.id: expected.get(a.id, 0) for a in assets}
    assert lib.usage.refresh_usage_counts() == {a.id: expected.get(a.id, 0) for a in assets}
    lib.ensure_index()
    hits = lib.search(SearchQuery("", sort="used", limit=5, include_hidden=True)).hits
    counts = [expected.get(h.id, 0) for h in hits]
    assert counts == sorted(counts, reverse=True) and counts[0] == max(expected.values())


def test_recorder_batches_from_threads_and_links_previews(library):
    usage = library.usage
    search_id = usage.record_search("Colo pricing", {"stage": ["Decision"], "persona": []}, 12)

    def rep_work(n: int) -> None:
        for i in range(50):
            usage.record_preview(1 + i % 3, search_id=search_id if i == 0 else None)

    threads = [threading.Thread(target=rep_work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    usage.record_packet_add(7, [1, 2])
    usage.record_packet_export(7, [1, 2])
    usage.record_packet_send(7, [1, 2])
    usage.record_open(2)
    assert usage.flush()
    stored = list(usage.events())
    assert len(stored) == 1 + 200 + 4 and usage.count() == len(stored)
    search = next(e for e in stored if e.kind == "search")
    assert search.opened and search.filters == {"stage": ["Decision"]}
    assert usage.rep and {e.rep for e in stored} == {usage.rep}  # every event says who
    assert not list((library.folder / JOURNAL_DIR).glob("*.jsonl"))


def test_events_are_append_only(history):
    lib, _events = history
    conn = lib.db.conn
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM events")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE events SET rep = 'someone else'")
    conn.rollback()


def test_a_crashed_sessions_journal_is_replayed_once(tmp_path):
    folder = tmp_path / "library"
    Library(folder, rep="ann").close()
    journal = folder / JOURNAL_DIR
    events = [UsageEvent("preview", asset_ids=[5], rep="ann") for _ in range(3)]
    segment = Segment(journal)
    segment.append(events)
    segment.close()  # the process died: its lock is gone, the file stays
    with open(segment.path, "a", encoding="utf-8") as file:
        file.write('{"id": "cut short by the cra')  # a last line the crash cut
    with Library(folder, rep="ann") as lib:
        assert lib.usage.replayed == 3
        assert sorted(e.id for e in lib.usage.events()) == sorted(e.id for e in events)
    assert not list(journal.glob("*.jsonl"))
    with Library(folder, rep="ann") as lib:
        assert lib.usage.replayed == 0 and lib.usage.count() == 3


def test_a_live_sessions_journal_is_left_alone(tmp_path):
    folder = tmp_path / "library"
    first = Library(folder, rep="ann")
    first.usage.recorder._interval = 60  # keep the events in the journal for now
    first.usage.record_preview(1)
    second = None
    try:
        for _ in range(200):  # the recorder's thread writes the journal at once
            if list((folder / JOURNAL_DIR).glob("*.jsonl")):
                break
            threading.Event().wait(0.01)
        second = Library(folder, rep="bob")
        assert second.usage.replayed == 0
        assert list((folder / JOURNAL_DIR).glob("*.jsonl"))
    finally:
        if second is not None:
            second.close()
        first.close()
    with Library(folder) as lib:
        assert lib.usage.count() == 1


def test_rep_name_comes_from_the_settings(tmp_path):
    folder = tmp_path / "library"
    (folder).mkdir()
    (folder / "settings.json").write_text(json.dumps({"rep_name": "Dana Reyes"}))
    with Library(folder) as lib:
        assert lib.usage.rep == "Dana Reyes"
        lib.save_rep_settings(replace(lib.packets.settings.load(), rep_name="Dana R."))
        lib.usage.record_search("tco", {}, 3)
        lib.usage.flush()
        assert [e.rep for e in lib.usage.events()] == ["Dana R."]


def test_query_normalisation_and_weights_parsing():
    assert normalise_query("  Colo   PRICING?! ") == "colo pricing"
    assert normalise_query("Clóud-Migration") == "cloud migration"
    assert Weights.parse(["send=10", "previews=0.5"]) == Weights(packet_send=10, preview=0.5)
    for bad in ("send", "hug=3", "send=-1", "send=lots"):
        with pytest.raises(PitchpackError, match="KIND=N"):
            Weights.parse([bad])
    with pytest.raises(PitchpackError, match="swap"):
        Period(date(2026, 2, 1), date(2026, 1, 1))


def test_report_columns_follow_commits_and_are_read_at_opening(history, monkeypatch):
    """No report has to read the events: commits extend the columns, and a library opened
    without their cache file reads them in the background."""
    import numpy as np

    from library.usage import columns

    monkeypatch.setattr(columns, "SAVE_AFTER", 1)  # every extension is written to the file
    lib, events = history
    cache = columns.ColumnCache(lib.folder).path
    lib.usage.wait_for_columns()
    cache.unlink(missing_ok=True)
    asset_id = next(iter(_assets(lib)))
    lib.add_usage_events([UsageEvent(EventKind.OPEN, asset_ids=[asset_id], rep="late")])
    with np.load(cache) as data:  # written by the commit: no report was asked for
        assert len(data["seq"]) == lib.usage.count() == len(events) + 1
    cache.unlink()
    with Library(lib.folder, rep="tester") as reopened:
        assert reopened.usage.wait_for_columns(timeout=60)
        with np.load(cache) as data:
            assert len(data["seq"]) == len(events) + 1
        assert reopened.usage.report().by_rep  # still answers
