"""Hostile values in every form and query string, as each role: never a 500, and a refused
request writes nothing.

Hypothesis picks a form (or a page's query string), some of its fields and values no one types:
numbers past the database's columns, dates far out of the calendar, huge or odd text, NUL. The
run is derandomised and small, so it is the same quick check on every run and on both engines.
"""

from __future__ import annotations

import datetime as dt
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest
from litestar.testing import AsyncTestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from piccolo.conf.apps import Finder

from events_app.core.db import engine
from events_app.directory.tables import Product
from events_app.events.tables import Hall
from tests.events.conftest import make_event
from tests.factories import PASSWORD, make_user
from tests.helpers import SESSION_COOKIE, login, post_form, text_of
from tests.matchmaking.builders import make_cast

LAYOUTS = ("Quản lý Hội chợ OCOP", "OCOP Fair Manager")  # the site's name, in either language
# Rows a refused request may still leave: the session, and the record of a failed log-in.
NOT_DOMAIN_ROWS = {"web_session", "login_attempt", "audit_log"}

HOSTILE = [
    str(2**31), str(-(2**31) - 1), str(2**63), str(-(2**63) - 1), "9" * 400, "1" + "0" * 5000, "-1", "0",
    "1.5", "1e400", "nan", "inf", "-inf", "0x10", "١٢٣", "1_000",
    "0001-01-01T00:00", "9999-12-31T23:59", "0001-01-01", "9999-12-31", "2026-02-30", "0000-00-00", "2026-13",
    "0001-01", "9999-12", "25:61", "24:00",
    "\x00", "a\x00b", "\u202e\u0301", "\ufeff", "𝕏𝕐", "😀" * 300, "x" * 70_000, " ", "\t\n", "' OR 1=1 --",
    "%00", "//evil.example/", "/\r\nSet-Cookie: x=1", "/" + "a" * 5000, "http://[::1", "https://x:99999/",
]
hostile = st.one_of(
    st.sampled_from(HOSTILE),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
)


@dataclass
class Target:
    role: str  # whose client sends it
    method: str
    path: str
    fields: dict[str, str] = field(default_factory=dict)  # a plausible form, some fields of which are spoiled


def _targets(ids: dict) -> list[Target]:
    event, venue, hall, conference = ids["event"], ids["venue"], ids["hall"], ids["conference"]
    event_form = {"kind": "fair", "title_vi": "Hội chợ", "venue_id": str(venue), "starts_at": "2027-01-10T08:00",
                  "ends_at": "2027-01-14T21:00", "application_opens_at": "", "application_closes_at": "",
                  "min_stars": "3", "province_id": "", "region_id": "", "groups": "food", "provinces": "",
                  "regions": "", "producer_types": "cooperative", "organiser": "", "description": ""}
    return [
        Target("public", "POST", "/signup", {"role": "producer", "email": "ai@example.vn", "password": "mat-khau-dai",
                                             "password_confirm": "mat-khau-dai", "name": "An", "organisation": "HTX",
                                             "province_id": str(ids["province"]), "organisation_type": "cooperative"}),
        Target("public", "POST", "/login", {"email": "ai@example.vn", "password": "x", "next": "/"}),
        Target("public", "POST", "/language", {"language": "en", "next": "/"}),
        Target("public", "GET", "/events", {"kind": "fair", "province": "nghe-an", "region": "", "month": "2027-01"}),
        Target("public", "GET", "/calendar", {"kind": "", "province": "", "region": "", "month": "2027-01"}),
        Target("public", "GET", "/calendar.ics", {"kind": "", "province": "", "region": "", "month": ""}),
        Target("public", "GET", "/products", {"q": "trà", "stars": "4", "group": "food", "province": "nghe-an",
                                              "region": "", "event": "", "page": "1"}),
        Target("public", "GET", f"/events/{ids['event_slug']}/floor-plan", {"month": "2027-01"}),
        Target("public", "GET", "/login", {"next": "/account"}),
        Target("admin", "POST", "/staff/venues/new", {"name": "Nhà văn hóa", "province_id": str(ids["province"]),
                                                      "address": "", "description": ""}),
        Target("admin", "POST", f"/staff/venues/{venue}/halls", {"hall_name": "Khu B", "width": "20", "depth": "10"}),
        Target("admin", "POST", "/staff/events/new", event_form),
        Target("admin", "POST", f"/staff/events/{event}", event_form),
        Target("admin", "POST", f"/staff/events/{event}/sessions", {"title": "Khai mạc", "kind": "plenary",
                                                                    "starts_at": "2026-12-17T08:00",
                                                                    "ends_at": "2026-12-17T09:00", "room": "A",
                                                                    "tables_count": "0", "slot_minutes": "0"}),
        Target("admin", "POST", f"/staff/events/{event}/opening-hours", {"open_0": "on", "opens_0": "08:00",
                                                                         "closes_0": "17:00"}),
        Target("admin", "POST", f"/staff/events/{event}/floor-plan", {
            "hall_id": str(hall), "rows": "1", "columns": "2", "prefix": "Z", "booth_type": "standard", "price": "0",
            "width": "3", "depth": "3", "origin_x": "1", "origin_y": "1", "first_number": "1"}),
        Target("admin", "POST", f"/staff/users/{ids['someone']}", {"action": "deactivate", "page": "1", "q": ""}),
        Target("admin", "GET", "/staff/users", {"page": "1", "q": "a"}),
        Target("admin", "GET", f"/staff/events/{event}/applications", {"status": "submitted", "page": "1"}),
        Target("admin", "GET", f"/staff/events/{event}/sessions", {"edit": "1"}),
        Target("admin", "GET", "/staff/events", {"status": "draft", "kind": "fair"}),
        Target("producer", "POST", "/my/products/new", {
            "name": "Trà", "group_id": str(ids["group"]), "stars": "4", "certificate_number": "OCOP-1",
            "certified_on": "2025-06-01", "evaluation_level": "provincial", "price": "100000", "unit": "hộp",
            "description": "", "story": "", "traceability_url": ""}),
        Target("producer", "POST", "/my/organisation", {
            "name": "HTX", "organisation_type": "cooperative", "province_id": str(ids["province"]), "address": "",
            "website": "", "description": "", "phone": "", "email": ""}),
        Target("producer", "POST", f"/events/{ids['event_slug']}/apply", {
            "product_ids": str(ids["product"]), "note": "", "preference_1": "", "preference_2": "", "preference_3": ""}),
        Target("producer", "GET", "/my/products", {"page": "1"}),
        Target("distributor", "POST", "/my/interests/new", {"group_id": str(ids["group"]), "min_stars": "4",
                                                           "place": "", "required_certifications": "", "volume": "",
                                                           "is_active": "1"}),
        Target("distributor", "POST", "/my/mous/new", {
            "party": str(ids["conference_producer"]), "event": conference, "title": "MoU", "value_vnd": "1000",
            "volume": "", "terms": "", "product_ids": str(ids["conference_product"])}),
        Target("distributor", "GET", "/my/mous/new", {"party": str(ids["conference_producer"]), "event": conference}),
        Target("distributor", "POST", f"/events/{conference}/meeting-requests", {
            "party": str(ids["conference_producer"]), "message": "", "next": "/"}),
    ]


