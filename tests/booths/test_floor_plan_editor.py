"""Staff's floor-plan editor: booths added, moved, resized, merged and split; aisles, the stage and
pillars drawn; prices per booth type; every check the server's, every refusal in Vietnamese."""

import asyncio
import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from events_app.booths import editor
from events_app.booths.tables import (
    Booth,
    BoothApplication,
    BoothPreference,
    BoothRental,
    BoothTypePrice,
    PlanFeature,
)
from events_app.core.audit import AuditLog
from events_app.core.errors import ValidationError
from tests.booths.conftest import log_in, producer_with_products
from tests.factories import make_user
from tests.helpers import post_form, text_of

# The fixture's hall: Khu A, 40 × 24 m; booths A-01…A-04 at y = 1 and A-05…A-08 at y = 4, 3 × 3 m from x = 1.


async def _staff(client):
    user = await make_user("staff")
    await log_in(client, user)
    return user


def _url(event, tail=""):
    return f"/staff/events/{event['id']}/floor-plan{tail}"


async def _booth(code):
    return await Booth.select().where(Booth.code == code).first()


async def _post(client, url, form, *, page="/"):
    """Post a form and, after a redirect, the page it leads to (where the flash message is shown)."""
    response = await post_form(client, url, form, page=page)
    if response.status_code in (302, 303):
        followed = await client.get(response.headers["location"])
        followed.redirected_from = response.status_code  # type: ignore[attr-defined]
        return followed
    return response


def _new_booth(hall, **overrides):
    form = {"hall_id": str(hall), "code": "b-01", "booth_type": "outdoor", "x": "20", "y": "10",
            "width": "3", "depth": "3", "price": "2.500.000"}
    form.update(overrides)
    return form


async def _rent(event, booth_id, name, status="confirmed"):
    producer, _, _ = await producer_with_products(name)
    application = BoothApplication(event=event["id"], producer=producer.id, status=status)
    await application.save()
    starts_on = event["starts_at"].date()
    await BoothRental(booth=booth_id, application=application.id, producer=producer.id, starts_on=starts_on,
                      ends_on=starts_on + dt.timedelta(days=4), status="active").save()
    return application


async def test_staff_add_a_booth_and_overlaps_or_walls_are_refused(client, fair):
    staff = await _staff(client)
    event, hall = fair["event"], fair["hall"]
    url = _url(event)
    response = await _post(client, _url(event, "/booths"), _new_booth(hall.id), page=url)
    assert response.status_code == 200 and "Đã thêm gian hàng B-01." in text_of(response.text)
    row = await _booth("B-01")
    assert (row["booth_type"], row["x"], row["y"], row["width"], row["depth"], row["price"], row["hall"]) == (
        "outdoor", 20, 10, 3, 3, 2_500_000, hall.id)
    assert await AuditLog.exists().where((AuditLog.action == "booths.add") & (AuditLog.actor == staff.id))
    assert 'data-code="B-01"' in response.text

    # On top of; past the back wall; a code already there: refused, nothing written.
    response = await _post(client, _url(event, "/booths"), _new_booth(hall.id, code="B-02", x="2", y="1"), page=url)
    assert response.status_code == 400
    assert "Vị trí này sẽ chồng lên gian hàng A-01, A-02." in text_of(response.text)
    assert 'value="B-02"' in response.text  # what was typed is kept
    response = await _post(client, _url(event, "/booths"), _new_booth(hall.id, code="B-02", y="22"), page=url)
    assert response.status_code == 400 and "Gian hàng sẽ nằm ngoài Khu A (40 × 24 m)." in text_of(response.text)
    response = await _post(client, _url(event, "/booths"), _new_booth(hall.id, code="A-01", x="30"), page=url)
    assert response.status_code == 400 and "Mã A-01 đã có." in text_of(response.text)
    assert await Booth.count().where(Booth.event == event["id"]) == 9


