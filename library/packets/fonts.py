"""Fonts for PDF pages: DejaVu Sans (shipped in ``assets/fonts``, embedded as a subset) for
Latin, Greek and Cyrillic, a system CJK font found with fontconfig when there is one, and
text cut into runs that each font can draw. What no font covers is reported, not dropped.
"""

from __future__ import annotations

import functools
import logging
import subprocess
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas

log = logging.getLogger(__name__)

FONT_FOLDER = Path(__file__).resolve().parents[2] / "assets" / "fonts"
SANS, SANS_BOLD, FALLBACK = "PitchpackSans", "PitchpackSans-Bold", "PitchpackCJK"
#: Scripts whose characters a CJK fallback must draw to be taken.
_CJK_PROBE = "日本語中文한국"
_SKIPPED = {"Cc", "Cf", "Zs", "Zl", "Zp"}  # spacing and controls: nothing to draw


@dataclass(frozen=True)
class FontSet:
    """The fonts of one kind of document: its faces, and fonts tried, in order, for a
    character that the main faces lack."""

    regular: str
    bold: str
    italic: str
    fallbacks: tuple[str, ...] = ()

    def covers(self, font: str, char: str) -> bool:
        return _covers(font, char)

    def font_for(self, font: str, char: str) -> str:
        """The font that draws ``char`` in place of ``font`` (``font`` itself when none does)."""
        if _covers(font, char):
            return font
        return next((f for f in self.fallbacks if _covers(f, char)), font)

    def runs(self, text: str, font: str) -> list[tuple[str, str]]:
        """``text`` cut into (font, text) runs, each drawable by its font where any can."""
        if not self.fallbacks:
            return [(font, text)] if text else []
        runs: list[tuple[str, str]] = []
        for char in text:
            chosen = runs[-1][0] if runs and _skipped(char) else self.font_for(font, char)
            if runs and runs[-1][0] == chosen:
                runs[-1] = (chosen, runs[-1][1] + char)
            else:
                runs.append((chosen, char))
        return runs

    def markup(self, text: str) -> str:
        """``text`` escaped for a reportlab Paragraph, with ``<font>`` around the runs a
        fallback font draws (it stands in for bold and italic too)."""
        parts = []
        for font, run in self.runs(text, self.regular):
            parts.append(
                escape(run) if font == self.regular else f'<font name="{font}">{escape(run)}</font>'
            )
        return "".join(parts)

    def missing(self, texts: Iterable[str]) -> list[str]:
        """The characters of ``texts`` that no font of the set can draw, in code order."""
        seen = {char for text in texts for char in text}
        return sorted(
            char
            for char in seen
            if not _skipped(char)
            and not any(_covers(f, char) for f in (self.regular, *self.fallbacks))
        )

    def width(self, text: str, font: str, size: float) -> float:
        return sum(pdfmetrics.stringWidth(run, f, size) for f, run in self.runs(text, font))

    def draw(
        self, canvas: Canvas, x: float, y: float, text: str, font: str, size: float, *, right=False
    ) -> None:
        """Draw one line at (x, y), its left end there (or its right end with ``right``)."""
        if right:
            x -= self.width(text, font, size)
        for run_font, run in self.runs(text, font):
            canvas.setFont(run_font, size)
            canvas.drawString(x, y, run)
            x += pdfmetrics.stringWidth(run, run_font, size)

    def fit(self, text: str, font: str, size: float, width: float) -> str:
        """Cut text with an ellipsis so it fits a width on one line."""
        if self.width(text, font, size) <= width:
            return text
        while text and self.width(text + "…", font, size) > width:
            text = text[:-1]
        return text.rstrip() + "…"


#: The PDF base fonts: Latin text only, and nothing to embed (used for test fixtures).
HELVETICA = FontSet("Helvetica", "Helvetica-Bold", "Helvetica-Oblique")


def _skipped(char: str) -> bool:
    return unicodedata.category(char) in _SKIPPED


@functools.cache
def _coverage(font: str) -> frozenset[int] | None:
    codes = getattr(getattr(pdfmetrics.getFont(font), "face", None), "charToGlyph", None)
    return frozenset(codes) if codes is not None else None


def _covers(font: str, char: str) -> bool:
    codes = _coverage(font)
    if codes is None:  # a PDF base font: what its Windows-1252 encoding holds
        try:
            char.encode("cp1252")
        except UnicodeEncodeError:
            return False
        return True
    return ord(char) in codes


def _register_family(name: str, regular: str, bold: str) -> None:
    for is_bold, is_italic in ((0, 0), (0, 1), (1, 0), (1, 1)):
        addMapping(name, is_bold, is_italic, bold if is_bold else regular)


def system_cjk_font() -> TTFont | None:
    """A CJK font that fontconfig offers for Japanese and reportlab can embed (TrueType
    outlines), registered under ``FALLBACK``'s name; None where there is none."""
    try:
        ranked = _fontconfig("fc-match", "-s", ":lang=ja")
        capable = set(_fontconfig("fc-list", ":lang=ja"))
    except (OSError, subprocess.SubprocessError) as exc:
        log.info("No fontconfig to find a CJK font: %s", exc)
        return None
    for path, index in [c for c in ranked if c in capable][:8]:
        try:
            font = TTFont(FALLBACK, path, subfontIndex=index)
        except (TTFError, OSError, ValueError) as exc:  # CFF outlines, damaged files
            log.info("CJK font %s (%d) not usable: %s", path, index, exc)
            continue
        if all(ord(char) in font.face.charToGlyph for char in _CJK_PROBE[:3]):
            return font
    return None


def _fontconfig(*command: str) -> list[tuple[str, int]]:
    found = subprocess.run(
        [*command, "--format", "%{file}|%{index}\n"],
        capture_output=True,
        text=True,
        timeout=10,
        check=True,
    )
    pairs = []
    for line in found.stdout.splitlines():
        path, _, index = line.rpartition("|")
        if path and index.isdigit():
            pairs.append((path, int(index)))
    return pairs


@functools.cache
def unicode_fonts() -> FontSet:
    """DejaVu Sans (regular and bold) with the system's CJK font as fallback when found.

    Registered with reportlab once per process; the italic face is the regular one, as
    only regular and bold are shipped.
    """
    pdfmetrics.registerFont(TTFont(SANS, str(FONT_FOLDER / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(SANS_BOLD, str(FONT_FOLDER / "DejaVuSans-Bold.ttf")))
    _register_family(SANS, SANS, SANS_BOLD)
    fallbacks: tuple[str, ...] = ()
    if (cjk := system_cjk_font()) is not None:
        pdfmetrics.registerFont(cjk)
        _register_family(FALLBACK, FALLBACK, FALLBACK)
        fallbacks = (FALLBACK,)
    return FontSet(SANS, SANS_BOLD, SANS, fallbacks)
