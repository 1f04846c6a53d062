"""The audit trail: entries share their change's transaction, halls and venues are audited with
their fields before and after and the client's address, and /staff/audit finds the right entries."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from events_app.core import requests as client_address
from events_app.core.audit import AuditLog, AuditOutsideTransaction, audit, changed
from events_app.core.clock import LOCAL_TZ
from events_app.core.db import write_transaction
from events_app.events import venues
from events_app.events.tables import Hall, Venue
from tests.factories import PASSWORD, make_user, province_id
from tests.helpers import login, post_form, text_of


def _rows(html: str) -> list[tuple[str, str]]:
    """(action, address) of each entry shown, top to bottom."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    return [(re.search(r"<code>(.*?)</code>", row).group(1), re.findall(r"<code>(.*?)</code>", row)[-1])
            for row in body.split("<tr>")[1:]]


def _event_numbers(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'/staff/events/(\d+)">', html)]


async def _venue(name: str = "Trung tâm Hội nghị Nghệ An") -> int:
    return await venues.save_venue(None, venues.VenueInput(name=name, province_id=await province_id()), actor_id=None)


async def test_a_change_rolled_back_leaves_no_audit_entry(clean_db):
    venue_id = await _venue()
    before = await AuditLog.count()
    with pytest.raises(RuntimeError, match="after the hall"):
        async with write_transaction():
            await venues.save_hall(venue_id, None, "Hall A", 30, 20)  # its own transaction joins this one
            assert await AuditLog.exists().where(AuditLog.action == "hall.created")  # written, not yet committed
            raise RuntimeError("something failed after the hall was written")
    assert not await Hall.exists()
    assert await AuditLog.count() == before
    assert not await AuditLog.exists().where(AuditLog.action == "hall.created")


async def test_an_entry_refused_by_its_change_is_not_written_either(clean_db):
    venue_id = await _venue()
    hall_id = await venues.save_hall(venue_id, None, "Hall A", 30, 20)
    before = await AuditLog.count()
    with pytest.raises(Exception):
        async with write_transaction():
            await audit("hall.updated", target=("hall", hall_id), before={"width": 30}, after={"width": 40})
            await Hall.update({Hall.width: 40}).where(Hall.id == hall_id)
            await Hall.insert(Hall(venue=venue_id, name="Hall A", width=1, depth=1))  # the unique name refuses it
    assert await AuditLog.count() == before
    assert (await Hall.select(Hall.width).where(Hall.id == hall_id).first())["width"] == 30


async def test_an_audit_entry_outside_a_transaction_is_refused(clean_db):
    with pytest.raises(AuditOutsideTransaction):
        await audit("venue.updated", target=("venue", 1))
    assert not await AuditLog.exists()
    await audit("login", alone=True)  # an event that is the whole change
    assert await AuditLog.count() == 1


def test_only_changed_fields_are_kept():
    moment = dt.datetime(2026, 12, 1, 9, 0, tzinfo=LOCAL_TZ)
    old, new = changed(
        {"name": "Hall A", "width": 30, "starts_at": moment.astimezone(dt.timezone.utc), "updated_at": 1},
        {"name": "Hall A", "width": 40, "starts_at": moment, "updated_at": 2},
    )
    assert (old, new) == ({"width": 30}, {"width": 40})
    assert changed(None, {"name": "B"}) == ({}, {"name": "B"})
    assert changed({Hall.name: "C"}, None) == ({"name": "C"}, {})


@pytest.fixture
def forwarded_by_any_proxy(monkeypatch, settings):
    """The test client stands behind a trusted proxy, which names the client in X-Forwarded-For."""
    trusting = settings.with_overrides(forwarded_allow_ips=("*",))
    monkeypatch.setattr(client_address, "get_settings", lambda: trusting)


