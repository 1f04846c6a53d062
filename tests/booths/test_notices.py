"""A producer is told on its pages what happened to its applications, until it reads it; the
notice is written in the transaction of the change, so a change that fails leaves none."""

import datetime as dt
import re

import pytest

from events_app.booths import decisions, notices, rules, waiting
from events_app.booths.tables import ApplicationNotice, BoothApplication
from events_app.core.clock import now
from tests.booths.conftest import log_in, producer_with_products
from tests.factories import make_user
from tests.helpers import post_form, text_of


async def _apply(event, name: str):
    producer, products, user = await producer_with_products(name)
    application = await decisions.apply(event, producer.id, rules.ApplicationForm(product_ids=[p.id for p in products]))
    return producer, user, application


async def _notices(application_id: int) -> list[tuple[str, bool]]:
    return [(r["kind"], r["read_at"] is not None) for r in await ApplicationNotice.select(
        ApplicationNotice.kind, ApplicationNotice.read_at).where(ApplicationNotice.application == application_id)
        .order_by(ApplicationNotice.id)]


def _nav_count(html: str) -> str | None:
    match = re.search(r'<span class="nav-count"[^>]*>(\d+)</span>', html)
    return match.group(1) if match else None


async def test_the_producer_reads_each_decision_until_it_marks_it_read(client, fair):
    event, booths = fair["event"], fair["booths"]
    staff = await make_user("staff")
    producer, user, application = await _apply(event, "HTX Được báo tin")
    assert await _notices(application) == []  # its own application needs no notice

    await decisions.approve(application, booths["A-03"], staff_id=staff.id)
    await log_in(client, user)
    page = await client.get("/my/applications")
    text = text_of(page.text)
    assert (f"{event['title_vi']}: đơn đăng ký của bạn đã được duyệt với gian hàng A-03. "
            "Hãy xác nhận gian hàng trên trang này.") in text
    assert "1 thông báo mới" in text
    assert _nav_count(page.text) == "1"
    assert _nav_count((await client.get(f"/events/{event['slug']}")).text) == "1"  # on every page

    response = await post_form(client, f"/my/applications/{application}/confirm", {}, page="/my/applications")
    assert response.status_code == 302
    await decisions.reject(application, "Sản phẩm chưa đúng nhóm của hội chợ", staff_id=staff.id)
    page = await client.get("/my/applications")
    text = text_of(page.text)
    assert f"{event['title_vi']}: gian hàng A-03 đã được xác nhận. Bạn có thể tải thư xác nhận gian hàng." in text
    assert (f"{event['title_vi']}: đơn đăng ký của bạn đã bị từ chối. "
            "Lý do: Sản phẩm chưa đúng nhóm của hội chợ") in text
    assert _nav_count(page.text) == "3"
    assert await _notices(application) == [("approved", False), ("confirmed", False), ("rejected", False)]

    # One read, then the others at once.
    first = await ApplicationNotice.select(ApplicationNotice.id).where(ApplicationNotice.kind == "approved").first()
    response = await post_form(client, f"/my/applications/notices/{first['id']}/read", {}, page="/my/applications")
    assert response.status_code == 302
    page = await client.get("/my/applications")
    assert "đã được duyệt với gian hàng A-03" not in text_of(page.text)
    assert _nav_count(page.text) == "2"
    response = await post_form(client, "/my/applications/notices/read", {}, page="/my/applications")
    assert response.status_code == 302
    page = await client.get("/my/applications")
    assert "Đã đánh dấu 2 thông báo là đã đọc." in text_of(page.text)
    assert "thông báo mới" not in text_of(page.text) and _nav_count(page.text) is None
    assert await _notices(application) == [("approved", True), ("confirmed", True), ("rejected", True)]


async def test_a_producer_cannot_read_away_another_producers_notice(client, fair):
    event = fair["event"]
    staff = await make_user("staff")
    _, _, application = await _apply(event, "HTX Chủ thông báo")
    _, other, _ = await _apply(event, "HTX Người lạ")
    await decisions.waitlist(application, staff_id=staff.id)
    notice = await ApplicationNotice.select(ApplicationNotice.id).first()
    await log_in(client, other)
    response = await post_form(client, f"/my/applications/notices/{notice['id']}/read", {}, page="/my/applications")
    assert response.status_code == 404  # as another producer's application is
    assert "Không có thông báo này." in text_of(response.text)
    assert await _notices(application) == [("waitlisted", False)]
    assert "danh sách chờ" not in text_of((await client.get("/my/applications")).text)


async def test_a_change_that_fails_leaves_no_notice(fair, monkeypatch):
    event = fair["event"]
    staff = await make_user("staff")
    _, _, application = await _apply(event, "HTX Thay đổi hỏng")

    async def broken_audit(*args, **kwargs):  # the last write of the decision fails
        raise RuntimeError("disk full")

    monkeypatch.setattr(decisions, "audit", broken_audit)
    with pytest.raises(RuntimeError):
        await decisions.reject(application, "Hồ sơ thiếu", staff_id=staff.id)
    row = await BoothApplication.select(BoothApplication.status).where(BoothApplication.id == application).first()
    assert row["status"] == "submitted"
    assert await ApplicationNotice.count() == 0
    monkeypatch.undo()
    await decisions.reject(application, "Hồ sơ thiếu", staff_id=staff.id)
    assert await _notices(application) == [("rejected", False)]


