"""A hostile corpus, generated on demand: every kind of file marketing might drop in a folder.

``make_hostile_corpus(folder)`` writes the files and returns what the app must do with each,
keyed by the file's path relative to ``folder``. Nothing here is a committed binary.
"""

from __future__ import annotations

import os
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

from library.docgen import Slide, write_docx, write_pptx

BIG_SIZE = 200 * 1024**2
BIG_TEXT_BYTES = 9 * 1024**2  # real text at the start of the big file; the rest is a hole
HOSTILE_MAX_CHARS = 50_000  # the cap tests use, so indexing the big file stays quick
MiB = 1024**2


@dataclass(frozen=True)
class Expect:
    """What must become of one file.

    ``outcome`` is "indexed", "failed", "skipped" (unsupported, met in a folder) or
    "ignored" (hidden or temporary: not even reported). ``stored`` says whether a failed
    file is kept in the catalog with its reason (a file that cannot be opened at all is
    only reported). ``find`` is a word search must find in this file; ``never`` are words
    that must never be indexed from it.
    """

    outcome: str
    reason: str | None = None
    find: str | None = None
    never: tuple[str, ...] = ()
    truncated: bool = False
    stored: bool = True


INDEXED = "indexed"
FAILED = "failed"


def indexed(find: str | None = None, *, never: tuple[str, ...] = (), truncated=False) -> Expect:
    return Expect(INDEXED, find=find, never=never, truncated=truncated)


def failed(reason: str, *, stored: bool = True) -> Expect:
    return Expect(FAILED, reason, stored=stored)


# -- makers ----------------------------------------------------------------------------------


def pdf(path: Path, words: str = "", *, encrypt: StandardEncryption | None = None) -> None:
    page = canvas.Canvas(str(path), encrypt=encrypt)
    page.setTitle(path.stem)
    page.drawString(72, 720, f"Colocation pricing overview {words}")
    page.showPage()
    page.save()


