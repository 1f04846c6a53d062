"""Compliance documents kept as certifications: a standards declaration and a trademark, with validity,
recorded through the producer's pages and read on the product's pages."""

import datetime as dt
import re

import pytest

from events_app.core.clock import today
from events_app.core.i18n import format_date, language
from events_app.core.labels import label
from events_app.core.errors import ValidationError
from events_app.directory import certifications
from events_app.directory.certifications import CertificationInput
from events_app.directory.tables import Certification
from tests.factories import PASSWORD, make_producer, make_product, make_user
from tests.helpers import login, post_form, text_of


async def test_standards_declarations_and_trademarks_are_kept_with_their_validity(clean_db):
    producer = await make_producer("HTX Chè Thanh Chương")
    product = await make_product(producer, "Chè búp khô")
    user = await make_user("producer", producer=producer)
    declared = await certifications.add(producer.id, CertificationInput(
        kind="standards_declaration", number="01/2025/TCB-CHE", issuer="HTX Chè Thanh Chương",
        valid_from=dt.date(2025, 1, 10), valid_until=dt.date(2028, 1, 9), product_id=product.id,
    ), actor_id=user.id)
    mark = await certifications.add(producer.id, CertificationInput(
        kind="trademark", number="4-0412345-000", issuer="Cục Sở hữu trí tuệ",
        valid_from=dt.date(2022, 5, 1), valid_until=dt.date(2032, 4, 30),
    ), actor_id=user.id)
    rows = await Certification.select(Certification.id, Certification.kind, Certification.product,
                                      Certification.producer).order_by(Certification.id)
    assert rows == [
        {"id": declared, "kind": "standards_declaration", "product": product.id, "producer": None},
        {"id": mark, "kind": "trademark", "product": None, "producer": producer.id},
    ]
    with language("vi"):
        assert [label("certification_kind", row["kind"]) for row in rows] == ["Tự công bố sản phẩm", "Nhãn hiệu"]

    with pytest.raises(ValidationError) as refused:
        await certifications.add(producer.id, CertificationInput(
            kind="patent", number="1", issuer="", valid_from=dt.date(2025, 1, 1), valid_until=dt.date(2026, 1, 1),
        ), actor_id=user.id)
    assert "kind" in refused.value.field_messages()
    with pytest.raises(Exception):  # the database's own check, behind the form's
        await Certification.insert(Certification(kind="patent", producer=producer.id, valid_from=dt.date(2025, 1, 1),
                                                 valid_until=dt.date(2026, 1, 1)))
    assert await Certification.count() == 2


