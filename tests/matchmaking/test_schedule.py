"""Meeting requests that expire, are declined with a reason or withdrawn; staff's working schedule
(availability, limits, fixed tables, preview, pin and move, publish) and what participants see."""

from __future__ import annotations

import asyncio
import datetime as dt

import httpx

from events_app.core.errors import Conflict
from events_app.core.i18n import language
from events_app.events.services import get_event_by_id
from events_app.matchmaking import planning, scheduler
from events_app.matchmaking.scheduler import slot_key
from events_app.matchmaking.tables import Meeting, MeetingRequest, MeetingTerms, PlannedMeeting
from tests.factories import PASSWORD, make_user
from tests.helpers import CSRF_COOKIE, form_token, login, post_form, text_of
from tests.matchmaking.builders import make_cast, now

TWENTY = dt.timedelta(minutes=20)


async def _as(client, email):
    client.cookies.clear()
    await login(client, email, PASSWORD)


async def accepted(event_id, producer, distributor, **extra) -> int:
    request = MeetingRequest(**{"event": event_id, "producer": producer.id, "distributor": distributor.id,
                                "requested_by": "distributor", "status": "accepted", **extra})
    await request.save()
    return request.id


async def test_a_request_expires_on_read_and_cannot_be_accepted_but_can_be_asked_again(client):
    cast = await make_cast()
    slug = cast.conference.slug
    await _as(client, "pp1@test.example")
    response = await post_form(client, f"/events/{slug}/meeting-requests",
                               {"party": str(cast.producer.id), "message": "Xin gặp", "expires_in": "2"})
    assert response.status_code == 302
    row = await MeetingRequest.objects().first()
    assert dt.timedelta(days=2) - dt.timedelta(minutes=1) < row.expires_at - now() <= dt.timedelta(days=2, seconds=1)
    await _as(client, "sx1@test.example")
    assert "Siêu thị Co.op Test" in text_of((await client.get("/my/meetings")).text)

    await MeetingRequest.update({MeetingRequest.expires_at: now() - dt.timedelta(minutes=1)}).where(
        MeetingRequest.id == row.id)
    page = text_of((await client.get("/my/meetings")).text)
    assert "Đề nghị đã hết hạn" in page and "Chấp nhận" not in page
    response = await post_form(client, f"/my/meetings/{row.id}/accept", {})
    assert response.status_code == 409 and "đã hết hạn lúc" in text_of(response.text)
    assert (await MeetingRequest.objects().first()).status == "requested"  # nothing wrote it; it reads as expired

    await _as(client, "pp1@test.example")
    assert "Đề nghị đã hết hạn" in text_of((await client.get("/my/meetings")).text)
    await post_form(client, f"/events/{slug}/meeting-requests", {"party": str(cast.producer.id), "expires_in": "99"})
    assert (await MeetingRequest.objects().first()).expires_at < now()  # an expiry not offered is refused
    await post_form(client, f"/events/{slug}/meeting-requests", {"party": str(cast.producer.id)})
    again = await MeetingRequest.objects().first()
    assert again.id == row.id and again.expires_at > now() and await MeetingRequest.count() == 1


async def test_the_asked_party_accepts_or_declines_the_asking_one_withdraws_and_both_cancel_a_meeting(client):
    cast = await make_cast()
    event_id = cast.conference.event.id
    first = await accepted(event_id, cast.producer, cast.distributor)  # the distributor asked
    second = await accepted(event_id, cast.producer, cast.distributor2, requested_by="producer")
    start = cast.conference.b2b.starts_at
    for request_id, d, at in ((first, cast.distributor, start), (second, cast.distributor2, start + TWENTY)):
        await Meeting.insert(Meeting(request=request_id, event=event_id, session=cast.conference.b2b.id,
                                     producer=cast.producer.id, distributor=d.id, starts_at=at, ends_at=at + TWENTY,
                                     table_number=1))
    await _as(client, "sx1@test.example")
    html = (await client.get("/my/meetings")).text
    assert text_of(html).count("Hủy cuộc gặp") == 2  # one asked by the producer, one asked of it: both cancellable
    response = await post_form(client, f"/my/meetings/{first}/cancel", {})
    assert response.status_code == 302
    row = await MeetingRequest.objects().where(MeetingRequest.id == first).first()
    assert (row.status, row.cancelled_by) == ("cancelled", "producer")
    assert await Meeting.count().where(Meeting.request == first) == 0
    await _as(client, "pp1@test.example")
    assert "do họ hủy" in text_of((await client.get("/my/meetings")).text)


