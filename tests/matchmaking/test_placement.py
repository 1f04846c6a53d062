"""Staff place accepted meetings into B2B slots and tables: by hand, all at once, and under concurrency."""

import asyncio
import datetime as dt

import httpx

from events_app.events.services import get_event_by_id
from events_app.core.errors import Conflict
from events_app.matchmaking import placement
from events_app.matchmaking.scheduler import slot_key
from events_app.matchmaking.tables import Meeting, MeetingRequest
from events_app.mou.tables import Mou
from tests.factories import PASSWORD, make_producer, make_product
from tests.helpers import login, post_form, text_of
from tests.matchmaking.builders import attend, make_cast, make_conference
from tests.mou.builders import insert_mou

MINUTES = dt.timedelta(minutes=20)


async def accepted(event_id, producer, distributor) -> int:
    request = MeetingRequest(event=event_id, producer=producer.id, distributor=distributor.id,
                             requested_by="distributor", status="accepted")
    await request.save()
    return request.id


async def _staff(client):
    await login(client, "staff@test.example", PASSWORD)


async def _place(client, cast, request_id, starts_at, table=""):
    event_id = cast.conference.event.id
    return await post_form(client, f"/staff/events/{event_id}/meetings/place", {
        "request_id": str(request_id), "slot": slot_key(cast.conference.b2b.id, starts_at), "table": str(table),
    })


async def _page_after(client, response):
    assert response.status_code in (302, 303), response.text[:300]
    return text_of((await client.get(response.headers["location"])).text)


def _refused(response, status: int) -> str:
    """The placement page shown again, telling why the form was refused."""
    assert response.status_code == status, response.text[:300]
    return text_of(response.text)


async def test_staff_place_a_meeting_and_both_parties_see_it(client):
    cast = await make_cast()
    request_id = await accepted(cast.conference.event.id, cast.producer, cast.distributor)
    await _staff(client)
    page = text_of((await client.get(f"/staff/events/{cast.conference.event.id}/meetings")).text)
    assert "Đã nhận lời, chờ xếp lịch" in page and "HTX Trà Con Cuông" in page and "còn 3 bàn trống" in page

    start = cast.conference.b2b.starts_at
    page = await _page_after(client, await _place(client, cast, request_id, start + MINUTES, 2))
    assert "Đã xếp lịch cuộc gặp." in page and "10:05–10:25" in page
    meeting = await Meeting.objects().first()
    assert (meeting.request, meeting.table_number, meeting.starts_at, meeting.ends_at) == (
        request_id, 2, start + MINUTES, start + 2 * MINUTES)
    assert (meeting.producer, meeting.distributor, meeting.session) == (
        cast.producer.id, cast.distributor.id, cast.conference.b2b.id)

    for email in ("sx1@test.example", "pp1@test.example"):
        client.cookies.clear()
        await login(client, email, PASSWORD)
        mine = text_of((await client.get("/my/meetings")).text)
        assert "10:05–10:25" in mine and "Bàn 2" in mine and "Kết nối giao thương B2B" in mine

    client.cookies.clear()
    await _staff(client)
    response = await post_form(client, f"/staff/events/{cast.conference.event.id}/meetings/{meeting.id}/unplace", {})
    assert "Đã gỡ cuộc gặp khỏi khung giờ." in await _page_after(client, response)
    assert await Meeting.count() == 0


async def test_a_busy_producer_distributor_or_table_is_refused(client):
    cast = await make_cast()
    event_id = cast.conference.event.id
    first = await accepted(event_id, cast.producer, cast.distributor)
    same_producer = await accepted(event_id, cast.producer, cast.distributor2)
    same_distributor = await accepted(event_id, cast.producer2, cast.distributor)
    other_pair = await accepted(event_id, cast.producer2, cast.distributor2)
    start = cast.conference.b2b.starts_at
    await _staff(client)
    await _place(client, cast, first, start, 1)

    page = _refused(await _place(client, cast, same_producer, start, 2), 409)
    assert "HTX Trà Con Cuông đã có cuộc gặp lúc 09:45." in page
    page = _refused(await _place(client, cast, same_distributor, start, 2), 409)
    assert "Siêu thị Co.op Test đã có cuộc gặp lúc 09:45." in page
    response = await _place(client, cast, other_pair, start, 1)
    assert "Bàn 1 đã có người lúc 09:45." in _refused(response, 409)
    # Shown at that request's form, which keeps the slot and the table chosen.
    form = response.text[response.text.index(f'name="request_id" value="{other_pair}"'):]
    form = form[:form.index("</form>")]
    assert '<p class="error" role="alert">Bàn 1 đã có người lúc 09:45.</p>' in form
    assert f'value="{slot_key(cast.conference.b2b.id, start)}" selected' in form and 'value="1" selected' in form
    assert await Meeting.count() == 1

    # The first free table is taken when none is chosen.
    await _place(client, cast, other_pair, start)
    assert (await Meeting.objects().where(Meeting.request == other_pair).first()).table_number == 2