async def test_hall_create_edit_delete_are_audited_with_who_what_and_where(client, forwarded_by_any_proxy):
    staff = await make_user("staff", "canbo@example.vn")
    venue_id = await _venue()
    await login(client, staff.email, PASSWORD)
    client.headers["X-Forwarded-For"] = "203.0.113.7"
    page = f"/staff/venues/{venue_id}"
    assert (await post_form(client, f"{page}/halls", {"hall_name": "Nhà A", "width": "30", "depth": "20"})).status_code == 302
    hall = await Hall.objects().where(Hall.venue == venue_id).first()
    assert (await post_form(client, f"{page}/halls/{hall.id}",
                            {"hall_name": "Nhà A", "width": "45", "depth": "20"})).status_code == 302
    assert (await post_form(client, f"{page}/halls/{hall.id}/delete", {})).status_code == 302

    rows = await AuditLog.select().where(AuditLog.target_type == "hall").order_by(AuditLog.id)
    assert [row["action"] for row in rows] == ["hall.created", "hall.updated", "hall.deleted"]
    assert {row["actor"] for row in rows} == {staff.id}
    assert {row["ip"] for row in rows} == {"203.0.113.7"}
    created, updated, deleted = rows
    assert json.loads(created["after"]) == {"name": "Nhà A", "width": 30, "depth": 20}
    assert (json.loads(updated["before"]), json.loads(updated["after"])) == ({"width": 30}, {"width": 45})
    assert json.loads(deleted["before"]) == {"name": "Nhà A", "width": 45, "depth": 20}

    trail = text_of((await client.get("/staff/audit", params={"type": "hall", "id": str(hall.id)})).text)
    assert "3 mục" in trail
    assert "hall.updated" in trail and "30 → 45" in trail and "203.0.113.7" in trail
    assert staff.name in trail


async def test_a_venue_edit_keeps_only_the_changed_fields(client):
    staff = await make_user("staff")
    venue_id = await _venue("Nhà Văn hóa Vinh")
    await login(client, staff.email, PASSWORD)
    response = await post_form(client, f"/staff/venues/{venue_id}", {
        "name": "Nhà Văn hóa Vinh", "province_id": str(await province_id()), "address": "12 Lê Mao", "description": "",
    })
    assert response.status_code == 302
    row = await AuditLog.select().where(AuditLog.action == "venue.updated").first()
    assert (json.loads(row["before"]), json.loads(row["after"])) == ({"address": ""}, {"address": "12 Lê Mao"})
    assert row["ip"] == "testclient" and row["actor"] == staff.id
    assert (await Venue.select(Venue.address).where(Venue.id == venue_id).first())["address"] == "12 Lê Mao"


async def _entry(action: str, actor: int | None, target: tuple[str, int], at: dt.datetime, detail: dict | None = None):
    async with write_transaction():
        await audit(action, actor_id=actor, target=target, detail=detail, ip="198.51.100.9")
        await AuditLog.update({AuditLog.at: at}).where(AuditLog.id == (await AuditLog.select(AuditLog.id).order_by(
            AuditLog.id, ascending=False).first())["id"])