async def _row_counts() -> dict[str, int]:
    """Rows of every table the application writes, in one round trip."""
    names = sorted(t._meta.tablename for t in Finder().get_table_classes())
    query = "SELECT " + ", ".join(f'(SELECT count(*) FROM "{name}") AS "{name}"' for name in names)
    [row] = await engine().run_ddl(query)
    return {name: count for name, count in row.items() if name not in NOT_DOMAIN_ROWS}


@pytest.fixture
async def world(app, client):
    cast = await make_cast()
    event = await make_event("hoi-cho-thu", starts=dt.datetime(2026, 12, 17, 1, tzinfo=dt.timezone.utc))
    hall = await Hall.select(Hall.id, Hall.venue).where(Hall.venue == event.venue).first()
    product = await Product.select(Product.id).where(Product.producer == cast.producer.id).first()
    ids = {
        "event": event.id, "event_slug": event.slug, "venue": hall["venue"], "hall": hall["id"],
        "conference": cast.conference.slug, "conference_producer": cast.producer.id,
        "conference_product": product["id"], "product": product["id"], "province": event.province,
        "group": (await Product.select(Product.group).where(Product.id == product["id"]).first())["group"],
        "someone": (await make_user("staff")).id,
    }
    async with AsyncExitStack() as stack:
        clients = {"public": client}
        for role, email in (("admin", None), ("producer", "sx1@test.example"), ("distributor", "pp1@test.example")):
            clients[role] = await stack.enter_async_context(AsyncTestClient(app=app))
            clients[role].follow_redirects = False
            if email is None:
                email = (await make_user(role)).email
            await login(clients[role], email, PASSWORD)
        yield World(_targets(ids), clients)


class World:
    def __init__(self, targets: list[Target], clients: dict) -> None:
        self.targets, self.clients = targets, clients

    def __repr__(self) -> str:  # what Hypothesis prints of a failing case: the target and fields say enough
        return "world"


async def _send(client, target: Target, fields: dict[str, str]):
    if target.method == "GET":
        query = "&".join(f"{quote(k)}={quote(v, safe='')}" for k, v in fields.items())
        return await client.get(f"{target.path}?{query}"[:60_000])
    page = target.path if target.path.startswith(("/staff", "/my")) else "/"
    return await post_form(client, target.path, fields, page=page)


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
async def test_hostile_values_never_answer_500_nor_write_half(world, data):
    targets, clients = world.targets, world.clients
    target = data.draw(st.sampled_from(targets), label="target")
    spoiled = data.draw(st.lists(st.sampled_from(sorted(target.fields)), min_size=1, max_size=3, unique=True),
                        label="fields")
    fields = {**target.fields, **{name: data.draw(hostile, label=name) for name in spoiled}}
    before = await _row_counts()
    response = await _send(clients[target.role], target, fields)
    assert response.status_code < 500, (target.path, fields)
    if response.status_code >= 400:
        assert await _row_counts() == before, (target.path, fields)
        if not target.path.endswith(".ics"):
            assert any(name in text_of(response.text) for name in LAYOUTS), (target.path, response.status_code)
    assert len(response.headers.get("location", "")) <= 2100


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cookie=st.one_of(st.sampled_from(["%00", "null", "", "x" * 4000, "%C3%A9", "0" * 64, "g" * 64]),
                        st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7e, blacklist_characters=';,"\\'),
                                max_size=200)))
async def test_any_session_cookie_is_a_session_or_none(client, cookie):
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, cookie)
    response = await client.get("/")
    assert response.status_code == 200
    assert (await client.get("/account")).status_code == 302
