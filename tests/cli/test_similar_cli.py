"""Semantic search from the command line: --mode, the related marker, similar, embed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from library import Library
from main import main


@pytest.fixture
def lib_dir(tmp_path: Path, sample_library_template: Path) -> str:
    folder = tmp_path / "lib"
    shutil.copytree(sample_library_template, folder)
    with Library(folder) as lib:  # as before any embedding: the commands embed what they need
        with lib.db.atomic():
            lib.db.execute("DELETE FROM embeddings")
    return str(folder)


def run_json(capsys, *argv) -> dict:
    code = main([*argv, "--json"])
    out, _ = capsys.readouterr()
    assert code == 0
    return json.loads(out)


def test_search_modes_and_related_marker(capsys, lib_dir):
    question = "hospital worried about outages"
    text = run_json(capsys, "search", question, "--mode", "text", "--library", lib_dir)
    assert text["total"] == 0 and text["semantic"] is None
    hybrid = run_json(capsys, "search", question, "--library", lib_dir)
    assert hybrid["mode"] == "hybrid" and hybrid["hits"]
    assert {h["match"] for h in hybrid["hits"]} == {"related"}
    assert hybrid["semantic"]["complete"] is True
    assert hybrid["semantic"]["embedded"] == hybrid["semantic"]["assets"] > 40
    top3 = [Path(h["path"]).stem for h in hybrid["hits"][:3]]
    assert "meridian-health-case-study" in top3
    semantic = run_json(capsys, "search", question, "--mode", "semantic", "--library", lib_dir)
    assert semantic["hits"] and semantic["total"] <= 20


def test_similar_and_embed(capsys, lib_dir):
    granite = run_json(capsys, "search", "Granite Mutual", "--mode", "text", "--library", lib_dir)
    asset_id = granite["hits"][0]["id"]
    similar = run_json(capsys, "similar", str(asset_id), "--limit", "4", "--library", lib_dir)
    stems = [Path(h["path"]).stem for h in similar["hits"]]
    assert len(stems) == 4 and asset_id not in {h["id"] for h in similar["hits"]}
    # The bank's case study is about interconnect and trading latency.
    assert {"financial-services-deck", "blog-interconnect-latency"} & set(stems[:3])

    assert main(["embed", "--library", lib_dir]) == 0
    out = capsys.readouterr().out
    assert out.startswith("0 assets embedded;") and "ready for semantic search" in out

    assert main(["similar", "9999", "--library", lib_dir]) != 0