async def test_the_filters_find_the_right_entries(client):
    lan = await make_user("staff", "lan@example.vn")
    minh = await make_user("staff", "minh@example.vn")
    admin = await make_user("admin", "admin@example.vn")
    day = dt.datetime(2026, 11, 20, 10, 0, tzinfo=LOCAL_TZ)
    await _entry("event.updated", lan.id, ("event", 7), day)
    await _entry("event.publish", minh.id, ("event", 7), day + dt.timedelta(days=2))
    await _entry("hall.updated", lan.id, ("hall", 3), day + dt.timedelta(days=4), {"note": "sơ đồ tầng trệt"})
    await _entry("venue.updated", minh.id, ("venue", 2), day + dt.timedelta(days=6))
    await login(client, admin.email, PASSWORD)

    async def actions(**params) -> list[str]:
        response = await client.get("/staff/audit", params=params)
        assert response.status_code == 200
        return [action for action, ip in _rows(response.text) if ip == "198.51.100.9"]

    assert await actions() == ["venue.updated", "hall.updated", "event.publish", "event.updated"]  # newest first
    assert await actions(type="event") == ["event.publish", "event.updated"]
    assert await actions(type="event", id="7") == ["event.publish", "event.updated"]
    assert await actions(type="hall", id="7") == []
    assert await actions(person="lan@") == ["hall.updated", "event.updated"]
    assert await actions(person="MINH") == ["venue.updated", "event.publish"]
    assert await actions(**{"from": "2026-11-22", "to": "2026-11-24"}) == ["hall.updated", "event.publish"]
    assert await actions(q="tầng trệt") == ["hall.updated"]
    assert await actions(q="publish") == ["event.publish"]

    page = await client.get("/staff/audit", params={"from": "2026-13-45", "id": "x"})
    assert page.status_code == 200  # a value that is none is shown with its field, and left out
    assert await actions(**{"from": "2026-13-45"}) == ["venue.updated", "hall.updated", "event.publish", "event.updated"]
    shown = text_of(page.text)
    assert "event.publish" in shown and "Sự kiện #7" in shown


async def test_the_trail_is_paginated_newest_first(client):
    staff = await make_user("staff")
    async with write_transaction():
        for n in range(120):
            await audit("event.updated", actor_id=staff.id, target=("event", n + 1))
    await login(client, staff.email, PASSWORD)
    first = await client.get("/staff/audit", params={"type": "event"})
    assert "120 mục" in text_of(first.text)
    assert _event_numbers(first.text)[:3] == [120, 119, 118] and len(_event_numbers(first.text)) == 50
    assert 'href="?type=event&amp;page=3"' in first.text
    last = await client.get("/staff/audit", params={"type": "event", "page": "999999999999"})
    assert _event_numbers(last.text) == list(range(20, 0, -1))


@pytest.mark.parametrize("role", ["producer", "distributor"])
async def test_producers_and_distributors_cannot_read_the_trail(client, role):
    user = await make_user(role)
    await login(client, user.email, PASSWORD)
    response = await client.get("/staff/audit")
    assert response.status_code == 403
    assert "hall.updated" not in response.text and "Nhật ký thay đổi" not in text_of(response.text)


async def test_opening_hours_and_event_status_keep_what_they_were(clean_db):
    from events_app.events import planning, programme
    from tests.events.conftest import make_event

    staff = await make_user("staff")
    event = await make_event(kind="showroom", days=365, status="draft")
    await programme.set_opening_hours(event.id, {0: (dt.time(8), dt.time(17))}, actor_id=staff.id)
    await programme.set_opening_hours(event.id, {0: (dt.time(8), dt.time(18)), 6: None}, actor_id=staff.id)
    await planning.change_status(event.id, "publish", actor_id=staff.id)
    rows = await AuditLog.select(AuditLog.action, AuditLog.before, AuditLog.after).where(
        AuditLog.target_id == event.id).order_by(AuditLog.id)
    assert [(r["action"], json.loads(r["before"]), json.loads(r["after"])) for r in rows] == [
        ("event.opening_hours", {}, {"0": ["08:00:00", "17:00:00"]}),
        ("event.opening_hours", {"0": ["08:00:00", "17:00:00"]}, {"0": ["08:00:00", "18:00:00"]}),
        ("event.publish", {"status": "draft"}, {"status": "published"}),
    ]


