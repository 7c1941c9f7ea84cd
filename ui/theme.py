"""Colours, palettes and the style sheet: one accent colour, light and dark palettes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

ICON_DIR = Path(__file__).resolve().parent.parent / "assets" / "icons"
ACCENT_LIGHT = "#2E5BDA"
ACCENT_DARK = "#7D9BFF"


@dataclass(frozen=True)
class ChipStyle:
    background: QColor
    foreground: QColor


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def accent(palette: QPalette | None = None) -> QColor:
    return QColor(ACCENT_DARK if is_dark(palette) else ACCENT_LIGHT)


def mix(a: QColor, b: QColor, amount: float) -> QColor:
    """``a`` moved towards ``b`` by ``amount`` (0..1)."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * amount),
        round(a.green() + (b.green() - a.green()) * amount),
        round(a.blue() + (b.blue() - a.blue()) * amount),
    )


# Chip kinds: stages carry the accent, personas a calm teal, everything else stays neutral.
_CHIP_HUES = {"stage": None, "persona": "#0F8A7E", "suggested": "#B7791F", "warning": "#C2410C"}


def chip_style(kind: str, palette: QPalette | None = None) -> ChipStyle:
    palette = palette or QGuiApplication.palette()
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    dark = is_dark(palette)
    if kind not in _CHIP_HUES:
        return ChipStyle(mix(base, text, 0.09), mix(text, base, 0.18))
    hue = QColor(_CHIP_HUES[kind]) if _CHIP_HUES[kind] else accent(palette)
    if dark:
        hue = hue.lighter(115)
    return ChipStyle(
        mix(base, hue, 0.30 if dark else 0.13), hue.lighter(125) if dark else hue.darker(125)
    )


def secondary_text(palette: QPalette | None = None) -> QColor:
    palette = palette or QGuiApplication.palette()
    return mix(palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base), 0.42)


def warning_color(palette: QPalette | None = None) -> QColor:
    return QColor("#F08A5D") if is_dark(palette) else QColor("#C2410C")


def _palette(dark: bool) -> QPalette:
    p = QPalette()
    if dark:
        window, base, alt, text, button = "#1E1F24", "#24262C", "#2A2C33", "#E7E8EC", "#2C2E35"
        highlight, disabled = ACCENT_DARK, "#7B7F8C"
    else:
        window, base, alt, text, button = "#F4F5F8", "#FFFFFF", "#F8F9FB", "#1D2230", "#FFFFFF"
        highlight, disabled = ACCENT_LIGHT, "#9AA0AE"
    roles = QPalette.ColorRole
    for role, value in (
        (roles.Window, window),
        (roles.WindowText, text),
        (roles.Base, base),
        (roles.AlternateBase, alt),
        (roles.Text, text),
        (roles.Button, button),
        (roles.ButtonText, text),
        (roles.ToolTipBase, base),
        (roles.ToolTipText, text),
        (roles.Highlight, highlight),
        (roles.HighlightedText, "#FFFFFF"),
        (roles.Link, highlight),
        (roles.PlaceholderText, disabled),
        (roles.BrightText, "#FFFFFF"),
    ):
        p.setColor(role, QColor(value))
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(disabled))
    p.setColor(roles.Mid, QColor(mix(QColor(window), QColor(text), 0.18)))
    p.setColor(roles.Midlight, QColor(mix(QColor(window), QColor(text), 0.08)))
    return p


