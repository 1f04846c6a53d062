"""A long bar chart is printed in parts a page holds, every bar in one of them, all on one scale."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from events_app.core.charts import Series
from events_app.reports.figures import PRINT_ROWS, _drawn_bars, _drawn_stacked
from tests.reports.conftest import chart_bars, chart_value_texts

SVG = "{http://www.w3.org/2000/svg}"


def _ticks(svg: ET.Element) -> list[str]:
    return [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "tick"]


def test_thirty_provinces_print_in_parts_of_twelve_on_one_scale():
    labels = [f"Tỉnh {n}" for n in range(30)]
    values = [[n, 2 * n, 1] for n in range(30)]
    chart = _drawn_stacked(labels, [Series("3★"), Series("4★"), Series("5★")], values, title="Theo hạng sao")
    parts = [ET.fromstring(svg) for svg in chart["print"]]
    assert [len(chart_bars(p)) for p in parts] == [PRINT_ROWS, PRINT_ROWS, 30 - 2 * PRINT_ROWS]
    printed = {}
    for part in parts:
        printed.update(chart_bars(part))
    assert printed == {label: [float(v) for v in row] for label, row in zip(labels, values)}
    assert len({tuple(_ticks(p)) for p in parts}) == 1  # one scale: the whole chart's
    assert _ticks(parts[0]) == _ticks(ET.fromstring(chart["wide"]))
    assert len(chart_bars(ET.fromstring(chart["wide"]))) == len(chart_bars(ET.fromstring(chart["narrow"]))) == 30


def test_printed_parts_keep_each_bars_own_text():
    rows = [(f"Hội chợ {n}", 10.0 * n) for n in range(1, 15)]
    chart = _drawn_bars(rows, title="Lấp đầy", maximum=100, totals_shown=[f"{n}/10" for n in range(1, 15)])
    texts = {}
    for svg in chart["print"]:
        texts.update(chart_value_texts(ET.fromstring(svg)))
    assert texts == {f"Hội chợ {n}": f"{n}/10" for n in range(1, 15)}
