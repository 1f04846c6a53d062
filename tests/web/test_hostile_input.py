"""Hostile input never answers 500: numbers too large for the database, dates out of range,
over-long fields, junk session cookies and huge query values get a clear 400 or 404 page in the
reader's language, and a refused request writes nothing."""

from __future__ import annotations

import re
from contextlib import AsyncExitStack

import pytest
from litestar.testing import AsyncTestClient

from events_app.accounts.tables import LoginAttempt, User, WebSession
from events_app.booths.tables import Booth
from events_app.directory.tables import Producer, Product
from events_app.events.tables import Event, Hall, Session
from events_app.mou.tables import Mou
from tests.events.conftest import make_event, make_venue
from tests.factories import PASSWORD, make_user, province_id
from tests.helpers import SESSION_COOKIE, login, post_form, text_of
from tests.matchmaking.builders import make_cast

INT32_OVERFLOW = str(2**31)
INT64_OVERFLOW = str(2**63)
LAYOUT = "Quản lý Hội chợ OCOP"  # the site's name, in every page of the layout
NOT_FOUND = "Không tìm thấy trang"


async def as_role(client, role: str, **links):
    client.cookies.clear()
    user = await make_user(role, **links)
    await login(client, user.email, PASSWORD)
    return user


async def counts(*tables) -> dict[str, int]:
    return {table._meta.tablename: await table.count() for table in tables}


def _int_routes(app) -> list[tuple[str, str, str]]:
    """(method, path template, role) of every route with an integer path parameter."""
    found = []
    for route in app.routes:
        if not any(p.type is int for p in route.path_parameters.values()):
            continue
        for method in sorted(getattr(route, "methods", ())):
            if method in ("GET", "POST"):
                found.append((method, route.path, _role_for(route.path)))
    return found


def _role_for(path: str) -> str:
    if path.startswith("/staff"):
        return "admin"
    if path.startswith(("/my/interests", "/my/shortlist")):
        return "distributor"
    return "producer"


# 1. Integers the database cannot hold ------------------------------------------------------

async def test_path_ids_beyond_the_id_columns_are_pages_not_found(app):
    routes = _int_routes(app)
    assert len(routes) > 30
    async with AsyncExitStack() as stack:
        clients = {}
        for role in ("admin", "distributor", "producer"):
            clients[role] = await stack.enter_async_context(AsyncTestClient(app=app))
            clients[role].follow_redirects = False
            await as_role(clients[role], role)
        for value in (INT32_OVERFLOW, INT64_OVERFLOW, "0"):
            for method, template, role in routes:
                client = clients[role]
                path = re.sub(r"\{\w+:int\}", value, template)
                response = await (client.get(path) if method == "GET" else post_form(client, path, {}))
                assert response.status_code == 404, (method, path, response.status_code)
                assert NOT_FOUND in text_of(response.text) and LAYOUT in text_of(response.text), path


async def test_a_form_id_beyond_the_id_column_is_a_field_error(client):
    before = await counts(User, Producer)
    response = await post_form(client, "/signup", {
        "role": "producer", "organisation": "HTX Lớn", "organisation_type": "cooperative", "name": "An",
        "email": "an@example.vn", "password": "mat-khau-dai", "password_confirm": "mat-khau-dai",
        "province_id": INT32_OVERFLOW,
    })
    assert response.status_code == 400
    assert "Nhập số không lớn hơn 2147483647." in text_of(response.text)
    assert await counts(User, Producer) == before


async def test_an_mou_value_beyond_bigint_is_a_field_error(client):
    cast = await make_cast()
    client.cookies.clear()
    await login(client, "pp1@test.example", PASSWORD)
    product = await Product.select(Product.id).where(Product.producer == cast.producer.id).first()
    for value, message in [(INT64_OVERFLOW, "Nhập số không lớn hơn 1000000000000000."),
                           ("1.000.000.000.000.001", "Nhập số không lớn hơn 1000000000000000."),
                           ("9" * 5000, "Nhập một số nguyên.")]:
        response = await post_form(client, "/my/mous/new", [
            ("party", str(cast.producer.id)), ("event", cast.conference.slug), ("title", "MoU lớn"),
            ("value_vnd", value), ("product_ids", str(product["id"])),
        ])
        assert response.status_code == 400, value
        assert message in text_of(response.text)
    assert await Mou.count() == 0


async def test_a_booth_price_beyond_bigint_is_a_field_error(client):
    await as_role(client, "staff")
    event = await make_event()
    hall_id = (await Hall.select(Hall.id).where(Hall.venue == event.venue).first())["id"]
    response = await post_form(client, f"/staff/events/{event.id}/floor-plan", {
        "hall_id": hall_id, "rows": "1", "columns": "2", "prefix": "A", "booth_type": "standard",
        "price": INT64_OVERFLOW, "width": "3", "depth": "3", "origin_x": "1", "origin_y": "1", "first_number": "1",
    })
    assert response.status_code == 400
    assert "Nhập số không lớn hơn 1000000000000000." in text_of(response.text)
    assert await Booth.count() == 0


# 2. Dates out of range ---------------------------------------------------------------------