def _style_sheet(dark: bool) -> str:
    pal = _palette(dark)
    border = mix(
        pal.color(QPalette.ColorRole.Window), pal.color(QPalette.ColorRole.Text), 0.16
    ).name()
    soft = mix(pal.color(QPalette.ColorRole.Base), accent(pal), 0.12).name()
    acc = accent(pal).name()
    sec = secondary_text(pal).name()
    base = pal.color(QPalette.ColorRole.Base).name()
    window = pal.color(QPalette.ColorRole.Window).name()
    desk = mix(
        pal.color(QPalette.ColorRole.Window), pal.color(QPalette.ColorRole.Text), 0.07
    ).name()
    handle = mix(
        pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.Text), 0.22
    ).name()
    arrow = (ICON_DIR / f"chevron-down-{'dark' if dark else 'light'}.svg").as_posix()
    return f"""
    QLineEdit#searchBox {{
        border: 1.5px solid {border}; border-radius: 10px; padding: 9px 12px;
        font-size: 15px; background: {base};
    }}
    QLineEdit#searchBox:focus {{ border-color: {acc}; }}
    QLineEdit, QComboBox, QDateEdit, QSpinBox {{
        border: 1px solid {border}; border-radius: 6px; padding: 4px 8px; background: {base};
    }}
    QLineEdit:focus, QComboBox:focus, QDateEdit:focus {{ border-color: {acc}; }}
    QPlainTextEdit {{ border: 1px solid {border}; border-radius: 6px; padding: 2px 4px;
        background: {base}; }}
    QPlainTextEdit:focus, QSpinBox:focus {{ border-color: {acc}; }}
    QToolButton#segment {{ padding: 3px 10px; font-weight: 600; color: {sec}; }}
    QToolButton#segment:checked {{ color: {acc}; }}
    QListView, QTreeView, QTableView, QTextBrowser, QScrollArea#previewScroll {{
        border: 1px solid {border}; border-radius: 8px; background: {base};
    }}
    QTreeView#facetTree, QListView#savedSearches {{ border: none; background: transparent; }}
    QScrollArea#previewScroll {{ background: {desk}; }}
    QScrollArea#previewScroll > QWidget > QWidget {{ background: {desk}; }}
    QHeaderView::section {{
        background: {window}; border: none; border-bottom: 1px solid {border};
        padding: 6px 8px; font-weight: 600; color: {sec};
    }}
    QTableView {{ gridline-color: transparent; selection-background-color: {soft};
        selection-color: palette(text); }}
    QPushButton {{
        border: 1px solid {border}; border-radius: 6px; padding: 5px 12px; background: {base};
    }}
    QPushButton:hover {{ border-color: {acc}; }}
    QPushButton:disabled {{ color: {sec}; }}
    QPushButton[primary="true"] {{
        background: {acc}; color: white; border-color: {acc}; font-weight: 600;
    }}
    QPushButton#chip {{
        border: none; border-radius: 11px; padding: 3px 10px; background: {soft}; color: {acc};
        font-weight: 600;
    }}
    QPushButton#chip:hover {{ background: {mix(QColor(soft), accent(pal), 0.2).name()}; }}
    QPushButton#linkButton {{ border: none; background: transparent; color: {acc};
        padding: 2px 4px; font-weight: 600; text-align: left; }}
    QPushButton#linkButton:hover {{ text-decoration: underline; }}
    QToolButton {{ border: 1px solid transparent; border-radius: 6px; padding: 4px; }}
    QToolButton:hover {{ border-color: {border}; background: {base}; }}
    QToolButton:checked {{ background: {soft}; border-color: {soft}; }}
    QLabel#sectionTitle {{ color: {sec}; font-size: 11px; font-weight: 700;
        letter-spacing: 0.6px; }}
    QLabel#muted {{ color: {sec}; }}
    QLabel#heading {{ font-size: 17px; font-weight: 700; }}
    QLabel#bigNumber {{ font-size: 24px; font-weight: 700; }}
    QFrame#sidebar {{ background: {window}; }}
    QFrame#card {{ background: {base}; border: 1px solid {border}; border-radius: 10px; }}
    QTabWidget::pane {{ border: none; }}
    QTabBar::tab {{ padding: 8px 18px; border: none; margin-right: 4px; color: {sec};
        font-weight: 600; border-bottom: 2px solid transparent; }}
    QTabBar::tab:selected {{ color: palette(text); border-bottom: 2px solid {acc}; }}
    QStatusBar {{ color: {sec}; }}
    QProgressBar {{ border: none; border-radius: 4px; background: {border}; height: 8px;
        text-align: center; }}
    QProgressBar::chunk {{ border-radius: 4px; background: {acc}; }}
    QSplitter::handle {{ background: {window}; }}
    QScrollBar:vertical {{ background: transparent; width: 11px; margin: 2px 1px; }}
    QScrollBar:horizontal {{ background: transparent; height: 11px; margin: 1px 2px; }}
    QScrollBar::handle {{ background: {handle}; border-radius: 4px; }}
    QScrollBar::handle:hover {{ background: {sec}; }}
    QScrollBar::handle:vertical {{ min-height: 32px; }}
    QScrollBar::handle:horizontal {{ min-width: 32px; }}
    QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; border: none; }}
    QScrollBar::add-page, QScrollBar::sub-page {{ background: none; }}
    QComboBox::drop-down {{ border: none; width: 22px; subcontrol-origin: padding;
        subcontrol-position: center right; }}
    QComboBox::down-arrow {{ image: url({arrow}); width: 12px; height: 12px; }}
    QMenu {{ background: {base}; border: 1px solid {border}; padding: 4px; border-radius: 6px; }}
    QMenu::item {{ padding: 5px 22px 5px 12px; border-radius: 4px; }}
    QMenu::item:selected {{ background: {soft}; color: palette(text); }}
    QMenu::separator {{ height: 1px; background: {border}; margin: 4px 8px; }}
    """


def apply_theme(app: QApplication, *, dark: bool | None = None) -> None:
    """Fusion style with our palette; ``dark`` None follows the system colour scheme."""
    if dark is None:
        dark = QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark
    app.setStyle("Fusion")
    app.setPalette(_palette(dark))
    app.setStyleSheet(_style_sheet(dark))