@pytest.mark.parametrize("field, value, message", [
    ("x", "nan", "Nhập một số."),
    ("x", "inf", "Nhập một số."),
    ("y", "1e309", "Nhập một số."),
    ("x", "-5", "Nhập số không nhỏ hơn 0."),
    ("width", "0,2", "Nhập số không nhỏ hơn 0.5."),
    ("width", "999999", "Nhập số không lớn hơn 200."),
    ("depth", "ba mét", "Nhập một số."),
    ("hall_id", str(2**31), "Nhập số không lớn hơn 2147483647."),
    ("price", "-1", "Nhập số không nhỏ hơn 0."),
    ("price", str(10**16), "Nhập số không lớn hơn"),
    ("booth_type", "palace", "Chọn một trong các lựa chọn."),
])
async def test_hostile_numbers_are_field_errors(client, fair, field, value, message):
    await _staff(client)
    event, hall = fair["event"], fair["hall"]
    response = await _post(client, _url(event, "/booths"), _new_booth(hall.id, **{field: value}), page=_url(event))
    assert response.status_code == 400
    assert message in text_of(response.text)
    assert f'id="add-{field}"' in response.text and 'aria-invalid="true"' in response.text
    assert await _booth("B-01") is None


async def test_hostile_ids_and_bodies_on_every_editor_form(client, fair):
    await _staff(client)
    event = fair["event"]
    a01 = fair["booths"]["A-01"]
    page = _url(event)
    for tail, form in [
        (f"/booths/{a01}/move", {"x": "nan", "y": "1e999"}),
        (f"/booths/{a01}/place", {"x": "abc", "y": "", "width": "-3", "depth": "3", "booth_type": "x", "price": "y"}),
        (f"/booths/{a01}/split", {"parts": str(2**31), "axis": "z"}),
        ("/merge", {"booth_ids": [str(2**31), "0", "-1"]}),
        ("/merge", {"booth_ids": [str(a01)]}),
        ("/features", {"hall_id": "99999999999", "kind": "moat", "x": "1", "y": "1", "width": "1", "depth": "1"}),
        ("/prices", {"price_standard": "NaN", "price_premium": "-3"}),
    ]:
        response = await _post(client, _url(event, tail), form, page=page)
        assert response.status_code == 400, (tail, text_of(response.text)[:300])
        assert "Vui lòng sửa các trường được đánh dấu." in text_of(response.text) or "Chọn" in text_of(response.text), tail
    for tail in (f"/booths/{2**31}/move", f"/booths/{2**31}/split", f"/features/{2**31}/delete", "/booths/999/place"):
        response = await _post(client, _url(event, tail), {"x": "1", "y": "1", "width": "3", "depth": "3",
                                                               "booth_type": "standard", "price": "1", "parts": "2",
                                                               "axis": "x"}, page=page)
        assert response.status_code == 404, tail
    row = await _booth("A-01")
    assert (row["x"], row["y"], row["width"]) == (1, 1, 3)
    assert await BoothTypePrice.count() == 0 and await PlanFeature.count() == 0


async def test_features_are_drawn_and_no_booth_stands_on_them(client, fair):
    staff = await _staff(client)
    event, hall = fair["event"], fair["hall"]
    page = _url(event)
    stage = {"hall_id": str(hall.id), "kind": "stage", "label": "Sân khấu chính", "x": "28", "y": "0", "width": "12",
             "depth": "6"}
    response = await _post(client, _url(event, "/features"), stage, page=page)
    assert response.status_code == 200 and "Đã thêm vào sơ đồ." in text_of(response.text)
    row = await PlanFeature.select().first()
    assert (row["kind"], row["label"], row["x"], row["width"], row["depth"]) == ("stage", "Sân khấu chính", 28, 12, 6)
    assert await AuditLog.exists().where((AuditLog.action == "booths.feature_add") & (AuditLog.actor == staff.id))
    # A feature over a booth, and a booth over a feature, are refused.
    response = await _post(client, _url(event, "/features"), {**stage, "kind": "pillar", "x": "2", "y": "2",
                                                                 "width": "0,6", "depth": "0,6"}, page=page)
    assert response.status_code == 400 and "Vị trí này sẽ chồng lên gian hàng A-01." in text_of(response.text)
    response = await _post(client, _url(event, "/booths"), _new_booth(hall.id, x="30", y="4"), page=page)
    assert response.status_code == 400
    assert "Vị trí này sẽ chồng lên Sân khấu chính, là phần không cho thuê." in text_of(response.text)
    # Features may cross each other: an aisle through the stage's front.
    aisle = {**stage, "kind": "aisle", "label": "", "x": "0", "y": "7", "width": "40", "depth": "2"}
    assert (await _post(client, _url(event, "/features"), aisle, page=page)).status_code == 200

    # The public plan draws them, and says they are not for rent.
    public = await client.get(f"/events/{event['slug']}/floor-plan")
    assert 'class="feature feature-stage"' in public.text and "Sân khấu chính" in public.text
    assert "không cho thuê" in text_of(public.text)

    response = await _post(client, _url(event, f"/features/{row['id']}/delete"), {}, page=page)
    assert "Đã xóa Sân khấu chính khỏi sơ đồ." in text_of(response.text)
    assert await PlanFeature.count() == 1
    assert 'data-confirm="Xóa Lối đi khỏi sơ đồ?"' in response.text


