"""Charts drawn on the server as SVG: numbers in, the text of an `<svg>` element out.

No script and no stylesheet: every chart is complete in itself, so it reads the same in the
browser, in a printed page and in a PDF laid out by WeasyPrint. The drawing has a fixed width in
its own units (`viewBox`) and scales to the width it is given: a phone shows the same chart,
smaller. Labels go above their bars rather than beside them, so a long name (a province, a
fair's title) does not eat the bars' room on a narrow screen; one too long for a line goes on
two (LABEL_LINES), so names that begin alike (two showrooms of one programme) stay apart.

Three shapes, for what the reports show:

- `bar_chart`: one horizontal bar per row, its value printed after it;
- `stacked_bar_chart`: one horizontal bar per row, cut into the series (stars, producer types),
  each part's value printed in it when it fits, the row's total after it;
- `column_chart`: columns (or a line) by period, one per series side by side, values on top.

Scales end on a round number (1, 2, 2.5 or 5 times a power of ten; whole steps for counts), and
every text is escaped. Values are formatted by the caller (`value_text`, `tick_text`), so that
the builders know no language.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from html import escape
from typing import Callable, Sequence

# Colours of the site (static/css/app.css): red, gold, green, blue, then quieter ones.
PALETTE = ("#8a1c1c", "#c8962d", "#2f7d4a", "#1d4f7a", "#7a4e9c", "#5b6770", "#b85c1e", "#3f8f8f")
INK, MUTED, GRID, TRACK = "#1f2328", "#57606a", "#d8d2c8", "#f3efe8"
FONT = "'Noto Sans', 'DejaVu Sans', system-ui, sans-serif"

WIDTH = 640  # the drawing's width in its own units; it is scaled to the page
NARROW = 360  # the same chart drawn for a phone's width, its text as large as on a wide screen
PAD = 8
LABEL_SIZE = 15  # a bar's label, above it
VALUE_SIZE = 13  # values and ticks
BAR_HEIGHT = 20
ROW_HEIGHT = 50  # label, bar and the space after
LABEL_LINES = 2  # a bar's label wraps onto this many lines at most, the last cut with "…"
LABEL_LEADING = 18  # from one line of a label to the next
AVERAGE_CHAR = 0.56  # width of a character in ems (Noto Sans, mixed text), for fitting text
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

Format = Callable[[float], str]


@dataclass(frozen=True)
class Series:
    name: str
    colour: str = ""


def _plain(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def text_width(text: str, size: float) -> float:
    """About how wide a text is drawn at `size` (digits and most letters are near this)."""
    return len(text) * size * AVERAGE_CHAR


def _esc(text: object) -> str:
    return escape(_ILLEGAL_XML.sub("", str(text)), quote=True)


def _num(value: float) -> str:
    """A coordinate, short."""
    return f"{value:.2f}".rstrip("0").rstrip(".") if not float(value).is_integer() else str(int(value))


def shorten(text: str, size: float, room: float) -> str:
    """`text` cut with "…" to fit `room` at `size`; the whole of it goes in the element's title."""
    fits = max(1, int(room / (size * AVERAGE_CHAR)))
    return text if len(text) <= fits else text[: max(1, fits - 1)].rstrip() + "…"


def wrap(text: str, size: float, room: float, lines: int = LABEL_LINES) -> list[str]:
    """`text` broken at spaces into at most `lines` lines that fit `room` at `size`; what is left
    over goes on the last line, cut with "…" (`shorten`)."""
    fits = max(1, int(room / (size * AVERAGE_CHAR)))
    out: list[str] = []
    rest = " ".join(text.split())
    while rest and len(out) < lines - 1 and len(rest) > fits:
        cut = rest.rfind(" ", 0, fits + 1)
        if cut <= 0:  # one word longer than the line: no break to make
            break
        out.append(rest[:cut])
        rest = rest[cut + 1:]
    return [*out, shorten(rest, size, room)] if rest or not out else out


def for_page(build: Callable[..., str], *args, **kwargs) -> dict[str, str]:
    """A chart drawn twice, `build(*args, **kwargs)` at the page's width ("wide") and at a phone's
    ("narrow"): the page shows one or the other by a media query, each with text of a readable size."""
    return {"wide": build(*args, **kwargs), "narrow": build(*args, width=NARROW, **kwargs)}


# Scales -------------------------------------------------------------------------------------------

