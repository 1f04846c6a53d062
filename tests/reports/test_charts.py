"""The chart builders (core.charts): SVG parsed back, each bar as long as its value says, its label
and value printed, scales ending on round numbers, text escaped, no script."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest

from events_app.core import charts
from events_app.core.charts import Series, bar_chart, column_chart, nice_scale, nice_step, stacked_bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def find(root: ET.Element, tag: str, cls: str) -> list[ET.Element]:
    return [e for e in root.iter(f"{SVG}{tag}") if cls in (e.get("class") or "").split()]


def own_text(element: ET.Element) -> str:
    """The text of an element without its <title> (the tooltip)."""
    return (element.text or "").strip()


def scale_end(root: ET.Element) -> float:
    """The value at the end of the chart's scale: its last tick, read as a number."""
    ticks = [t.text for t in find(root, "text", "tick")]
    return float("".join(c for c in ticks[-1] if c.isdigit() or c == "."))


def rows(root: ET.Element) -> list[ET.Element]:
    return find(root, "g", "row")


@pytest.mark.parametrize("maximum, whole, expected", [
    (3, True, [0, 1, 2, 3]),
    (17, True, [0, 5, 10, 15, 20]),
    (22, True, [0, 5, 10, 15, 20, 25]),
    (100, True, [0, 20, 40, 60, 80, 100]),
    (0.7, False, [0, 0.25, 0.5, 0.75]),
    (622, True, [0, 250, 500, 750]),  # not 800: 2.5 times a power of ten ends nearer
    (1_234_567, True, [0, 250_000, 500_000, 750_000, 1_000_000, 1_250_000]),
    (2_050_000_000, False, [0, 500_000_000, 1_000_000_000, 1_500_000_000, 2_000_000_000, 2_500_000_000]),
    (0, True, [0, 1]),
])
def test_scales_end_on_round_numbers(maximum, whole, expected):
    assert nice_scale(maximum, whole=whole) == pytest.approx(expected)


def test_steps_are_one_two_two_and_a_half_or_five_times_a_power_of_ten():
    for span in (1, 3, 7, 13, 27, 64, 99, 150, 622, 999, 4_321, 86_000, 0.37):
        for ticks in (2, 3, 5):
            step = nice_step(span, ticks)
            mantissa = step / 10 ** math.floor(math.log10(step))
            assert round(mantissa, 6) in (1, 2, 2.5, 5), (span, step)
            assert span / step <= ticks + 1e-9
            top = nice_scale(span, ticks)[-1]
            assert span <= top < span * 2.5 + step, (span, ticks, top)
    assert nice_step(11, whole=True) == 5 and nice_step(3, whole=True) == 1  # counts by whole steps, never 2.5 or 0.6


def test_each_bar_is_as_long_as_its_value_with_its_label_and_value_printed():
    data = [("Nghệ An", 120), ("Quảng Ninh", 60), ("Bạc Liêu", 15), ("Hà Nội", 0)]
    root = parse(bar_chart(data, title="Sản phẩm theo tỉnh", value_text=lambda v: f"{v:.0f} sp"))
    assert root.find(f"{SVG}title").text == "Sản phẩm theo tỉnh"
    found = rows(root)
    assert [r.get("data-label") for r in found] == ["Nghệ An", "Quảng Ninh", "Bạc Liêu", "Hà Nội"]
    lengths = [float(find(r, "rect", "bar")[0].get("width")) for r in found]
    track = float(find(found[0], "rect", "track")[0].get("width"))
    top = scale_end(root)
    assert top in nice_scale(120, 3, whole=True) + nice_scale(120, 5, whole=True) and top >= 120
    for (_, value), length in zip(data, lengths):
        assert length == pytest.approx(track * value / top, abs=0.01)
    assert lengths[0] == pytest.approx(2 * lengths[1], abs=0.02) and lengths[3] == 0
    assert [own_text(find(r, "text", "label")[0]) for r in found] == ["Nghệ An", "Quảng Ninh", "Bạc Liêu", "Hà Nội"]
    assert [own_text(find(r, "text", "value")[0]) for r in found] == ["120 sp", "60 sp", "15 sp", "0 sp"]
    # The value sits just after its bar.
    for r, length in zip(found, lengths):
        bar = find(r, "rect", "bar")[0]
        assert float(find(r, "text", "value")[0].get("x")) == pytest.approx(float(bar.get("x")) + length + 5, abs=0.01)


