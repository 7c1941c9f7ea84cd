"""The hostile corpus through ``Library.add_paths`` and the ``add`` command: every file ends
indexed or failed with a reason and one sentence, and the app's memory stays bounded."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hostile import (
    FAILED,
    HOSTILE_MAX_CHARS,
    INDEXED,
    Expect,
    hazards,
    make_hostile_corpus,
    remove_big_file,
)

from library import Library
from library.extract.sections import SECTION_CHARS
from library.ingest import ImportReport
from main import main
from search import SearchQuery

ROOT = Path(__file__).resolve().parents[2]
JARGON = ("Traceback", "Errno", "Error", "errno", "0x", "None")


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    folder = tmp_path / "hostile"
    expected = make_hostile_corpus(folder)
    hazards(monkeypatch, folder)
    yield folder, expected
    remove_big_file(folder)  # 200 MB apparent size: never left behind in the temp folder


def words_of(lib: Library, asset_id: int) -> str:
    return "\n".join(page.text for page in lib.assets.pages(asset_id)).casefold()


def found(lib: Library, word: str) -> set[int]:
    result = lib.search(SearchQuery(text=word, include_hidden=True, limit=100))
    return {hit.id for hit in result.hits}


def check_outcomes(
    lib: Library,
    folder: Path,
    expected: dict[str, Expect],
    failed: dict[str, tuple[str, str]],
    skipped: dict[str, str],
    truncated: set[str],
) -> None:
    """Each file's fate in the report and the catalog is the one the corpus expects."""
    assets = {Path(a.path).relative_to(folder).as_posix(): a for a in lib.assets.all()}
    reported = set(assets) | set(failed) | set(skipped)
    assert reported <= set(expected), f"unexpected files: {reported - set(expected)}"
    for name, expect in expected.items():
        asset = assets.get(name)
        if expect.outcome == INDEXED:
            assert name not in failed, (name, failed.get(name))
            assert asset is not None and asset.file_state == "ok", name
            assert asset.truncated == expect.truncated == (name in truncated), name
            if expect.find:
                assert asset.id in found(lib, expect.find), (name, expect.find)
            for word in expect.never:
                assert word.casefold() not in words_of(lib, asset.id), (name, word)
                assert asset.id not in found(lib, word), (name, word)
        elif expect.outcome == FAILED:
            assert name in failed, f"{name} should fail ({expect.reason})"
            reason, message = failed[name]
            assert reason == expect.reason, (name, reason, message)
            assert "\n" not in message and message.endswith("."), (name, message)
            assert not any(word in message for word in JARGON), (name, message)
            if expect.stored:
                assert asset is not None, name
                assert (asset.file_state, asset.failure_reason, asset.error) == (
                    "failed",
                    reason,
                    message,
                )
            else:
                assert asset is None, f"{name} was kept in the catalog"
        elif expect.outcome == "skipped":
            assert skipped.get(name) == expect.reason and asset is None, name
        else:
            assert name not in reported, name
    assert lib.index.ids() == set(lib.assets.ids(state="ok"))


def relative(report: ImportReport, folder: Path):
    def rel(path: str) -> str:
        return Path(path).relative_to(folder).as_posix()

    failed = {rel(f.path): (str(f.reason), f.message) for f in report.failed}
    skipped = {rel(f.path): str(f.reason) for f in report.skipped}
    return failed, skipped, {rel(path) for path in report.truncated}


def test_hostile_corpus_through_add_paths(tmp_path: Path, corpus) -> None:
    folder, expected = corpus
    with Library(tmp_path / "lib", workers=2, timeout=30, max_chars=HOSTILE_MAX_CHARS) as lib:
        report = lib.add_paths([folder])
        check_outcomes(lib, folder, expected, *relative(report, folder))
        assert "1 cut at the text limit" in report.summary()
        big = next(a for a in lib.assets.all() if a.path.endswith("big.txt"))
        # The first HOSTILE_MAX_CHARS characters are kept, in sections cut at whitespace.
        with open(folder / "big.txt", encoding="utf-8") as file:
            kept = file.read(HOSTILE_MAX_CHARS)
        pages = lib.assets.pages(big.id)
        assert "\n\n".join(page.text for page in pages).split() == kept.split()
        assert len(pages) > 1 and all(len(page.text) <= SECTION_CHARS for page in pages)

        # A second look changes nothing, and hangs on nothing (the pipe is refused again).
        again = lib.rescan()
        assert not (again.added or again.updated or again.moved or again.missing)
        assert lib.index_in_step()


