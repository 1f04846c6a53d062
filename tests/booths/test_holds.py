"""First-come fairs: a producer holds a free booth picked on the plan, books it, or lets the hold lapse."""

from __future__ import annotations

import asyncio
import datetime as dt

from events_app.booths.tables import AllocationPolicy, ApplicationNotice, BoothApplication, BoothHold, BoothRental
from events_app.core.clock import now
from tests.booths.conftest import log_in, producer_with_products
from tests.booths.test_concurrency import _live_client, _post
from tests.helpers import post_form, text_of


async def _first_come(event, minutes: int = 15) -> None:
    await AllocationPolicy.insert(AllocationPolicy(event=event["id"], first_come=True, hold_minutes=minutes))


async def test_a_producer_holds_a_booth_and_books_it(client, fair):
    event, booths = fair["event"], fair["booths"]
    await _first_come(event)
    _, products, user = await producer_with_products("HTX Giữ chỗ")
    _, _, rival = await producer_with_products("HTX Đến sau")
    plan_url = f"/events/{event['slug']}/floor-plan"

    await log_in(client, user)
    plan = await client.get(plan_url)
    assert "được giữ cho bạn 15 phút để xác nhận" in text_of(plan.text)
    assert "Giữ A-01" in text_of(plan.text)
    response = await post_form(client, f"/events/{event['slug']}/hold", {"booth_id": str(booths["A-01"])}, page=plan_url)
    assert response.status_code == 302 and response.headers["location"] == f"/events/{event['slug']}/apply"
    [hold] = await BoothHold.select().where(BoothHold.booth == booths["A-01"])
    assert dt.timedelta(minutes=14) < hold["expires_at"] - now() <= dt.timedelta(minutes=15)
    apply_page = text_of((await client.get(f"/events/{event['slug']}/apply")).text)
    assert "Gian hàng A-01 được giữ cho bạn đến" in apply_page

    # Another producer sees A-01 held and cannot take it.
    await log_in(client, rival)
    plan = await client.get(plan_url)
    assert 'data-code="A-01" data-status="held"' in plan.text
    response = await post_form(client, f"/events/{event['slug']}/hold", {"booth_id": str(booths["A-01"])}, page=plan_url)
    assert response.headers["location"] == plan_url
    assert "Một chủ thể khác đang đặt gian hàng A-01 đến" in text_of((await client.get(plan_url)).text)

    # The first books it with a product: applied, approved with A-01 and confirmed at once.
    await log_in(client, user)
    response = await post_form(client, f"/events/{event['slug']}/apply", [("product_ids", str(products[0].id))],
                               page=f"/events/{event['slug']}/apply")
    assert response.status_code == 302
    [application] = await BoothApplication.select(BoothApplication.id, BoothApplication.status)
    assert application["status"] == "confirmed"
    assert [r["booth"] for r in await BoothRental.select(BoothRental.booth).where(BoothRental.status == "active")] == [booths["A-01"]]
    assert await BoothHold.count() == 0
    assert 'data-code="A-01" data-status="taken"' in (await client.get(plan_url)).text
    # One notice, that the booth is confirmed: not also "approved, confirm it on this page".
    assert await ApplicationNotice.select(ApplicationNotice.kind).where(
        ApplicationNotice.application == application["id"]).output(as_list=True) == ["confirmed"]
    mine = text_of((await client.get("/my/applications")).text)
    assert "gian hàng A-01 đã được xác nhận" in mine and "Hãy xác nhận gian hàng trên trang này" not in mine


async def test_an_expired_hold_frees_the_booth_at_once(client, fair):
    event, booths = fair["event"], fair["booths"]
    await _first_come(event)
    _, products, user = await producer_with_products("HTX Chậm chân")
    _, _, rival = await producer_with_products("HTX Nhanh tay")
    plan_url = f"/events/{event['slug']}/floor-plan"
    await log_in(client, user)
    await post_form(client, f"/events/{event['slug']}/hold", {"booth_id": str(booths["A-02"])}, page=plan_url)
    await BoothHold.update({BoothHold.expires_at: now() - dt.timedelta(seconds=1)}).where(BoothHold.booth == booths["A-02"])

    await log_in(client, rival)
    assert 'data-code="A-02" data-status="free"' in (await client.get(plan_url)).text
    response = await post_form(client, f"/events/{event['slug']}/hold", {"booth_id": str(booths["A-02"])}, page=plan_url)
    assert response.headers["location"] == f"/events/{event['slug']}/apply"

    await log_in(client, user)
    response = await post_form(client, f"/events/{event['slug']}/apply", [("product_ids", str(products[0].id))],
                               page=f"/events/{event['slug']}/apply")
    assert response.status_code == 409
    assert "Thời gian giữ chỗ đã hết" in text_of(response.text)
    assert await BoothApplication.count() == 0


async def test_holds_are_refused_where_staff_allocate(client, fair):
    event, booths = fair["event"], fair["booths"]
    _, _, user = await producer_with_products()
    await log_in(client, user)
    plan_url = f"/events/{event['slug']}/floor-plan"
    response = await post_form(client, f"/events/{event['slug']}/hold", {"booth_id": str(booths["A-01"])}, page=plan_url)
    assert response.headers["location"] == plan_url
    assert "Gian hàng của hội chợ này do ban tổ chức phân bổ" in text_of((await client.get(plan_url)).text)
    for bad in ("", "abc", "99999999999", "-1"):
        response = await post_form(client, f"/events/{event['slug']}/hold", {"booth_id": bad}, page=plan_url)
        assert response.status_code == 302, bad
    assert await BoothHold.count() == 0


