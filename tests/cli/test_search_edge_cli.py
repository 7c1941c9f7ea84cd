"""`pitchpack search` on libraries with nothing, or next to nothing, to find."""

from __future__ import annotations

import json

import pytest
from documents import add_bad_files

from main import main

QUERIES = [
    "anyword",  # one word, with the typo-tolerant fallback when nothing matches
    "colocation pricing",
    '"private cloud"',
    "cloud OR zebra",
    "colocation -zebra",
    "NOT zebra",
    "title:security",
    "stage:decision",
    "pric*",
    '"',
    "-",
    "*",
    "()",
    "NEAR(cloud zebra)",
    "Łódź 東京",
    "",
]


def _library(tmp_path, kind: str) -> str:
    folder = tmp_path / "content"
    folder.mkdir()
    lib_dir = str(tmp_path / "library")
    if kind == "failed":
        add_bad_files(folder)
    elif kind == "one":
        (folder / "note.txt").write_text("Colocation pricing for the zebra hall.\n")
    if kind != "empty":
        assert main(["--library", lib_dir, "add", str(folder)]) == 0
    return lib_dir


@pytest.mark.parametrize("kind", ["empty", "failed", "one"])
def test_every_query_kind_returns_a_result(tmp_path, capsys, kind):
    lib_dir = _library(tmp_path, kind)
    capsys.readouterr()
    for query in QUERIES:
        for extra in ([], ["--sort", "newest"], ["--sort", "used"], ["--all"]):
            assert main(["--library", lib_dir, "search", query, "--json", *extra]) == 0, query
            result = json.loads(capsys.readouterr().out)
            assert result["total"] >= len(result["hits"])
            assert result["total"] <= (1 if kind == "one" else 0)


def test_empty_library_prints_zero_results(tmp_path, capsys):
    assert main(["--library", str(tmp_path / "library"), "search", "anyword"]) == 0
    out, err = capsys.readouterr()
    assert out.strip().splitlines()[-1] == "0 results" and "Traceback" not in err


def test_long_text_hits_name_their_section(tmp_path, capsys):
    folder = tmp_path / "content"
    folder.mkdir()
    paragraphs = [f"Paragraph {n} on colocation pricing and cooling power." * 8 for n in range(80)]
    paragraphs[70] += " The narwhal clause."
    (folder / "long.txt").write_text("\n\n".join(paragraphs))
    lib_dir = str(tmp_path / "library")
    assert main(["--library", lib_dir, "add", str(folder)]) == 0
    capsys.readouterr()
    assert main(["--library", lib_dir, "search", "narwhal", "--json"]) == 0
    (hit,) = json.loads(capsys.readouterr().out)["hits"]
    assert hit["page"] is None and hit["section"] > 1
    assert main(["--library", lib_dir, "search", "narwhal"]) == 0
    assert f"(section {hit['section']})" in capsys.readouterr().out
