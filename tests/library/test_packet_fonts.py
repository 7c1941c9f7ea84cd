"""Names in any script reach the packet PDF as text: DejaVu Sans for Latin, Greek and
Cyrillic, the system's CJK font for Chinese, Japanese and Korean, a warning for the rest."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest
from pypdf import PdfReader

from library.packets import Prospect, RepSettings
from library.packets.fonts import FALLBACK, unicode_fonts

NAMES = ["Łukasz Żółć", "Ελένη", "Дмитрий", "山田太郎"]
HIEROGLYPH = "\U00013000"  # Egyptian hieroglyph A001: in neither DejaVu Sans nor a CJK font
TODAY = date(2026, 3, 2)


def cjk_or_skip() -> None:
    if FALLBACK not in unicode_fonts().fallbacks:
        pytest.skip(
            "no CJK font that reportlab can embed is installed (Debian: fonts-wqy-zenhei), "
            "so 山田太郎 is drawn as boxes and warned about"
        )


@pytest.fixture
def packet(library, tmp_path):
    page = tmp_path / "content" / "partners.md"
    page.parent.mkdir()
    page.write_text(
        "# Partners in every market\n\n"
        + "\n".join(f"- {name} leads the **{name}** account" for name in NAMES)
        + "\n\n| Region | Lead |\n|---|---|\n| Tokyo | 山田太郎 |\n| Kyiv | Дмитрий |\n",
        encoding="utf-8",
    )
    library.add_paths([page])
    (asset_id,) = library.assets.ids(state="ok")
    library.save_rep_settings(RepSettings(rep_name="Ελένη Παπαδοπούλου", rep_company="Łódź Data"))
    prospect = Prospect("Łukasz", "Żółć", "l@example.com", "Дмитрий и партнёры", "山田太郎 team")
    packet = library.create_packet(prospect, asset_ids=[asset_id])
    note = "Dear {first_name},\n\n" + ", ".join(NAMES) + " and **山田太郎** agreed.\n\n{signature}"
    library.set_packet_note(packet.id, note, subject="Για τον {first_name} {last_name}")
    library.set_packet_item_note(packet.id, asset_id, "Для Дмитрий, 山田太郎 и Ελένη.")
    return packet


def page_texts(path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def test_every_name_is_text_in_the_packet(library, packet, tmp_path):
    result = library.export_packet_pdf(packet.id, tmp_path / "packet.pdf", today=TODAY)
    cover, note, contents, asset = page_texts(result.path)
    everything = "\n".join((cover, note, contents, asset))
    for name in NAMES[:3]:
        assert name in note and name in asset, name
    assert "Łukasz Żółć" in cover and "Дмитрий и партнёры" in cover
    assert "Ελένη Παπαδοπούλου" in cover and "Για τον Łukasz Żółć" in cover
    assert "Для Дмитрий" in contents and "Łukasz" in contents
    fonts = {
        str(font.get("/BaseFont"))
        for page in PdfReader(result.path).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert not any("Helvetica" in name for name in fonts), fonts
    assert any("PitchpackSans" in name or "DejaVu" in name for name in fonts), fonts
    cjk_or_skip()
    assert "山田太郎" in note and "山田太郎" in asset and "山田太郎" in everything
    assert "山田太郎" in cover  # the role line; pypdf breaks the line where the font changes
    assert result.warnings == []


def test_characters_no_font_has_are_listed_not_dropped(library, packet, tmp_path, capsys):
    library.set_packet_note(packet.id, f"Dear {{first_name}}, {HIEROGLYPH} means a man.")
    result = library.export_packet_pdf(packet.id, tmp_path / "packet.pdf", today=TODAY)
    (warning,) = result.warnings
    assert f"{HIEROGLYPH} (U+13000)" in warning
    cjk_or_skip()  # without a CJK font, 山田太郎's four characters are listed too
    assert "1 character" in warning


def test_the_cli_prints_the_warning_on_stderr(library, packet, tmp_path, capsys):
    from main import main

    library.set_packet_note(packet.id, f"Dear {{first_name}}: {HIEROGLYPH}")
    pdf = tmp_path / "out.pdf"
    argv = ["--library", str(library.folder), "packet", "export", str(packet.id), "--pdf", str(pdf)]
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert str(pdf) in out and "pitchpack: warning: No font available" in err and "U+13000" in err


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) missing")
def test_pages_render(library, packet, tmp_path):
    result = library.export_packet_pdf(packet.id, tmp_path / "packet.pdf", today=TODAY)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", str(result.path), str(tmp_path / "page")], check=True
    )
    assert len(list(tmp_path.glob("page-*.png"))) == result.pages
