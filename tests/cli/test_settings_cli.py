"""``pitchpack settings`` in process, and the first packet export of a new rep."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from main import main

PROSPECT = [
    "--first-name", "Jane", "--last-name", "Doe", "--email", "jane@acme.example",
    "--company", "Acme Corp", "--role", "CFO", "--persona", "cfo", "--stage", "Decision",
]  # fmt: skip


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_set_get_list_and_unset(capsys, tmp_path):
    lib = ["--library", str(tmp_path)]
    assert run(capsys, "settings", "set", "rep.name", "Ana Lima", *lib)[:2] == (
        0,
        "rep.name = Ana Lima\n",
    )
    assert run(capsys, "settings", "get", "rep.name", *lib)[1] == "Ana Lima\n"
    assert run(capsys, "settings", "set", "usage.weights", "send=9 open=1", *lib)[0] == 0
    code, out, _ = run(capsys, "settings", "list", "--json", *lib)
    listed = json.loads(out)
    assert code == 0 and listed["rep.name"] == "Ana Lima" and listed["smtp.port"] == 587
    assert listed["usage.weights"]["packet_send"] == 9
    code, out, _ = run(capsys, "settings", "list", *lib)
    assert re.search(r"^rep\.name +Ana Lima$", out, re.M)
    assert re.search(r"^smtp\.port +587  \(default\)$", out, re.M)
    assert run(capsys, "settings", "unset", "rep.name", *lib)[0] == 0
    assert run(capsys, "settings", "get", "rep.name", *lib)[1] == "\n"


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["get", "rep"], "Valid keys: rep.name, rep.title"),
        (["set", "colour", "blue"], "Valid keys: rep.name"),
        (["set", "smtp.port", "twenty"], "write a whole number from 1 to 65535"),
        (["set", "usage.weights", "send=lots"], "KIND=N"),
    ],
)
def test_bad_keys_and_values_are_one_line_errors(capsys, tmp_path, argv, says):
    code, out, err = run(capsys, "settings", *argv, "--library", str(tmp_path))
    assert code == 1 and out == ""
    assert err.startswith("pitchpack: ") and says in err and err.count("\n") == 1


def test_stats_scores_with_the_weights_setting(capsys, sample_library):
    import usage_oracle as oracle

    sample_library.add_usage_events(oracle.make_history(sample_library, seed=3))
    lib = ["--library", str(sample_library.folder), "--until", oracle.END.isoformat()]

    def top_scores() -> dict:
        top = json.loads(run(capsys, "stats", "--json", "--top", "500", *lib)[1])["top_assets"]
        return {row["asset_id"]: row["score"] for row in top}

    default = top_scores()
    weights = "send=0 export=0 add=0 open=0 preview=100"
    assert run(capsys, "settings", "set", "usage.weights", weights, *lib[:2])[0] == 0
    weighted = top_scores()
    assert default and weighted != default
    assert all(score % 100 == 0 for score in weighted.values())


def test_first_export_names_the_command_that_sets_the_rep(capsys, sample_library, tmp_path):
    lib = ["--library", str(sample_library.folder)]
    code, out, _ = run(capsys, "packet", "new", *PROSPECT, *lib)
    packet_id = out.strip()
    listing = json.loads(run(capsys, "list", "--json", *lib)[1])
    first = str(next(a["id"] for a in listing if Path(a["path"]).suffix == ".pdf"))
    assert run(capsys, "packet", "add", packet_id, first, *lib)[0] == 0
    pdf = tmp_path / "packet.pdf"

    code, out, err = run(capsys, "packet", "export", packet_id, "--pdf", str(pdf), *lib)
    assert code == 1 and not pdf.exists()
    assert 'pitchpack settings set rep.name "Ana Lima"' in err

    assert run(capsys, "settings", "set", "rep.name", "Ana Lima", *lib)[0] == 0
    code, out, err = run(capsys, "packet", "export", packet_id, "--pdf", str(pdf), *lib)
    assert code == 0 and pdf.exists(), err
