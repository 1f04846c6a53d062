"""Staff lay out booths: a grid at a time, then booth by booth."""

import datetime as dt

from events_app.core.audit import AuditLog
from events_app.booths.tables import Booth, BoothApplication, BoothPreference, BoothRental
from tests.booths.conftest import log_in, make_event, make_venue, producer_with_products
from tests.factories import make_user
from tests.helpers import post_form, text_of


async def _staff(client):
    user = await make_user("staff")
    await log_in(client, user)
    return user


def _grid(hall_id, **overrides):
    form = {"hall_id": str(hall_id), "rows": "2", "columns": "5", "prefix": "c", "booth_type": "corner",
            "price": "4.000.000", "width": "3", "depth": "2,5", "origin_x": "1", "origin_y": "10", "first_number": "1"}
    form.update(overrides)
    return form


async def _codes(event_id):
    return await Booth.select(Booth.code).where(Booth.event == event_id).order_by(Booth.code).output(as_list=True)


async def test_staff_generate_a_grid_of_booths(client, fair):
    staff = await _staff(client)
    event, hall = fair["event"], fair["hall"]
    url = f"/staff/events/{event['id']}/floor-plan"
    page = await client.get(url)
    assert page.status_code == 200
    assert "Thêm một lưới gian hàng" in text_of(page.text)

    response = await post_form(client, url, _grid(hall.id), page=url)
    assert response.status_code == 302, text_of(response.text)[:500]
    rows = await Booth.select().where(Booth.code.like("C-%")).order_by(Booth.code)
    assert [r["code"] for r in rows] == [f"C-{n:02d}" for n in range(1, 11)]
    first, sixth = rows[0], rows[5]
    assert (first["x"], first["y"], first["width"], first["depth"]) == (1, 10, 3, 2.5)
    assert (sixth["x"], sixth["y"]) == (1, 12.5)
    assert all(r["price"] == 4_000_000 and r["booth_type"] == "corner" and r["hall"] == hall.id for r in rows)
    assert await AuditLog.exists().where((AuditLog.action == "booths.grid") & (AuditLog.actor == staff.id))

    page = await client.get(url)
    assert "Đã thêm 10 gian hàng: từ C-01 đến C-10." in text_of(page.text)
    assert 'data-code="C-10"' in page.text


async def test_grid_refuses_codes_already_taken_and_lists_them(client, fair):
    await _staff(client)
    event, hall = fair["event"], fair["hall"]
    url = f"/staff/events/{event['id']}/floor-plan"
    response = await post_form(client, url, _grid(hall.id, prefix="A", first_number="7"), page=url)
    assert response.status_code == 400
    text = text_of(response.text)
    assert "Các mã này đã có: A-07, A-08." in text
    assert await _codes(event["id"]) == [f"A-0{n}" for n in range(1, 9)]  # nothing written
    assert 'value="7"' in response.text  # what was typed is kept


async def test_grid_refuses_booths_outside_the_hall(client, fair):
    await _staff(client)
    event, hall = fair["event"], fair["hall"]  # 40 × 24 m
    url = f"/staff/events/{event['id']}/floor-plan"
    response = await post_form(client, url, _grid(hall.id, columns="14", origin_x="0", origin_y="20"), page=url)
    assert response.status_code == 400
    text = text_of(response.text)
    # Column 14 passes the right wall, the second row the back wall: listed, the list cut short.
    assert "Các gian hàng này sẽ nằm ngoài Khu A (40 × 24 m): C-14, C-15, C-16," in text
    assert "C-25, …. Hãy giảm số hàng hoặc số cột" in text
    assert await Booth.count().where(Booth.code.like("C-%")) == 0


async def test_grid_form_errors_are_shown_per_field(client, fair):
    await _staff(client)
    event = fair["event"]
    other_venue, other_halls = await make_venue((("Sảnh khác", 20, 20),))
    url = f"/staff/events/{event['id']}/floor-plan"
    response = await post_form(
        client, url,
        _grid(other_halls[0].id, rows="0", columns="x", prefix="Ă!", booth_type="palace", price="-5", width="0"),
        page=url,
    )
    assert response.status_code == 400
    text = text_of(response.text)
    assert "Nhập số không nhỏ hơn 1." in text  # rows
    assert "Nhập một số nguyên." in text  # columns
    assert "Chọn một trong các lựa chọn." in text  # booth type
    assert await Booth.count().where(Booth.event == event["id"]) == 8

    # A hall of another venue is refused even when the form is otherwise right.
    response = await post_form(client, url, _grid(other_halls[0].id), page=url)
    assert response.status_code == 400
    assert "Chọn một khu của địa điểm tổ chức sự kiện này." in text_of(response.text)
    assert other_venue.id


