"""Who may download what: every role against every export route, and the links on the pages."""

import pytest

from tests.booths.conftest import log_in
from tests.exports.conftest import xlsx_values
from tests.factories import make_user
from tests.helpers import text_of

ROLES = ["visitor", "producer", "distributor", "staff", "admin"]
EVERYONE, STAFF = set(ROLES), {"staff", "admin"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


def _routes(event_id: int) -> list[tuple[str, set[str], str, str]]:
    """(path, roles allowed, the type of what an allowed role gets, a text in it)."""
    return [
        ("/catalogue.xlsx", EVERYONE, XLSX, "Gà Tiên Yên"),
        ("/catalogue.csv?stars=4", EVERYONE, CSV, '"Gà Tiên Yên","HTX Chăn nuôi gà Tiên Yên","Quảng Ninh"'),
        ("/staff/exports/", STAFF, "text/html; charset=utf-8", "Tải danh sách"),
        ("/staff/exports/producers.xlsx", STAFF, XLSX, "HTX Dược liệu Con Cuông"),
        ("/staff/exports/producers.csv?type=household", STAFF, CSV, '"Cơ sở Đường phèn Bình Sơn"'),
        ("/staff/exports/distributors.xlsx", STAFF, XLSX, "Tên nhà phân phối"),
        ("/staff/exports/distributors.csv", STAFF, CSV, '"Tên nhà phân phối"'),
        (f"/staff/events/{event_id}/exhibitors.xlsx", STAFF, XLSX, "htx.gatienyen@example.vn"),
        (f"/staff/events/{event_id}/exhibitors.csv", STAFF, CSV, '"htx.gatienyen@example.vn"'),
    ]


@pytest.mark.parametrize("role", ROLES)
async def test_role_route_matrix(client, shelf, fair, role):
    if role != "visitor":
        await log_in(client, await make_user(role))
    for path, allowed, media_type, text in _routes(fair.event["id"]):
        response = await client.get(path)
        where = f"{role} GET {path}"
        if role in allowed:
            assert response.status_code == 200, (where, response.text[:300])
            assert response.headers["content-type"] == media_type, where
            if media_type == XLSX:
                cells = [str(value) for row in xlsx_values(response.content) for value in row]
                assert text in cells, where
            else:
                assert text in response.text, where
        elif role == "visitor":
            assert response.status_code in (302, 303), where
            assert response.headers["location"].startswith("/login?next="), where
        else:
            assert response.status_code == 403, where
            assert "Bạn không thể mở trang này" in text_of(response.text), where
            assert "Gà Tiên Yên" not in response.text and "htx.gatienyen@example.vn" not in response.text, where


async def test_the_pages_link_to_their_downloads(client, shelf, fair):
    page = (await client.get("/products?q=ga&stars=4")).text
    assert 'href="/catalogue.xlsx?q=ga&amp;stars=4"' in page and 'href="/catalogue.csv?q=ga&amp;stars=4"' in page
    assert "Tải Excel" in text_of(page) and "Tải CSV" in text_of(page)

    await log_in(client, await make_user("staff"))
    assert 'href="/staff/exports"' in (await client.get("/staff/")).text
    exports = await client.get("/staff/exports/")
    assert 'action="/staff/exports/producers.xlsx"' in exports.text
    assert 'formaction="/staff/exports/producers.csv"' in exports.text
    assert 'action="/staff/exports/distributors.xlsx"' in exports.text
    assert 'formaction="/staff/exports/distributors.csv"' in exports.text
    text = text_of(exports.text)
    assert "Tải danh sách" in text and "Hộ kinh doanh, cơ sở sản xuất" in text and "Sàn thương mại điện tử" in text
    applications = (await client.get(f"/staff/events/{fair.event['id']}/applications")).text
    assert f'href="/staff/events/{fair.event["id"]}/exhibitors.xlsx"' in applications
    assert f'href="/staff/events/{fair.event["id"]}/exhibitors.csv"' in applications
