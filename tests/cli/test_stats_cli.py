"""``stats``, ``events export`` and ``events import`` on the command line, and the search
events the CLI records."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta

import pytest
import usage_oracle as oracle
from usage_oracle import END

from library import Library
from main import main

KEYS = [
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


@pytest.fixture(scope="module")
def history_template(usage_history):
    folder, events = usage_history(9)
    with Library(folder, rep="tester") as lib:
        assets = {a.id: a for a in lib.assets.all()}
    return folder, events, assets


@pytest.fixture
def history(tmp_path, history_template):
    folder, events, assets = history_template
    copy = tmp_path / "library"
    shutil.copytree(folder, copy)
    return str(copy), events, assets


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("since", [None, END - timedelta(days=45)])
def test_stats_json_keys_and_values(capsys, history, since):
    folder, events, assets = history
    argv = ["stats", "--json", "--library", folder, "--until", END.isoformat()]
    if since:
        argv += ["--since", since.isoformat()]
    code, out, _err = run(capsys, *argv)
    assert code == 0
    data = json.loads(out)
    assert list(data) == KEYS
    assert data["top_assets"] == oracle.top_assets(events, assets, since, END)[:20]
    assert data["trend"] == oracle.trend(events, since, END)
    for facet in ("stage", "persona", "type"):
        assert data[f"by_{facet}"] == oracle.by_term(events, assets, facet, since, END)
    assert data["by_rep"] == oracle.by_rep(events, since, END)
    assert data["unused"] == oracle.unused(events, assets, END)
    assert data["content_gaps"] == oracle.content_gaps(events, since, END)[:100]
    assert data["stale"] == oracle.stale(events, assets, END, since, END)


def test_stats_options(capsys, history):
    folder, events, assets = history
    code, out, _ = run(
        capsys,
        "stats",
        "--json",
        "--library",
        folder,
        "--until",
        END.isoformat(),
        "--weight",
        "send=1",
        "--weight",
        "preview=4",
        "--top",
        "3",
        "--unused-days",
        "30",
    )
    weights = dict(oracle.WEIGHTS, packet_send=1, preview=4)
    data = json.loads(out)
    assert code == 0
    assert data["top_assets"] == oracle.top_assets(events, assets, None, END, weights)[:3]
    assert data["unused"] == oracle.unused(events, assets, END, 30)

    code, out, _ = run(capsys, "stats", "--library", folder, "--until", END.isoformat())
    assert code == 0
    for heading in (
        "Most used assets",
        "Week by week",
        "By stage",
        "By rep",
        "Content gaps",
        "Stale content still going out",
        "Unused for 90 days",
    ):
        assert heading in out
    assert "sovereign cloud" in out

    code, _out, err = run(capsys, "stats", "--library", folder, "--weight", "hug=2")
    assert code == 1 and "KIND=N" in err
    with pytest.raises(SystemExit) as exit_info:
        main(["stats", "--library", folder, "--since", "2026-3-1x"])
    assert exit_info.value.code == 2 and "YYYY-MM-DD" in capsys.readouterr().err
    code, _out, err = run(
        capsys, "stats", "--library", folder, "--since", "2026-03-01", "--until", "2026-02-01"
    )
    assert code == 1 and "swap" in err


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_events_export_then_import_twice(capsys, history, tmp_path, suffix):
    folder, events, _assets = history
    path = tmp_path / f"team{suffix}"
    code, out, _ = run(capsys, "events", "export", str(path), "--library", folder)
    assert code == 0 and out.startswith(f"Exported {len(events)} events")
    other = str(tmp_path / "marketing")
    code, out, _ = run(capsys, "events", "import", str(path), "--library", other)
    assert code == 0 and f"Imported {len(events)} events (0 already present)" in out
    code, out, _ = run(capsys, "events", "import", str(path), "--library", other)
    assert code == 0 and f"Imported 0 events ({len(events)} already present)" in out
    with Library(other) as lib:
        assert lib.usage.count() == len(events)

    code, _out, err = run(capsys, "events", "import", str(tmp_path / "x.txt"), "--library", other)
    assert code == 1 and ".csv or .jsonl" in err


def test_cli_search_records_a_search(capsys, tmp_path, mixed_folder):
    folder = str(tmp_path / "library")
    assert run(capsys, "add", str(mixed_folder), "--library", folder)[0] == 0
    assert run(capsys, "search", "quokka", "--stage", "Decision", "--library", folder)[0] == 0
    assert run(capsys, "search", "zzzunfindable", "--library", folder)[0] == 0
    with Library(folder) as lib:
        searches = [(e.query, e.filters, e.result_count) for e in lib.usage.events()]
        rep = lib.usage.rep
    assert searches[0][:2] == ("quokka", {"stage": ["Decision"]})
    assert searches[1] == ("zzzunfindable", {}, 0)
    assert rep  # the login name when the settings name no one
    code, out, _ = run(capsys, "stats", "--json", "--library", folder)
    gaps = {g["query"]: g for g in json.loads(out)["content_gaps"]}
    assert gaps["zzzunfindable"]["zero_results"] == 1 and gaps["zzzunfindable"]["reps"] == [rep]
