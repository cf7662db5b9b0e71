"""Two bar charts of the dashboard, drawn on the server as inline SVG (no script, no chart library),
over the rows of its page (the organisations directly under the Đảng bộ, or cells), never every cell.

The geometry is computed here and ``reports/_chart.html`` writes it out. The drawing is 340 units
wide, about the width it gets on a 360 px phone, so its text reads at its nominal size there; the
``viewBox`` lets it scale up to the column on a desktop. Each cell is one row: its name on a line of
its own (long Vietnamese names need the whole width on a phone), the bar below, the value at the
right. Colours always come with words (the value, the legend), never alone.
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from reports.selectors import Dashboard, Level

WIDTH = 340
BAR_END = 282  # the bars' full length; the values are written right of it
TOP = 40  # room for the legend and the marker's label
ROW = 40
LABEL_CHARS = 48

TRACK = "#e3dfdc"
OK = "#2e8b57"
LOW = "#c0392b"
MARKER = "#8c1d18"
INK = "#1d1b1a"
MUTED = "#5f5a57"


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    fill: str
    title: str = ""


@dataclass
class Row:
    label: str
    full_name: str
    url: str
    label_y: float
    value: str
    value_y: float
    value_fill: str
    bars: list[Bar] = field(default_factory=list)
    note: str = ""  # written in the bar's place when there is nothing to draw
    note_fill: str = MUTED


@dataclass
class Legend:
    x: float
    text: str
    fill: str = ""
    dashed: bool = False


@dataclass
class Marker:
    """A dashed threshold drawn across each bar (not through the names above them), labelled on top."""

    x: float
    label_y: float
    label: str
    label_x: float
    anchor: str
    segments: list[tuple[int, int]]  # (y1, y2) of each dash


@dataclass
class Chart:
    """Everything the template draws."""

    id: str
    title: str
    description: str
    width: int
    height: int
    rows: list[Row]
    legend: list[Legend]
    marker: Marker | None


def _legend(items: list[tuple[str, str, bool]]) -> list[Legend]:
    """(text, fill, dashed) laid out left to right, each after the previous one's text (widths
    estimated at 0.6 em a character: the text is laid out by the browser, not here)."""
    legend, x = [], 0.0
    for text, fill, dashed in items:
        legend.append(Legend(round(x), text, fill, dashed))
        x += 16 + len(text) * 12 * 0.6 + 12
    return legend


def _pk(row: Any) -> int:
    """A row of the whole table (its ``cell``) or of a level (the organisation's ``pk``)."""
    return row.cell.pk if hasattr(row, "cell") else row.pk


def _full_name(row: Any) -> str:
    return row.cell.name if hasattr(row, "cell") else row.name


def _label(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1].rstrip() + "…"


def _marker(x: float, rows: list[int], label: str) -> Marker:
    """The threshold at ``x``, dashed across the bars of ``rows`` (their indexes)."""
    anchor = "end" if x > WIDTH * 0.6 else "start"
    return Marker(
        x=x,
        label_y=TOP - 10,
        label=label,
        label_x=x + 3 if anchor == "start" else x - 3,
        anchor=anchor,
        # A tick under the label, then one dash across each bar (from under the name to below the bar).
        segments=[(TOP - 7, TOP)] + [(TOP + i * ROW + 16, TOP + i * ROW + 35) for i in rows],
    )


def sessions_chart(board: Dashboard | Level, urls: dict[int, str]) -> Chart:
    """Planned sessions as a grey track, held ones as a green bar over it, the minimum the rule set
    asks for the period as a dashed line."""
    items: list[Any] = list(board.rows)
    scale_max = max([board.min_sessions, 1, *(row.figures.planned for row in items)])
    unit = BAR_END / scale_max
    rows = []
    for index, row in enumerate(items):
        top = TOP + index * ROW
        f = row.figures
        bars = [
            Bar(0, top + 18, max(f.planned * unit, 0), 14, TRACK, _("%(n)s planned") % {"n": f.planned}),
            Bar(0, top + 18, f.held * unit, 14, OK, _("%(n)s held") % {"n": f.held}),
        ]
        short = f.planned < board.min_sessions
        rows.append(
            Row(
                label=_label(row.short_name),
                full_name=_full_name(row),
                url=urls.get(_pk(row), ""),
                label_y=top + 13,
                value=f"{f.held}/{f.planned}",
                value_y=top + 30,
                value_fill=LOW if short else INK,
                bars=bars,
                note=_("no session planned") if not f.planned else "",
                note_fill=LOW,
            )
        )
    return Chart(
        id="chart-sessions",
        title=_("Thematic sessions held of those planned"),
        description=_(
            "For each cell, the grey bar is the number of thematic sessions planned in the period and "
            "the green bar the number held; the dashed line is the least number the rule set asks for."
        ),
        width=WIDTH,
        height=TOP + len(rows) * ROW + 4,
        rows=rows,
        legend=_legend([(_("planned"), TRACK, False), (_("held"), OK, False), (_("minimum"), "", True)]),
        marker=_marker(board.min_sessions * unit, list(range(len(rows))), f"≥ {board.min_sessions}"),
    )


def attendance_chart(board: Dashboard | Level, urls: dict[int, str]) -> Chart:
    """The attendance rate of each cell on a 0–100 % scale, with the rule set's threshold as a
    dashed line (HD 12 asks for more than 85 %: a rate at the line is flagged)."""
    unit = BAR_END / 100
    rows = []
    items: list[Any] = list(board.rows)
    for index, row in enumerate(items):
        top = TOP + index * ROW
        rate = row.figures.attendance_rate
        ok = rate is not None and rate > board.attendance_min
        bars = []
        if rate is not None:
            bars = [
                Bar(0, top + 18, BAR_END, 14, TRACK),
                Bar(0, top + 18, rate * unit, 14, OK if ok else LOW, f"{rate:.0f}%"),
            ]
        rows.append(
            Row(
                label=_label(row.short_name),
                full_name=_full_name(row),
                url=urls.get(_pk(row), ""),
                label_y=top + 13,
                value=f"{rate:.0f}%" if rate is not None else "—",
                value_y=top + 30,
                value_fill=INK if ok else (MUTED if rate is None else LOW),
                bars=bars,
                note=_("no meeting recorded") if rate is None else "",
            )
        )
    return Chart(
        id="chart-attendance",
        title=_("Attendance rate"),
        description=_(
            "For each cell, the share of expected members who attended its meetings with approved "
            "minutes; the dashed line is the threshold of the rule set."
        ),
        width=WIDTH,
        height=TOP + len(rows) * ROW + 4,
        rows=rows,
        legend=_legend([(_("above the threshold"), OK, False), (_("at or below"), LOW, False)]),
        marker=_marker(
            board.attendance_min * unit,
            [i for i, row in enumerate(rows) if row.bars],
            f"{board.attendance_min} %",
        ),
    )