async def test_a_producer_records_its_compliance_documents_through_the_pages_and_buyers_see_them(
        producer_client, producer):
    product = await make_product(producer, "Chè búp Thanh Chương")
    on = today()
    declared_from, declared_until = on - dt.timedelta(days=300), on + dt.timedelta(days=40)
    page = text_of((await producer_client.get(f"/my/products/{product.id}/edit")).text)
    assert ("hồ sơ pháp lý của sản phẩm này (giấy chứng nhận an toàn thực phẩm, tự công bố sản phẩm, nhãn hiệu), "
            "kèm thời hạn") in page
    form = text_of((await producer_client.get(f"/my/certifications/new?product={product.id}")).text)
    assert "Giấy chứng nhận an toàn thực phẩm Tự công bố sản phẩm Nhãn hiệu" in form

    response = await post_form(producer_client, "/my/certifications/new", {
        "kind": "standards_declaration", "number": "01/2025/TCB-CHE", "issuer": "HTX Chè Thanh Chương",
        "valid_from": declared_from.isoformat(), "valid_until": declared_until.isoformat(), "product_id": str(product.id)})
    assert response.status_code in (302, 303)
    response = await post_form(producer_client, "/my/certifications/new", {
        "kind": "trademark", "number": "4-0412345-000", "issuer": "Cục Sở hữu trí tuệ",
        "valid_from": "2022-05-01", "valid_until": "2032-04-30", "product_id": ""})
    assert response.headers["location"] == "/my/organisation"
    # Longer than any of them runs: refused on the form, in Vietnamese, nothing saved.
    refused = await post_form(producer_client, "/my/certifications/new", {
        "kind": "trademark", "number": "4-1", "issuer": "", "valid_from": "2022-05-01", "valid_until": "2033-05-01",
        "product_id": ""})
    assert refused.status_code == 400
    assert "Không có chứng nhận nào loại này có hiệu lực quá mười năm." in text_of(refused.text)
    assert await Certification.count() == 2

    # The product's form lists its own, and the organisation's that count for it, with where to change those.
    page = await producer_client.get(f"/my/products/{product.id}/edit")
    shown = text_of(page.text)
    assert (f"Tự công bố sản phẩm Số 01/2025/TCB-CHE · HTX Chè Thanh Chương {format_date(declared_from)} đến "
            f"{format_date(declared_until)} Sắp hết hạn") in shown
    assert ("Của đơn vị bạn, áp dụng cho cả sản phẩm này Nhãn hiệu Số 4-0412345-000 · Cục Sở hữu trí tuệ "
            "01/05/2022 đến 30/04/2032 Còn hiệu lực Thêm hoặc bỏ ở trang thông tin đơn vị") in shown
    assert 'href="/my/organisation#h-certifications"' in page.text
    assert len(re.findall(r'action="/my/certifications/\d+/delete"', page.text)) == 1  # only the product's own here

    # Buyers read both on the product's public page, with their validity.
    public = text_of((await producer_client.get(f"/products/{product.slug}")).text)
    assert "Tự công bố sản phẩm Số 01/2025/TCB-CHE" in public and "Nhãn hiệu Số 4-0412345-000" in public

    # Staff see the same on their edit page of the product, worded for the producer's.
    staff = await make_user("staff", "canbo@example.vn")
    await login(producer_client, staff.email, PASSWORD)  # a log-in replaces the producer's session
    staff_page = await producer_client.get(f"/staff/products/{product.id}/edit")
    assert "Của chủ thể, áp dụng cho cả sản phẩm này Nhãn hiệu" in text_of(staff_page.text)
    assert f'href="/staff/producers/{producer.id}/edit#h-certifications"' in staff_page.text


async def test_a_standards_declaration_may_have_no_end_date_and_nothing_else_may(producer_client, producer):
    product = await make_product(producer, "Nước mắm Cửa Lò")
    since = today() - dt.timedelta(days=200)
    form = text_of((await producer_client.get(f"/my/certifications/new?product={product.id}")).text)
    assert "Chỉ để trống với bản tự công bố sản phẩm, vốn không có thời hạn." in form
    response = await post_form(producer_client, "/my/certifications/new", {
        "kind": "standards_declaration", "number": "02/2025/TCB-NMCL", "issuer": "Cơ sở nước mắm Cửa Lò",
        "valid_from": since.isoformat(), "valid_until": "", "product_id": str(product.id)})
    assert response.status_code in (302, 303)
    assert await Certification.select(Certification.kind, Certification.valid_until).output(as_list=False) == [
        {"kind": "standards_declaration", "valid_until": None}]
    for kind in ("trademark", "food_safety", "vietgap"):
        refused = await post_form(producer_client, "/my/certifications/new", {
            "kind": kind, "number": "X-1", "issuer": "", "valid_from": since.isoformat(), "valid_until": "",
            "product_id": str(product.id)})
        assert refused.status_code == 400
        assert "Nhập ngày cuối cùng chứng nhận còn hiệu lực." in text_of(refused.text)
    assert await Certification.count() == 1

    shown = text_of((await producer_client.get(f"/my/products/{product.id}/edit")).text)
    assert f"Tự công bố sản phẩm Số 02/2025/TCB-NMCL · Cơ sở nước mắm Cửa Lò từ {format_date(since)}, không thời hạn Còn hiệu lực" in shown
    public = text_of((await producer_client.get(f"/products/{product.slug}")).text)
    assert f"từ {format_date(since)}, không thời hạn Còn hiệu lực" in public

    # The database keeps the rule behind the form: only a standards declaration goes without an end date.
    with pytest.raises(Exception):
        await Certification.insert(Certification(kind="trademark", product=product.id, valid_from=since, valid_until=None))
    assert await Certification.count() == 1