async def test_slots_tables_and_requests_that_make_no_sense_are_refused(client):
    cast = await make_cast()
    event_id = cast.conference.event.id
    request_id = await accepted(event_id, cast.producer, cast.distributor)
    start = cast.conference.b2b.starts_at
    await _staff(client)
    page = _refused(await _place(client, cast, request_id, start + dt.timedelta(minutes=7)), 400)
    assert "09:52 không phải giờ bắt đầu một khung gặp của phiên Kết nối giao thương B2B." in page
    page = _refused(await _place(client, cast, request_id, start + 3 * MINUTES), 400)  # the session's end
    assert "10:45 không phải giờ bắt đầu" in page
    page = _refused(await _place(client, cast, request_id, start, 4), 400)
    assert "Chọn bàn từ 1 đến 3." in page
    response = await post_form(client, f"/staff/events/{event_id}/meetings/place",
                               {"request_id": str(request_id), "slot": "", "table": "x"})
    page = _refused(response, 400)
    assert "Chọn một khung giờ." in page and "Nhập một số nguyên." in page

    requested = MeetingRequest(event=event_id, producer=cast.producer2.id, distributor=cast.distributor2.id,
                               requested_by="producer")
    await requested.save()
    page = _refused(await _place(client, cast, requested.id, start), 409)  # not a request to place: told at the top
    assert "Chỉ xếp lịch được các đề nghị đã được nhận lời." in page
    assert await Meeting.count() == 0

    await _place(client, cast, request_id, start)
    page = _refused(await _place(client, cast, request_id, start + MINUTES), 409)
    assert "Cuộc gặp này đã được xếp lịch; hãy gỡ ra trước." in page
    assert await Meeting.count() == 1

    # Another event's request, session or meeting is not found here.
    other = await make_conference("hoi-nghi-khac")
    response = await post_form(client, f"/staff/events/{other.event.id}/meetings/place", {
        "request_id": str(request_id), "slot": slot_key(other.b2b.id, other.b2b.starts_at)})
    assert "Không tìm thấy đề nghị gặp gỡ này." in _refused(response, 404)
    meeting = await Meeting.objects().first()
    assert (await post_form(client, f"/staff/events/{other.event.id}/meetings/{meeting.id}/unplace", {})).status_code == 404
    assert (await client.get("/staff/events/999999/meetings")).status_code == 404


async def test_place_all_fills_slots_without_double_booking_and_reports_the_rest(client):
    cast = await make_cast(tables=2, b2b_minutes=40)  # two slots of two tables
    event_id = cast.conference.event.id
    extra = []
    for n in range(3):
        producer = await make_producer(f"HTX Bổ sung {n}", province="Nghệ An")
        await make_product(producer, group="beverages", stars=4)
        await attend(event_id, producer=producer)
        extra.append(producer)
    # The Co.op distributor is wanted by four producers: only two slots exist.
    for producer in (cast.producer, cast.producer2, *extra):
        await accepted(event_id, producer, cast.distributor)
    await accepted(event_id, cast.producer, cast.distributor2)
    await _staff(client)
    response = await post_form(client, f"/staff/events/{event_id}/meetings/place-all", {})
    page = _refused(response, 409)  # not all could be placed: the page says which, next to the button
    assert "Đã xếp lịch 3 cuộc gặp." in page
    assert page.count("Trong mọi khung giờ cả hai cùng có mặt,") == 3  # the distributor is busy: the reason told
    assert page.count("Siêu thị Co.op Test đã có cuộc gặp khác.") == 3
    meetings = await Meeting.select()
    assert len(meetings) == 3
    for key in ("producer", "distributor"):
        slots = [(m[key], m["starts_at"]) for m in meetings]
        assert len(slots) == len(set(slots))
    tables = [(m["starts_at"], m["table_number"]) for m in meetings]
    assert len(tables) == len(set(tables))
    # Running it again places nothing more and keeps what is placed.
    await post_form(client, f"/staff/events/{event_id}/meetings/place-all", {})
    assert await Meeting.count() == 3


async def test_meetings_are_for_conferences_only(client):
    fair = await make_conference("hoi-cho", kind="fair")
    await make_cast()
    await _staff(client)
    response = await client.get(f"/staff/events/{fair.event.id}/meetings")
    assert response.status_code == 400
    assert "Chỉ hội nghị kết nối cung cầu mới có kết nối giao thương" in text_of(response.text)