async def test_the_line_moving_tells_those_behind(client, fair):
    event, booths = fair["event"], fair["booths"]
    staff = await make_user("staff")
    _, holder_user, holder = await _apply(event, "HTX Đang giữ A-01")
    await decisions.approve(holder, booths["A-01"], staff_id=staff.id)
    waiting_ids, users = [], []
    for n in range(1, 4):
        _, user, application = await _apply(event, f"HTX Chờ số {n}")
        await decisions.waitlist(application, staff_id=staff.id)
        await BoothApplication.update({BoothApplication.waiting_place: n}).where(BoothApplication.id == application)
        waiting_ids.append(application)
        users.append(user)
    await ApplicationNotice.delete().where(ApplicationNotice.id > 0)

    # A-01 is given back: the first in line is offered it, the two behind move up.
    await decisions.cancel(holder, producer_id=(await BoothApplication.select(BoothApplication.producer).where(
        BoothApplication.id == holder).first())["producer"])
    assert await _notices(holder) == [("cancelled", False)]
    assert await _notices(waiting_ids[0]) == [("offered", False)]
    assert await _notices(waiting_ids[1]) == [("line_moved", False)]
    assert await _notices(waiting_ids[2]) == [("line_moved", False)]
    await log_in(client, users[2])
    text = text_of((await client.get("/my/applications")).text)
    assert f"{event['title_vi']}: vị trí của bạn trong danh sách chờ đã chuyển từ thứ 3 sang thứ 2." in text
    await log_in(client, users[0])
    text = text_of((await client.get("/my/applications")).text)
    assert f"{event['title_vi']}: gian hàng A-01 vừa được trả lại và dành cho bạn, người đứng đầu danh sách chờ." in text

    # The offer lapses: the next in line is offered the booth, the last one moves up again.
    await BoothApplication.update({BoothApplication.offer_expires_at: now() - dt.timedelta(minutes=1)}).where(
        BoothApplication.id == waiting_ids[0])
    assert await waiting.settle(event["id"]) == 1
    assert await _notices(waiting_ids[0]) == [("offered", False), ("lapsed", False)]
    assert await _notices(waiting_ids[1]) == [("line_moved", False), ("offered", False)]
    assert await _notices(waiting_ids[2]) == [("line_moved", False), ("line_moved", False)]
    text = text_of((await client.get("/my/applications")).text)
    assert "lời mời nhận gian hàng A-01 đã hết hạn lúc" in text


async def test_an_allocation_tells_each_application_once_with_its_reason(client, fair):
    from events_app.booths import market

    event = fair["event"]
    staff = await make_user("staff")
    ids = [(await _apply(event, f"HTX Xếp gian {n}"))[2] for n in range(10)]
    preview = await market.preview(event)
    placed, waiting_count = await market.commit(event, preview.market.token, staff_id=staff.id)
    assert (placed, waiting_count) == (8, 2)
    kinds = [await _notices(a) for a in ids]
    assert sorted(k[0][0] for k in kinds) == ["approved"] * 8 + ["waitlisted"] * 2
    assert all(len(k) == 1 for k in kinds)  # no place-in-line notice for the moves inside the commit
    rows = await ApplicationNotice.select(ApplicationNotice.params).where(ApplicationNotice.kind == "waitlisted")
    texts = [notices._params(r["params"])["reason"] for r in rows]
    assert all("danh sách chờ" in t for t in texts), texts


async def test_a_move_is_told_and_the_same_decision_again_is_not(client, fair):
    event, booths = fair["event"], fair["booths"]
    staff = await make_user("staff")
    producer, user, application = await _apply(event, "HTX Đổi gian")
    await decisions.approve(application, booths["A-02"], staff_id=staff.id)
    await decisions.approve(application, booths["A-02"], staff_id=staff.id)  # nothing changed: nothing to tell
    await decisions.confirm(application, producer_id=producer.id)
    await decisions.approve(application, booths["A-07"], staff_id=staff.id)
    await decisions.waitlist(application, staff_id=staff.id)
    await decisions.waitlist(application, staff_id=staff.id)
    assert [k for k, _ in await _notices(application)] == ["approved", "confirmed", "moved", "waitlisted"]
    await log_in(client, user)
    text = text_of((await client.get("/my/applications")).text)
    assert f"{event['title_vi']}: gian hàng của bạn đã được chuyển sang A-07. Hãy xác nhận gian hàng mới trên trang này." in text
    # In English for a reader who switched.
    await post_form(client, "/language", {"language": "en", "next": "/my/applications"}, page="/my/applications")
    text = text_of((await client.get("/my/applications")).text)
    assert f"{event['title_vi']}: your booth was moved to A-07. Confirm the new booth on this page." in text
    assert "4 new notices" in text