async def test_producers_racing_for_one_booth_on_a_live_server(live_url, fair):
    """Two worker processes, twelve producers, one booth: one hold, the others told who is booking it."""
    event, booth_id = fair["event"], fair["booths"]["A-03"]
    await _first_come(event)
    users = [(await producer_with_products(f"HTX Đua {n}"))[2] for n in range(12)]
    clients = [await _live_client(live_url, user.email) for user in users]
    try:
        responses = await asyncio.gather(*[
            _post(client, f"/events/{event['slug']}/hold", [("booth_id", str(booth_id))]) for client in clients
        ])
        won = [n for n, r in enumerate(responses) if r.headers.get("location", "").endswith("/apply")]
        assert len(won) == 1, [r.headers.get("location") for r in responses]
        assert all(r.status_code == 302 for r in responses)
        loser = clients[(won[0] + 1) % len(clients)]
        page = await loser.get(f"/events/{event['slug']}/floor-plan")
        assert "Một chủ thể khác" in text_of(page.text)
    finally:
        for client in clients:
            await client.aclose()
    assert await BoothHold.count() == 1


async def test_two_producers_swapping_booths_wait_in_turn(fair, monkeypatch):
    """Each holds the booth the other wants, both holds lapsed, so each take deletes both holds.
    With only the wanted booth locked, two takes that had each locked theirs met crosswise in the
    deletes and PostgreSQL broke the deadlock with an error (a 500 under load). Here the two are
    made to meet right after their locks; the booths are now locked together, in order, so the
    second waits for the first instead."""
    from events_app.booths import holds
    from events_app.core.errors import Conflict

    event, booths = fair["event"], fair["booths"]
    await _first_come(event)
    one, _, one_user = await producer_with_products("HTX Đổi chỗ Một")
    two, _, two_user = await producer_with_products("HTX Đổi chỗ Hai")

    meet_after_each_lock(monkeypatch, holds)
    lapsed = now() - dt.timedelta(minutes=1)
    x, y = booths["A-01"], booths["A-02"]
    await BoothHold.insert(
        BoothHold(event=event["id"], booth=y, producer=one.id, expires_at=lapsed),
        BoothHold(event=event["id"], booth=x, producer=two.id, expires_at=lapsed),
    )
    results = await asyncio.gather(
        holds.take(event, x, one.id, user_id=one_user.id), holds.take(event, y, two.id, user_id=two_user.id),
        return_exceptions=True,
    )
    assert not [r for r in results if isinstance(r, BaseException) and not isinstance(r, Conflict)], results
    assert {(h["booth"], h["producer"]) for h in await BoothHold.select(BoothHold.booth, BoothHold.producer)} == {
        (x, one.id), (y, two.id)}


def meet_after_each_lock(monkeypatch, *modules) -> None:
    """Two transactions made to meet after each row lock they take: once its rows are locked, each
    waits for the other to have locked its own (or, when that one waits on this, a fifth of a second)."""
    from events_app.core import db

    meeting = asyncio.Barrier(2)

    class LockedThenMeet:
        def __init__(self, query):
            self.query = query

        def first(self):
            return LockedThenMeet(self.query.first())

        def __await__(self):
            return self._run().__await__()

        async def _run(self):
            rows = await self.query
            try:
                await asyncio.wait_for(meeting.wait(), 0.2)
            except (TimeoutError, asyncio.BrokenBarrierError):
                pass
            return rows

    for module in modules:
        monkeypatch.setattr(module, "for_update", lambda query: LockedThenMeet(db.for_update(query)))


async def test_a_hold_and_a_booking_of_one_producer_at_once_wait_in_turn(fair, monkeypatch):
    """A producer books the booth it holds while, in another tab, it picks another booth. The
    booking locked the producer's row and then deleted the hold the other had locked, whose new
    hold waited on the producer's row for its foreign key: a deadlock, broken with an error. Both
    now take the producer's row first."""
    from events_app.booths import decisions, holds, rules
    from events_app.core.errors import Conflict

    event, booths = fair["event"], fair["booths"]
    await _first_come(event)
    producer, products, user = await producer_with_products("HTX Hai thẻ")
    await holds.take(event, booths["A-01"], producer.id, user_id=user.id)
    meet_after_each_lock(monkeypatch, holds, decisions)
    results = await asyncio.gather(
        holds.book(event, producer.id, rules.ApplicationForm(product_ids=[products[0].id]), user_id=user.id),
        holds.take(event, booths["A-02"], producer.id, user_id=user.id),
        return_exceptions=True,
    )
    assert not [r for r in results if isinstance(r, BaseException) and not isinstance(r, Conflict)], results
    rentals = await BoothRental.select(BoothRental.booth).where(BoothRental.status == "active").output(as_list=True)
    # Booked first, and the other tab is told so; or the hold moved first, and the booking takes the booth held then.
    assert rentals in ([booths["A-01"]], [booths["A-02"]])
    assert await BoothHold.count() == 0