def truncated_pdf(path: Path) -> None:
    pdf(path, "halfway")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def deflated_zeros(size: int) -> bytes:
    """A raw deflate stream of ``size`` zero bytes (a multiple of 1 MiB), built in
    milliseconds: after a full flush each MiB compresses to the same bytes."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = packer.compress(bytes(MiB)) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(bytes(MiB)) + packer.flush(zlib.Z_FULL_FLUSH)
    return first + again * (size // MiB - 1) + packer.flush()


def raw_zip(path: Path, members: list[tuple[str, bytes, int, int]]) -> None:
    """Write a zip by hand: (name, deflated data or stored text, declared size, method).

    Sizes are written as given, so a member may lie about how large it unpacks.
    """
    local, central = bytearray(), bytearray()
    for name, data, declared, method in members:
        encoded = name.encode()
        offset = len(local)
        fields = (method, 0, 0x21, 0, len(data), declared, len(encoded), 0)
        local += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, *fields) + encoded + data
        central += (
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, *fields, 0, 0, 0, 0, offset)
            + encoded
        )
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(local), 0
    )
    path.write_bytes(bytes(local) + bytes(central) + end)


_CONTENT_TYPES = (b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                  b'package/2006/content-types"/>')  # fmt: skip


def docx_bomb(path: Path, *, lying: bool = False) -> None:
    """word/document.xml inflates to 1 GiB; ``lying`` declares it as 4 KB instead."""
    bomb = deflated_zeros(1024 * MiB)
    raw_zip(
        path,
        [
            ("[Content_Types].xml", _CONTENT_TYPES, len(_CONTENT_TYPES), 0),
            ("word/document.xml", bomb, 4096 if lying else 1024 * MiB, 8),
        ],
    )


def zip_without_document(path: Path) -> None:
    raw_zip(path, [("[Content_Types].xml", _CONTENT_TYPES, len(_CONTENT_TYPES), 0)])


def big_text(path: Path) -> None:
    """200 MB of text: real words at the start, then a hole, so it costs no disk."""
    line = b"Capstone interconnection pricing for every colocation hall.\n"
    with open(path, "wb") as file:
        file.write(line * (BIG_TEXT_BYTES // len(line)))
        file.write(b"beyondthecap\n")
        file.truncate(BIG_SIZE)


HOSTILE_HTML = (
    "<!doctype html><html><head><title>Edge Offer</title>"
    "<style>.scriptstyleword { color: red }</style>"
    "<script>var scriptsecret = 'exfiltrate';</script>"
    '<script src="https://tracker.invalid/evil.js"></script>'
    '<link rel="stylesheet" href="https://tracker.invalid/remote.css">'
    "</head><body onload=\"alert('onloadword')\">"
    '<img src="https://tracker.invalid/pixel.png" alt="">'
    '<iframe src="https://tracker.invalid/frame"></iframe>'
    "<p>Visible harborview offer.</p>"
    "<noscript>noscriptword</noscript>"
    + "<div>" * 5000
    + "Deeply nested fathomword."
    + "</div>" * 5000
    + "<script>document.write('latescriptword')</script></body></html>"
)
MARKDOWN_WITH_SCRIPT = (
    "# Brief\n\nRead the <script>var mdinlinescript = 1;</script> tidewater notes.\n\n"
    "<script>\nvar mdblockscript = 2;\n</script>\n\nMore text.\n"
)
YAML_BOMB = (
    "---\n"
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
    )
    + "tags: *i\ntitle: *i\n---\n# Bomb\n\nThe yamlbomb body is plain text.\n"
)
ODD_FRONT_MATTER = (
    "---\ntags: 5\nstages: true\npersonas: {CFO: yes}\ntitle: [One, Two]\ntype: 7\n"
    "status: [approved]\nowner: 12\nexpires: {when: soon}\n---\n"
    "# Odd\n\nThe quirkfront body is fine.\n"
)
LATIN1_NUL = "Résumé of the café\x00 offer, with NUL\x00 bytes.\n".encode("latin-1")


# Bytes from another system's encoding: valid on disk, not valid text.
BAD_NAME = os.fsdecode(b"caf\xe9 old system.txt")


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Path], None]
    expect: Expect


def writer(data: bytes | str) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data.encode() if isinstance(data, str) else data)


def _symlink_loop(path: Path) -> None:
    other = path.with_name("loop-b.pdf")
    os.symlink(other.name, path)
    os.symlink(path.name, other)


def _folder_loop(path: Path) -> None:
    path.mkdir()
    os.symlink("..", path / "back-up")  # a folder that contains itself
    (path / "inside.md").write_text("# Inside\n\nThe loopfolder note.\n", encoding="utf-8")


CASES: list[Case] = [
    *[
        Case(f"empty{suffix}", writer(b""), failed("empty"))
        for suffix in (".pdf", ".docx", ".pptx", ".html", ".md", ".txt")
    ],
    Case("random.pdf", writer(os.urandom(8192)), failed("corrupt")),
    Case("random.docx", writer(os.urandom(8192)), failed("corrupt")),
    Case("random.pptx", writer(os.urandom(8192)), failed("corrupt")),
    Case("truncated.pdf", truncated_pdf, failed("corrupt")),
    Case("header-only.pdf", writer(b"%PDF-1.7\n"), failed("corrupt")),
    Case(
        "user-password.pdf",
        lambda p: pdf(p, "lockedword", encrypt=StandardEncryption("secret", "owner")),
        failed("encrypted"),
    ),
    Case(
        "owner-only.pdf",
        lambda p: pdf(p, "ownerword", encrypt=StandardEncryption("", "owner", canCopy=0)),
        indexed("ownerword"),
    ),
    Case("text-named.pdf", writer("plain words, not a PDF at all\n"), failed("corrupt")),
    Case("bomb.docx", docx_bomb, failed("too_large")),
    Case("lying-bomb.docx", lambda p: docx_bomb(p, lying=True), failed("corrupt")),
    Case("no-document.docx", zip_without_document, failed("corrupt")),
    Case("no-document.pptx", zip_without_document, failed("corrupt")),
    Case(
        "hostile.html",
        writer(HOSTILE_HTML),
        indexed(
            "harborview",
            never=(
                "scriptsecret",
                "exfiltrate",
                "latescriptword",
                "scriptstyleword",
                "onloadword",
                "tracker",
                "noscriptword",
            ),
        ),
    ),
    Case(
        "script.md",
        writer(MARKDOWN_WITH_SCRIPT),
        indexed("tidewater", never=("mdinlinescript", "mdblockscript")),
    ),
    Case("yaml-bomb.md", writer(YAML_BOMB), indexed("yamlbomb")),
    Case("odd-front-matter.md", writer(ODD_FRONT_MATTER), indexed("quirkfront")),
    Case("big.txt", big_text, indexed("capstone", never=("beyondthecap",), truncated=True)),
    Case("latin1-nul.txt", writer(LATIN1_NUL), indexed("résumé")),
    Case("deck with spaces.pdf", lambda p: pdf(p, "spaceword"), indexed("spaceword")),
    Case(
        "présentation été — 2024.docx",
        lambda p: write_docx(p, ["Unicodeword brochure."]),
        indexed("unicodeword"),
    ),
    Case(
        "日本語のメモ.txt",
        writer("Kanjiword memo in a file with a Japanese name.\n"),
        indexed("kanjiword"),
    ),
    Case("-weird.pdf", lambda p: pdf(p, "dashword"), indexed("dashword")),
    Case(
        "--double-dash.pptx",
        lambda p: write_pptx(p, [Slide("Doubledash deck", ["Point"])]),
        indexed("doubledash"),
    ),
    Case("loop-a.pdf", _symlink_loop, failed("unreadable", stored=False)),
    Case("loop-b.pdf", lambda p: None, failed("unreadable", stored=False)),
    Case(
        "dangling.pdf", lambda p: os.symlink("nowhere.pdf", p), failed("unreadable", stored=False)
    ),
    Case(BAD_NAME, writer("Badname text.\n"), failed("unreadable", stored=False)),
    Case("looping folder", _folder_loop, Expect("folder")),
    Case("looping folder/inside.md", lambda p: None, indexed("loopfolder")),
    Case("sheet.xlsx", writer(b"PK\x03\x04"), Expect("skipped", "unsupported")),
    Case(".hidden.txt", writer("hiddenword\n"), Expect("ignored")),
    Case("~$lock.docx", writer(b"lock"), Expect("ignored")),
    # Special files that would block or never end if read: refused before anything opens them.
    Case("pipe.txt", lambda p: os.mkfifo(p), failed("unsupported", stored=False)),
    # A link out of the folder is passed over (the device behind it would never end).
    Case("zero.txt", lambda p: os.symlink("/dev/zero", p), Expect("skipped", "link_outside")),
    # Set up by `hazards`: unreadable (no permission), deleted between scan and read.
    Case("unreadable.pdf", lambda p: pdf(p, "forbiddenword"), failed("unreadable", stored=False)),
    Case("vanishing.txt", writer("Vanishword early.\n"), failed("unreadable", stored=False)),
    Case("vanishing-late.txt", writer("Vanishword late.\n"), failed("unreadable", stored=False)),
]


def make_hostile_corpus(folder: Path) -> dict[str, Expect]:
    """Write every case into ``folder``; returns each file's expected fate by relative path."""
    folder.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        case.make(folder / case.name)
    return {case.name: case.expect for case in CASES if case.expect.outcome != "folder"}


