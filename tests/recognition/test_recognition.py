"""Re-recognition against a real database: the 90-day list, dossiers sent, evaluated and decided,
the product's history, and who may open what."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from events_app.core.audit import AuditLog
from events_app.core.clock import today
from events_app.core.errors import Conflict, NotFound
from events_app.core.i18n import format_date
from events_app.directory.tables import Product
from events_app.recognition import history, services
from events_app.recognition.rules import Decision, Evaluation
from events_app.recognition.tables import Dossier, Recognition
from tests.factories import make_producer, make_product, make_user
from tests.helpers import post_form, text_of
from tests.recognition.conftest import product_ending_in, signed_in


async def _history(product_id: int) -> list[tuple]:
    rows = await Recognition.select(
        Recognition.stars, Recognition.certificate_number, Recognition.certified_on, Recognition.valid_until,
        Recognition.dossier, Recognition.decided_by,
    ).where(Recognition.product == product_id).order_by(Recognition.id)
    return [tuple(row.values()) for row in rows]


async def _product(product_id: int) -> dict:
    return await Product.select(Product.stars, Product.certificate_number, Product.certified_on,
                                Product.valid_until, Product.evaluation_level).where(Product.id == product_id).first()


async def test_the_list_holds_certificates_ending_from_today_to_the_ninetieth_day(clean_db):
    nghe_an, quang_ninh = await make_producer(province="Nghệ An"), await make_producer(province="Quảng Ninh")
    last_day = await product_ending_in(nghe_an, 0, name="Nước mắm Tân Hội", stars=4)
    ninetieth = await product_ending_in(quang_ninh, 90, name="Gà Tiên Yên", stars=5)
    in_between = await product_ending_in(nghe_an, 45, name="Tảo xoắn Quỳnh Lưu", stars=3)
    await product_ending_in(nghe_an, 91, name="Cam Vinh")
    await product_ending_in(nghe_an, -1, name="Trà Cà gai leo")  # ended yesterday
    await make_product(nghe_an, certified_on=today() - dt.timedelta(days=30))  # just recognised

    page = await services.expiring(1)
    assert [(p["id"], p["days_left"]) for p in page.items] == [(last_day.id, 0), (in_between.id, 45), (ninetieth.id, 90)]
    assert page.total == 3 == await services.expiring_count()

    by_province = await services.expiring(1, province_id=quang_ninh.province)
    assert [p["name"] for p in by_province.items] == ["Gà Tiên Yên"]
    by_stars = await services.expiring(1, stars=3)
    assert [p["name"] for p in by_stars.items] == ["Tảo xoắn Quỳnh Lưu"]


async def test_every_product_has_its_recognition_in_its_history_and_each_change_appends_one(clean_db):
    producer = await make_producer()
    product = await product_ending_in(producer, 30, stars=4)
    first = (4, product.certificate_number, product.certified_on, product.valid_until, None, None)
    assert await _history(product.id) == [first]

    await Product.update({Product.price: 120_000}).where(Product.id == product.id)  # no recognition change
    assert await _history(product.id) == [first]
    await Product.update({Product.certificate_number: "OCOP-NA-2024-0001"}).where(Product.id == product.id)
    assert await _history(product.id) == [
        first, (4, "OCOP-NA-2024-0001", product.certified_on, product.valid_until, None, None)]


async def _evaluated_dossier(days: int = 20):
    producer = await make_producer()
    owner = await make_user("producer", producer=producer)
    staff = await make_user("staff")
    product = await product_ending_in(producer, days, stars=4)
    dossier_id = await services.submit(producer.id, product.id, "Bổ sung kết quả kiểm nghiệm 2026.", actor_id=owner.id)
    await services.evaluate(dossier_id, Evaluation(stars=5, notes="Đạt 92/100 điểm."), actor_id=staff.id)
    return product, dossier_id, staff


async def test_a_re_recognition_appends_history_and_updates_the_product_together(clean_db):
    product, dossier_id, staff = await _evaluated_dossier()
    certified = today() - dt.timedelta(days=1)
    await services.recognise(dossier_id, Decision(5, "OCOP-QG-2026-0007", certified, "Hội đồng cấp quốc gia"),
                             actor_id=staff.id)

    new_until = certified.replace(year=certified.year + 3)
    assert await _product(product.id) == {
        "stars": 5, "certificate_number": "OCOP-QG-2026-0007", "certified_on": certified, "valid_until": new_until,
        "evaluation_level": "national",
    }
    assert await _history(product.id) == [
        (4, product.certificate_number, product.certified_on, product.valid_until, None, None),
        (5, "OCOP-QG-2026-0007", certified, new_until, dossier_id, staff.id),  # once: the trigger added none
    ]
    dossier = await Dossier.select().where(Dossier.id == dossier_id).first()
    assert (dossier["status"], dossier["new_valid_until"], dossier["decided_by"]) == ("recognised", new_until, staff.id)
    actions = await AuditLog.select(AuditLog.action).where(AuditLog.target_type.is_in(["product", "dossier"])).output(as_list=True)
    assert "product.re_recognise" in actions and "dossier.recognise" in actions


async def test_a_failing_re_recognition_leaves_product_history_and_dossier_as_they_were(clean_db, monkeypatch):
    product, dossier_id, staff = await _evaluated_dossier()
    before = (await _product(product.id), await _history(product.id))

    async def audit_fails(action, **kwargs):
        if action == "dossier.recognise":  # the last write of the decision: everything before it is done
            raise RuntimeError("the audit log is unreachable")

    monkeypatch.setattr(services, "audit", audit_fails)
    with pytest.raises(RuntimeError):
        await services.recognise(dossier_id, Decision(5, "OCOP-QG-2026-0008", today(), ""), actor_id=staff.id)
    assert (await _product(product.id), await _history(product.id)) == before
    assert (await Dossier.select(Dossier.status).where(Dossier.id == dossier_id).first())["status"] == "evaluated"


async def test_the_machine_refuses_illegal_moves_in_the_database(clean_db):
    producer = await make_producer()
    owner, staff = await make_user("producer", producer=producer), await make_user("staff")
    product = await product_ending_in(producer, 10)
    dossier_id = await services.submit(producer.id, product.id, "", actor_id=owner.id)
    with pytest.raises(Conflict):  # not evaluated yet
        await services.recognise(dossier_id, Decision(4, "OCOP-1", today(), ""), actor_id=staff.id)
    with pytest.raises(Conflict):  # one open dossier per product
        await services.submit(producer.id, product.id, "", actor_id=owner.id)
    await services.refuse(dossier_id, "Hồ sơ thiếu phiếu kiểm nghiệm.", actor_id=staff.id)
    with pytest.raises(Conflict):
        await services.evaluate(dossier_id, Evaluation(4), actor_id=staff.id)
    assert (await Dossier.select(Dossier.status).where(Dossier.id == dossier_id).first())["status"] == "refused"
    later = await product_ending_in(producer, 200)
    with pytest.raises(Conflict):  # too early to send one
        await services.submit(producer.id, later.id, "", actor_id=owner.id)
    other = await make_producer()
    with pytest.raises(NotFound):  # someone else's product
        await services.submit(other.id, product.id, "", actor_id=owner.id)


async def test_the_producer_sees_its_notice_and_sends_a_dossier(client):
    producer = await make_producer()
    owner = await make_user("producer", producer=producer)
    product = await product_ending_in(producer, 12, name="Trà túi lọc Cà gai leo")
    await signed_in(client, owner)

    page = text_of((await client.get("/my/products")).text)
    ends = format_date(product.valid_until)
    assert f"Trà túi lọc Cà gai leo: Giấy chứng nhận OCOP hết hạn ngày {ends} (còn 12 ngày)" in page
    assert "Gửi hồ sơ đánh giá lại" in page

    response = await post_form(client, f"/my/recognition/{product.id}", {"note": "Xin đánh giá lại 4 sao."},
                               page="/my/recognition")
    assert response.status_code in (302, 303)
    shown = text_of((await client.get("/my/recognition")).text)
    assert "Đã gửi hồ sơ đánh giá lại đến cán bộ xúc tiến thương mại." in shown
    assert f"Hồ sơ đánh giá lại: Đã nộp · gửi ngày {format_date(today())}" in shown
    assert f"Trà túi lọc Cà gai leo {format_date(today())} Đã nộp" in shown  # the row of My dossiers
    notice = text_of((await client.get("/my/products")).text)
    assert "(còn 12 ngày) · hồ sơ đánh giá lại: Đã nộp Hồ sơ của tôi" in notice and "Gửi hồ sơ đánh giá lại" not in notice
    assert await Dossier.select(Dossier.product, Dossier.note, Dossier.submitted_by).output(as_list=False) == [
        {"product": product.id, "note": "Xin đánh giá lại 4 sao.", "submitted_by": owner.id}]

    later = await product_ending_in(producer, 200, name="Trà linh chi ATC")
    early = await post_form(client, f"/my/recognition/{later.id}", {"note": ""}, page="/my/recognition")
    assert early.status_code == 409
    assert "Hồ sơ đánh giá lại có thể gửi từ 90 ngày trước khi giấy chứng nhận hết hạn." in text_of(early.text)

    again = await post_form(client, f"/my/recognition/{product.id}", {"note": ""}, page="/my/recognition")
    assert again.status_code == 409
    assert "Sản phẩm này đã có một hồ sơ đánh giá lại đang được xem xét." in text_of(again.text)


async def test_staff_evaluate_and_re_recognise_through_the_pages(client):
    producer = await make_producer(province="Quảng Ninh")
    owner, staff = await make_user("producer", producer=producer), await make_user("staff")
    product = await product_ending_in(producer, 40, name="Gà Tiên Yên", stars=4)
    dossier_id = await services.submit(producer.id, product.id, "", actor_id=owner.id)
    await signed_in(client, staff)

    listing = text_of((await client.get("/staff/recognition")).text)
    assert "Gà Tiên Yên" in listing and "còn 40 ngày" in listing and "Đã nộp" in listing
    submitted = text_of((await client.get("/staff/recognition?view=submitted")).text)
    assert "Gà Tiên Yên" in submitted

    url = f"/staff/recognition/dossiers/{dossier_id}"
    bad = await post_form(client, url + "/recognise", {"stars": "5", "certificate_number": "X", "certified_on": today().isoformat()}, page=url)
    assert bad.status_code == 409 and "Chỉ hồ sơ đã được đánh giá mới có thể công nhận lại." in text_of(bad.text)
    assert (await post_form(client, url + "/evaluate", {"stars": "5", "evaluation_notes": "Đạt 91 điểm"}, page=url)).status_code in (302, 303)
    assert "Đạt 91 điểm" in text_of((await client.get(url)).text)
    missing = await post_form(client, url + "/recognise", {"stars": "5", "certificate_number": "", "certified_on": "32/13/2026"}, page=url)
    assert missing.status_code == 400
    assert "Nhập số giấy chứng nhận mới." in text_of(missing.text)
    done = await post_form(client, url + "/recognise", {"stars": "5", "certificate_number": "OCOP-QG-2026-0100",
                                                         "certified_on": today().isoformat()}, page=url)
    assert done.status_code in (302, 303)
    page = text_of((await client.get(url)).text)
    assert "Đã công nhận lại" in page and "OCOP-QG-2026-0100" in page and product.certificate_number in page
    assert (await _product(product.id))["certificate_number"] == "OCOP-QG-2026-0100"


async def test_producers_cannot_open_staff_pages_nor_send_for_others(client):
    producer, other = await make_producer(), await make_producer()
    owner = await make_user("producer", producer=producer)
    theirs = await product_ending_in(other, 5)
    other_user = await make_user("producer", producer=other)
    dossier_id = await services.submit(other.id, theirs.id, "", actor_id=other_user.id)
    await signed_in(client, owner)
    for url in ("/staff/recognition", f"/staff/recognition/dossiers/{dossier_id}", "/staff/reminders"):
        response = await client.get(url)
        assert response.status_code == 403, url
        assert "Gà" not in response.text
    refused = await post_form(client, f"/staff/recognition/dossiers/{dossier_id}/refuse", {"reason": "x"}, page="/my/recognition")
    assert refused.status_code == 403
    mine = await post_form(client, f"/my/recognition/{theirs.id}", {"note": ""}, page="/my/recognition")
    assert mine.status_code == 404
    assert await Dossier.count() == 1
    assert (await Dossier.select(Dossier.status).first())["status"] == "submitted"


async def test_the_migration_backfills_one_row_per_product_without_history(clean_db):
    producer = await make_producer()
    kept = await product_ending_in(producer, 100)
    bare = await product_ending_in(producer, 200)
    await Recognition.delete().where(Recognition.product == bare.id)  # as before the history existed
    await history.backfill()
    assert await _history(bare.id) == [(bare.stars, bare.certificate_number, bare.certified_on, bare.valid_until, None, None)]
    assert len(await _history(kept.id)) == 1  # a product with history is left alone
    created = await Product.select(Product.created_at).where(Product.id == bare.id).first()
    row = await Recognition.select(Recognition.created_at).where(Recognition.product == bare.id).first()
    assert row["created_at"] == created["created_at"]


async def test_two_dossiers_sent_at_once_make_one(clean_db):
    producer = await make_producer()
    owner = await make_user("producer", producer=producer)
    product = await product_ending_in(producer, 15)
    results = await asyncio.gather(*(services.submit(producer.id, product.id, "", actor_id=owner.id) for _ in range(2)),
                                   return_exceptions=True)
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "int"]
    assert await Dossier.count() == 1


async def test_bad_input_is_answered_with_its_reason_never_a_server_error(client):
    product, dossier_id, staff = await _evaluated_dossier()
    await signed_in(client, staff)
    for query in ("?province=abc&stars=9&page=-3", "?view=nothing&page=99999999999", "?province=99999&stars=4"):
        page = await client.get("/staff/recognition" + query)
        assert page.status_code == 200 and product.name in page.text  # what cannot be read is ignored
    assert (await client.get("/staff/recognition?view=%00")).status_code == 400  # refused before any handler
    for url in ("/staff/recognition/dossiers/0", "/staff/recognition/dossiers/99999999999", "/staff/recognition/dossiers/999"):
        assert (await client.get(url)).status_code in (400, 404)
    url = f"/staff/recognition/dossiers/{dossier_id}"
    long = await post_form(client, url + "/recognise", {"stars": "abc", "certificate_number": "X" * 81,
                                                         "certified_on": "2026-02-30", "notes": "n" * 2001}, page=url)
    assert long.status_code == 400
    shown = text_of(long.text)
    assert "Chọn 3, 4 hoặc 5 sao." in shown and "Dùng tối đa 80 ký tự." in shown and "Dùng tối đa 2000 ký tự." in shown
    refuse = await post_form(client, url + "/refuse", {"reason": "   "}, page=url)
    assert refuse.status_code == 400 and "Nêu lý do để chủ thể được biết." in text_of(refuse.text)
    assert (await post_form(client, "/staff/recognition/dossiers/999/refuse", {"reason": "x"}, page=url)).status_code == 404
    assert (await _product(product.id))["stars"] == 4


async def test_the_lists_page_with_their_tab_and_filters_kept(client):
    producer = await make_producer()
    owner, staff = await make_user("producer", producer=producer), await make_user("staff")
    for n in range(services.PER_PAGE + 1):
        product = await product_ending_in(producer, 10 + n, name=f"Miến gạo Quy Chính {n:02d}")
        await services.submit(producer.id, product.id, "", actor_id=owner.id)
    await signed_in(client, staff)
    first = (await client.get("/staff/recognition?view=submitted")).text
    assert 'href="?view=submitted&amp;page=2"' in first and "Miến gạo Quy Chính 24" in first
    second = text_of((await client.get("/staff/recognition?view=submitted&page=2")).text)
    assert "Miến gạo Quy Chính 25" in second and "Miến gạo Quy Chính 24" not in second
    filtered = (await client.get(f"/staff/recognition?province={producer.province}&stars=4")).text
    assert f'href="?province={producer.province}&amp;stars=4&amp;page=2"' in filtered
