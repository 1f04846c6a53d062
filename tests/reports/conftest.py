"""A small programme for the reports: producers of four types in three provinces (one certified
under a former province), products of every rating over four years, a fair with booths and
rentals, a conference with attendance and MoUs, one the year before; and readers of what the
report pages show (the table, the charts)."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest

from events_app.booths.tables import Booth, BoothApplication, BoothRental
from events_app.core.i18n import LOCAL_TZ
from events_app.directory.tables import Producer
from events_app.events.tables import Attendance
from tests.booths.conftest import add_booths, log_in, make_event, make_venue
from tests.factories import make_distributor, make_product, make_producer, make_user
from tests.mou.builders import insert_mou

YEAR = 2025  # the year of the fair and the conference; the year before has one more conference
SVG = "{http://www.w3.org/2000/svg}"


def signed(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 10, tzinfo=LOCAL_TZ).astimezone(dt.timezone.utc)


@pytest.fixture
async def programme(app):
    p = SimpleNamespace()
    p.tra = await make_producer("HTX Chè Thanh Chương", province="Nghệ An", producer_type="cooperative")
    p.tao = await make_producer("Công ty CP Tảo Việt Nam", province="Nghệ An", producer_type="enterprise")
    p.ga = await make_producer("HTX Chăn nuôi gà Tiên Yên", province="Quảng Ninh", producer_type="cooperative")
    p.muoi = await make_producer("Hộ kinh doanh Muối Bạc Liêu", province="Cà Mau", producer_type="household")
    p.tom = await make_producer("Tổ hợp tác Tôm Cà Mau", province="Cà Mau", producer_type="cooperative_group")
    await Producer.update({Producer.province_as_written: "Bạc Liêu"}).where(Producer.id == p.muoi.id)

    # Nghệ An: 3★ ×2 (2024), 4★ (2025), 5★ herbal (2023); Quảng Ninh: 4★ (2024); Cà Mau: 3★ under
    # Bạc Liêu (2022), 3★ with no former unit written (2025).
    await make_product(p.tra, "Chè xanh Thanh Chương", group="beverages", stars=3, certified_on=dt.date(2024, 3, 1))
    await make_product(p.tra, "Chè búp Thanh Chương", group="beverages", stars=3, certified_on=dt.date(2024, 9, 1))
    await make_product(p.tra, "Trà túi lọc Cà gai leo", group="herbal", stars=4, certified_on=dt.date(2025, 6, 1))
    await make_product(p.tao, "Tảo xoắn Quỳnh Lưu", group="herbal", stars=5, certified_on=dt.date(2023, 5, 10))
    await make_product(p.ga, "Gà Tiên Yên", group="food", stars=4, certified_on=dt.date(2024, 8, 1))
    await make_product(p.muoi, "Muối tôm Bạc Liêu", group="food", stars=3, certified_on=dt.date(2022, 11, 1))
    await make_product(p.tom, "Tôm khô Cà Mau", group="food", stars=3, certified_on=dt.date(2025, 1, 15))

    # A fair in Nghệ An: four booths, one blocked; two rented (a third rental was cancelled).
    venue, [hall] = await make_venue()
    p.fair = await make_event(venue, kind="fair", starts=dt.date(YEAR, 4, 10), ends=dt.date(YEAR, 4, 14))
    booths = await add_booths(p.fair, hall, 1, 4, "A", price=3_500_000)
    await Booth.update({Booth.is_blocked: True}).where(Booth.id == booths["A-04"])
    for producer, booth, status, rental in ((p.tra, "A-01", "confirmed", "active"), (p.ga, "A-02", "approved", "active"),
                                            (p.tao, "A-03", "cancelled", "cancelled")):
        application = BoothApplication(event=p.fair["id"], producer=producer.id, status=status)
        await application.save()
        await BoothRental(booth=booths[booth], application=application.id, producer=producer.id,
                          starts_on=dt.date(YEAR, 4, 10), ends_on=dt.date(YEAR, 4, 14), status=rental).save()
    await BoothApplication(event=p.fair["id"], producer=p.muoi.id, status="submitted").save()

    # A conference in Đắk Lắk: two producers and a distributor registered (one more cancelled).
    p.coop = await make_distributor("Saigon Co.op")
    p.central = await make_distributor("Central Retail")
    p.conference = await make_event(venue, kind="conference", starts=dt.date(YEAR, 3, 20), ends=dt.date(YEAR, 3, 21),
                                    province="Đắk Lắk")
    for producer in (p.tra, p.tao):
        await Attendance(event=p.conference["id"], producer=producer.id).save()
    await Attendance(event=p.conference["id"], distributor=p.coop.id).save()
    await Attendance(event=p.conference["id"], distributor=p.central.id, status="cancelled").save()
    for producer, value, status, when in ((p.tao, 1_200_000_000, "signed", signed(YEAR, 3, 21)),
                                          (p.tra, 850_000_000, "fulfilled", signed(YEAR, 3, 21)),
                                          (p.tra, 300_000_000, "agreed", None),
                                          (p.tao, 999_000_000, "withdrawn", None)):
        await insert_mou(producer.id, p.coop.id, event=p.conference["id"], proposed_by="producer",
                         value_vnd=value, status=status, signed_at=when)

    # The year before, in Quảng Ninh: one MoU signed in November.
    p.earlier = await make_event(venue, kind="conference", starts=dt.date(YEAR - 1, 11, 5), ends=dt.date(YEAR - 1, 11, 5),
                                 province="Quảng Ninh")
    await insert_mou(p.ga.id, p.central.id, event=p.earlier["id"], proposed_by="distributor",
                     value_vnd=500_000_000, status="signed", signed_at=signed(YEAR - 1, 11, 5))
    # Not counted: a draft fair, booths laid out all the same.
    draft = await make_event(venue, kind="fair", status="draft", starts=dt.date(YEAR, 5, 1))
    await add_booths(draft, hall, 1, 2, "D")
    return p


@pytest.fixture
async def staff(client):
    await log_in(client, await make_user("staff"))
    return client


# Reading the page -----------------------------------------------------------------------------------

class _Table(HTMLParser):
    """The rows of the report's table: header, body and total, each cell's text."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.sections: dict[str, list[list[str]]] = {"thead": [], "tbody": [], "tfoot": []}
        self.section = ""
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and "report-table" in (dict(attrs).get("class") or ""):
            self.inside = True
        elif self.inside and tag in self.sections:
            self.section = tag
        elif self.inside and tag == "tr":
            self.sections[self.section].append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.sections[self.section][-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table(html: str) -> dict[str, list[list[str]]]:
    parser = _Table()
    parser.feed(html)
    return parser.sections


def number(text: str) -> int:
    """A count or an amount as the page prints it, in Vietnamese: 1.234.567 ₫."""
    digits = re.sub(r"[^\d]", "", text)
    assert digits, text
    return int(digits)


def wide_charts(html: str) -> list[ET.Element]:
    return [ET.fromstring(svg) for svg in re.findall(r'<div class="chart-wide">(<svg.*?</svg>)</div>', html, re.S)]


def narrow_charts(html: str) -> list[ET.Element]:
    return [ET.fromstring(svg) for svg in re.findall(r'<div class="chart-narrow">(<svg.*?</svg>)</div>', html, re.S)]


def chart_bars(chart: ET.Element) -> dict[str, list[float]]:
    """Each row's label and the values of its bar's parts, as the chart draws them."""
    out = {}
    for row in chart.iter(f"{SVG}g"):
        if row.get("class") == "row":
            out[row.get("data-label")] = [float(r.get("data-value")) for r in row.iter(f"{SVG}rect")
                                          if r.get("class") == "bar"]
    return out


def chart_value_texts(chart: ET.Element) -> dict[str, str]:
    out = {}
    for row in chart.iter(f"{SVG}g"):
        if row.get("class") == "row":
            [value] = [t for t in row.iter(f"{SVG}text") if t.get("class") == "value"]
            out[row.get("data-label")] = value.text
    return out
