"""Staff approve, waitlist and reject applications; producers cancel and confirm their own."""

import datetime as dt

from events_app.core.audit import AuditLog
from events_app.booths import decisions, rules
from events_app.booths.tables import Booth, BoothApplication, BoothPreference, BoothRental
from events_app.events.tables import Event
from tests.booths.conftest import log_in, next_month, producer_with_products
from tests.factories import make_user
from tests.helpers import post_form, text_of


async def _apply_fair(event, producer, products, *preferences) -> int:
    form = rules.ApplicationForm(product_ids=[p.id for p in products], preference_ids=list(preferences))
    return await decisions.apply(event, producer.id, form)


async def _apply_slot(event, producer, products, booth_id, first, months=1) -> int:
    from events_app.booths.periods import months_from

    form = rules.ApplicationForm(product_ids=[p.id for p in products], booth_id=booth_id,
                                      period=months_from(first, months))
    return await decisions.apply(event, producer.id, form)


async def _rentals(application_id):
    return await BoothRental.select(BoothRental.booth, BoothRental.status, BoothRental.starts_on, BoothRental.ends_on).where(
        BoothRental.application == application_id).order_by(BoothRental.id)


async def _status(application_id):
    return (await BoothApplication.select(BoothApplication.status, BoothApplication.decision_reason).where(
        BoothApplication.id == application_id).first())


async def test_staff_review_page_shows_what_to_decide_on(client, fair):
    event, booths = fair["event"], fair["booths"]
    producer, products, _ = await producer_with_products("HTX Chè Thanh Chương", products=2)
    application_id = await _apply_fair(event, producer, products, booths["A-04"], booths["A-02"])
    other, other_products, _ = await producer_with_products("HTX Gà Tiên Yên")
    other_id = await _apply_fair(event, other, other_products, booths["A-02"])
    await decisions.approve(other_id, booths["A-02"], staff_id=(await make_user("staff")).id)
    # The fair raises its bar after the application: staff see the warning computed now.
    await Event.update({Event.min_stars: 5}).where(Event.id == event["id"])

    staff = await make_user("staff")
    await log_in(client, staff)
    page = await client.get(f"/staff/events/{event['id']}/applications?status=submitted")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "HTX Chè Thanh Chương · Nghệ An · Hợp tác xã" in text
    assert f"{products[0].name} ★★★★☆ · Thực phẩm" in text
    assert "1. A-04; 2. A-02 (đã có đơn vị)" in text
    assert f"{products[0].name}: đạt 4 sao, sự kiện yêu cầu từ 5 sao trở lên." in text
    assert "HTX Gà Tiên Yên" not in text  # approved, not in this tab
    assert "Đã nộp (1)" in text and "Đã duyệt (1)" in text and "Tất cả (2)" in text
    # The booth select offers the free preference first, then the other free booths; never A-02.
    select = page.text.split(f'id="booth-{application_id}"')[1].split("</select>")[0]
    assert select.index(">A-04 (lựa chọn 1)<") < select.index(">A-01<")
    assert f'value="{booths["A-02"]}"' not in select