def nice_step(span: float, ticks: int = 5, *, whole: bool = False) -> float:
    """The round step (1, 2, 2.5 or 5 × 10ⁿ) that cuts `span` into at most `ticks` parts and ends
    the scale nearest above it (a tie goes to the finer step); counts (`whole`) go by whole steps."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    ticks = max(2, ticks)
    magnitude = 10 ** math.floor(math.log10(span / ticks))
    best: tuple[float, float] | None = None
    for power in (magnitude, magnitude * 10):
        for multiple in (1, 2, 2.5, 5):
            step = multiple * power
            if whole and (step < 1 or not float(step).is_integer()):
                continue
            parts = math.ceil(span / step - 1e-9)
            if parts > ticks:
                continue
            top = parts * step
            if best is None or top < best[0] - 1e-9:
                best = (top, step)
    return best[1] if best else (max(1.0, magnitude * 10) if whole else magnitude * 10)


def nice_scale(maximum: float, ticks: int = 5, *, whole: bool = False) -> list[float]:
    """The ticks of an axis from 0 to a round number at or above `maximum` (0 and 1 for no data)."""
    if maximum <= 0 or not math.isfinite(maximum):
        return [0.0, 1.0]
    step = nice_step(maximum, ticks, whole=whole)
    count = max(1, math.ceil(maximum / step - 1e-9))
    return [round(step * i, 10) for i in range(count + 1)]


# Pieces -------------------------------------------------------------------------------------------

def _colours(series: Sequence[Series]) -> list[str]:
    return [s.colour or PALETTE[i % len(PALETTE)] for i, s in enumerate(series)]


def _svg(height: float, title: str, body: list[str], *, kind: str, width: int) -> str:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" role="img" '
        f'viewBox="0 0 {width} {_num(height)}" width="{width}" height="{_num(height)}" '
        f'preserveAspectRatio="xMinYMin meet" font-family="{_esc(FONT)}" font-size="{VALUE_SIZE}" fill="{INK}">'
    )
    return "".join([head, f"<title>{_esc(title)}</title>", *body, "</svg>"])


def _legend(series: Sequence[Series], colours: list[str], y: float, width: int) -> tuple[list[str], float]:
    """Swatches and names across the top, wrapped onto more lines when they do not fit; the
    elements and the height they take."""
    out = ['<g class="legend">']
    x, line = PAD, 0
    for item, colour in zip(series, colours):
        room = 20 + text_width(item.name, VALUE_SIZE) + 16
        if x + room > width - PAD and x > PAD:
            x, line = PAD, line + 1
        top = y + line * 22
        out.append(
            f'<rect class="swatch" x="{_num(x)}" y="{_num(top + 2)}" width="12" height="12" rx="2" fill="{colour}"/>'
            f'<text class="legend-name" x="{_num(x + 20)}" y="{_num(top + 12)}">{_esc(item.name)}</text>'
        )
        x += room
    out.append("</g>")
    return out, (line + 1) * 22 + 6


def _grid_vertical(ticks: list[float], left: float, length: float, top: float, bottom: float, tick_text: Format) -> list[str]:
    """Upright grid lines at the ticks of a horizontal scale, with their values under the chart."""
    out = ['<g class="axis axis-x">']
    last = ticks[-1] or 1
    for tick in ticks:
        x = left + length * tick / last
        out.append(f'<line x1="{_num(x)}" y1="{_num(top)}" x2="{_num(x)}" y2="{_num(bottom)}" stroke="{GRID}" stroke-width="1"/>')
        anchor = "start" if tick == 0 else ("end" if tick == last else "middle")
        out.append(f'<text class="tick" x="{_num(x)}" y="{_num(bottom + 16)}" text-anchor="{anchor}" fill="{MUTED}">{_esc(tick_text(tick))}</text>')
    out.append("</g>")
    return out


# Horizontal bars ------------------------------------------------------------------------------------

def bar_chart(
    rows: Sequence[tuple[str, float]],
    *,
    title: str,
    value_text: Format = _plain,
    tick_text: Format | None = None,
    values_shown: Sequence[str] | None = None,
    colour: str = PALETTE[0],
    maximum: float | None = None,
    whole: bool = True,
    width: int = WIDTH,
) -> str:
    """One bar per (label, value), longest first as given. `values_shown` replaces the printed
    value of each bar ("42/60 · 70 %"); `maximum` fixes the scale's end (100 for a share)."""
    return stacked_bar_chart(
        [label for label, _ in rows], [Series("", colour)], [[value] for _, value in rows], title=title,
        value_text=value_text, tick_text=tick_text, totals_shown=values_shown, maximum=maximum, whole=whole,
        legend=False, kind="bars", width=width,
    )


