"""Producers learn what stops them before they fill in a form, and see what their booth really is."""

import datetime as dt

from events_app.booths import decisions, rules
from events_app.booths.tables import BoothApplication, BoothRental
from events_app.events.tables import Event
from events_app.reference.tables import Province
from tests.booths.conftest import log_in, next_month, producer_with_products, today
from tests.booths.test_applying import _slot_form
from tests.factories import make_producer, make_product, make_user
from tests.helpers import post_form, text_of


async def test_a_producer_not_admitted_is_told_why_before_the_form(client, fair):
    event = fair["event"]
    quang_ninh = await Province.select(Province.id).where(Province.name == "Quảng Ninh").first()
    await Event.update({Event.eligible_provinces: [quang_ninh["id"]]}).where(Event.id == event["id"])
    _, _, user = await producer_with_products("HTX Nghệ An xa")
    await log_in(client, user)

    page = text_of((await client.get(f"/events/{event['slug']}")).text)
    assert "Bạn không thể đăng ký tham gia sự kiện này: Sự kiện này không nhận chủ thể đến từ Nghệ An." in page
    assert "Đăng ký gian hàng Sơ đồ" not in page  # no apply button on the panel
    form = await client.get(f"/events/{event['slug']}/apply")
    assert "Sự kiện này không nhận chủ thể đến từ Nghệ An." in text_of(form.text)
    assert 'name="product_ids"' not in form.text



async def test_a_producer_whose_only_certificate_ran_out_is_told_so_before_the_form(client, fair):
    event = fair["event"]
    producer = await make_producer("HTX Giấy hết hạn")
    old = await make_product(producer, "Mắm cũ", certified_on=today().replace(year=today().year - 4))
    user = await make_user("producer", producer=producer)
    await log_in(client, user)
    expired = f"Mắm cũ: giấy chứng nhận đã hết hạn ngày {old.valid_until.strftime('%d/%m/%Y')}."
    page = text_of((await client.get(f"/events/{event['slug']}")).text)
    assert "Chưa có sản phẩm nào của bạn đáp ứng quy định của sự kiện:" in page and expired in page
    assert "Mắm cũ: giấy chứng nhận chỉ còn hiệu lực" not in page
    form = await client.get(f"/events/{event['slug']}/apply")
    assert expired in text_of(form.text) and 'name="product_ids"' not in form.text

async def test_an_expired_certificate_is_said_expired_on_the_form(client, fair):
    event = fair["event"]
    producer, _, user = await producer_with_products("HTX Hai sản phẩm")
    old = await make_product(producer, "Mắm cũ", certified_on=today().replace(year=today().year - 4))
    await log_in(client, user)
    text = text_of((await client.get(f"/events/{event['slug']}/apply")).text)
    assert f"Mắm cũ ★★★★☆ · Thực phẩm · giấy chứng nhận đã hết hạn ngày {old.valid_until.strftime('%d/%m/%Y')}" in text


async def test_staff_see_a_booth_held_until_confirmed_not_rented(client, fair):
    event, booths = fair["event"], fair["booths"]
    producer, products, _ = await producer_with_products("HTX Chờ xác nhận")
    application = await decisions.apply(event, producer.id, rules.ApplicationForm(product_ids=[p.id for p in products]))
    staff = await make_user("staff")
    await decisions.approve(application, booths["A-05"], staff_id=staff.id)
    await log_in(client, staff)
    text = text_of((await client.get(f"/staff/events/{event['id']}/applications")).text)
    assert "A-05 (đang giữ chờ chủ thể xác nhận)" in text
    assert "A-05 (Đã thuê)" not in text


async def test_a_producer_rents_a_shelf_again_for_a_later_period_never_twice_at_once(client, showroom):
    event, booths = showroom["event"], showroom["booths"]
    _, products, user = await producer_with_products("HTX Thuê kệ dài hạn")
    await log_in(client, user)
    url = f"/events/{event['slug']}/apply"
    first = next_month()
    later = (first + dt.timedelta(days=62)).replace(day=1)
    response = await post_form(client, url, _slot_form(products, booths["K-01"], from_month=first.strftime("%Y-%m"), months="1"), page=url)
    assert response.status_code == 302
    # The form is still offered, and a later month on another shelf is taken.
    assert 'name="product_ids"' in (await client.get(url)).text
    response = await post_form(client, url, _slot_form(products, booths["K-02"], from_month=later.strftime("%Y-%m"), months="1"), page=url)
    assert response.status_code == 302
    assert await BoothApplication.count() == 2
    # The same month again is refused, naming the rental it overlaps.
    response = await post_form(client, url, _slot_form(products, booths["K-03"], from_month=first.strftime("%Y-%m"), months="1"), page=url)
    assert response.status_code == 409
    assert f"Bạn đã thuê kệ K-01 từ {first.strftime('%d/%m/%Y')}" in text_of(response.text)
    assert await BoothRental.count() == 2