async def _staff_page(client, event_id) -> str:
    return text_of((await client.get(f"/staff/events/{event_id}/schedule")).text)


async def test_staff_set_terms_preview_pin_and_publish_and_participants_see_only_what_is_published(client):
    cast = await make_cast(tables=3, b2b_minutes=60)
    event_id, b2b = cast.conference.event.id, cast.conference.b2b
    a = await accepted(event_id, cast.producer, cast.distributor)
    b = await accepted(event_id, cast.producer, cast.distributor2, mutual=True)
    c = await accepted(event_id, cast.producer2, cast.distributor)
    await _as(client, "staff@test.example")
    base = f"/staff/events/{event_id}/schedule"

    # The first producer: at its own table 3, from the second slot, two meetings at most.
    local = (b2b.starts_at + TWENTY + dt.timedelta(hours=7)).strftime("%Y-%m-%dT%H:%M")
    response = await post_form(client, f"{base}/terms", {"side": "producer", "party": str(cast.producer.id),
                                                         "available_from": local, "max_meetings": "1",
                                                         "fixed_table": "3"})
    assert response.status_code == 302
    terms = await MeetingTerms.objects().first()
    assert (terms.producer, terms.max_meetings, terms.fixed_table, terms.available_from) == (
        cast.producer.id, 1, 3, b2b.starts_at + TWENTY)
    bad = await post_form(client, f"{base}/terms", {"side": "distributor", "party": str(cast.distributor.id),
                                                    "max_meetings": "nhiều", "fixed_table": "2"})
    assert bad.status_code == 400 and "Nhập một số nguyên." in text_of(bad.text)
    refused = await post_form(client, f"{base}/terms", {"side": "distributor", "party": str(cast.distributor.id),
                                                        "fixed_table": "2"})
    assert refused.status_code == 400 and "Chỉ chủ thể sản xuất mới có bàn riêng" in text_of(refused.text)

    response = await post_form(client, f"{base}/preview", {})
    assert response.status_code == 302
    planned = {r["request"]: r for r in await PlannedMeeting.select()}
    assert set(planned) == {b, c}  # the mutual one first; the producer's limit is one meeting
    assert planned[b]["table_number"] == 3 and planned[b]["starts_at"] >= b2b.starts_at + TWENTY
    assert planned[c]["table_number"] != 3
    page = await _staff_page(client, event_id)
    assert "HTX Trà Con Cuông đã đủ giới hạn 1 cuộc gặp." in page
    assert "Lịch nháp khác lịch người tham dự đang thấy: 2 mới, 0 dời chỗ, 0 rút khỏi lịch." in page
    assert await Meeting.count() == 0
    await _as(client, "sx2@test.example")
    mine = text_of((await client.get("/my/meetings")).text)
    assert "Đã nhận lời, chờ xếp giờ và bàn" in mine and "Bàn " not in mine  # not published yet

    await _as(client, "staff@test.example")
    # A move by hand onto the producer's own table is refused; onto table 2 in the last slot it is pinned.
    last = b2b.starts_at + 2 * TWENTY
    refused = await post_form(client, f"{base}/pin", {"request_id": str(c), "slot": slot_key(b2b.id, last), "table": "3"})
    assert refused.status_code == 409 and "Bàn 3 là bàn riêng của một chủ thể." in text_of(refused.text)
    hand = await post_form(client, f"{base}/pin", {"request_id": str(c), "slot": "7@2026-13-01", "table": "2"})
    assert hand.status_code == 400
    await post_form(client, f"{base}/pin", {"request_id": str(c), "slot": slot_key(b2b.id, last), "table": "2"})
    row = await PlannedMeeting.objects().where(PlannedMeeting.request == c).first()
    assert (row.starts_at, row.table_number, row.pinned) == (last, 2, True)

    response = await post_form(client, f"{base}/publish", {})
    assert response.status_code == 302
    published = {r["request"]: r for r in await Meeting.select()}
    assert set(published) == {b, c} and published[c]["table_number"] == 2
    assert "Lịch nháp trùng với lịch đã công bố." in await _staff_page(client, event_id)
    await _as(client, "sx2@test.example")
    mine = text_of((await client.get("/my/meetings")).text)
    assert "Bàn 2" in mine and "Siêu thị Co.op Test" in mine

    # Run again with nothing changed: nothing moves. Then a move keeps the meeting's row (its calendar entry).
    await _as(client, "staff@test.example")
    await post_form(client, f"{base}/preview", {})
    assert "Lịch nháp trùng với lịch đã công bố." in await _staff_page(client, event_id)
    await post_form(client, f"{base}/pin", {"request_id": str(c), "slot": slot_key(b2b.id, b2b.starts_at), "table": "1"})
    await post_form(client, f"{base}/publish", {})
    moved = await Meeting.objects().where(Meeting.request == c).first()
    assert (moved.id, moved.starts_at, moved.table_number) == (published[c]["id"], b2b.starts_at, 1)
    assert a not in {r["request"] for r in await Meeting.select()}