def files_expected(corpus: dict[str, Expect], outcome: str) -> dict[str, Expect]:
    return {name: e for name, e in corpus.items() if e.outcome == outcome}


def remove_big_file(folder: Path) -> None:
    (folder / "big.txt").unlink(missing_ok=True)


# -- hazards that need the run itself: permissions and a file deleted mid-scan -------------


def hazards(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Make ``unreadable.pdf`` unreadable and delete the ``vanishing`` files mid-import.

    As root, permissions do not stop reads, so the refusal is simulated at the one place
    the app opens a new file in its own process (hashing, before any worker sees it).
    ``vanishing.txt`` is deleted after the folder is listed and before it is looked at;
    ``vanishing-late.txt`` after it is hashed and before a worker reads it.
    """
    import library.scan as scan

    unreadable = folder / "unreadable.pdf"
    if os.geteuid() != 0:
        unreadable.chmod(0)
    else:
        real_open = open

        def refusing_open(path, *args, **kwargs):
            if Path(path).name == unreadable.name:
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr(scan, "open", refusing_open, raising=False)

    real_walk = scan.walk

    def walk_then_delete(root: Path, **options):
        yield from real_walk(root, **options)
        (folder / "vanishing.txt").unlink(missing_ok=True)

    monkeypatch.setattr(scan, "walk", walk_then_delete)

    real_hash = scan.file_hash

    def hash_then_delete(path: Path) -> str:
        digest = real_hash(path)
        if path.name == "vanishing-late.txt":
            path.unlink()
        return digest

    monkeypatch.setattr(scan, "file_hash", hash_then_delete)


# -- a reader that stalls, so a test can kill its worker process mid-file --------------------


def stall_on_marked(path: Path, *, max_chars: int):
    """Pool target: on a file named ``stall-*`` write this worker's pid beside it, then
    wait to be killed; other files are read as usual. Module-level, so workers import it."""
    from library.extract import extract_file

    if path.name.startswith("stall-"):
        path.with_suffix(".pid").write_text(str(os.getpid()))
        import time

        time.sleep(60)
    return extract_file(path, max_chars=max_chars)