async def test_approve_then_move_then_confirm_a_fair_booth(client, fair):
    event, booths = fair["event"], fair["booths"]
    producer, products, producer_user = await producer_with_products("HTX Sen quê Bác")
    application_id = await _apply_fair(event, producer, products, booths["A-04"])
    staff = await make_user("staff")
    await log_in(client, staff)
    url = f"/staff/events/{event['id']}/applications"
    decide = f"{url}/{application_id}"

    response = await post_form(client, decide, {"action": "approve", "booth_id": str(booths["A-04"]), "status": "submitted"},
                               page=url)
    assert response.status_code == 302 and response.headers["location"] == f"{url}?status=submitted"
    assert (await _status(application_id))["status"] == "approved"
    days = (event["starts_at"].date(), (event["ends_at"] + dt.timedelta(hours=7)).date())
    assert await _rentals(application_id) == [
        {"booth": booths["A-04"], "status": "active", "starts_on": days[0], "ends_on": days[1]}]
    assert "Đã duyệt đơn, giao gian hàng A-04." in text_of((await client.get(url)).text)

    # Approving again with another booth moves the rental; A-04 is free again.
    response = await post_form(client, decide, {"action": "approve", "booth_id": str(booths["A-07"])}, page=url)
    assert response.status_code == 302
    assert [r["booth"] for r in await _rentals(application_id)] == [booths["A-07"]]
    actions = await AuditLog.select(AuditLog.action, AuditLog.detail, AuditLog.actor).where(
        AuditLog.target_id == application_id).order_by(AuditLog.id)
    assert [a["action"] for a in actions] == ["booths.apply", "booths.approve", "booths.approve"]
    assert '"booth": "A-07"' in actions[-1]["detail"] and actions[-1]["actor"] == staff.id

    # The producer sees its booth and confirms it.
    await log_in(client, producer_user)
    page = await client.get("/my/applications")
    text = text_of(page.text)
    assert "Đã duyệt" in text and "A-07 · 3.500.000 ₫" in text
    assert f'href="/events/{event["slug"]}/floor-plan"' in page.text
    response = await post_form(client, f"/my/applications/{application_id}/confirm", {}, page="/my/applications")
    assert response.status_code == 302
    assert (await _status(application_id))["status"] == "confirmed"
    assert "Bạn đã xác nhận gian hàng." in text_of((await client.get("/my/applications")).text)
    plan = await client.get(f"/events/{event['slug']}/floor-plan")
    assert 'data-code="A-07" data-status="taken"' in plan.text
    # Confirming twice is refused with the reason.
    response = await post_form(client, f"/my/applications/{application_id}/confirm", {}, page="/my/applications")
    assert response.status_code == 409 and "Chỉ đơn đã được duyệt mới có thể xác nhận." in text_of(response.text)


async def test_a_booth_held_by_another_application_is_refused_naming_the_holder(client, fair):
    event, booths = fair["event"], fair["booths"]
    staff = await make_user("staff")
    first, first_products, _ = await producer_with_products("HTX Gà Tiên Yên")
    second, second_products, _ = await producer_with_products()
    first_id = await _apply_fair(event, first, first_products)
    second_id = await _apply_fair(event, second, second_products)
    await decisions.approve(first_id, booths["A-01"], staff_id=staff.id)

    await log_in(client, staff)
    url = f"/staff/events/{event['id']}/applications"
    response = await post_form(client, f"{url}/{second_id}", {"action": "approve", "booth_id": str(booths["A-01"])}, page=url)
    assert response.status_code == 409
    assert "Gian hàng A-01 đã được giao cho HTX Gà Tiên Yên trong hội chợ này." in text_of(response.text)
    assert (await _status(second_id))["status"] == "submitted" and await _rentals(second_id) == []

    # A blocked booth, a booth of another event, a missing booth: refused too.
    await Booth.update({Booth.is_blocked: True}).where(Booth.id == booths["A-08"])
    response = await post_form(client, f"{url}/{second_id}", {"action": "approve", "booth_id": str(booths["A-08"])}, page=url)
    assert response.status_code == 409 and "Gian hàng A-08 đang bị khoá" in text_of(response.text)
    response = await post_form(client, f"{url}/{second_id}", {"action": "approve", "booth_id": "999999"}, page=url)
    assert response.status_code == 404
    response = await post_form(client, f"{url}/{second_id}", {"action": "approve", "booth_id": ""}, page=url)
    assert response.status_code == 400 and "Trường này là bắt buộc." in text_of(response.text)
    assert await _rentals(second_id) == []