async def test_two_publishes_at_once_leave_one_schedule(clean_db):
    cast = await make_cast(tables=3)
    event_id = cast.conference.event.id
    for p, d in ((cast.producer, cast.distributor), (cast.producer2, cast.distributor2), (cast.producer, cast.distributor2)):
        await accepted(event_id, p, d)
    event = await get_event_by_id(event_id)
    await planning.preview(event)
    results = await asyncio.gather(planning.publish(event), planning.publish(event), return_exceptions=True)
    assert all(not isinstance(r, Exception) or isinstance(r, Conflict) for r in results), results
    assert sorted(r["new"] for r in results if isinstance(r, dict))[-1] == 3
    assert await Meeting.count() == 3 and await PlannedMeeting.count() == 3


def _plan_with(monkeypatch, while_planning) -> list[list[int]]:
    """scheduler.plan as it is, but running `while_planning(try number)` on the event loop first, as
    staff and parties would meanwhile, while the plan's thread waits for it; the requests each plan
    was given come back."""
    loop, real_plan, given = asyncio.get_running_loop(), scheduler.plan, []

    def plan(problem, **options):
        given.append(sorted(r.request_id for r in problem.requests))
        # the time a schedule's lock would be waited for, were it held while planning
        asyncio.run_coroutine_threadsafe(while_planning(len(given)), loop).result(timeout=30)
        return real_plan(problem, **options)

    monkeypatch.setattr(scheduler, "plan", plan)
    return given


async def test_a_preview_plans_outside_the_schedules_lock_and_again_when_the_event_changed_meanwhile(
        clean_db, monkeypatch):
    cast = await make_cast(tables=2)
    event_id = cast.conference.event.id
    first = await accepted(event_id, cast.producer, cast.distributor)
    event = await get_event_by_id(event_id)
    late: list[int] = []

    async def meanwhile(attempt: int) -> None:
        if attempt == 1:  # staff set a producer's terms (taking the schedule's lock), a request is accepted
            await planning.save_terms(event, "producer", cast.producer2.id, available_from=None, available_until=None,
                                      max_meetings=3, fixed_table=None)
            late.append(await accepted(event_id, cast.producer2, cast.distributor2))

    given = _plan_with(monkeypatch, meanwhile)
    result = await planning.preview(event)
    assert given == [[first], sorted([first, *late])]  # the first plan, made before the change, was not saved
    assert sorted(r["request"] for r in await PlannedMeeting.select()) == sorted([first, *late])
    assert sorted(b.request_id for b in result.placed) == sorted([first, *late])
    terms = await MeetingTerms.select().where(MeetingTerms.producer == cast.producer2.id)
    assert [t["max_meetings"] for t in terms] == [3]


