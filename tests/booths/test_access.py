"""Who may open each page of the booths domain: every role against every route."""

import pytest

from events_app.booths import decisions, rules
from events_app.booths.tables import Booth, BoothApplication, BoothRental
from tests.booths.conftest import log_in, producer_with_products
from tests.factories import make_user
from tests.helpers import post_form, text_of

ROLES = ["visitor", "producer", "distributor", "staff", "admin"]
PRODUCER, STAFF = {"producer"}, {"staff", "admin"}
EVERYONE = set(ROLES)


def _routes(event, booth_id, held_booth_id, application_id):
    """(method, path, data, roles allowed, what an allowed role gets: status and a text on the page)."""
    slug, eid = event["slug"], event["id"]
    return [
        ("GET", f"/events/{slug}/floor-plan", None, EVERYONE, (200, "Sơ đồ gian hàng")),
        ("GET", f"/events/{slug}/apply", None, PRODUCER, (200, "Đăng ký gian hàng")),
        ("POST", f"/events/{slug}/apply", {"note": ""}, PRODUCER, (400, "Chọn ít nhất một sản phẩm để trưng bày.")),
        ("GET", "/my/applications", None, PRODUCER, (200, "Đơn đăng ký gian hàng của tôi")),
        # Another producer's application: not found for a producer who does not own it.
        ("POST", f"/my/applications/{application_id}/cancel", {}, PRODUCER, (404, "Không tìm thấy trang")),
        ("POST", f"/my/applications/{application_id}/confirm", {}, PRODUCER, (404, "Không tìm thấy trang")),
        ("GET", f"/staff/events/{eid}/floor-plan", None, STAFF, (200, "Thêm một lưới gian hàng")),
        ("POST", f"/staff/events/{eid}/floor-plan", {}, STAFF, (400, "Trường này là bắt buộc.")),
        ("GET", f"/staff/events/{eid}/booths/{booth_id}", None, STAFF, (200, "Gian hàng A-01")),
        ("POST", f"/staff/events/{eid}/booths/{booth_id}", {}, STAFF, (400, "Trường này là bắt buộc.")),
        ("POST", f"/staff/events/{eid}/booths/{held_booth_id}/delete", {}, STAFF, (409, "đang do")),
        # The floor-plan editor's forms: empty, they are refused field by field; nothing is written.
        ("GET", f"/staff/events/{eid}/floor-plan?booth={booth_id}", None, STAFF, (200, "Vị trí, kích thước, loại và giá")),
        ("POST", f"/staff/events/{eid}/floor-plan/booths", {}, STAFF, (400, "Trường này là bắt buộc.")),
        ("POST", f"/staff/events/{eid}/floor-plan/booths/{booth_id}/place", {}, STAFF, (400, "Trường này là bắt buộc.")),
        ("POST", f"/staff/events/{eid}/floor-plan/booths/{booth_id}/move", {}, STAFF, (400, "Trường này là bắt buộc.")),
        ("POST", f"/staff/events/{eid}/floor-plan/booths/{held_booth_id}/split", {"parts": "2", "axis": "x"}, STAFF,
         (409, "đã cho thuê")),
        ("POST", f"/staff/events/{eid}/floor-plan/merge", {}, STAFF, (400, "Hãy chọn ít nhất hai gian hàng để gộp.")),
        ("POST", f"/staff/events/{eid}/floor-plan/features", {}, STAFF, (400, "Trường này là bắt buộc.")),
        ("POST", f"/staff/events/{eid}/floor-plan/prices", {"price_standard": "x"}, STAFF, (400, "Nhập một số nguyên.")),
        ("GET", f"/staff/events/{eid}/applications", None, STAFF, (200, "Đơn đăng ký gian hàng")),
        ("POST", f"/staff/events/{eid}/applications/{application_id}", {"action": "reject", "reason": ""}, STAFF,
         (400, "Hãy ghi lý do từ chối để chủ thể được biết.")),
    ]


@pytest.mark.parametrize("role", ROLES)
async def test_role_route_matrix(client, fair, role):
    event, booths = fair["event"], fair["booths"]
    owner, products, _ = await producer_with_products("HTX Chủ đơn")
    application_id = await decisions.apply(
        event, owner.id, rules.ApplicationForm(product_ids=[p.id for p in products])
    )
    await decisions.approve(application_id, booths["A-02"], staff_id=(await make_user("staff")).id)
    if role != "visitor":
        await log_in(client, await make_user(role))

    for method, path, data, allowed, (status, text) in _routes(event, booths["A-01"], booths["A-02"], application_id):
        if method == "GET":
            response = await client.get(path)
        else:
            response = await post_form(client, path, data, page=f"/events/{event['slug']}")
        where = f"{role} {method} {path}"
        if role in allowed:
            assert response.status_code == status, (where, text_of(response.text)[:400])
            assert text in text_of(response.text), where
        elif role == "visitor":
            assert response.status_code in (302, 303), where
            assert response.headers["location"].startswith("/login?next="), where
        else:
            assert response.status_code == 403, where
            assert "Bạn không thể mở trang này" in text_of(response.text), where

    # Nothing was changed by any of these requests.
    assert await Booth.count().where(Booth.event == event["id"]) == 8
    assert (await BoothApplication.select(BoothApplication.status).where(BoothApplication.id == application_id).first()) == {
        "status": "approved"}
    assert await BoothRental.count().where(BoothRental.status == "active") == 1
