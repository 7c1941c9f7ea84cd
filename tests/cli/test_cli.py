"""The command line, called in process: exit codes and the stable --json contract."""

from __future__ import annotations

import json
import os

import pytest
from documents import add_bad_files

from main import main


@pytest.fixture
def lib_dir(tmp_path):
    return str(tmp_path / "library")


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_add_mixed_folder_with_bad_files_then_search(capsys, lib_dir, mixed_folder):
    add_bad_files(mixed_folder)
    code, out, _ = run(capsys, "add", str(mixed_folder), "--library", lib_dir)
    assert code == 0
    assert out.startswith("6 added")
    assert (
        "broken.pdf (corrupt)" in out
        and "locked.pdf (encrypted)" in out
        and "empty.docx (empty)" in out
    )

    code, out, _ = run(capsys, "--library", lib_dir, "search", "quokka", "--json")
    result = json.loads(out)
    assert code == 0 and result["total"] == 1
    hit = result["hits"][0]
    assert set(hit) == {
        "id",
        "title",
        "path",
        "type",
        "stages",
        "personas",
        "page",
        "section",
        "snippet",
        "score",
        "match",
    }
    assert (
        hit["page"] == 5
        and os.path.isabs(hit["path"])
        and hit["path"].endswith("pricing-white-paper.pdf")
    )
    assert "<b>quokka</b>" in hit["snippet"]

    slide = json.loads(run(capsys, "search", "narwhal", "--json", "--library", lib_dir)[1])
    assert slide["hits"][0]["page"] == 2 and slide["hits"][0]["path"].endswith("sales-deck.pptx")

    code, out, _ = run(capsys, "list", "--failed", "--json", "--library", lib_dir)
    failed = {os.path.basename(a["path"]): a for a in json.loads(out)}
    assert set(failed) == {"broken.pdf", "locked.pdf", "empty.docx"}
    assert failed["locked.pdf"]["failure_reason"] == "encrypted" and failed["locked.pdf"]["error"]


def test_facet_counts_in_json(capsys, lib_dir, mixed_folder):
    run(capsys, "add", str(mixed_folder), "--library", lib_dir)
    listing = json.loads(run(capsys, "list", "--json", "--library", lib_dir)[1])
    ids = {os.path.basename(a["path"]): a["id"] for a in listing}
    code, out, _ = run(
        capsys,
        "tag",
        str(ids["pricing-white-paper.pdf"]),
        str(ids["notes.txt"]),
        "--stage",
        "Decision",
        "--persona",
        "cfo",
        "--library",
        lib_dir,
    )
    assert code == 0 and "stage: Decision" in out
    result = json.loads(run(capsys, "search", "", "--json", "--library", lib_dir)[1])
    assert result["facets"]["stage"] == {"Decision": 2, "Onboarding": 1}
    assert result["facets"]["persona"] == {"CFO/Finance": 2, "Operations": 1}
    assert result["facets"]["type"]["slide deck"] == 1
    decision = json.loads(
        run(capsys, "search", "", "--stage", "decision", "--json", "--library", lib_dir)[1]
    )
    assert decision["total"] == 2


def test_library_from_environment(capsys, monkeypatch, tmp_path, mixed_folder):
    monkeypatch.setenv("PITCHPACK_LIBRARY", str(tmp_path / "from-env"))
    assert run(capsys, "add", str(mixed_folder / "notes.txt"))[0] == 0
    assert (tmp_path / "from-env" / "catalog.sqlite").exists()


def test_show_reindex_rescan(capsys, lib_dir, mixed_folder):
    run(capsys, "add", str(mixed_folder), "--library", lib_dir)
    shown = json.loads(run(capsys, "show", "1", "--json", "--library", lib_dir)[1])
    assert shown["id"] == 1 and len(shown["versions"]) == 1
    code, out, _ = run(capsys, "reindex", "--library", lib_dir)
    assert code == 0 and out.strip() == "Indexed 6 assets."
    code, out, _ = run(capsys, "rescan", "--library", lib_dir)
    assert code == 0 and out.startswith("0 added, 0 updated, 6 unchanged")


def test_import_csv(capsys, lib_dir, mixed_folder):
    (mixed_folder / "meta.csv").write_text("path,stage,persona\nnotes.txt,Expansion,Procurement\n")
    code, out, _ = run(capsys, "import-csv", str(mixed_folder / "meta.csv"), "--library", lib_dir)
    assert code == 0 and "1 assets updated" in out
    result = json.loads(run(capsys, "search", "disaster", "--json", "--library", lib_dir)[1])
    assert result["hits"][0]["stages"] == ["Expansion"]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["show", "42"], "No asset with id 42"),
        (["tag", "1", "--stage", "Nope"], None),
        (["import-csv", "/no/such.csv"], "Cannot read"),
    ],
)
def test_errors_are_one_line_and_non_zero(capsys, lib_dir, argv, message):
    code, out, err = run(capsys, *argv, "--library", lib_dir)
    assert code == 1
    assert (
        err.startswith("pitchpack: ")
        and "Traceback" not in err
        and len(err.strip().splitlines()) == 1
    )
    if message:
        assert message in err


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["search"])
    assert exc.value.code == 2


def test_every_command_has_help(capsys):
    for command in (
        "add",
        "rescan",
        "list",
        "search",
        "show",
        "tag",
        "reindex",
        "import-csv",
        "sample",
    ):
        with pytest.raises(SystemExit) as exc:
            main([command, "--help"])
        assert exc.value.code == 0
        assert "usage:" in capsys.readouterr().out


def test_screenshots_never_open_the_users_library(capsys, tmp_path, monkeypatch):
    import tools.screenshots

    folder = tmp_path / "library"
    folder.mkdir()
    catalog = folder / "catalog.sqlite"
    catalog.write_bytes(b"an old or damaged catalog, not SQLite at all")
    rendered = []

    def render(sample, outdir):  # the sample library it was given, not the user's
        rendered.append(sample.assets.count())
        return [outdir / "workspace.png"]

    monkeypatch.setattr(tools.screenshots, "render_screenshots", render)
    code, out, _ = run(capsys, "--library", str(folder), "screenshots", str(tmp_path / "shots"))
    assert code == 0 and out.strip().endswith("workspace.png")
    assert rendered and rendered[0] > 0
    assert catalog.read_bytes() == b"an old or damaged catalog, not SQLite at all"
