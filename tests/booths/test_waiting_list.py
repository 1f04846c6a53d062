"""The waiting list moves by itself: a booth freed is offered to the first in line, an offer not
confirmed in time lapses on the next read and goes to the next one."""

import asyncio
import datetime as dt
import json

from events_app.booths import decisions, rules, waiting
from events_app.booths.tables import AllocationPolicy, Booth, BoothApplication, BoothRental
from events_app.core.audit import AuditLog
from events_app.core.clock import now
from tests.booths.conftest import log_in, producer_with_products
from tests.factories import make_user
from tests.helpers import post_form, text_of


async def _line(event, booths, count: int):
    """One producer approved on A-01, then `count` on the waiting list in order; (producers' users, application ids)."""
    staff = await make_user("staff")
    users, ids = [], []
    for n in range(count + 1):
        producer, products, user = await producer_with_products(f"HTX Hàng chờ {n}")
        application = await decisions.apply(event, producer.id, rules.ApplicationForm(product_ids=[p.id for p in products]))
        if n == 0:
            await decisions.approve(application, booths["A-01"], staff_id=staff.id)
        else:
            await decisions.waitlist(application, staff_id=staff.id)
            await BoothApplication.update({BoothApplication.waiting_place: n}).where(BoothApplication.id == application)
        users.append(user)
        ids.append(application)
    return users, ids


async def _state(application_id):
    row = await BoothApplication.select(BoothApplication.status, BoothApplication.offer_expires_at,
                                        BoothApplication.decision_reason).where(BoothApplication.id == application_id).first()
    rental = await BoothRental.select(BoothRental.booth).where(
        (BoothRental.application == application_id) & (BoothRental.status != "cancelled")).first()
    return row["status"], rental["booth"] if rental else None, row


async def test_a_booth_freed_skips_those_the_fairs_quota_keeps_waiting(client, fair):
    event, booths = fair["event"], fair["booths"]
    quota = [{"kind": "province", "name": "Nghệ An", "minimum": 0, "maximum": 1}]
    await AllocationPolicy.insert(AllocationPolicy(event=event["id"], quotas=json.dumps(quota, ensure_ascii=False)))
    staff = await make_user("staff")

    async def applicant(name, province):
        producer, products, user = await producer_with_products(name, province=province)
        return await decisions.apply(event, producer.id, rules.ApplicationForm(product_ids=[p.id for p in products])), user

    ha_tinh_holder, holder_user = await applicant("HTX Hà Tĩnh có gian", "Hà Tĩnh")
    await decisions.approve(ha_tinh_holder, booths["A-01"], staff_id=staff.id)
    nghe_an_holder, _ = await applicant("HTX Nghệ An có gian", "Nghệ An")
    await decisions.approve(nghe_an_holder, booths["A-05"], staff_id=staff.id)
    first, _ = await applicant("HTX Nghệ An chờ", "Nghệ An")
    second, _ = await applicant("HTX Hà Tĩnh chờ", "Hà Tĩnh")
    for place, application in enumerate((first, second), start=1):
        await decisions.waitlist(application, staff_id=staff.id)
        await BoothApplication.update({BoothApplication.waiting_place: place}).where(BoothApplication.id == application)

    # The Hà Tĩnh producer lets A-01 go: Nghệ An's one booth is held already, so the offer goes past
    # the first in line to the Hà Tĩnh applicant behind it.
    await log_in(client, holder_user)
    response = await post_form(client, f"/my/applications/{ha_tinh_holder}/cancel", {}, page="/my/applications")
    assert response.status_code == 302
    assert (await _state(second))[:2] == ("approved", booths["A-01"])
    assert (await _state(first))[:2] == ("waitlisted", None)