async def test_a_preview_whose_event_keeps_changing_says_so_and_leaves_the_draft_as_it_was(clean_db, monkeypatch):
    cast = await make_cast(tables=2)
    event_id = cast.conference.event.id
    first = await accepted(event_id, cast.producer, cast.distributor)
    event = await get_event_by_id(event_id)
    await planning.preview(event)
    draft = await PlannedMeeting.select(PlannedMeeting.request, PlannedMeeting.starts_at, PlannedMeeting.table_number)
    pairs = [(cast.producer, cast.distributor2), (cast.producer2, cast.distributor), (cast.producer2, cast.distributor2)]

    async def meanwhile(attempt: int) -> None:  # each plan, one more request is accepted
        await accepted(event_id, *pairs[attempt - 1])

    given = _plan_with(monkeypatch, meanwhile)
    try:
        await planning.preview(event)
    except Conflict as refused:
        assert refused.message == planning.CHANGED_WHILE_PLANNING
        with language("vi"):
            assert str(refused).startswith("Đề nghị gặp, điều kiện của người tham dự hoặc lịch liên tục thay đổi")
    else:
        raise AssertionError("a preview of an event that kept changing was saved")
    assert len(given) == planning.PREVIEW_TRIES == 3 and given[0] == [first]
    assert await PlannedMeeting.select(PlannedMeeting.request, PlannedMeeting.starts_at,
                                       PlannedMeeting.table_number) == draft


async def _live_client(base: str, email: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base, follow_redirects=False, timeout=60)
    page = await client.get("/login")
    response = await client.post("/login", data={"_csrf_token": form_token(page.text), "email": email,
                                                 "password": PASSWORD})
    assert response.status_code == 302
    return client


async def test_two_staff_publishing_and_two_parties_answering_at_once_on_a_live_server(live_url):
    cast = await make_cast(tables=2)
    event_id = cast.conference.event.id
    for p, d in ((cast.producer, cast.distributor), (cast.producer2, cast.distributor2)):
        await accepted(event_id, p, d)
    pending = MeetingRequest(event=event_id, producer=cast.producer2.id, distributor=cast.distributor.id,
                             requested_by="producer", status="requested", expires_at=now() + dt.timedelta(days=1))
    await pending.save()
    await planning.preview(await get_event_by_id(event_id))
    staff = [await make_user("staff") for _ in range(2)]
    clients = [await _live_client(live_url, u.email) for u in staff]
    parties = [await _live_client(live_url, "pp1@test.example"), await _live_client(live_url, "pp1@test.example")]
    try:
        published = await asyncio.gather(*[
            c.post(f"/staff/events/{event_id}/schedule/publish", data={"_csrf_token": c.cookies.get(CSRF_COOKIE)})
            for c in clients])
        assert all(r.status_code in (302, 409) for r in published), [text_of(r.text)[:200] for r in published]
        # The asked distributor accepts in one window and declines in another at the same moment: one answer holds.
        answers = await asyncio.gather(
            parties[0].post(f"/my/meetings/{pending.id}/accept", data={"_csrf_token": parties[0].cookies.get(CSRF_COOKIE)}),
            parties[1].post(f"/my/meetings/{pending.id}/decline", data={
                "_csrf_token": parties[1].cookies.get(CSRF_COOKIE), "reason": "Trùng lịch"}),
        )
        assert sorted(r.status_code for r in answers) == [302, 409], [text_of(r.text)[:200] for r in answers]
        refused = next(r for r in answers if r.status_code == 409)
        assert "Đề nghị này đã được trả lời hoặc đã bị hủy." in text_of(refused.text)
    finally:
        for c in clients + parties:
            await c.aclose()
    assert sorted(r["request"] for r in await Meeting.select()) == sorted(
        r["request"] for r in await PlannedMeeting.select())
    assert await Meeting.count() == 2
    assert (await MeetingRequest.objects().where(MeetingRequest.id == pending.id).first()).status in ("accepted", "declined")