async def test_move_and_resize_a_booth(client, fair):
    staff = await _staff(client)
    event = fair["event"]
    a01 = fair["booths"]["A-01"]
    page = _url(event)
    # The drag posts x and y only; size, type and price stay.
    response = await _post(client, _url(event, f"/booths/{a01}/move"), {"x": "20.5", "y": "12"}, page=page)
    assert response.status_code == 200 and "Đã chuyển gian hàng A-01." in text_of(response.text)
    row = await _booth("A-01")
    assert (row["x"], row["y"], row["width"], row["booth_type"], row["price"]) == (20.5, 12, 3, "standard", 3_500_000)
    entry = await AuditLog.select().where((AuditLog.action == "booths.place") & (AuditLog.actor == staff.id)).first()
    assert '"was": [1.0, 1.0' in entry["detail"] and '"now": [20.5, 12.0' in entry["detail"]

    # Back next to A-02 (touching is fine), then onto A-02 (refused, the booth stays).
    assert (await _post(client, _url(event, f"/booths/{a01}/move"), {"x": "1", "y": "1"}, page=page)).status_code == 200
    response = await _post(client, _url(event, f"/booths/{a01}/move"), {"x": "2", "y": "1"}, page=page)
    assert response.status_code == 400 and "Vị trí này sẽ chồng lên gian hàng A-02." in text_of(response.text)
    assert (await _booth("A-01"))["x"] == 1

    # The selected booth's form: a premium booth twice as wide would cover A-02.
    page = await client.get(_url(event, f"?booth={a01}"))
    assert "Gian hàng A-01" in text_of(page.text) and 'id="place-x" name="x" type="text" value="1"' in page.text
    form = {"x": "1", "y": "1", "width": "6", "depth": "3", "booth_type": "premium", "price": "7000000"}
    response = await _post(client, _url(event, f"/booths/{a01}/place"), form, page=page)
    assert response.status_code == 400 and "A-02" in text_of(response.text)
    response = await _post(client, _url(event, f"/booths/{a01}/place"), {**form, "x": "13"}, page=page)
    assert response.status_code == 200 and "Đã lưu gian hàng A-01." in text_of(response.text)
    row = await _booth("A-01")
    assert (row["x"], row["width"], row["booth_type"], row["price"]) == (13, 6, "premium", 7_000_000)


async def test_merge_booths_side_by_side_into_one(client, fair):
    staff = await _staff(client)
    event, booths = fair["event"], fair["booths"]
    page = _url(event)
    # only touch at a corner: no rectangle.
    response = await _post(client, _url(event, "/merge"), {"booth_ids": [str(booths["A-01"]), str(booths["A-06"])]},
                               page=page)
    assert response.status_code == 400 and "không tạo thành một hình chữ nhật" in text_of(response.text)
    page_html = await client.get(page)
    assert 'data-confirm="Gộp các gian hàng đã chọn thành một?"' in page_html.text

    response = await _post(client, _url(event, "/merge"), {"booth_ids": [str(booths["A-02"]), str(booths["A-01"])]},
                               page=page)
    assert response.status_code == 200 and "Đã gộp thành gian hàng A-01." in text_of(response.text)
    row = await _booth("A-01")
    assert (row["x"], row["y"], row["width"], row["depth"], row["price"]) == (1, 1, 6, 3, 7_000_000)
    assert await _booth("A-02") is None
    assert await AuditLog.exists().where((AuditLog.action == "booths.merge") & (AuditLog.actor == staff.id))

    # A booth someone applied for or rents is not merged.
    producer, _, _ = await producer_with_products("HTX Gà Tiên Yên")
    application = BoothApplication(event=event["id"], producer=producer.id, status="submitted")
    await application.save()
    await BoothPreference(application=application.id, booth=booths["A-03"], rank=1).save()
    await _rent(event, booths["A-04"], "HTX Chè Thanh Chương")
    response = await _post(client, _url(event, "/merge"),
                               {"booth_ids": [str(booths["A-03"]), str(booths["A-04"])]}, page=page)
    assert response.status_code == 409
    assert ("Không thể gộp các gian hàng đang được sử dụng: A-03 (có trong một đơn đăng ký), A-04 (đã cho thuê)."
            in text_of(response.text))
    assert await Booth.count().where(Booth.event == event["id"]) == 7