FAILED_LINE = re.compile(r"^  failed: (.+) \((\w+)\): (.+)$")
SKIPPED_LINE = re.compile(r"^  skipped: (.+?): (.+)$")
TRUNCATED_LINE = re.compile(r"^  truncated: (.+?): the text is longer than the limit")


def test_hostile_corpus_through_the_add_command(tmp_path, corpus, capsys, monkeypatch) -> None:
    folder, expected = corpus
    lib_dir = str(tmp_path / "lib")
    monkeypatch.chdir(folder)
    # Names that look like options: after "--", or written as ./-name.
    assert main(["--library", lib_dir, "add", "--", "-weird.pdf"]) == 0
    assert capsys.readouterr().out.startswith("1 added")
    assert main(["--library", lib_dir, "add", "./--double-dash.pptx"]) == 0
    assert capsys.readouterr().out.startswith("1 added")

    code = main(["--library", lib_dir, "add", "--max-chars", str(HOSTILE_MAX_CHARS), str(folder)])
    out = capsys.readouterr().out
    assert code == 0
    summary, *lines = out.splitlines()
    assert "2 unchanged" in summary and "1 cut at the text limit" in summary
    # Names that are not valid text are printed escaped, as \udcXX.
    printed = {str(folder / n).encode("utf-8", "backslashreplace").decode(): n for n in expected}
    failed, skipped, truncated = {}, {}, set()
    for line in lines:
        if match := FAILED_LINE.match(line):
            failed[printed[match[1]]] = (match[2], match[3])
        elif match := SKIPPED_LINE.match(line):
            outside = "outside the folder, so it was not followed" in match[2]
            skipped[printed[match[1]]] = "link_outside" if outside else "unsupported"
        elif match := TRUNCATED_LINE.match(line):
            truncated.add(printed[match[1]])
    with Library(lib_dir) as lib:
        check_outcomes(lib, folder, expected, failed, skipped, truncated)

    assert main(["--library", lib_dir, "list", "--json"]) == 0
    listed = {Path(a["path"]).name: a for a in json.loads(capsys.readouterr().out)}
    assert listed["big.txt"]["truncated"] is True and listed["-weird.pdf"]["truncated"] is False
    assert main(["--library", lib_dir, "list"]) == 0
    assert "(text cut at the limit)" in capsys.readouterr().out
    assert main(["--library", lib_dir, "search", "scriptsecret", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 0


MEMORY_SCRIPT = """
import json, resource, sys
from library import Library

def status_kb(field):
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field + ":"))

def run():
    lib = Library(sys.argv[1], workers=1, timeout=30)  # the default 2,000,000-character cap
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")  # the peak (VmHWM) starts afresh from here
    before = status_kb("VmRSS")
    report = lib.add_paths([sys.argv[2]])
    # ru_maxrss also keeps peaks of threads that ended before the reset, so the peak of
    # this process's memory since the reset is read from VmHWM.
    print(json.dumps({"before": before, "peak": status_kb("VmHWM"),
                      "ru_maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                      "truncated": report.truncated, "added": len(report.added)}))
    lib.close()

if __name__ == "__main__":
    run()
"""


@pytest.mark.skipif(sys.platform != "linux", reason="reads the peak from /proc/self/status")
def test_memory_of_the_app_stays_bounded(tmp_path: Path) -> None:
    folder = tmp_path / "hostile"
    make_hostile_corpus(folder)
    try:
        script = tmp_path / "measure.py"
        script.write_text(MEMORY_SCRIPT, encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        done = subprocess.run(
            [sys.executable, str(script), str(tmp_path / "lib"), str(folder)],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
    finally:
        remove_big_file(folder)
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout.splitlines()[-1])
    assert figures["truncated"] == [str(folder / "big.txt")]
    growth_mb = (figures["peak"] - figures["before"]) / 1024
    # The app hashes files in chunks and gets at most the capped text back from a worker:
    # a 200 MB file, a 1 GiB zip bomb and the rest grow its peak by far less than that.
    assert growth_mb < 100, f"the app's peak memory grew by {growth_mb:.0f} MB"