async def test_waitlist_and_reject_free_the_booth_and_a_reason_is_required(client, fair):
    event, booths = fair["event"], fair["booths"]
    staff = await make_user("staff")
    producer, products, producer_user = await producer_with_products()
    application_id = await _apply_fair(event, producer, products)
    await decisions.approve(application_id, booths["A-05"], staff_id=staff.id)

    await log_in(client, staff)
    url = f"/staff/events/{event['id']}/applications"
    response = await post_form(client, f"{url}/{application_id}", {"action": "waitlist"}, page=url)
    assert response.status_code == 302
    assert (await _status(application_id))["status"] == "waitlisted"
    assert [r["status"] for r in await _rentals(application_id)] == ["cancelled"]

    response = await post_form(client, f"{url}/{application_id}", {"action": "reject", "reason": "  "}, page=url)
    assert response.status_code == 400
    assert "Hãy ghi lý do từ chối để chủ thể được biết." in text_of(response.text)
    assert (await _status(application_id))["status"] == "waitlisted"

    response = await post_form(client, f"{url}/{application_id}",
                               {"action": "reject", "reason": "Sản phẩm chưa đạt yêu cầu trưng bày"}, page=url)
    assert response.status_code == 302
    assert await _status(application_id) == {"status": "rejected", "decision_reason": "Sản phẩm chưa đạt yêu cầu trưng bày"}
    assert [a["action"] for a in await AuditLog.select(AuditLog.action).where(
        AuditLog.target_id == application_id).order_by(AuditLog.id)][-2:] == ["booths.waitlist", "booths.reject"]
    # A rejected application is no longer decided on.
    response = await post_form(client, f"{url}/{application_id}", {"action": "approve", "booth_id": str(booths["A-05"])},
                               page=url)
    assert response.status_code == 409
    assert "Đơn đăng ký này đã bị từ chối hoặc hủy: không thể duyệt nữa." in text_of(response.text)

    await log_in(client, producer_user)
    text = text_of((await client.get("/my/applications")).text)
    assert "Bị từ chối" in text
    assert "Sản phẩm chưa đạt yêu cầu trưng bày" in text
    # The producer may apply again once its application is over.
    again = await _apply_fair(event, producer, products)
    assert again != application_id


async def test_an_application_of_another_event_is_not_found_from_this_event(client, fair, showroom):
    staff = await make_user("staff")
    producer, products, _ = await producer_with_products()
    application_id = await _apply_fair(fair["event"], producer, products)
    await log_in(client, staff)
    url = f"/staff/events/{showroom['event']['id']}/applications/{application_id}"
    response = await post_form(client, url, {"action": "waitlist"})
    assert response.status_code == 404
    assert (await _status(application_id))["status"] == "submitted"


async def test_showroom_approve_makes_the_held_rental_active_and_reject_cancels_it(client, showroom):
    event, booths = showroom["event"], showroom["booths"]
    staff = await make_user("staff")
    first = next_month()
    a, a_products, _ = await producer_with_products("HTX Muối tôm Bạc Liêu")
    b, b_products, _ = await producer_with_products("Cơ sở miến gạo Quy Chính")
    a_id = await _apply_slot(event, a, a_products, booths["K-01"], first, months=2)
    b_id = await _apply_slot(event, b, b_products, booths["K-02"], first)

    await log_in(client, staff)
    url = f"/staff/events/{event['id']}/applications"
    page = await client.get(url)
    text = text_of(page.text)
    end = next_month(next_month(first)) - dt.timedelta(days=1)
    assert f"Thời gian thuê {first.strftime('%d/%m/%Y')} – {end.strftime('%d/%m/%Y')}" in text
    select = page.text.split(f'id="booth-{a_id}"')[1].split("</select>")[0]
    assert ">K-01 (hiện tại)<" in select and f'value="{booths["K-02"]}"' not in select

    response = await post_form(client, f"{url}/{a_id}", {"action": "approve", "booth_id": str(booths["K-01"])}, page=url)
    assert response.status_code == 302
    assert [(r["booth"], r["status"]) for r in await _rentals(a_id)] == [(booths["K-01"], "active")]
    response = await post_form(client, f"{url}/{b_id}", {"action": "reject", "reason": "Kệ dành cho sản phẩm 4 sao"},
                               page=url)
    assert response.status_code == 302
    assert [r["status"] for r in await _rentals(b_id)] == ["cancelled"]

    # Moving the active rental to a slot someone else holds for an overlapping period is refused.
    c, c_products, _ = await producer_with_products("HTX Sen quê Bác")
    c_id = await _apply_slot(event, c, c_products, booths["K-03"], next_month(first))
    response = await post_form(client, f"{url}/{a_id}", {"action": "approve", "booth_id": str(booths["K-03"])}, page=url)
    assert response.status_code == 409
    month_end = next_month(next_month(first)) - dt.timedelta(days=1)
    assert (f"Kệ K-03 đã được HTX Sen quê Bác thuê từ {next_month(first).strftime('%d/%m/%Y')} "
            f"đến {month_end.strftime('%d/%m/%Y')}.") in text_of(response.text)
    assert [(r["booth"], r["status"]) for r in await _rentals(a_id)] == [(booths["K-01"], "active")]
    assert c_id