async def test_split_a_booth_into_equal_parts(client, fair):
    await _staff(client)
    event, booths = fair["event"], fair["booths"]
    page = _url(event)
    a01 = booths["A-01"]
    selected = await client.get(_url(event, f"?booth={a01}"))
    assert 'data-confirm="Chia gian hàng A-01?"' in selected.text
    response = await _post(client, _url(event, f"/booths/{a01}/split"), {"parts": "7", "axis": "x"}, page=page)
    assert response.status_code == 400 and "ít nhất 0.5 m" in text_of(response.text)
    response = await _post(client, _url(event, f"/booths/{a01}/split"), {"parts": "3", "axis": "y"}, page=page)
    assert response.status_code == 200 and "Đã chia thành A-01A, A-01B, A-01C." in text_of(response.text)
    rows = await Booth.select().where(Booth.code.like("A-01%")).order_by(Booth.code)
    assert [(r["code"], r["x"], r["y"], r["width"], r["depth"], r["price"]) for r in rows] == [
        ("A-01A", 1, 1, 3, 1, 1_166_668), ("A-01B", 1, 2, 3, 1, 1_166_666), ("A-01C", 1, 3, 3, 1, 1_166_666)]
    assert rows[0]["id"] == a01

    await _rent(event, booths["A-02"], "HTX Sen quê Bác")
    response = await _post(client, _url(event, f"/booths/{booths['A-02']}/split"), {"parts": "2", "axis": "x"},
                               page=page)
    assert response.status_code == 409 and "Không thể chia gian hàng đang được sử dụng: A-02 (đã cho thuê)." in text_of(
        response.text)
    # A booth approved but not yet confirmed is held for its producer, not rented.
    await _rent(event, booths["A-03"], "HTX Chờ xác nhận", status="approved")
    response = await _post(client, _url(event, f"/booths/{booths['A-03']}/split"), {"parts": "2", "axis": "x"},
                               page=page)
    assert response.status_code == 409 and (
        "Không thể chia gian hàng đang được sử dụng: A-03 (đang giữ chờ chủ thể xác nhận)." in text_of(response.text))
    assert await Booth.count().where(Booth.code.like("A-03%")) == 1


async def test_prices_per_booth_type(client, fair):
    staff = await _staff(client)
    event, booths, hall = fair["event"], fair["booths"], fair["hall"]
    await _rent(event, booths["A-01"], "HTX Chè Thanh Chương")
    page = _url(event)
    response = await _post(client, _url(event, "/prices"),
                               {"price_standard": "4.000.000", "price_outdoor": "2000000", "apply_to_free": "1"}, page=page)
    assert response.status_code == 200
    assert "Đã lưu giá theo loại gian hàng; 7 gian hàng còn trống được đổi giá." in text_of(response.text)
    assert await editor.type_prices(event["id"]) == {"standard": 4_000_000, "outdoor": 2_000_000}
    assert (await _booth("A-01"))["price"] == 3_500_000  # rented at its price
    assert (await _booth("A-02"))["price"] == 4_000_000
    # A new booth without a price takes its type's.
    response = await _post(client, _url(event, "/booths"), _new_booth(hall.id, price=""), page=page)
    assert response.status_code == 200 and (await _booth("B-01"))["price"] == 2_000_000
    assert 'id="prices-price_standard" name="price_standard" type="text" value="4000000"' in response.text
    assert await AuditLog.exists().where((AuditLog.action == "booths.type_prices") & (AuditLog.actor == staff.id))


async def test_two_staff_placing_booths_at_once_never_overlap(fair):
    staff = await make_user("staff")
    event, hall = fair["event"], fair["hall"]

    async def place(code, x):
        placement = editor.Placement(x, 15, 3, 3, "standard", 1, hall_id=hall.id, code=code)
        try:
            return await editor.add_booth(event, placement, staff_id=staff.id)
        except ValidationError:
            return None

    # Ten booths at spots that overlap one another in pairs: at most every other one stands.
    results = await asyncio.gather(*(place(f"R-{n:02d}", 10 + n * 1.5) for n in range(10)))
    placed = await Booth.select().where(Booth.code.like("R-%")).order_by(Booth.x)
    assert [r["code"] for r in placed] == sorted(code for code in results if code)
    for first, second in zip(placed, placed[1:]):
        assert second["x"] >= first["x"] + first["width"] - 1e-6


