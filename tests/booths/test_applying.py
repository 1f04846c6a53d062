"""Producers apply for a fair's booth or rent a showroom slot."""

import datetime as dt

from events_app.core.audit import AuditLog
from events_app.booths.tables import ApplicationProduct, BoothApplication, BoothPreference, BoothRental
from events_app.events.tables import Event
from events_app.reference.tables import ProductGroup, Province
from tests.booths.conftest import (
    local,
    log_in,
    make_event,
    make_venue,
    next_month,
    producer_with_products,
    today,
)
from tests.factories import make_producer, make_product, make_user
from tests.helpers import post_form, text_of


def _fair_form(products, *preferences, note=""):
    form = [("product_ids", str(p.id)) for p in products]
    for rank, booth_id in enumerate(preferences, start=1):
        form.append((f"preference_{rank}", str(booth_id) if booth_id else ""))
    form.append(("note", note))
    return form


async def test_apply_for_a_fair_booth(client, fair):
    event, booths = fair["event"], fair["booths"]
    producer, products, user = await producer_with_products("HTX Dược liệu Con Cuông", products=2)
    await log_in(client, user)
    url = f"/events/{event['slug']}/apply"

    page = await client.get(url)
    assert page.status_code == 200
    text = text_of(page.text)
    assert "Đăng ký gian hàng" in text and products[0].name in text
    assert text.count("A-01 · Khu A · Tiêu chuẩn · 3.500.000 ₫") == 3  # one select per preference

    response = await post_form(
        client, url, _fair_form(products, booths["A-03"], booths["A-01"], None, note="Cần gần lối vào"), page=url
    )
    assert response.status_code == 302 and response.headers["location"] == "/my/applications"
    application = await BoothApplication.objects().where(BoothApplication.producer == producer.id).first()
    assert application.status == "submitted" and application.note == "Cần gần lối vào"
    assert await ApplicationProduct.select(ApplicationProduct.product).where(
        ApplicationProduct.application == application.id).output(as_list=True) == [p.id for p in products]
    prefs = await BoothPreference.select(BoothPreference.booth, BoothPreference.rank).where(
        BoothPreference.application == application.id).order_by(BoothPreference.rank)
    assert prefs == [{"booth": booths["A-03"], "rank": 1}, {"booth": booths["A-01"], "rank": 2}]
    # A fair's application holds no booth until staff give one.
    assert await BoothRental.count() == 0
    assert await AuditLog.exists().where((AuditLog.action == "booths.apply") & (AuditLog.actor == user.id))

    page = await client.get("/my/applications")
    assert "Đã gửi đơn đăng ký. Cán bộ sẽ xem xét đơn của bạn." in text_of(page.text)

    # A second application to the same fair is refused; the form is not offered again.
    page = await client.get(url)
    assert "Bạn đã đăng ký sự kiện này (Đã nộp)." in text_of(page.text) and "product_ids" not in page.text
    response = await post_form(client, url, _fair_form(products), page=url)
    assert response.status_code == 409
    assert "Bạn đã đăng ký sự kiện này (Đã nộp)" in text_of(response.text)
    assert await BoothApplication.count() == 1