async def test_dossiers_and_showroom_networks_are_named_in_the_trail_and_its_filter(client):
    staff = await make_user("staff", "lan@example.vn")
    day = dt.datetime(2026, 11, 20, 10, 0, tzinfo=LOCAL_TZ)
    await _entry("dossier.evaluate", staff.id, ("dossier", 4), day)
    await _entry("network.updated", staff.id, ("showroom_network", 2), day)
    await login(client, staff.email, PASSWORD)
    page = await client.get("/staff/audit")
    assert '<option value="dossier" >Hồ sơ đánh giá lại</option>' in page.text
    assert '<option value="showroom_network" >Chuỗi điểm</option>' in page.text
    shown = text_of(page.text)
    assert "Hồ sơ đánh giá lại #4" in shown and "Chuỗi điểm #2" in shown
    assert 'href="/staff/recognition/dossiers/4"' in page.text  # the dossier's own page
    only = await client.get("/staff/audit", params={"type": "dossier"})
    assert [action for action, _ in _rows(only.text)] == ["dossier.evaluate"]


def _codes_the_app_writes() -> set[str]:
    """Every action code passed to audit() or audit_many() in the app's source; the codes an
    f-string makes are spelled out from the values it is made of."""
    from pathlib import Path

    from events_app.booths.tables import MarkKind
    from events_app.events.planning import EVENTS
    from events_app.imports.columns import Kind as ImportKind
    from events_app.matchmaking.tables import RequestStatus

    made = {
        "event.{action}": {f"event.{action}" for action in EVENTS.transitions},
        "meeting.{status}": {f"meeting.{s.value}" for s in (RequestStatus.accepted, RequestStatus.declined)},
        "{target}.import_{change}": {f"{target}.import_{change}" for target in ("producer", "product", "distributor")
                                     for change in ("create", "update")},
        "import.{plan.kind.value}": {f"import.{kind.value}" for kind in ImportKind},
        "booths.allocation_{kind}": {f"booths.allocation_{kind.value}" for kind in MarkKind},
    }
    codes: set[str] = set()
    root = Path(__file__).resolve().parents[2] / "events_app"
    for path in root.rglob("*.py"):
        for first in re.findall(r"\baudit(?:_many)?\(\s*([^,)]+)", path.read_text(encoding="utf-8")):
            for f, literal in re.findall(r'(f?)"([^"]*)"', first):
                if f:
                    assert literal in made, f"{path.name}: spell out the codes of {literal!r} here"
                    codes |= made[literal]
                else:
                    codes.add(literal)
    return codes


def test_every_action_the_app_records_is_named_in_the_trail():
    from events_app.accounts.trail import ACTIONS

    codes = _codes_the_app_writes()
    assert len(codes) > 100 and {"hall.created", "mou.signed", "event.publish", "booths.allocation_pin"} <= codes
    assert sorted(codes - set(ACTIONS)) == []
    assert sorted(set(ACTIONS) - codes) == []  # no name of an action nothing writes


async def test_entries_read_in_vietnamese_with_moments_in_vietnam_time(client):
    staff = await make_user("staff", "lan@example.vn")
    async with write_transaction():
        await audit("mou.signed", actor_id=staff.id, target=("mou", 6),
                    before={"status": "agreed", "signed_at": None},
                    after={"status": "signed", "signed_at": dt.datetime(2026, 12, 8, 7, 40, tzinfo=dt.timezone.utc)})
        await audit("event.updated", actor_id=staff.id, target=("event", 3),
                    before={"starts_on": dt.date(2026, 12, 26)}, after={"starts_on": dt.date(2026, 12, 27)})
        await audit("booths.unheard_of", actor_id=staff.id, target=("event", 3), after={"x": "2026-02-30"})
    await login(client, staff.email, PASSWORD)
    page = await client.get("/staff/audit")
    shown = text_of(page.text)
    assert "Ký biên bản ghi nhớ mou.signed Biên bản ghi nhớ #6" in shown
    assert "signed_at — → 08/12/2026 14:40" in shown  # 07:40 UTC is 14:40 in Vietnam
    assert "Sửa sự kiện event.updated" in shown and "starts_on 26/12/2026 → 27/12/2026" in shown
    assert "booths.unheard_of" in shown and "x 2026-02-30" in shown  # no name, no such day: as written
    assert [action for action, _ in _rows(page.text)] == ["login", "booths.unheard_of", "event.updated", "mou.signed"]