async def test_event_and_session_dates_out_of_range_are_field_errors(client):
    await as_role(client, "staff")
    venue = await make_venue()
    before = await counts(Event)
    for starts_at in ("0001-01-01T00:00", "9999-12-31T23:59"):
        response = await post_form(client, "/staff/events/new", {
            "kind": "fair", "title_vi": "Hội chợ", "venue_id": venue.id, "starts_at": starts_at,
            "ends_at": "2027-01-14T21:00",
        })
        assert response.status_code == 400, starts_at
        assert "Nhập ngày trong khoảng từ 01/01/2000 đến 31/12/2100." in text_of(response.text)
    assert await counts(Event) == before

    event = await make_event()
    for starts_at in ("0001-01-01T00:00", "9999-12-31T23:59"):
        response = await post_form(client, f"/staff/events/{event.id}/sessions", {
            "title": "Khai mạc", "kind": "plenary", "starts_at": starts_at, "ends_at": "2026-12-17T10:00",
        })
        assert response.status_code == 400, starts_at
        assert "Nhập ngày trong khoảng từ 01/01/2000 đến 31/12/2100." in text_of(response.text)
    assert await Session.count() == 0


# 3. Over-long e-mail at log-in ---------------------------------------------------------------

async def test_an_over_long_email_at_log_in_is_refused_by_the_form(client):
    await client.get("/login")
    response = await post_form(client, "/login", {"email": "a" * 290 + "@example.vn", "password": "x"}, page="/login")
    assert response.status_code == 400
    assert "Dùng tối đa 254 ký tự." in text_of(response.text) and LAYOUT in text_of(response.text)
    assert await LoginAttempt.count() == 0


# 4. Junk session cookies --------------------------------------------------------------------

@pytest.mark.parametrize("cookie", ["%00", "\x00", "abc\x00def", "x" * 5000, "%C3%A9", "null", "' OR 1=1 --"])
async def test_an_ill_formed_session_cookie_is_no_session(client, cookie):
    client.cookies.set(SESSION_COOKIE, cookie)
    response = await client.get("/")
    assert response.status_code == 200
    assert "Sự kiện sắp tới" in text_of(response.text)
    assert (await client.get("/account")).status_code == 302  # to the log-in page
    assert await WebSession.count() == 0


# 5. Huge values echoed into headers -----------------------------------------------------------

async def test_a_huge_page_value_is_never_echoed_into_a_header(client):
    await as_role(client, "admin")
    target = await make_user("staff")
    huge = "9" * 300_000
    response = await client.get(f"/staff/users?page={huge[:60_000]}")  # as long as a URL can be
    assert response.status_code == 200
    response = await post_form(client, f"/staff/users/{target.id}", {"action": "deactivate", "page": huge, "q": "x" * 300_000})
    assert response.status_code == 302
    assert len(response.headers["location"]) < 300


async def test_a_huge_address_is_not_echoed_into_the_log_in_redirect(client):
    response = await client.get("/account?q=" + "x" * 60_000)
    assert response.status_code == 302
    assert len(response.headers["location"]) < 3000


# 6. Headers and bodies no handler can read ---------------------------------------------------

async def test_an_unreadable_referer_is_no_page_to_go_back_to(client):
    await client.get("/login")
    token = client.cookies.get("ocop_csrf")
    response = await client.post("/my/products/new", data={"_csrf_token": token}, headers={"referer": "http://[::1"})
    assert response.status_code == 302 and response.headers["location"] == "/login?next=/"
    await as_role(client, "staff")
    await client.get("/staff/venues/new")
    response = await client.post("/staff/venues/new", data={"_csrf_token": client.cookies.get("ocop_csrf"), "name": ""},
                                 headers={"referer": "http://[::1"})
    assert response.status_code == 400 and "Trường này là bắt buộc." in text_of(response.text)


async def test_an_unreadable_web_address_is_a_field_error(client):
    await as_role(client, "producer")
    response = await post_form(client, "/my/organisation", {
        "name": "HTX", "organisation_type": "cooperative", "province_id": str(await province_id()),
        "website": "http://[::1",
    }, page="/my/organisation")
    assert response.status_code == 400
    assert "Nhập địa chỉ web bắt đầu bằng http:// hoặc https://." in text_of(response.text)


@pytest.mark.parametrize("part", [
    b'Content-Disposition: form-data; name="email"\r\n\r\n\xff\xfe',  # not UTF-8
    b'Content-Disposition: form-data; name="email"\r\nContent-Type: text/plain; charset=x-junk\r\n\r\nab',
])
async def test_a_form_field_that_is_not_text_is_a_bad_request(client, part):
    await client.get("/login")
    token = client.cookies.get("ocop_csrf").encode()
    body = (b'--x\r\nContent-Disposition: form-data; name="_csrf_token"\r\n\r\n' + token + b"\r\n--x\r\n" + part
            + b"\r\n--x--\r\n")
    response = await client.post("/login", content=body, headers={"content-type": "multipart/form-data; boundary=x"})
    assert response.status_code == 400
    assert "Không hiểu được yêu cầu" in text_of(response.text)
    assert await LoginAttempt.count() == 0