async def test_waitlisted_showroom_application_keeps_its_period_for_a_later_approval(client, showroom):
    event, booths = showroom["event"], showroom["booths"]
    staff = await make_user("staff")
    first = next_month()
    producer, products, _ = await producer_with_products()
    application_id = await _apply_slot(event, producer, products, booths["K-04"], first)
    await decisions.waitlist(application_id, staff_id=staff.id)
    assert [r["status"] for r in await _rentals(application_id)] == ["cancelled"]
    await decisions.approve(application_id, booths["K-02"], staff_id=staff.id)
    rentals = await _rentals(application_id)
    assert [(r["booth"], r["status"], r["starts_on"]) for r in rentals] == [
        (booths["K-04"], "cancelled", first), (booths["K-02"], "active", first)]


async def test_the_producer_cancels_and_the_booth_is_free_again(client, fair):
    event, booths = fair["event"], fair["booths"]
    staff = await make_user("staff")
    producer, products, user = await producer_with_products()
    application_id = await _apply_fair(event, producer, products, booths["A-03"])
    await decisions.approve(application_id, booths["A-03"], staff_id=staff.id)

    await log_in(client, user)
    page = await client.get("/my/applications")
    assert 'data-confirm="Hủy đơn đăng ký này? Gian hàng sẽ được giao cho đơn vị khác."' in page.text
    response = await post_form(client, f"/my/applications/{application_id}/cancel", {}, page="/my/applications")
    assert response.status_code == 302
    assert (await _status(application_id))["status"] == "cancelled"
    assert [r["status"] for r in await _rentals(application_id)] == ["cancelled"]
    assert "Đã hủy đơn đăng ký; gian hàng được trả lại." in text_of((await client.get("/my/applications")).text)
    plan = await client.get(f"/events/{event['slug']}/floor-plan")
    assert 'data-code="A-03" data-status="free"' in plan.text
    # Another producer can now be given A-03.
    other, other_products, _ = await producer_with_products()
    other_id = await _apply_fair(event, other, other_products, booths["A-03"])
    assert await decisions.approve(other_id, booths["A-03"], staff_id=staff.id) == "A-03"
    # Cancelling twice is refused.
    response = await post_form(client, f"/my/applications/{application_id}/cancel", {}, page="/my/applications")
    assert response.status_code == 409 and "Đơn đăng ký này đã bị từ chối hoặc đã hủy." in text_of(response.text)


async def test_a_producer_only_reaches_its_own_applications(client, fair):
    event = fair["event"]
    owner, products, _ = await producer_with_products("HTX Chè Thanh Chương")
    application_id = await _apply_fair(event, owner, products)
    _, _, intruder = await producer_with_products()
    await log_in(client, intruder)
    page = await client.get("/my/applications")
    assert "HTX Chè Thanh Chương" not in page.text and "Bạn chưa đăng ký gian hàng nào." in text_of(page.text)
    for action in ("cancel", "confirm"):
        response = await post_form(client, f"/my/applications/{application_id}/{action}", {}, page="/my/applications")
        assert response.status_code == 404
    assert (await _status(application_id))["status"] == "submitted"


async def test_my_applications_are_paginated(client, clean_db):
    from tests.booths.conftest import make_event, make_venue

    producer, products, user = await producer_with_products()
    venue, _ = await make_venue()
    for _ in range(22):
        event = await make_event(venue)
        await BoothApplication(event=event["id"], producer=producer.id, status="cancelled").save()
    await log_in(client, user)
    first = text_of((await client.get("/my/applications")).text)
    second = text_of((await client.get("/my/applications?page=2")).text)
    assert first.count("Sự kiện thử") == 20 and "Trang sau ›" in first
    assert second.count("Sự kiện thử") == 2
    assert await BoothPreference.count() == 0
