"""A booth is never held by two applications, whatever the concurrency.

Against a real server with two worker processes on the test database, and in-process with
asyncio.gather: exactly one request wins, every other one is told who holds the booth, none
fails with a server error, and the database holds exactly one live rental.
"""

from __future__ import annotations

import asyncio
import re

import httpx

from events_app.booths import decisions, rules
from events_app.booths.periods import months_from
from events_app.booths.tables import BoothApplication, BoothRental
from events_app.directory.tables import Producer
from events_app.core.errors import Conflict
from tests.booths.conftest import next_month, producer_with_products
from tests.factories import PASSWORD, make_user
from tests.helpers import CSRF_COOKIE, form_token, text_of

ATTEMPTS = 8


async def _live_client(base: str, email: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base, follow_redirects=False, timeout=60)
    page = await client.get("/login")
    response = await client.post(
        "/login", data={"_csrf_token": form_token(page.text), "email": email, "password": PASSWORD}
    )
    assert response.status_code == 302, text_of(response.text)[:300]
    return client


async def _post(client: httpx.AsyncClient, path: str, data: list[tuple[str, str]]) -> httpx.Response:
    form: dict[str, list[str]] = {"_csrf_token": [client.cookies.get(CSRF_COOKIE)]}
    for key, value in data:
        form.setdefault(key, []).append(value)
    return await client.post(path, data=form)


async def _live_rentals(booth_id: int) -> list[dict]:
    return await BoothRental.select().where((BoothRental.booth == booth_id) & (BoothRental.status != "cancelled"))


async def test_concurrent_approvals_of_one_booth_on_a_live_server(live_url, fair):
    event, booth_id = fair["event"], fair["booths"]["A-01"]
    applications = []
    for n in range(ATTEMPTS):
        producer, products, _ = await producer_with_products(f"HTX Cạnh tranh {n + 1}")
        applications.append(await decisions.apply(
            event, producer.id, rules.ApplicationForm(product_ids=[p.id for p in products],
                                                           preference_ids=[booth_id])))
    staff = [await make_user("staff") for _ in range(2)]
    clients = [await _live_client(live_url, user.email) for user in staff]
    try:
        path = f"/staff/events/{event['id']}/applications"
        responses = await asyncio.gather(*[
            _post(clients[n % 2], f"{path}/{application_id}", [("action", "approve"), ("booth_id", str(booth_id))])
            for n, application_id in enumerate(applications)
        ])
    finally:
        for client in clients:
            await client.aclose()

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [302] + [409] * (ATTEMPTS - 1), statuses
    [rental] = await _live_rentals(booth_id)
    winner = (await Producer.select(Producer.name).where(Producer.id == rental["producer"]).first())["name"]
    message = f"Gian hàng A-01 đã được giao cho {winner} trong hội chợ này."
    for response in responses:
        if response.status_code == 409:
            assert message in text_of(response.text)
    approved = await BoothApplication.select(BoothApplication.id).where(BoothApplication.status == "approved")
    assert [row["id"] for row in approved] == [rental["application"]]


async def test_concurrent_applications_for_one_showroom_slot_on_a_live_server(live_url, showroom):
    event, booth_id = showroom["event"], showroom["booths"]["K-01"]
    month = next_month()
    producers = []
    for n in range(ATTEMPTS):
        producer, products, user = await producer_with_products(f"HTX Kệ hàng {n + 1}")
        producers.append((products, user))
    clients = [await _live_client(live_url, user.email) for _, user in producers]
    try:
        path = f"/events/{event['slug']}/apply"
        responses = await asyncio.gather(*[
            _post(client, path, [("product_ids", str(products[0].id)), ("booth_id", str(booth_id)),
                                 ("period_mode", "months"), ("from_month", month.strftime("%Y-%m")), ("months", "1")])
            for client, (products, _) in zip(clients, producers)
        ])
    finally:
        for client in clients:
            await client.aclose()

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [302] + [409] * (ATTEMPTS - 1), statuses
    [rental] = await _live_rentals(booth_id)
    assert rental["status"] == "held" and rental["starts_on"] == month
    winner = (await Producer.select(Producer.name).where(Producer.id == rental["producer"]).first())["name"]
    period = months_from(month, 1)
    message = (f"Kệ K-01 đã được {winner} thuê từ {period.starts_on.strftime('%d/%m/%Y')} "
               f"đến {period.ends_on.strftime('%d/%m/%Y')}.")
    for response in responses:
        if response.status_code == 409:
            assert message in text_of(response.text)
    # The losers' applications were not kept half-written.
    assert await BoothApplication.count() == 1