def test_a_bar_can_print_another_text_than_its_value_and_a_fixed_scale():
    root = parse(bar_chart([("Hội chợ Vinh", 70), ("Kim Liên", 25)], title="Lấp đầy", maximum=100,
                           values_shown=["42/60 · 70 %", "3/12 · 25 %"], tick_text=lambda v: f"{v:.0f} %"))
    found = rows(root)
    track = float(find(found[0], "rect", "track")[0].get("width"))
    assert float(find(found[0], "rect", "bar")[0].get("width")) == pytest.approx(track * 0.7, abs=0.01)
    assert [own_text(find(r, "text", "value")[0]) for r in found] == ["42/60 · 70 %", "3/12 · 25 %"]
    assert [t.text for t in find(root, "text", "tick")][-1] == "100 %"


def test_stacked_bars_cut_each_row_into_its_series():
    series = [Series("3★"), Series("4★"), Series("5★")]
    values = [[30, 15, 5], [8, 2, 0]]
    root = parse(stacked_bar_chart(["Nghệ An", "Cà Mau"], series, values, title="Theo hạng sao"))
    assert [t.text for t in find(root, "text", "legend-name")] == ["3★", "4★", "5★"]
    first, second = rows(root)
    track = float(find(first, "rect", "track")[0].get("width"))
    top = scale_end(root)
    assert top >= 50
    parts = find(first, "rect", "bar")
    assert [float(p.get("data-value")) for p in parts] == [30, 15, 5]
    assert [float(p.get("width")) for p in parts] == pytest.approx([track * v / top for v in (30, 15, 5)], abs=0.01)
    # The parts follow one another, each its series' colour.
    assert float(parts[1].get("x")) == pytest.approx(float(parts[0].get("x")) + float(parts[0].get("width")), abs=0.01)
    assert len({p.get("fill") for p in parts}) == 3
    assert own_text(find(first, "text", "value")[0]) == "50" and own_text(find(second, "text", "value")[0]) == "10"
    # Parts wide enough carry their value; a part of nothing carries none.
    assert [t.text for t in find(first, "text", "part-value")] == ["30", "15", "5"]
    assert [t.text for t in find(second, "text", "part-value")] == ["8", "2"]


def test_columns_by_year_are_as_high_as_their_values():
    series = [Series("Được công nhận"), Series("Hết hạn")]
    values = [[139, 56], [195, 0], [40, 20]]
    root = parse(column_chart(["2023", "2024", "2025"], series, values, title="Theo năm"))
    periods = find(root, "g", "period")
    assert [p.get("data-label") for p in periods] == ["2023", "2024", "2025"]
    top = nice_scale(195)[-1]
    for period, row in zip(periods, values):
        bars = find(period, "rect", "bar")
        assert [float(b.get("data-value")) for b in bars] == row
        assert [float(b.get("height")) for b in bars] == pytest.approx([charts.COLUMN_AREA * v / top for v in row], abs=0.01)
        # Every bar stands on the same baseline.
        assert {round(float(b.get("y")) + float(b.get("height")), 2) for b in bars} == {
            round(float(find(root, "line", "baseline")[0].get("y1")), 2)}
        assert [t.text for t in find(period, "text", "value")] == [str(v) for v in row if v]
    assert [t.text for t in find(root, "text", "period-label")] == ["2023", "2024", "2025"]


def test_a_line_chart_puts_a_point_per_period():
    root = parse(column_chart(["01/2026", "02/2026", "03/2026"], [Series("Đã ký")], [[2], [0], [5]], title="MoU",
                              line=True))
    points = find(root, "circle", "point")
    assert [float(p.get("data-value")) for p in points] == [2, 0, 5]
    baseline = float(find(root, "line", "baseline")[0].get("y1"))
    heights = [baseline - float(p.get("cy")) for p in points]
    assert heights == pytest.approx([charts.COLUMN_AREA * v / 5 for v in (2, 0, 5)], abs=0.01)
    assert len(list(root.iter(f"{SVG}polyline"))) == 1


def test_text_is_escaped_and_nothing_runs():
    nasty = 'Hội chợ <script>alert("x")</script> & "Tết"'
    svg = bar_chart([(nasty, 3)], title=nasty) + stacked_bar_chart([nasty], [Series(nasty)], [[1]], title="t")
    assert "<script" not in svg and "onload" not in svg
    root = parse(bar_chart([(nasty, 3)], title=nasty))
    assert rows(root)[0].get("data-label") == nasty
    assert root.find(f"{SVG}title").text == nasty
    parse(column_chart([nasty], [Series(nasty)], [[1]], title=nasty))


