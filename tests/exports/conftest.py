"""The catalogue's shelf of products, a fair with exhibitors, and readers of downloaded files."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from events_app.directory.tables import Producer
from tests.catalogue.builders import exhibit, make_fair
from tests.catalogue.conftest import shelf  # noqa: F401 (the fixture, for these tests too)


@pytest.fixture
async def fair(shelf):  # noqa: F811 (the fixture imported above)
    """A fair where two producers hold booths, one waits for a booth, one was refused."""
    event, booths = await make_fair()
    p = shelf.producers
    await Producer.update({
        Producer.phone: "+84 203 3876 543", Producer.email: "htx.gatienyen@example.vn",
        Producer.address: "Thôn Khe Và, xã Đông Ngũ",
    }).where(Producer.id == p.ga.id)
    await exhibit(event, p.ga, [shelf.ga], status="approved", booth_id=booths["B-02"])
    await exhibit(event, p.duoc, [shelf.ca_gai_leo, shelf.linh_chi], status="confirmed", booth_id=booths["A-03"])
    await exhibit(event, p.duong, [shelf.duong, shelf.mia], status="approved")
    await exhibit(event, p.muoi, [shelf.muoi], status="rejected")
    return SimpleNamespace(event=event, booths=booths)


def xlsx_sheet(content: bytes):
    assert content[:2] == b"PK", content[:200]
    return load_workbook(io.BytesIO(content)).active


def xlsx_values(content: bytes) -> list[list]:
    """Every row of the first sheet, as openpyxl reads the cells (None for an empty one)."""
    return [[cell.value for cell in row] for row in xlsx_sheet(content).iter_rows()]


def csv_values(content: bytes) -> list[list[str]]:
    assert content.startswith(codecs.BOM_UTF8), content[:50]
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def as_text(value: object) -> str:
    """A cell as CSV writes it: dates as YYYY-MM-DD, numbers as digits, nothing as ""."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def unneutralised(text: str) -> str:
    return text[1:] if text[:2] in ("'=", "'+", "'-", "'@", "'\t", "'\r") else text