async def test_concurrent_allocation_calls_in_process(fair, showroom):
    event, booth_id = fair["event"], fair["booths"]["A-05"]
    staff = await make_user("staff")
    applications = []
    for _ in range(ATTEMPTS):
        producer, products, _ = await producer_with_products()
        applications.append(await decisions.apply(event, producer.id,
                                                   rules.ApplicationForm(product_ids=[p.id for p in products])))
    results = await asyncio.gather(
        *[decisions.approve(application_id, booth_id, staff_id=staff.id) for application_id in applications],
        return_exceptions=True,
    )
    assert sorted(type(r).__name__ for r in results) == ["Conflict"] * (ATTEMPTS - 1) + ["str"]
    assert [r for r in results if isinstance(r, str)] == ["A-05"]
    assert all(re.match(r"^Gian hàng A-05 đã được giao cho .+ trong hội chợ này\.$", str(r))
               for r in results if isinstance(r, Conflict))
    assert len(await _live_rentals(booth_id)) == 1

    # The same for a showroom slot: eight producers apply at once for the same month.
    slot, month = showroom["booths"]["K-02"], months_from(next_month(), 1)
    producers = [await producer_with_products() for _ in range(ATTEMPTS)]
    results = await asyncio.gather(
        *[decisions.apply(showroom["event"], producer.id,
                           rules.ApplicationForm(product_ids=[products[0].id], booth_id=slot, period=month))
          for producer, products, _ in producers],
        return_exceptions=True,
    )
    assert sum(isinstance(r, int) for r in results) == 1
    assert sum(isinstance(r, Conflict) and str(r).startswith("Kệ K-02 đã được") for r in results) == ATTEMPTS - 1
    assert len(await _live_rentals(slot)) == 1


async def test_the_database_refuses_an_overlap_that_slips_past_the_check(fair):
    """The constraint is the last defence: a rental written behind the service's back still blocks the booth,
    and the service turns the refusal into the same clear message."""
    event, booth_id = fair["event"], fair["booths"]["A-06"]
    staff = await make_user("staff")
    first, first_products, _ = await producer_with_products("HTX Đi trước")
    second, second_products, _ = await producer_with_products()
    first_id = await decisions.apply(event, first.id, rules.ApplicationForm(product_ids=[first_products[0].id]))
    second_id = await decisions.apply(event, second.id, rules.ApplicationForm(product_ids=[second_products[0].id]))
    await decisions.approve(first_id, booth_id, staff_id=staff.id)

    # Pretend the check missed it: the holder lookup sees nothing, the insert meets the constraint.
    original = decisions.holder
    calls = []

    async def blind_holder(*args, **kwargs):
        calls.append(args)
        return None if len(calls) == 1 else await original(*args, **kwargs)

    decisions.holder = blind_holder
    try:
        try:
            await decisions.approve(second_id, booth_id, staff_id=staff.id)
        except Conflict as exc:
            assert str(exc) == "Gian hàng A-06 đã được giao cho HTX Đi trước trong hội chợ này."
        else:  # pragma: no cover - the constraint must refuse
            raise AssertionError("the overlapping rental was written")
    finally:
        decisions.holder = original
    assert len(await _live_rentals(booth_id)) == 1
    assert (await BoothApplication.select(BoothApplication.status).where(BoothApplication.id == second_id).first()) == {
        "status": "submitted"}
