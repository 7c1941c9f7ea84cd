"""The dashboard's charts (QtCharts): most used assets as bars, and usage week by week."""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCharts import (
    QAbstractAxis,
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QDateTimeAxis,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QFont, QGuiApplication, QPainter, QPalette, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from library.usage import AssetUse, WeekUse
from ui import theme

TOP_BARS = 10
TITLE_CHARS = 34
# Series of the trend chart: label, how to read a week, colour (None: the accent).
TREND_SERIES = (
    ("Searches", lambda w: w.searches, "#0F8A7E"),
    ("Previews and opens", lambda w: w.previews + w.opens, None),
    ("Packets sent", lambda w: w.sends, "#C2410C"),
)


def _short(text: str, width: int = TITLE_CHARS) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


class _ChartView(QChartView):
    """A transparent chart in the palette's colours and the application font."""

    def __init__(self, parent: QWidget | None = None) -> None:
        chart = QChart()
        chart.setBackgroundVisible(False)
        chart.setPlotAreaBackgroundVisible(False)
        chart.setMargins(QMargins(0, 0, 0, 0))
        chart.layout().setContentsMargins(0, 0, 0, 0)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        super().__init__(chart, parent)
        # The application's palette: the view's own turns transparent with its style sheet.
        self.colours = QGuiApplication.palette()
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setStyleSheet("background: transparent; border: none;")
        self.setMinimumHeight(220)

    def _style_axis(self, axis: QAbstractAxis, *, grid: bool) -> None:
        palette = self.colours
        muted = theme.secondary_text(palette)
        axis.setLabelsColor(muted)
        font = QFont(self.font())
        font.setPointSizeF(max(7.5, font.pointSizeF() * 0.88))
        axis.setLabelsFont(font)
        axis.setLineVisible(False)
        axis.setGridLineVisible(grid)
        if grid:
            line = theme.mix(
                palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text), 0.1
            )
            axis.setGridLinePen(QPen(line, 1))
        axis.setMinorGridLineVisible(False)

    def _clear(self) -> None:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)


class TopAssetsChart(_ChartView):
    """Horizontal bars of the highest-scoring assets; clicking a bar names its asset."""

    asset_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart().legend().hide()
        self.asset_ids: list[int] = []
        self._rows: list[AssetUse] = []

    def set_assets(self, assets: list[AssetUse]) -> None:
        self._clear()
        rows = list(reversed(assets[:TOP_BARS]))  # bars are laid out bottom up
        self._rows = rows
        self.asset_ids = [a.asset_id for a in rows]
        if not rows:
            return
        bars = QBarSet("Use score")
        bars.append([float(a.score) for a in rows])
        bars.setColor(theme.accent(self.colours))
        bars.setBorderColor(QColor(Qt.GlobalColor.transparent))
        bars.setLabelColor(theme.secondary_text(self.colours))
        series = QHorizontalBarSeries()
        series.append(bars)
        series.setBarWidth(0.62)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsOutsideEnd)
        series.setLabelsFormat("@value")
        self.chart().addSeries(series)
        names = QBarCategoryAxis()
        names.setTruncateLabels(False)
        names.append([_short(a.title) for a in rows])
        values = QValueAxis()
        values.setRange(0, max(a.score for a in rows) * 1.15)
        values.setLabelFormat("%d")
        values.setTickCount(5)
        self._style_axis(names, grid=False)
        self._style_axis(values, grid=True)
        values.setLabelsVisible(False)
        self.chart().addAxis(names, Qt.AlignmentFlag.AlignLeft)
        self.chart().addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(names)
        series.attachAxis(values)
        bars.clicked.connect(self._clicked)
        bars.hovered.connect(self._hovered)

    def _clicked(self, index: int) -> None:
        if 0 <= index < len(self.asset_ids):
            self.asset_clicked.emit(self.asset_ids[index])

    def _hovered(self, status: bool, index: int) -> None:
        self.setCursor(Qt.CursorShape.PointingHandCursor if status else Qt.CursorShape.ArrowCursor)
        if status and 0 <= index < len(self._rows):
            a = self._rows[index]
            QToolTip.showText(
                QCursor.pos(),
                f"<b>{a.title}</b><br>Score {a.score:g}: {a.sends} sent, {a.exports} exported, "
                f"{a.packet_adds} added to packets, {a.opens} opened, {a.previews} previewed"
                "<br><i>Click to open it in the library</i>",
                self,
            )
        else:
            QToolTip.hideText()


def _msecs(day: str) -> float:
    return datetime.combine(date.fromisoformat(day), datetime.min.time(), UTC).timestamp() * 1000


class TrendChart(_ChartView):
    """Searches, previews and opens, and packets sent, week by week."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        legend = self.chart().legend()
        legend.setAlignment(Qt.AlignmentFlag.AlignTop)
        legend.setMarkerShape(legend.MarkerShape.MarkerShapeCircle)
        legend.setLabelColor(self.colours.color(QPalette.ColorRole.Text))
        self.series: dict[str, QLineSeries] = {}

    def set_weeks(self, weeks: list[WeekUse]) -> None:
        self._clear()
        self.series = {}
        if not weeks:
            return
        days = QDateTimeAxis()
        days.setFormat("d MMM")
        days.setTickCount(min(len(weeks), 7) if len(weeks) > 1 else 2)
        days.setRange(
            datetime.fromtimestamp(_msecs(weeks[0].week) / 1000, UTC),
            datetime.fromtimestamp(_msecs(weeks[-1].week) / 1000, UTC),
        )
        counts = QValueAxis()
        top = max(max(value(w) for w in weeks) for _label, value, _colour in TREND_SERIES)
        counts.setRange(0, max(top, 4))
        counts.applyNiceNumbers()
        counts.setLabelFormat("%d")
        self._style_axis(days, grid=False)
        self._style_axis(counts, grid=True)
        self.chart().addAxis(days, Qt.AlignmentFlag.AlignBottom)
        self.chart().addAxis(counts, Qt.AlignmentFlag.AlignLeft)
        for label, value, colour in TREND_SERIES:
            line = QLineSeries()
            line.setName(label)
            line.append([QPointF(_msecs(w.week), value(w)) for w in weeks])
            pen = QPen(QColor(colour) if colour else theme.accent(self.colours), 2.4)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            line.setPen(pen)
            line.setPointsVisible(len(weeks) <= 16)
            self.chart().addSeries(line)
            line.attachAxis(days)
            line.attachAxis(counts)
            self.series[label] = line
        self.chart().legend().setFont(self.font())