async def test_a_booth_freed_is_offered_to_the_first_in_line(client, fair):
    event, booths = fair["event"], fair["booths"]
    users, ids = await _line(event, booths, 2)
    await log_in(client, users[2])
    assert "thứ 2 trong danh sách chờ" in text_of((await client.get("/my/applications")).text)

    # The producer holding A-01 withdraws.
    await log_in(client, users[0])
    response = await post_form(client, f"/my/applications/{ids[0]}/cancel", {}, page="/my/applications")
    assert response.status_code == 302
    status, booth, row = await _state(ids[1])
    assert (status, booth) == ("approved", booths["A-01"])
    assert dt.timedelta(hours=47) < row["offer_expires_at"] - now() <= dt.timedelta(hours=48)
    assert row["decision_reason"].startswith("Gian hàng A-01 vừa được trả lại và dành cho bạn")
    assert await AuditLog.count().where(AuditLog.action == "booths.offer") == 1

    await log_in(client, users[1])
    text = text_of((await client.get("/my/applications")).text)
    assert "Xác nhận trước" in text and "Xác nhận gian hàng A-01" in text
    await log_in(client, users[2])
    assert "thứ 1 trong danh sách chờ" in text_of((await client.get("/my/applications")).text)

    # Confirmed in time: the offer is over and stays.
    await log_in(client, users[1])
    response = await post_form(client, f"/my/applications/{ids[1]}/confirm", {}, page="/my/applications")
    assert response.status_code == 302
    status, booth, row = await _state(ids[1])
    assert (status, booth, row["offer_expires_at"]) == ("confirmed", booths["A-01"], None)


async def test_an_offer_not_confirmed_in_time_goes_to_the_next_on_the_next_read(client, fair):
    event, booths = fair["event"], fair["booths"]
    users, ids = await _line(event, booths, 2)
    await decisions.cancel(ids[0], producer_id=(await BoothApplication.select(BoothApplication.producer).where(
        BoothApplication.id == ids[0]).first())["producer"])
    await BoothApplication.update({BoothApplication.offer_expires_at: now() - dt.timedelta(minutes=1)}).where(
        BoothApplication.id == ids[1])

    # Confirming too late is refused, saying why.
    await log_in(client, users[1])
    response = await post_form(client, f"/my/applications/{ids[1]}/confirm", {}, page="/my/applications")
    assert response.status_code == 409
    assert "Lời mời nhận gian hàng này đã hết hạn" in text_of(response.text)

    # Anyone reading the floor plan settles it: the offer lapses, the next in line has A-01.
    plan = await client.get(f"/events/{event['slug']}/floor-plan")
    assert plan.status_code == 200
    status, booth, row = await _state(ids[1])
    assert (status, booth) == ("cancelled", None)
    assert "đã hết hạn" in row["decision_reason"]
    assert (await _state(ids[2]))[:2] == ("approved", booths["A-01"])
    assert await waiting.settle(event["id"]) == 0  # nothing left to settle


async def test_two_readers_settling_at_once_move_the_line_once(fair):
    event, booths = fair["event"], fair["booths"]
    _, ids = await _line(event, booths, 3)
    await decisions.waitlist(ids[0], staff_id=(await make_user("staff")).id)  # A-01 goes to the first in line
    assert (await _state(ids[1]))[:2] == ("approved", booths["A-01"])
    await BoothApplication.update({BoothApplication.offer_expires_at: now() - dt.timedelta(seconds=1)}).where(
        BoothApplication.id == ids[1])
    lapsed = await asyncio.gather(waiting.settle(event["id"]), waiting.settle(event["id"]))
    assert sum(lapsed) == 1
    holders = await BoothRental.select(BoothRental.application).where(
        (BoothRental.booth == booths["A-01"]) & (BoothRental.status != "cancelled"))
    assert holders == [{"application": ids[2]}]


async def test_a_reserved_booth_skips_those_it_is_not_kept_for(fair):
    event, booths = fair["event"], fair["booths"]
    _, ids = await _line(event, booths, 1)
    await Booth.update({Booth.booth_type: "corner"}).where(Booth.id == booths["A-01"])
    await AllocationPolicy.insert(AllocationPolicy(event=event["id"], reserved_types="corner", reserved_min_stars=5))
    await decisions.waitlist(ids[0], staff_id=(await make_user("staff")).id)
    # The one waiting shows 4★ products: the corner booth kept for 5★ is not offered to it.
    assert (await _state(ids[1]))[:2] == ("waitlisted", None)
    assert await BoothRental.count().where((BoothRental.booth == booths["A-01"]) & (BoothRental.status != "cancelled")) == 0
