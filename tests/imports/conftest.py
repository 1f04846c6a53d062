"""Signed-in staff, and import files made in memory, for the import tests."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import Workbook

from events_app.imports import services
from events_app.imports.columns import COLUMNS, Kind
from events_app.imports.reading import csv_bytes
from tests.factories import PASSWORD, make_user
from tests.helpers import login, post_form, text_of

PRODUCT_HEADERS = [c.header for c in COLUMNS[Kind.products]]


def product_row(name="Gà Tiên Yên", producer="HTX Gà Tiên Yên", province="Quảng Ninh", producer_type="Hợp tác xã",
                group="Thực phẩm", stars="4", certificate="123/QĐ-UBND", certified_on="01/02/2024", level="",
                price="120.000", unit="con", description="Gà đồi thả vườn", story="", traceability="") -> list:
    return [name, producer, province, producer_type, group, stars, certificate, certified_on, level, price, unit,
            description, story, traceability]


def csv_file(rows: list[list], headers: list[str] = PRODUCT_HEADERS) -> bytes:
    return csv_bytes([headers, *rows])


def xlsx_file(rows: list[list], headers: list[str] = PRODUCT_HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
async def staff_client(client):
    await make_user("staff", "canbo@example.vn")
    await login(client, "canbo@example.vn", PASSWORD)
    return client


async def upload(client, content: bytes, filename: str = "san-pham.csv", kind: str = "products"):
    """Upload a file from the import page and wait for its check; the answer to the upload."""
    response = await post_form(client, "/staff/imports/", {"kind": kind}, page="/staff/imports/",
                               files={"file": (filename, content, "application/octet-stream")})
    await services.settle()
    return response


async def uploaded(client, content: bytes, filename: str = "san-pham.csv", kind: str = "products") -> str:
    """Upload a file; the address of its page (preview, mapping or failure)."""
    response = await upload(client, content, filename, kind)
    assert response.status_code in (302, 303), response.text[:2000]
    return response.headers["location"]


_COUNTS = re.compile(r"(\d+) mới (\d+) đã có trong danh bạ (\d+) trùng trong tệp (\d+) có lỗi")


async def counts(client, address: str) -> dict[str, int]:
    """The counts a preview shows: new, already in the directory, repeated in the file, with errors."""
    match = _COUNTS.search(text_of((await client.get(address)).text))
    assert match, "no counts on the page"
    return dict(zip(("new", "existing", "repeat", "error"), map(int, match.groups())))


def chosen_columns(html: str) -> dict[str, int]:
    """The file column each field's select has chosen on the mapping page."""
    out = {}
    for key, options in re.findall(r'name="column_(\w+)"[^>]*>(.*?)</select>', html, re.S):
        selected = re.search(r'value="(\d+)" selected', options)
        if selected:
            out[key] = int(selected.group(1))
    return out


async def confirm(client, address: str, policy: str = "update", valid_only: bool = False):
    data = {"policy": policy}
    if valid_only:
        data["valid_only"] = "1"
    return await post_form(client, f"{address}/confirm", data, page=address)