def stacked_bar_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    values: Sequence[Sequence[float]],
    *,
    title: str,
    value_text: Format = _plain,
    tick_text: Format | None = None,
    totals_shown: Sequence[str] | None = None,
    maximum: float | None = None,
    whole: bool = True,
    legend: bool = True,
    kind: str = "stacked",
    width: int = WIDTH,
) -> str:
    """One bar per label, cut into the series' parts (`values[row][series]`), each part's value
    printed in it when it fits, the row's total after the bar."""
    tick_text = tick_text or value_text
    colours = _colours(series)
    totals = [sum(max(0.0, float(v)) for v in row) for row in values]
    shown = list(totals_shown) if totals_shown is not None else [value_text(t) for t in totals]
    highest = maximum if maximum is not None else max(totals, default=0)
    room = max([text_width(s, VALUE_SIZE) for s in shown] + [text_width(tick_text(highest), VALUE_SIZE) / 2]) + 10
    left, length = PAD, width - 2 * PAD - room
    # As many ticks as fit their values side by side: fewer on a phone.
    ticks = nice_scale(highest, max(2, min(5, int(length // (text_width(tick_text(highest), VALUE_SIZE) + 24)))), whole=whole)
    top_value = ticks[-1]

    body: list[str] = []
    y = PAD
    if legend and series:
        items, used = _legend(series, colours, y, width)
        body += items
        y += used
    chart_top = y
    rows_out = ['<g class="rows">']
    for i, (label, row) in enumerate(zip(labels, values)):
        label = str(label)
        rows_out.append(f'<g class="row" data-label="{_esc(label)}">')
        first, *more = wrap(label, LABEL_SIZE, width - 2 * PAD)
        rows_out.append(f'<text class="label" x="{left}" y="{_num(y + LABEL_SIZE)}" font-size="{LABEL_SIZE}">'
                        f'{_esc(first)}<title>{_esc(label)}</title>'
                        + "".join(f'<tspan class="label-line" x="{left}" dy="{LABEL_LEADING}">{_esc(line)}</tspan>' for line in more)
                        + '</text>')
        y += LABEL_LEADING * len(more)
        bar_y = y + LABEL_SIZE + 6
        rows_out.append(f'<rect class="track" x="{left}" y="{_num(bar_y)}" width="{_num(length)}" height="{BAR_HEIGHT}" fill="{TRACK}"/>')
        x = left
        for part, (value, colour, item) in enumerate(zip(row, colours, series)):
            value = max(0.0, float(value))
            part_width = length * value / top_value if top_value else 0.0
            name = f"{item.name}: " if item.name else ""
            rows_out.append(
                f'<rect class="bar" data-series="{part}" data-value="{_num(value)}" x="{_num(x)}" y="{_num(bar_y)}" '
                f'width="{_num(part_width)}" height="{BAR_HEIGHT}" fill="{colour}"><title>{_esc(label)} · {_esc(name)}'
                f'{_esc(value_text(value))}</title></rect>'
            )
            text = value_text(value)
            if len(series) > 1 and value and part_width >= text_width(text, VALUE_SIZE - 1) + 6:
                rows_out.append(
                    f'<text class="part-value" x="{_num(x + part_width / 2)}" y="{_num(bar_y + BAR_HEIGHT / 2 + 4.5)}" '
                    f'text-anchor="middle" font-size="{VALUE_SIZE - 1}" fill="{_on(colour)}">{_esc(text)}</text>'
                )
            x += part_width
        rows_out.append(f'<text class="value" x="{_num(x + 5)}" y="{_num(bar_y + BAR_HEIGHT / 2 + 4.5)}" '
                        f'font-weight="700">{_esc(shown[i])}</text>')
        rows_out.append("</g>")
        y += ROW_HEIGHT
    rows_out.append("</g>")
    grid_bottom = (y - ROW_HEIGHT + LABEL_SIZE + 6 + BAR_HEIGHT + 4) if labels else chart_top + 10
    body += _grid_vertical(ticks, left, length, chart_top + LABEL_SIZE + 2, grid_bottom, tick_text)
    body += rows_out
    return _svg(grid_bottom + 26, title, body, kind=kind, width=width)


def _on(colour: str) -> str:
    """Ink that reads on a colour: white on dark ones, dark on light ones."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#ffffff" if 0.299 * r + 0.587 * g + 0.114 * b < 150 else INK


# Columns by period --------------------------------------------------------------------------------

COLUMN_AREA = 220  # height of the plotting area


def column_chart(
    periods: Sequence[str],
    series: Sequence[Series],
    values: Sequence[Sequence[float]],
    *,
    title: str,
    value_text: Format = _plain,
    tick_text: Format | None = None,
    whole: bool = True,
    line: bool = False,
    width: int = WIDTH,
) -> str:
    """Columns by period (`values[period][series]`), the series side by side, each value on top;
    with `line`, points joined by a line instead of columns."""
    tick_text = tick_text or value_text
    colours = _colours(series)
    ticks = nice_scale(max((max(0.0, float(v)) for row in values for v in row), default=0), whole=whole)
    top_value = ticks[-1]
    axis_room = max(text_width(tick_text(t), VALUE_SIZE) for t in ticks) + 8

    body: list[str] = []
    y = PAD
    if len(series) > 1 or (series and series[0].name):
        items, used = _legend(series, colours, y, width)
        body += items
        y += used
    left, right = PAD + axis_room, width - PAD
    count = max(1, len(periods))
    slot = (right - left) / count
    group = slot * 0.8
    column = group / max(1, len(series))
    texts = [value_text(max(0.0, float(v))) for row in values for v in row]
    upright = [text_width(t, VALUE_SIZE - 1) for t in texts if text_width(t, VALUE_SIZE - 1) > column + 4]
    top = y + (max(upright) + 8 if upright and not line else 16)  # room for the values over the highest column
    bottom = top + COLUMN_AREA
    body.append('<g class="axis axis-y">')
    for tick in ticks:
        ty = bottom - COLUMN_AREA * tick / top_value
        body.append(f'<line x1="{_num(left)}" y1="{_num(ty)}" x2="{_num(right)}" y2="{_num(ty)}" stroke="{GRID}" stroke-width="1"/>')
        body.append(f'<text class="tick" x="{_num(left - 6)}" y="{_num(ty + 4.5)}" text-anchor="end" fill="{MUTED}">{_esc(tick_text(tick))}</text>')
    body.append("</g>")

    widest = max((text_width(str(p), VALUE_SIZE) for p in periods), default=0)
    every = max(1, math.ceil((widest + 6) / slot))  # period names that would overlap: every n-th
    body.append('<g class="columns">')
    points: list[list[tuple[float, float, float]]] = [[] for _ in series]
    for i, (period, row) in enumerate(zip(periods, values)):
        x0 = left + slot * i + (slot - group) / 2
        body.append(f'<g class="period" data-label="{_esc(period)}">')
        for s, (value, colour, item) in enumerate(zip(row, colours, series)):
            value = max(0.0, float(value))
            height = COLUMN_AREA * value / top_value if top_value else 0.0
            cx = x0 + column * s
            if line:
                points[s].append((cx + column / 2, bottom - height, value))
                continue
            name = f"{item.name}: " if item.name else ""
            body.append(
                f'<rect class="bar" data-series="{s}" data-value="{_num(value)}" x="{_num(cx + 1)}" '
                f'y="{_num(bottom - height)}" width="{_num(max(1.0, column - 2))}" height="{_num(height)}" fill="{colour}">'
                f'<title>{_esc(period)} · {_esc(name)}{_esc(value_text(value))}</title></rect>'
            )
            if not value:
                continue  # no column, no figure: an empty period reads as empty
            text = value_text(value)
            vx, vy = cx + column / 2, bottom - height - 4
            if text_width(text, VALUE_SIZE - 1) <= column + 4:
                place = f'x="{_num(vx)}" y="{_num(vy)}" text-anchor="middle"'
            else:  # too wide for its column: written upwards from the column's top
                place = f'x="{_num(vx + 4)}" y="{_num(vy)}" transform="rotate(-90 {_num(vx + 4)} {_num(vy)})"'
            body.append(f'<text class="value" data-series="{s}" {place} font-size="{VALUE_SIZE - 1}">{_esc(text)}</text>')
        if i % every == 0:
            body.append(f'<text class="period-label" x="{_num(left + slot * i + slot / 2)}" y="{_num(bottom + 17)}" '
                        f'text-anchor="middle">{_esc(shorten(str(period), VALUE_SIZE, slot * every - 4))}</text>')
        body.append("</g>")
    body.append("</g>")
    if line:
        for s, (pts, colour) in enumerate(zip(points, colours)):
            if not pts:
                continue
            path = " ".join(f"{_num(x)},{_num(py)}" for x, py, _ in pts)
            body.append(f'<g class="line" data-series="{s}"><polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
            for x, py, value in pts:
                body.append(f'<circle class="point" data-value="{_num(value)}" cx="{_num(x)}" cy="{_num(py)}" r="4" fill="{colour}">'
                            f'<title>{_esc(value_text(value))}</title></circle>')
                if value:
                    body.append(f'<text class="value" x="{_num(x)}" y="{_num(py - 8)}" text-anchor="middle">{_esc(value_text(value))}</text>')
            body.append("</g>")
    body.append(f'<line class="baseline" x1="{_num(left)}" y1="{_num(bottom)}" x2="{_num(right)}" y2="{_num(bottom)}" stroke="{MUTED}" stroke-width="1"/>')
    return _svg(bottom + 28, title, body, kind="line" if line else "columns", width=width)
