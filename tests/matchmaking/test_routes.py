"""Role × route: every page and action of matchmaking and MoUs, for every kind of user."""

import pytest

from events_app.directory.tables import SourcingInterest
from events_app.events.tables import Attendance
from events_app.matchmaking.tables import Meeting, MeetingRequest
from events_app.mou.tables import Mou
from tests.factories import PASSWORD, make_user
from tests.helpers import login, post_form, text_of
from tests.matchmaking.builders import make_cast
from tests.mou.builders import insert_mou

VISITOR, PRODUCER, DISTRIBUTOR, STAFF, ADMIN = "visitor", "producer", "distributor", "staff", "admin"
PARTICIPANTS = {PRODUCER, DISTRIBUTOR}
STAFF_ROLES = {STAFF, ADMIN}
LOGINS = {PRODUCER: "sx1@test.example", DISTRIBUTOR: "pp1@test.example", STAFF: "staff@test.example",
          ADMIN: "admin@test.example"}


def routes(ids: dict) -> list[tuple[str, str, set[str]]]:
    """(method, path, roles allowed) for every route of the two domains."""
    slug, event, interest, request, meeting, mou = (
        ids["slug"], ids["event"], ids["interest"], ids["request"], ids["meeting"], ids["mou"])
    return [
        ("GET", "/my/interests", {DISTRIBUTOR}),
        ("GET", "/my/interests/new", {DISTRIBUTOR}),
        ("POST", "/my/interests/new", {DISTRIBUTOR}),
        ("GET", f"/my/interests/{interest}/edit", {DISTRIBUTOR}),
        ("POST", f"/my/interests/{interest}/edit", {DISTRIBUTOR}),
        ("POST", f"/my/interests/{interest}/delete", {DISTRIBUTOR}),
        ("POST", f"/events/{slug}/register", PARTICIPANTS),
        ("GET", f"/events/{slug}/matches", PARTICIPANTS),
        ("POST", f"/events/{slug}/meeting-requests", PARTICIPANTS),
        ("GET", "/my/meetings", PARTICIPANTS),
        ("POST", f"/my/meetings/{request}/accept", PARTICIPANTS),
        ("POST", f"/my/meetings/{request}/decline", PARTICIPANTS),
        ("POST", f"/my/meetings/{request}/cancel", PARTICIPANTS),
        ("GET", f"/staff/events/{event}/meetings", STAFF_ROLES),
        ("POST", f"/staff/events/{event}/meetings/place", STAFF_ROLES),
        ("POST", f"/staff/events/{event}/meetings/place-all", STAFF_ROLES),
        ("POST", f"/staff/events/{event}/meetings/{meeting}/unplace", STAFF_ROLES),
        ("GET", f"/staff/events/{event}/schedule", STAFF_ROLES),
        ("POST", f"/staff/events/{event}/schedule/preview", STAFF_ROLES),
        ("POST", f"/staff/events/{event}/schedule/pin", STAFF_ROLES),
        ("POST", f"/staff/events/{event}/schedule/{request}/unpin", STAFF_ROLES),
        ("POST", f"/staff/events/{event}/schedule/{request}/leave-out", STAFF_ROLES),
        ("POST", f"/staff/events/{event}/schedule/publish", STAFF_ROLES),
        ("POST", f"/staff/events/{event}/schedule/terms", STAFF_ROLES),
        ("GET", "/my/mous", PARTICIPANTS),
        ("GET", "/my/mous/new", PARTICIPANTS),
        ("POST", "/my/mous/new", PARTICIPANTS),
        ("GET", f"/my/mous/{mou}", PARTICIPANTS),
        ("POST", f"/my/mous/{mou}/agree", PARTICIPANTS),
        ("POST", f"/my/mous/{mou}/withdraw", PARTICIPANTS),
        ("GET", f"/staff/events/{event}/mous", STAFF_ROLES),
        ("POST", f"/staff/events/{event}/mous/{mou}/slot", STAFF_ROLES),
        ("POST", f"/staff/events/{event}/mous/{mou}/unslot", STAFF_ROLES),
        ("POST", f"/staff/events/{event}/mous/{mou}/sign", STAFF_ROLES),
        ("POST", f"/staff/events/{event}/mous/order", STAFF_ROLES),
        ("POST", f"/events/{slug}/unregister", PARTICIPANTS),
    ]


async def _snapshot() -> list:
    return [
        await SourcingInterest.select().order_by(SourcingInterest.id),
        await Attendance.select().order_by(Attendance.id),
        await MeetingRequest.select().order_by(MeetingRequest.id),
        await Meeting.select().order_by(Meeting.id),
        await Mou.select().order_by(Mou.id),
    ]


async def _world() -> dict:
    cast = await make_cast()
    await make_user("admin", "admin@test.example")
    event = cast.conference.event
    request = MeetingRequest(event=event.id, producer=cast.producer.id, distributor=cast.distributor.id,
                             requested_by="distributor", status="accepted")
    await request.save()
    meeting = Meeting(request=request.id, event=event.id, session=cast.conference.b2b.id, producer=cast.producer.id,
                      distributor=cast.distributor.id, starts_at=cast.conference.b2b.starts_at,
                      ends_at=cast.conference.b2b.ends_at, table_number=1)
    await meeting.save()
    mou_id = await insert_mou(cast.producer.id, cast.distributor.id, event=event.id, proposed_by="producer",
                              title="Biên bản thử", value_vnd=1_000_000)
    interest = await SourcingInterest.select(SourcingInterest.id).where(
        SourcingInterest.distributor == cast.distributor.id).first()
    return {"slug": event.slug, "event": event.id, "interest": interest["id"], "request": request.id,
            "meeting": meeting.id, "mou": mou_id}


@pytest.mark.parametrize("role", [VISITOR, PRODUCER, DISTRIBUTOR, STAFF, ADMIN])
async def test_role_by_route(client, role):
    ids = await _world()
    if role != VISITOR:
        await login(client, LOGINS[role], PASSWORD)
    else:
        await client.get("/login")  # a CSRF cookie, as a browser would have
    for method, path, allowed in routes(ids):
        before = None if role in allowed else await _snapshot()
        response = await (client.get(path) if method == "GET" else post_form(client, path, {}))
        where = f"{role} {method} {path}"
        if role == VISITOR:
            assert response.status_code == 302, where
            assert response.headers["location"].startswith("/login?next="), where
        elif role not in allowed:
            assert response.status_code == 403, where
            assert "Bạn không thể mở trang này" in text_of(response.text), where
        else:
            assert response.status_code in (200, 302, 400, 404, 409), where
            if response.status_code == 302:
                assert not response.headers["location"].startswith("/login"), where
            else:
                assert "Bạn không thể mở trang này" not in text_of(response.text), where
        if before is not None:
            assert await _snapshot() == before, f"{where} changed data"