async def test_two_placements_into_one_table_and_slot_at_once_one_wins(clean_db):
    cast = await make_cast()
    event = await get_event_by_id(cast.conference.event.id)
    a = await accepted(event["id"], cast.producer, cast.distributor)
    b = await accepted(event["id"], cast.producer2, cast.distributor2)
    start = cast.conference.b2b.starts_at
    results = await asyncio.gather(
        placement.place(event, a, cast.conference.b2b.id, start, 1),
        placement.place(event, b, cast.conference.b2b.id, start, 1),
        return_exceptions=True,
    )
    assert sum(isinstance(r, int) for r in results) == 1
    assert sum(isinstance(r, Conflict) for r in results) == 1, results
    assert await Meeting.count() == 1


async def test_two_placements_against_the_real_server_one_wins(live_url):
    cast = await make_cast()
    event_id = cast.conference.event.id
    a = await accepted(event_id, cast.producer, cast.distributor)
    b = await accepted(event_id, cast.producer2, cast.distributor2)
    slot = slot_key(cast.conference.b2b.id, cast.conference.b2b.starts_at)

    async def staff_client() -> httpx.AsyncClient:
        client = httpx.AsyncClient(base_url=live_url, follow_redirects=False, timeout=30)
        await client.get("/login")
        response = await client.post("/login", data={
            "_csrf_token": client.cookies["ocop_csrf"], "email": "staff@test.example", "password": PASSWORD})
        assert response.status_code == 302
        return client

    clients = [await staff_client(), await staff_client()]
    try:
        responses = await asyncio.gather(*[
            c.post(f"/staff/events/{event_id}/meetings/place",
                   data={"_csrf_token": c.cookies["ocop_csrf"], "request_id": str(r), "slot": slot, "table": "1"})
            for c, r in zip(clients, (a, b))
        ])
        assert sorted(r.status_code for r in responses) == [302, 409]
        pages = [text_of((await c.get(f"/staff/events/{event_id}/meetings")).text if r.status_code == 302 else r.text)
                 for c, r in zip(clients, responses)]
    finally:
        for c in clients:
            await c.aclose()
    assert await Meeting.count() == 1
    assert sum("Đã xếp lịch cuộc gặp." in page for page in pages) == 1
    refused = [page for page in pages if "Đã xếp lịch cuộc gặp." not in page][0]
    assert "Bàn 1 đã có người lúc 09:45." in refused or "Vừa có người xếp một cuộc gặp khác" in refused


HAND_MADE_SLOTS = (
    "rubbish",
    "1@0001-01-01T00:00:00+14:00",  # moved to UTC, this falls before the first day of the calendar
    "1@9999-12-31T23:59:59-14:00",  # and this after the last
    "1@1900-01-01T00:00:00+00:00",
    "4294967297@2026-11-29T02:45:00+00:00",  # beyond a 32-bit id
    "0@2026-11-29T02:45:00+00:00",
    "1@2026-11-29T02:45:00",  # without its offset
    "١@2026-11-29T02:45:00+00:00",  # digits of another script
)
NOT_A_SLOT = "Khung giờ này không thuộc sự kiện; vui lòng tải lại trang và chọn một khung giờ trong danh sách."


async def test_hand_made_slot_keys_are_refused_in_the_readers_language(client):
    """Placing a meeting and giving an MoU its signing slot read the same slot keys."""
    cast = await make_cast()
    event_id = cast.conference.event.id
    request_id = await accepted(event_id, cast.producer, cast.distributor)
    mou = [{"id": await insert_mou(cast.producer.id, cast.distributor.id, event=event_id,
                                   proposed_by="distributor", title="MoU", status="agreed")}]
    await _staff(client)
    forms = [
        (f"/staff/events/{event_id}/meetings/place", {"request_id": str(request_id), "table": "1"}),
        (f"/staff/events/{event_id}/mous/{mou[0]['id']}/slot", {}),
    ]
    for path, data in forms:
        for slot in HAND_MADE_SLOTS:
            response = await post_form(client, path, {**data, "slot": slot})
            assert response.status_code == 400, (path, slot, response.status_code)
            page = text_of(response.text)
            assert "Không hiểu được yêu cầu" in page and NOT_A_SLOT in page, (slot, page[:300])
    await post_form(client, "/language", {"language": "en", "next": "/"})
    for path, data in forms:
        response = await post_form(client, path, {**data, "slot": HAND_MADE_SLOTS[1]})
        assert response.status_code == 400
        assert "This time slot is not one of the event's; reload the page and choose one from the list." in text_of(
            response.text)
    assert await Meeting.count() == 0
    assert (await Mou.select(Mou.signing_at).first()) == {"signing_at": None}
