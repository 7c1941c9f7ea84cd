"""The preview: a PDF page at its best match, or the text of other formats, with hits marked.

Long unpaged text is shown one section at a time, with the same navigation as PDF pages.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QGuiApplication,
    QImage,
    QKeySequence,
    QPainter,
    QPixmap,
    QShortcut,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from library import Library
from library.models import TextSource
from library.render import PageImage, render_page
from search.types import SearchHit
from ui import theme
from ui.errors import error_message
from ui.icons import icon
from ui.preview_content import PreviewData, load_preview, section_html
from ui.tasks import TaskRunner
from ui.widgets import ChipLabel, EmptyState, FlowLayout

PAGE_MARGIN = 24


class PreviewPane(QWidget):
    add_to_packet_requested = Signal(list)  # asset ids
    status_message = Signal(str)
    original_opened = Signal(int)  # asset id

    def __init__(self, library: Library, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.hit: SearchHit | None = None
        self.data: PreviewData | None = None
        self.page = 1
        self.page_count = 0
        self.hit_index = 0
        self._sequence = 0
        self._image: PageImage | None = None
        self._resize_timer = QTimer(self, singleShot=True, interval=180)
        self._resize_timer.timeout.connect(lambda: self._render(self.page))
        self._build()

    # -- building --------------------------------------------------------------------------

    def _build(self) -> None:
        self.title = QLabel(objectName="heading", wordWrap=True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.meta = QLabel(objectName="muted", wordWrap=True)
        self.chips = QWidget()
        self.chip_layout = FlowLayout(self.chips, spacing=5)

        self.open_button = QPushButton(icon("open"), "Open original")
        self.copy_button = QPushButton(icon("copy"), "Copy path")
        self.packet_button = QPushButton(icon("packet", "white"), "Add to packet")
        self.packet_button.setProperty("primary", True)
        self.packet_button.setToolTip("Add to packet (Ctrl+Enter)")
        actions = QHBoxLayout()
        actions.setSpacing(6)
        for button in (self.open_button, self.copy_button):
            actions.addWidget(button)
        actions.addStretch()
        actions.addWidget(self.packet_button)

        self.prev_page = self._tool("chevron-left", "Previous page (Page Up)")
        self.next_page = self._tool("chevron-right", "Next page (Page Down)")
        self.page_label = QLabel(objectName="muted")
        self.prev_hit = self._tool("hit-prev", "Previous match (Shift+F3)")
        self.next_hit = self._tool("hit-next", "Next match (F3)")
        self.hit_label = QLabel(objectName="muted")
        nav = QHBoxLayout()
        nav.setSpacing(2)
        for widget in (self.prev_page, self.page_label, self.next_page):
            nav.addWidget(widget)
        nav.addStretch()
        for widget in (self.hit_label, self.prev_hit, self.next_hit):
            nav.addWidget(widget)

        self.page_view = QLabel(alignment=Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.page_view.setAccessibleName("Page")
        self.page_scroll = QScrollArea(objectName="previewScroll")
        self.page_scroll.setWidget(self.page_view)
        self.page_scroll.setWidgetResizable(True)
        self.page_scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.text_view = QTextBrowser()
        self.text_view.setOpenLinks(False)
        self.text_view.setAccessibleName("Document text")
        self.empty = EmptyState("file")
        self.empty.set_text(
            "Nothing selected", "Pick a result to see it here, at the page that matches."
        )
        self.body = QStackedWidget()
        for widget in (self.empty, self.page_scroll, self.text_view):
            self.body.addWidget(widget)

        self.details = QFrame()
        details = QVBoxLayout(self.details)
        details.setContentsMargins(0, 0, 0, 0)
        details.setSpacing(8)
        details.addWidget(self.title)
        details.addWidget(self.meta)
        details.addWidget(self.chips)
        details.addLayout(actions)
        details.addLayout(nav)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.setSpacing(10)
        layout.addWidget(self.details)
        layout.addWidget(self.body, 1)
        self.details.hide()

        self.open_button.clicked.connect(self.open_original)
        self.copy_button.clicked.connect(self.copy_path)
        self.packet_button.clicked.connect(self.add_to_packet)
        self.prev_page.clicked.connect(lambda: self.go_to_page(self.page - 1))
        self.next_page.clicked.connect(lambda: self.go_to_page(self.page + 1))
        self.prev_hit.clicked.connect(lambda: self.step_hit(-1))
        self.next_hit.clicked.connect(lambda: self.step_hit(1))
        shortcuts = (
            (QKeySequence("Ctrl+Return"), self.add_to_packet),
            (QKeySequence("Ctrl+Enter"), self.add_to_packet),
            (QKeySequence("F3"), lambda: self.step_hit(1)),
            (QKeySequence("Shift+F3"), lambda: self.step_hit(-1)),
        )
        for keys, slot in shortcuts:
            QShortcut(keys, self, slot, context=Qt.ShortcutContext.WindowShortcut)
        for keys, step in (
            (QKeySequence.StandardKey.MoveToNextPage, 1),
            (QKeySequence.StandardKey.MoveToPreviousPage, -1),
        ):
            QShortcut(
                keys,
                self.page_scroll,
                lambda s=step: self.go_to_page(self.page + s),
                context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
            )

    def _tool(self, name: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setIcon(icon(name))
        button.setToolTip(tip)
        button.setAccessibleName(tip.split(" (")[0])
        return button

    # -- showing an asset ------------------------------------------------------------------

    def show_hit(self, hit: SearchHit | None, query_text: str = "") -> None:
        self._sequence += 1
        self.hit = hit
        if hit is None:
            self.data = None
            self.details.hide()
            self.body.setCurrentWidget(self.empty)
            return
        sequence, library = self._sequence, self.library
        self.runner.run(
            lambda: load_preview(library, hit.id, query_text, hit.snippet),
            on_success=lambda data: self._loaded(sequence, data),
        )

    def focus_preview(self) -> None:
        (
            self.page_scroll if self.body.currentWidget() is self.page_scroll else self.text_view
        ).setFocus()

    def _loaded(self, sequence: int, data: PreviewData) -> None:
        if sequence != self._sequence:
            return
        self.data = data
        asset = data.asset
        self.title.setText(asset.title)
        parts = [asset.content_type.capitalize()]
        if asset.owner:
            parts.append(asset.owner)
        if asset.updated:
            parts.append(f"Updated {asset.updated[:10]}")
        if asset.expires:
            parts.append(f"Expires {asset.expires}")
        if marker := TextSource(asset.text_source).label:
            parts.append(marker.capitalize())
        self.meta.setText("  ·  ".join(parts))
        self._fill_chips(asset.terms)
        self.details.show()
        self.hit_index = 0
        if data.is_pdf or data.sectioned:
            found = (self.hit.page or self.hit.section) if self.hit else None
            best = found or (data.hit_pages or [1])[0]
            if best in data.hit_pages:
                self.hit_index = data.hit_pages.index(best)
            if data.is_pdf:
                self.page_count = asset.page_count or data.page_count
                self.body.setCurrentWidget(self.page_scroll)
                self._render(best)
            else:
                self.page_count = len(data.sections)
                self._show_section(best)
        else:
            self.page_count = 0
            self._show_text(data)
        self._update_nav()

    def _fill_chips(self, terms: dict[str, list[str]]) -> None:
        self.chip_layout.clear()
        for facet in ("stage", "persona", "industry", "product", "tag"):
            kind = facet if facet in ("stage", "persona") else "neutral"
            for name in terms.get(facet, []):
                self.chip_layout.addWidget(ChipLabel(name, kind))
        self.chips.setVisible(self.chip_layout.count() > 0)

    # -- text formats ----------------------------------------------------------------------

    def _show_text(self, data: PreviewData) -> None:
        self._set_text_style()
        self.text_view.setHtml(data.html or self._no_text_html(data))
        self.body.setCurrentWidget(self.text_view)
        section = self.hit.section if self.hit else None
        if section in data.first_marks:  # the section the index picked, at its first match
            self.hit_index = data.first_marks[section] - 1
            self.text_view.scrollToAnchor(f"hit-{self.hit_index + 1}")
        elif data.hit_count:
            self.text_view.scrollToAnchor("hit-1")
        elif self.hit and self.hit.page:
            self.text_view.scrollToAnchor(f"page-{self.hit.page}")

    def _show_section(self, number: int) -> None:
        """Show one section of long unpaged text, scrolled to its first match."""
        if self.data is None:
            return
        self.page = max(1, min(number, self.page_count))
        html, marks = section_html(self.data, self.page)
        self._set_text_style()
        self.text_view.setHtml(html or "<p><i>This file has no readable text.</i></p>")
        self.body.setCurrentWidget(self.text_view)
        if marks:
            self.text_view.scrollToAnchor("hit-1")
        else:
            self.text_view.verticalScrollBar().setValue(0)
        self._update_nav()

    def _set_text_style(self) -> None:
        mark = theme.chip_style("suggested", self.palette()).background.name()
        text = self.palette().color(self.palette().ColorRole.Text).name()
        muted = theme.secondary_text(self.palette()).name()
        self.text_view.document().setDefaultStyleSheet(
            f".hit {{ background-color: {mark}; color: {text}; font-weight: 600; }}"
            f"p {{ line-height: 140%; margin-bottom: 8px; }}"
            f"h3 {{ margin-top: 14px; }}"
            f".page {{ color: {muted}; font-size: small; font-weight: 600; margin-top: 18px; }}"
        )

    def _no_text_html(self, data: PreviewData) -> str:
        """A textless deck's slide pictures, added to the document as images."""
        document = self.text_view.document()
        parts = [
            "<p><i>No text was found in this file; it is found by its title, file "
            "name, summary and tags.</i></p>"
        ]
        # The document keeps its own margins; an image as wide as the view would scroll.
        width = max(200, self.text_view.viewport().width() - PAGE_MARGIN - 32)
        for number, image in enumerate(data.slide_images, start=1):
            parts.append(f"<a name='page-{number}'></a><p class='page'>Slide {number}</p>")
            if image.isNull():
                parts.append("<p><i>No picture to show.</i></p>")
                continue
            name = f"slide-{number}.png"
            document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
            shown = min(width, image.width())
            parts.append(f"<p><img src='{name}' width='{shown}'></p>")
        return "\n".join(parts)

    # -- PDF pages and sections ------------------------------------------------------------

    def _paged_view(self) -> bool:
        return self.data is not None and (self.data.is_pdf or self.data.sectioned)

    def go_to_page(self, page: int) -> None:
        if not self._paged_view() or not 1 <= page <= max(self.page_count, 1):
            return
        if page in self.data.hit_pages:
            self.hit_index = self.data.hit_pages.index(page)
        self._show_page(page)

    def _show_page(self, page: int) -> None:
        if self.data is not None and self.data.sectioned:
            self._show_section(page)
        else:
            self._render(page)

    def _render(self, page: int) -> None:
        if self.data is None or not self.data.is_pdf:
            return
        self.page = page
        self._sequence += 1
        sequence = self._sequence
        width = int((self.page_scroll.viewport().width() - PAGE_MARGIN) * self.devicePixelRatioF())
        path, terms = self.data.asset.path, list(self.data.terms)
        self.runner.run(
            lambda: render_page(path, page, max(width, 300), find=terms),
            on_success=lambda image: self._rendered(sequence, image),
            on_failure=lambda exc: self._render_failed(sequence, exc),
        )
        self._update_nav()

    def _rendered(self, sequence: int, image: PageImage) -> None:
        if sequence != self._sequence:
            return
        self._image = image
        self.page, self.page_count = image.page, image.page_count
        fmt = QImage.Format.Format_RGB888 if image.channels == 3 else QImage.Format.Format_RGBX8888
        qimage = QImage(image.data, image.width, image.height, image.stride, fmt).copy()
        painter = QPainter(qimage)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 196, 0, 90))
        for x, y, w, h in image.highlights:
            painter.drawRoundedRect(QRectF(x - 1, y - 1, w + 2, h + 2), 2, 2)
        painter.end()
        pixmap = QPixmap.fromImage(qimage)
        pixmap.setDevicePixelRatio(self.devicePixelRatioF())
        self.page_view.setPixmap(pixmap)
        self.page_scroll.verticalScrollBar().setValue(0)
        self._update_nav()

    def _render_failed(self, sequence: int, exc: BaseException) -> None:
        if sequence == self._sequence and self.data is not None:
            self.page_view.setText(error_message(exc))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.data is not None and self.data.is_pdf:
            self._resize_timer.start()

    # -- hits and navigation ---------------------------------------------------------------

    def step_hit(self, step: int) -> None:
        if self.data is None:
            return
        if self._paged_view():
            pages = self.data.hit_pages
            if not pages:
                return
            later = [p for p in pages if (p > self.page if step > 0 else p < self.page)]
            target = (
                (min(later) if step > 0 else max(later))
                if later
                else (pages[0] if step > 0 else pages[-1])
            )
            self.hit_index = pages.index(target)
            self._show_page(target)
        elif self.data.hit_count:
            self.hit_index = (self.hit_index + step) % self.data.hit_count
            self.text_view.scrollToAnchor(f"hit-{self.hit_index + 1}")
            self._update_nav()

    def _update_nav(self) -> None:
        data = self.data
        paged = self._paged_view()
        unit = "Section" if data is not None and data.sectioned else "Page"
        for widget in (self.prev_page, self.next_page, self.page_label):
            widget.setVisible(paged)
        if paged:
            self.page_label.setText(f"{unit} {self.page} of {self.page_count or '?'}")
            self.prev_page.setEnabled(self.page > 1)
            self.next_page.setEnabled(self.page < self.page_count)
            self.prev_page.setToolTip(f"Previous {unit.lower()} (Page Up)")
            self.next_page.setToolTip(f"Next {unit.lower()} (Page Down)")
        hits = (len(data.hit_pages) if paged else data.hit_count) if data else 0
        for widget in (self.prev_hit, self.next_hit, self.hit_label):
            widget.setVisible(hits > 0)
        if hits:
            noun = f"Matching {unit.lower()}" if paged else "Match"
            self.hit_label.setText(f"{noun} {self.hit_index + 1} of {hits}")

    # -- actions ---------------------------------------------------------------------------

    def open_original(self) -> None:
        if self.data is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(self.data.asset.path))
            self.original_opened.emit(self.data.asset.id)

    def copy_path(self) -> None:
        if self.data is not None:
            QGuiApplication.clipboard().setText(self.data.asset.path)
            self.status_message.emit("Path copied to the clipboard")

    def add_to_packet(self) -> None:
        if self.hit is not None:
            self.add_to_packet_requested.emit([self.hit.id])
            self.status_message.emit(f"Added “{self.hit.title}” to the packet")