def label_lines(label: ET.Element) -> list[str]:
    """The lines a bar's label is drawn on: its own text, then each of its tspans."""
    return [own_text(label)] + [(t.text or "").strip() for t in label.iter(f"{SVG}tspan")]


def test_a_long_label_goes_on_two_lines_then_is_cut_and_kept_whole_in_its_tooltip():
    title = "Hội nghị kết nối sản phẩm OCOP vào các điểm giới thiệu và bán sản phẩm OCOP khu vực Miền Trung – Tây Nguyên"
    wide = find(parse(bar_chart([(title, 10)], title="t")), "text", "label")[0]
    assert label_lines(wide) == ["Hội nghị kết nối sản phẩm OCOP vào các điểm giới thiệu và bán sản phẩm",
                                 "OCOP khu vực Miền Trung – Tây Nguyên"]  # all of it, on two lines
    narrow = find(parse(bar_chart([(title, 10)], title="t", width=charts.NARROW)), "text", "label")[0]
    lines = label_lines(narrow)
    assert len(lines) == charts.LABEL_LINES and lines[-1].endswith("…")
    assert title.startswith(" ".join(lines)[:-1])
    for label, width in ((wide, charts.WIDTH), (narrow, charts.NARROW)):
        assert all(charts.text_width(line, charts.LABEL_SIZE) <= width - 2 * charts.PAD for line in label_lines(label))
        assert label.find(f"{SVG}title").text == title


def test_names_that_begin_alike_stay_apart_on_a_phone():
    # Two showrooms of one programme: on one line at a phone's width both read "Điểm giới thiệu … OCOP –…".
    names = ["Điểm giới thiệu và bán sản phẩm OCOP – Điểm dừng chân du lịch Nam Đàn",
             "Điểm giới thiệu và bán sản phẩm OCOP – Khu di tích Kim Liên", "Hội chợ OCOP Nghệ An"]
    root = parse(bar_chart([(name, n) for n, name in enumerate(names, start=1)], title="t", width=charts.NARROW))
    drawn = [label_lines(find(row, "text", "label")[0]) for row in rows(root)]
    assert drawn == [["Điểm giới thiệu và bán sản phẩm OCOP –", "Điểm dừng chân du lịch Nam Đàn"],
                     ["Điểm giới thiệu và bán sản phẩm OCOP –", "Khu di tích Kim Liên"], ["Hội chợ OCOP Nghệ An"]]
    # Each bar sits below the last line of its own label, and the next label below the bar.
    tops = [float(find(row, "rect", "bar")[0].get("y")) for row in rows(root)]
    label_ys = [float(find(row, "text", "label")[0].get("y")) for row in rows(root)]
    assert tops[0] > label_ys[0] + charts.LABEL_LEADING and label_ys[1] > tops[0] + charts.BAR_HEIGHT
    assert tops[1] - label_ys[1] == tops[0] - label_ys[0] and tops[2] - label_ys[2] == tops[0] - label_ys[0] - charts.LABEL_LEADING
    assert float(root.get("height")) > tops[2] + charts.BAR_HEIGHT


def test_the_drawing_scales_by_its_view_box():
    for width in (charts.WIDTH, charts.NARROW):
        root = parse(stacked_bar_chart(["A", "B"], [Series("x"), Series("y")], [[1, 2], [3, 4]], title="t", width=width))
        assert root.get("viewBox").split()[:3] == ["0", "0", str(width)] and root.get("width") == str(width)
        for bar in find(root, "rect", "bar"):
            assert float(bar.get("x")) + float(bar.get("width")) <= width


def test_a_chart_for_the_page_is_drawn_wide_and_narrow_from_the_same_numbers():
    drawn = charts.for_page(bar_chart, [("Nghệ An", 4), ("Cà Mau", 2)], title="t")
    wide, narrow = parse(drawn["wide"]), parse(drawn["narrow"])
    assert wide.get("width") == str(charts.WIDTH) and narrow.get("width") == str(charts.NARROW)
    for root in (wide, narrow):
        assert [float(find(r, "rect", "bar")[0].get("data-value")) for r in rows(root)] == [4, 2]