async def test_staff_edit_a_booth(client, fair):
    await _staff(client)
    event, hall = fair["event"], fair["hall"]
    booth_id = fair["booths"]["A-01"]
    url = f"/staff/events/{event['id']}/booths/{booth_id}"
    page = await client.get(url)
    assert page.status_code == 200 and 'value="A-01"' in page.text
    form = {"code": "a-01b", "booth_type": "premium", "hall_id": str(hall.id), "width": "4", "depth": "3", "price": "5000000",
            "x": "30", "y": "20", "is_blocked": "1"}
    response = await post_form(client, url, form, page=url)
    assert response.status_code == 302, text_of(response.text)[:400]
    row = await Booth.select().where(Booth.id == booth_id).first()
    assert (row["code"], row["booth_type"], row["width"], row["price"], row["x"], row["y"], row["is_blocked"]) == (
        "A-01B", "premium", 4, 5_000_000, 30, 20, True)

    # A code taken by another booth, a booth past the walls: refused with the reason, nothing saved.
    response = await post_form(client, url, {**form, "code": "A-02"}, page=url)
    assert response.status_code == 400 and "Mã A-02 đã có." in text_of(response.text)
    response = await post_form(client, url, {**form, "x": "38"}, page=url)
    assert response.status_code == 400 and "Gian hàng sẽ nằm ngoài Khu A (40 × 24 m)." in text_of(response.text)
    assert (await Booth.select(Booth.code, Booth.x).where(Booth.id == booth_id).first()) == {"code": "A-01B", "x": 30}


async def test_a_held_booth_cannot_be_blocked_or_deleted(client, fair):
    await _staff(client)
    event, hall = fair["event"], fair["hall"]
    booth_id = fair["booths"]["A-02"]
    producer, _, _ = await producer_with_products("HTX Sen quê Bác")
    application = BoothApplication(event=event["id"], producer=producer.id, status="approved")
    await application.save()
    await BoothPreference(application=application.id, booth=booth_id, rank=1).save()
    await BoothRental(booth=booth_id, application=application.id, producer=producer.id,
                      starts_on=dt.date(2026, 12, 17), ends_on=dt.date(2026, 12, 21)).save()

    url = f"/staff/events/{event['id']}/booths/{booth_id}"
    form = {"code": "A-02", "booth_type": "standard", "hall_id": str(hall.id), "width": "3", "depth": "3", "price": "0",
            "x": "4", "y": "1", "is_blocked": "1"}
    response = await post_form(client, url, form, page=url)
    assert response.status_code == 400
    assert "HTX Sen quê Bác đang giữ gian hàng này" in text_of(response.text)
    assert not (await Booth.select(Booth.is_blocked).where(Booth.id == booth_id).first())["is_blocked"]

    delete = f"/staff/events/{event['id']}/booths/{booth_id}/delete"
    response = await post_form(client, delete, {}, page=url)
    assert response.status_code == 409
    assert "Gian hàng A-02 đang do HTX Sen quê Bác giữ" in text_of(response.text)
    assert await Booth.exists().where(Booth.id == booth_id)

    # Once the application is cancelled the booth can go; its preferences go with it.
    await BoothRental.update({BoothRental.status: "cancelled"}).where(BoothRental.booth == booth_id)
    response = await post_form(client, delete, {}, page=url)
    assert response.status_code == 302
    assert not await Booth.exists().where(Booth.id == booth_id)
    assert await BoothPreference.count() == 0
    page = await client.get(f"/staff/events/{event['id']}/floor-plan")
    assert "Đã xóa gian hàng A-02." in text_of(page.text)


async def test_the_delete_form_asks_first(client, fair):
    await _staff(client)
    page = await client.get(f"/staff/events/{fair['event']['id']}/floor-plan")
    assert 'data-confirm="Xóa gian hàng A-01?"' in page.text


async def test_unknown_events_and_booths_are_not_found(client, fair):
    await _staff(client)
    event = fair["event"]
    assert (await client.get("/staff/events/99999/floor-plan")).status_code == 404
    assert (await client.get(f"/staff/events/{event['id']}/booths/99999")).status_code == 404
    # A booth of another event, reached through this event's address.
    venue, halls = await make_venue()
    other = await make_event(venue)
    other_booth = Booth(event=other["id"], hall=halls[0].id, code="Z-01")
    await other_booth.save()
    assert (await client.get(f"/staff/events/{event['id']}/booths/{other_booth.id}")).status_code == 404
    response = await post_form(client, f"/staff/events/{event['id']}/booths/{other_booth.id}/delete", {})
    assert response.status_code == 404 and await Booth.exists().where(Booth.id == other_booth.id)
    # Conferences have no floor plan.
    conference = await make_event(venue, kind="conference")
    response = await client.get(f"/staff/events/{conference['id']}/floor-plan")
    assert response.status_code == 404
    assert "Sự kiện này không có sơ đồ gian hàng" in text_of(response.text)