async def test_the_editor_draws_the_plan_to_scale_with_each_booth_selectable(client, fair):
    await _staff(client)
    event, booths = fair["event"], fair["booths"]
    page = await client.get(_url(event))
    assert page.status_code == 200
    svg = re.search(r'(?s)<svg xmlns="http://www.w3.org/2000/svg" class="floor-svg editor-svg".*?</svg>', page.text).group(0)
    assert 'viewBox="-1 -1 42 26"' in svg  # 40 × 24 m and a metre's margin
    a01 = booths["A-01"]
    assert f'href="/staff/events/{event["id"]}/floor-plan?booth={a01}#editor"' in svg
    assert f'data-move-url="/staff/events/{event["id"]}/floor-plan/booths/{a01}/move"' in svg
    assert "js/floor-editor.js" in page.text
    assert "Thêm gian hàng" in text_of(page.text) and "Vẽ phần không cho thuê" in text_of(page.text)


async def test_public_plan_booths_are_links(client, fair):
    event, booths = fair["event"], fair["booths"]
    page = await client.get(f"/events/{event['slug']}/floor-plan")
    assert '<a href="#booth-A-01" class="booth-link"' in page.text and 'id="booth-A-01"' in page.text
    assert f'href="/events/{event["slug"]}/floor-plan.pdf"' in page.text and "Sơ đồ gian hàng để in (PDF, khổ A3)" in page.text
    producer, _, user = await producer_with_products("HTX Sen quê Bác")
    await log_in(client, user)
    page = await client.get(f"/events/{event['slug']}/floor-plan")
    link = f'/events/{event["slug"]}/apply?booth={booths["A-03"]}'
    assert f'<a href="{link}" class="booth-link" aria-label="A-03: Còn trống · 3.500.000\xa0₫"' in page.text
    form = await client.get(link)
    assert re.search(rf'name="preference_1".*?<option value="{booths["A-03"]}"\s+selected', form.text, re.S)


async def test_the_printed_floor_plan_names_confirmed_exhibitors(client, fair):
    event, booths, hall = fair["event"], fair["booths"], fair["hall"]
    await _rent(event, booths["A-01"], "HTX Nông nghiệp và Dịch vụ Minh Thành")
    await _rent(event, booths["A-02"], "Công ty Chưa Xác Nhận", status="approved")
    await PlanFeature(event=event["id"], hall=hall.id, kind="stage", label="Sân khấu", x=28, y=0, width=12, depth=6).save()
    response = await client.get(f"/events/{event['slug']}/floor-plan.pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape
    assert round(float(reader.pages[0].mediabox.width) / 72 * 25.4) == 420  # A3
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for code in booths:
        assert code in text
    assert "HTX Nông nghiệp" in text and "Minh Thành" in text
    assert "Sân khấu" in text and "Sơ đồ gian hàng" in text
    assert "Chưa Xác Nhận" not in text  # approved, not yet confirmed


async def test_a_showroom_slot_picked_on_the_plan_comes_chosen(client, showroom):
    event, booths = showroom["event"], showroom["booths"]
    _, _, user = await producer_with_products("HTX Muối tôm Bạc Liêu")
    await log_in(client, user)
    page = await client.get(f"/events/{event['slug']}/floor-plan")
    link = f'/events/{event["slug"]}/apply?booth={booths["K-02"]}'
    assert f'<a href="{link}" class="booth-link"' in page.text
    form = await client.get(link)
    assert re.search(rf'name="booth_id".*?<option value="{booths["K-02"]}"\s+selected', form.text, re.S)
    # Nonsense in the query chooses nothing, and is no error.
    form = await client.get(f'/events/{event["slug"]}/apply?booth={2**40}')
    assert form.status_code == 200 and not re.search(r'name="booth_id".*?selected', form.text.split("</select>")[0], re.S)


async def test_no_printed_plan_for_an_unknown_event(client, fair):
    response = await client.get("/events/khong-co/floor-plan.pdf")
    assert response.status_code == 404 and "Không tìm thấy trang" in text_of(response.text)