async def test_every_eligibility_reason_is_listed_at_once(client, clean_db):
    venue, halls = await make_venue()
    food = (await ProductGroup.select(ProductGroup.id).where(ProductGroup.code == "food").first())["id"]
    quang_ninh = await Province.select(Province.id).where(Province.name == "Quảng Ninh").first()
    starts = today() + dt.timedelta(days=30)
    event = await make_event(
        venue, starts=starts, min_stars=4, eligible_groups=[food], eligible_provinces=[quang_ninh["id"]],
        eligible_producer_types=["enterprise"], application_closes_at=local(today() - dt.timedelta(days=1), 17),
    )
    producer = await make_producer("Hộ sản xuất Lê Đình Chung", producer_type="household")
    # Certified 36 months before the fair, less a week: expired before the fair ends.
    old = await make_product(producer, "Giò bê Chung Tài", stars=3, group="herbal",
                             certified_on=starts.replace(year=starts.year - 3) - dt.timedelta(days=7))
    user = await make_user("producer", producer=producer)
    await log_in(client, user)
    url = f"/events/{event['slug']}/apply"

    response = await post_form(client, url, _fair_form([old]), page=url)
    assert response.status_code == 400
    text = text_of(response.text)
    assert "Không thể nhận đơn đăng ký này vì:" in text
    valid_until = old.valid_until.strftime("%d/%m/%Y")
    closed_on = (today() - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    for reason in (
        f"Hạn nhận đơn đã đóng ngày {closed_on}.",
        "Loại hình chủ thể của bạn không thuộc diện tham gia sự kiện này.",
        "Sự kiện này không nhận chủ thể đến từ Nghệ An.",
        f"Giò bê Chung Tài: giấy chứng nhận chỉ còn hiệu lực đến {valid_until}, trước khi sự kiện kết thúc.",
        "Giò bê Chung Tài: đạt 3 sao, sự kiện yêu cầu từ 4 sao trở lên.",
        "Giò bê Chung Tài: nhóm Thảo dược không thuộc diện tham gia.",
    ):
        assert reason in text, reason
    assert await BoothApplication.count() == 0


async def test_form_mistakes_and_eligibility_are_shown_together(client, fair):
    event, booths = fair["event"], fair["booths"]
    _, products, user = await producer_with_products()
    await Event.update({Event.min_stars: 5}).where(Event.id == event["id"])
    await log_in(client, user)
    url = f"/events/{event['slug']}/apply"
    form = _fair_form(products, booths["A-02"], booths["A-02"]) + [("preference_3", "abc")]
    response = await post_form(client, url, form, page=url)
    assert response.status_code == 400
    text = text_of(response.text)
    assert "Mỗi lựa chọn phải là một gian hàng khác nhau." in text
    assert "Nhập một số nguyên." in text  # the third choice
    assert f"{products[0].name}: đạt 4 sao, sự kiện yêu cầu từ 5 sao trở lên." in text
    assert await BoothApplication.count() == 0


async def test_preferences_must_be_free_booths_of_this_fair_and_products_ones_own(client, fair):
    event, booths = fair["event"], fair["booths"]
    holder, _, _ = await producer_with_products()
    taken = BoothApplication(event=event["id"], producer=holder.id, status="approved")
    await taken.save()
    span = dict(starts_on=event["starts_at"].date(), ends_on=event["ends_at"].date())
    await BoothRental(booth=booths["A-01"], application=taken.id, producer=holder.id, **span).save()
    someone_else, _, _ = await producer_with_products()
    their_product = await make_product(someone_else)

    _, products, user = await producer_with_products()
    await log_in(client, user)
    url = f"/events/{event['slug']}/apply"
    page = await client.get(url)
    assert f'value="{booths["A-01"]}"' not in page.text  # a taken booth is not offered

    response = await post_form(client, url, _fair_form([*products, their_product], booths["A-01"], 999999), page=url)
    assert response.status_code == 400
    text = text_of(response.text)
    assert "Hãy chọn trong số sản phẩm của chính bạn." in text
    assert text.count("Gian hàng này không còn trống: hãy chọn gian khác.") == 2
    response = await post_form(client, url, [("note", "")], page=url)
    assert "Chọn ít nhất một sản phẩm để trưng bày." in text_of(response.text)
    assert await BoothApplication.count() == 1


async def test_closed_cancelled_and_draft_events_take_no_applications(client, clean_db):
    venue, _ = await make_venue()
    closed = await make_event(venue, status="closed")
    cancelled = await make_event(venue, status="cancelled")
    draft = await make_event(venue, status="draft")
    conference = await make_event(venue, kind="conference")
    _, products, user = await producer_with_products()
    await log_in(client, user)

    for event, message in ((closed, "Sự kiện đã kết thúc: không còn nhận đơn đăng ký."),
                           (cancelled, "Sự kiện đã bị hủy: không nhận đơn đăng ký.")):
        url = f"/events/{event['slug']}/apply"
        page = await client.get(url)
        assert message in text_of(page.text) and "product_ids" not in page.text
        response = await post_form(client, url, _fair_form(products), page=url)
        assert response.status_code == 409 and message in text_of(response.text)
    for event in (draft, conference):
        url = f"/events/{event['slug']}/apply"
        assert (await client.get(url)).status_code == 404
        assert (await post_form(client, url, _fair_form(products))).status_code == 404
    assert await BoothApplication.count() == 0


def _slot_form(products, booth_id, **period):
    form = [("product_ids", str(p.id)) for p in products] + [("booth_id", str(booth_id))]
    return form + list({"period_mode": "months", **period}.items())


async def test_rent_a_showroom_slot_for_whole_months(client, showroom):
    event, booths = showroom["event"], showroom["booths"]
    producer, products, user = await producer_with_products("HTX Muối tôm Bạc Liêu")
    await log_in(client, user)
    url = f"/events/{event['slug']}/apply"
    page = await client.get(url)
    assert "Thuê kệ hàng" in text_of(page.text) and "K-03 · Kệ trưng bày · 3 × 3 m · 1.500.000 ₫ một tháng" in text_of(page.text)

    first = next_month()
    response = await post_form(
        client, url, _slot_form(products, booths["K-03"], from_month=first.strftime("%Y-%m"), months="2"), page=url
    )
    assert response.status_code == 302, text_of(response.text)[:600]
    application = await BoothApplication.objects().where(BoothApplication.producer == producer.id).first()
    rental = await BoothRental.objects().where(BoothRental.application == application.id).first()
    end = next_month(next_month(first)) - dt.timedelta(days=1)
    assert (rental.booth, rental.starts_on, rental.ends_on, rental.status) == (booths["K-03"], first, end, "held")
    assert application.status == "submitted"

    text = text_of((await client.get("/my/applications")).text)
    assert f"{first.strftime('%d/%m/%Y')} – {end.strftime('%d/%m/%Y')}" in text
    assert "K-03 (Chờ duyệt) · 3.000.000 ₫" in text


async def test_a_slot_taken_for_the_period_is_refused_naming_the_rental(client, showroom):
    event, booths = showroom["event"], showroom["booths"]
    first = next_month()
    month_end = next_month(first) - dt.timedelta(days=1)
    renter, _, _ = await producer_with_products("HTX Sen quê Bác")
    taken = BoothApplication(event=event["id"], producer=renter.id, status="approved")
    await taken.save()
    await BoothRental(booth=booths["K-03"], application=taken.id, producer=renter.id, starts_on=first,
                      ends_on=month_end, status="active").save()

    _, products, user = await producer_with_products()
    await log_in(client, user)
    url = f"/events/{event['slug']}/apply"
    # From the 20th of this month to the 5th of next: overlaps the rental.
    starts = today().replace(day=20) if today().day <= 20 else today()
    response = await post_form(
        client, url,
        _slot_form(products, booths["K-03"], period_mode="dates", starts_on=starts.isoformat(),
                   ends_on=(first + dt.timedelta(days=4)).isoformat()),
        page=url,
    )
    assert response.status_code == 409
    assert (f"Kệ K-03 đã được HTX Sen quê Bác thuê từ {first.strftime('%d/%m/%Y')} đến {month_end.strftime('%d/%m/%Y')}."
            in text_of(response.text))
    # What was typed is kept.
    assert f'value="{starts.isoformat()}"' in response.text
    assert await BoothApplication.count() == 1 and await BoothRental.count() == 1

    # The next slot, or the same slot the month after, is free.
    after = next_month(first)
    response = await post_form(client, url, _slot_form(products, booths["K-03"], from_month=after.strftime("%Y-%m"),
                                                       months="1"), page=url)
    assert response.status_code == 302
    assert await BoothRental.count() == 2


async def test_slot_periods_are_checked(client, showroom):
    event, booths = showroom["event"], showroom["booths"]
    _, products, user = await producer_with_products()
    await log_in(client, user)
    url = f"/events/{event['slug']}/apply"
    span_end = event["ends_at"]

    cases = [
        (dict(from_month="", months="1"), "Hãy chọn tháng bắt đầu."),
        (dict(from_month=next_month().strftime("%Y-%m"), months="13"), "Nhập số không lớn hơn 12."),
        (dict(period_mode="dates", starts_on="2026-13-01", ends_on=""), "Nhập ngày theo dạng dd/mm/yyyy."),
        (dict(period_mode="dates", starts_on=next_month().isoformat(), ends_on=today().isoformat()),
         "Ngày kết thúc phải bằng hoặc sau ngày bắt đầu."),
        (dict(period_mode="dates", starts_on="2020-01-01", ends_on="2020-01-31"),
         "Khoảng thời gian này đã qua: hãy chọn thời gian sắp tới."),
        (dict(from_month=(span_end + dt.timedelta(days=20)).strftime("%Y-%m"), months="1"),
         "Điểm giới thiệu sản phẩm mở cửa từ"),
    ]
    for period, message in cases:
        response = await post_form(client, url, _slot_form(products, booths["K-01"], **period), page=url)
        assert response.status_code == 400, period
        assert message in text_of(response.text), (period, text_of(response.text)[:300])
    response = await post_form(client, url, _slot_form(products, 999999, from_month=next_month().strftime("%Y-%m"),
                                                       months="1"), page=url)
    assert "Hãy chọn một trong các kệ được liệt kê." in text_of(response.text)
    assert await BoothApplication.count() == 0 and await BoothRental.count() == 0


async def test_a_showroom_certificate_must_last_the_rented_period(client, showroom):
    event, booths = showroom["event"], showroom["booths"]
    producer = await make_producer()
    first = next_month()
    # Valid until the middle of the month after next: fine for one month, not for three.
    expires = next_month(first) + dt.timedelta(days=14)
    product = await make_product(producer, "Cơm sấy Hưng Thịnh", certified_on=expires.replace(year=expires.year - 3))
    user = await make_user("producer", producer=producer)
    await log_in(client, user)
    url = f"/events/{event['slug']}/apply"
    response = await post_form(client, url, _slot_form([product], booths["K-02"], from_month=first.strftime("%Y-%m"),
                                                       months="3"), page=url)
    assert response.status_code == 400
    assert "Cơm sấy Hưng Thịnh: giấy chứng nhận chỉ còn hiệu lực đến" in text_of(response.text)
    response = await post_form(client, url, _slot_form([product], booths["K-02"], from_month=first.strftime("%Y-%m"),
                                                       months="1"), page=url)
    assert response.status_code == 302, text_of(response.text)[:1500]