async def test_bad_input_on_the_schedule_forms_is_told_at_the_form_never_a_server_error(client):
    cast = await make_cast()
    event_id, b2b = cast.conference.event.id, cast.conference.b2b
    request_id = await accepted(event_id, cast.producer, cast.distributor)
    await _as(client, "staff@test.example")
    base = f"/staff/events/{event_id}/schedule"
    slot = slot_key(b2b.id, b2b.starts_at)
    for data in ({"request_id": str(request_id), "slot": slot, "table": "99999999999"},
                 {"request_id": "abc", "slot": slot, "table": "1"},
                 {"request_id": str(request_id), "slot": "", "table": "1"},
                 {"request_id": str(request_id), "slot": slot_key(b2b.id, b2b.starts_at + dt.timedelta(minutes=7)),
                  "table": "1"}):
        response = await post_form(client, f"{base}/pin", data)
        assert response.status_code == 400, (data, text_of(response.text)[:300])
    assert "Chọn bàn từ 1 đến 3." in text_of((await post_form(
        client, f"{base}/pin", {"request_id": str(request_id), "slot": slot, "table": "4"})).text)
    late, early = "2026-12-20T15:00", "2026-12-20T09:00"
    response = await post_form(client, f"{base}/terms", {"side": "producer", "party": str(cast.producer.id),
                                                         "available_from": late, "available_until": early})
    assert response.status_code == 400 and "Giờ đến phải trước giờ về." in text_of(response.text)
    response = await post_form(client, f"{base}/terms", {"side": "producer", "party": str(cast.producer.id),
                                                         "max_meetings": "201", "available_from": "31/02/2026 10:00"})
    assert response.status_code == 400 and "Nhập số không lớn hơn 200." in text_of(response.text)
    assert await MeetingTerms.count() == 0 and await PlannedMeeting.count() == 0
    await post_form(client, f"{base}/terms", {"side": "producer", "party": str(cast.producer.id), "fixed_table": "2"})
    taken = await post_form(client, f"{base}/terms", {"side": "producer", "party": str(cast.producer2.id),
                                                      "fixed_table": "2"})
    assert taken.status_code == 409 and "Bàn 2 đã là bàn riêng của chủ thể khác." in text_of(taken.text)


async def test_placing_by_hand_or_all_at_once_keeps_to_availability_limits_and_own_tables(client):
    cast = await make_cast(tables=3)
    event_id, b2b = cast.conference.event.id, cast.conference.b2b
    first = await accepted(event_id, cast.producer, cast.distributor)
    second = await accepted(event_id, cast.producer, cast.distributor2)
    third = await accepted(event_id, cast.producer2, cast.distributor)
    await MeetingTerms.insert(
        MeetingTerms(event=event_id, producer=cast.producer.id, max_meetings=1, fixed_table=2),
        MeetingTerms(event=event_id, distributor=cast.distributor.id, available_from=b2b.starts_at + TWENTY),
    )
    await _as(client, "staff@test.example")
    base = f"/staff/events/{event_id}/meetings"
    early = await post_form(client, f"{base}/place", {"request_id": str(first), "slot": slot_key(b2b.id, b2b.starts_at),
                                                     "table": ""})
    assert early.status_code == 409 and "Bên này không có mặt lúc 09:45." in text_of(early.text)
    elsewhere = await post_form(client, f"{base}/place", {"request_id": str(first), "table": "1",
                                                         "slot": slot_key(b2b.id, b2b.starts_at + TWENTY)})
    assert elsewhere.status_code == 409 and "bàn riêng số 2" in text_of(elsewhere.text)
    placed = await post_form(client, f"{base}/place", {"request_id": str(first), "table": "",
                                                      "slot": slot_key(b2b.id, b2b.starts_at + TWENTY)})
    assert placed.status_code == 302
    row = await Meeting.objects().where(Meeting.request == first).first()
    assert row.table_number == 2 and await PlannedMeeting.count() == 1  # published, and pinned in the draft

    response = await post_form(client, f"{base}/place-all", {})
    assert response.status_code == 409  # the producer is at its limit: its second meeting is left out, and said
    assert "HTX Trà Con Cuông đã đủ giới hạn 1 cuộc gặp." in text_of(response.text)
    meetings = {r["request"]: r for r in await Meeting.select()}
    assert set(meetings) == {first, third} and second not in meetings and meetings[third]["table_number"] != 2
    assert meetings[third]["starts_at"] >= b2b.starts_at + TWENTY
