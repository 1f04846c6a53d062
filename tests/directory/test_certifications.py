"""Producers record certifications (VietGAP, HACCP…) of their products and of themselves."""

import datetime as dt

import pytest

from events_app.core.db import is_integrity_error
from events_app.directory import profiles
from events_app.directory.tables import Certification, Product
from tests.factories import PASSWORD, make_producer, make_product, make_user
from tests.helpers import post_form, text_of

TODAY = dt.date.today()


def _form(**fields):
    values = {"kind": "vietgap", "number": "VietGAP-TT-12-34", "issuer": "Trung tâm Kiểm nghiệm Nghệ An",
              "valid_from": (TODAY - dt.timedelta(days=400)).isoformat(),
              "valid_until": (TODAY + dt.timedelta(days=30)).isoformat()}
    values.update(fields)
    return values


async def test_a_producer_adds_and_removes_a_products_certification(producer_client, producer):
    product = await make_product(producer, "Chè xanh Thanh Chương", group="beverages")
    form = await producer_client.get(f"/my/certifications/new?product={product.id}")
    assert form.status_code == 200 and "Chè xanh Thanh Chương" in text_of(form.text)
    response = await post_form(producer_client, "/my/certifications/new", _form(product_id=str(product.id)))
    assert response.status_code in (302, 303) and response.headers["location"] == f"/my/products/{product.id}/edit"
    row = await Certification.objects().first()
    assert (row.product, row.producer, row.kind, row.number) == (product.id, None, "vietgap", "VietGAP-TT-12-34")

    page = text_of((await producer_client.get(f"/my/products/{product.id}/edit")).text)
    assert "VietGAP Số VietGAP-TT-12-34 · Trung tâm Kiểm nghiệm Nghệ An" in page
    assert "Sắp hết hạn" in page  # 30 days left
    public = text_of((await producer_client.get(f"/products/{product.slug}")).text)
    assert "Các chứng nhận khác" in public and "VietGAP" in public

    response = await post_form(producer_client, "/my/certifications/new", _form(kind="haccp", product_id="", valid_until=(TODAY + dt.timedelta(days=700)).isoformat()))
    assert response.headers["location"] == "/my/organisation"
    organisation = text_of((await producer_client.get("/my/organisation")).text)
    assert "HACCP" in organisation and "Còn hiệu lực" in organisation

    response = await post_form(producer_client, f"/my/certifications/{row.id}/delete", {})
    assert response.status_code in (302, 303)
    assert [c.kind for c in await Certification.objects()] == ["haccp"]


@pytest.mark.parametrize("fields, field, message", [
    ({"kind": "iso9001"}, "kind", "Chọn một trong các lựa chọn."),
    ({"number": ""}, "number", "Trường này là bắt buộc."),
    ({"number": "x" * 81}, "number", "Dùng tối đa 80 ký tự."),
    ({"valid_from": "3000-01-01"}, "valid_from", "Nhập ngày trong khoảng từ 01/01/2000 đến 31/12/2100."),
    ({"valid_from": "2030-01-01"}, "valid_from", "Chỉ thêm chứng nhận đã được cấp."),
    ({"valid_until": "31/02/2027"}, "valid_until", "Nhập ngày theo dạng"),
    ({"valid_until": "2000-01-01"}, "valid_until", "Ngày hết hạn không thể trước ngày cấp."),
    ({"valid_until": "2099-01-01"}, "valid_until", "Không có chứng nhận nào loại này có hiệu lực quá mười năm."),
    ({"product_id": str(2**31)}, "product_id", "Nhập số không lớn hơn 2147483647."),
    ({"product_id": "-5"}, "product_id", "Nhập số không nhỏ hơn 1."),
])
async def test_hostile_input_gets_a_field_error_and_nothing_is_saved(producer_client, producer, fields, field, message):
    response = await post_form(producer_client, "/my/certifications/new", _form(**fields))
    assert response.status_code == 400, response.text[:300]
    assert f'id="e-{field}"' in response.text
    assert message in text_of(response.text)
    assert await Certification.count() == 0


async def test_another_producers_product_or_certification_is_not_found(producer_client, producer):
    other = await make_producer("HTX Khác", province="Hà Tĩnh")
    theirs = await make_product(other, "Kẹo cu đơ")
    await make_user("producer", "khac@example.vn", producer=other)
    assert (await producer_client.get(f"/my/certifications/new?product={theirs.id}")).status_code == 404
    assert (await producer_client.get(f"/my/certifications/new?product={2**40}")).status_code == 404
    response = await post_form(producer_client, "/my/certifications/new", _form(product_id=str(theirs.id)))
    assert response.status_code == 404
    cert = Certification(product=theirs.id, kind="organic", number="HC-1", valid_from=TODAY, valid_until=TODAY)
    await cert.save()
    assert (await post_form(producer_client, f"/my/certifications/{cert.id}/delete", {})).status_code == 404
    assert await Certification.count() == 1


async def test_a_certification_belongs_to_a_product_or_its_producer_never_both(clean_db):
    producer = await make_producer()
    product = await make_product(producer)
    for holder in ({"product": product.id, "producer": producer.id}, {}):
        with pytest.raises(Exception) as raised:
            await Certification(kind="haccp", number="1", valid_from=TODAY, valid_until=TODAY, **holder).save()
        assert is_integrity_error(raised.value)
    with pytest.raises(Exception) as raised:
        await Certification(kind="haccp", number="1", product=product.id, valid_from=TODAY,
                            valid_until=TODAY - dt.timedelta(days=1)).save()
    assert is_integrity_error(raised.value)


def test_validity_is_valid_expiring_expired_or_not_yet():
    on = dt.date(2026, 12, 1)
    assert profiles.validity(dt.date(2025, 1, 1), dt.date(2027, 6, 1), on) == "valid"
    assert profiles.validity(dt.date(2025, 1, 1), dt.date(2027, 2, 28), on) == "expiring"
    assert profiles.validity(dt.date(2025, 1, 1), on, on) == "expiring"
    assert profiles.validity(dt.date(2025, 1, 1), dt.date(2026, 11, 30), on) == "expired"
    assert profiles.validity(dt.date(2027, 1, 1), dt.date(2029, 1, 1), on) == "not_yet"


async def test_a_producer_logged_in_elsewhere_cannot_reach_the_form(client, distributor_client):
    assert (await distributor_client.get("/my/certifications/new")).status_code == 403
    assert PASSWORD


async def test_a_product_says_its_channels_and_monthly_capacity(producer_client, producer):
    from tests.directory.test_products import product_form

    form = await product_form(channels=["supermarket", "export"], monthly_capacity="1.500", capacity_unit="kg")
    response = await post_form(producer_client, "/my/products/new", form, page="/my/products/new")
    assert response.status_code == 302, response.text[:300]
    row = await Product.objects().where(Product.producer == producer.id).first()
    assert (row.channels, row.monthly_capacity, row.capacity_unit) == ("export,supermarket", 1500, "kg")
    edit = await producer_client.get(f"/my/products/{row.id}/edit")
    assert 'value="export" checked' in edit.text and 'value="1500"' in edit.text

    for changes, field, message in (
        ({"monthly_capacity": "0"}, "monthly_capacity", "Nhập số không nhỏ hơn 1."),
        ({"monthly_capacity": str(2**31)}, "monthly_capacity", "Nhập số không lớn hơn 1000000."),
        ({"channels": ["supermarket", "teleshopping"]}, "channels", "Chọn trong các lựa chọn có sẵn."),
        ({"capacity_unit": "gallon"}, "capacity_unit", "Chọn một trong các lựa chọn."),
    ):
        response = await post_form(producer_client, f"/my/products/{row.id}/edit", await product_form(**changes))
        assert response.status_code == 400, (changes, response.text[:300])
        assert f'id="e-{field}"' in response.text or field == "channels"
        assert message in text_of(response.text), changes
    row = await Product.objects().where(Product.id == row.id).first()
    assert (row.channels, row.monthly_capacity) == ("export,supermarket", 1500)


def test_the_migration_reads_required_certifications_from_the_free_text_it_keeps_as_a_note():
    import importlib

    migration = importlib.import_module(
        "events_app.directory.piccolo_migrations.directory_2026_12_01t17_20_01_000000")
    assert migration.kinds_named("VietGAP") == "vietgap"
    assert migration.kinds_named("Global G.A.P., HACCP; ISO-22000") == "globalgap,haccp,iso22000"
    assert migration.kinds_named("Chứng nhận hữu cơ và ATTP") == "food_safety,organic"
    assert migration.kinds_named("Giấy chứng nhận an toàn thực phẩm") == "food_safety"
    assert migration.kinds_named("2 tấn/tháng, giao tận kho") == ""


async def test_staff_add_and_remove_any_producers_certifications(client):
    from tests.helpers import login

    producer = await make_producer("HTX Bưởi Phúc Trạch", province="Hà Tĩnh")
    product = await make_product(producer, "Bưởi Phúc Trạch")
    staff = await make_user("staff", "canbo@example.vn")
    await login(client, staff.email, PASSWORD)
    page = await client.get(f"/staff/products/{product.id}/edit")
    assert f"/staff/producers/{producer.id}/certifications/new?product={product.id}" in page.text
    form = await client.get(f"/staff/producers/{producer.id}/certifications/new?product={product.id}")
    assert form.status_code == 200 and "Bưởi Phúc Trạch" in text_of(form.text)
    response = await post_form(client, f"/staff/producers/{producer.id}/certifications/new",
                               _form(kind="globalgap", product_id=str(product.id)))
    assert response.status_code in (302, 303) and response.headers["location"] == f"/staff/products/{product.id}/edit"
    row = await Certification.objects().first()
    assert (row.product, row.kind) == (product.id, "globalgap")
    assert "GlobalGAP" in text_of((await client.get(f"/staff/products/{product.id}/edit")).text)
    other = await make_producer("HTX Khác")
    response = await post_form(client, f"/staff/producers/{other.id}/certifications/{row.id}/delete", {})
    assert response.status_code == 404  # not that producer's
    response = await post_form(client, f"/staff/producers/{producer.id}/certifications/{row.id}/delete", {})
    assert response.status_code in (302, 303) and await Certification.count() == 0
    response = await post_form(client, f"/staff/producers/{producer.id}/certifications/new", _form(valid_from="x"))
    assert response.status_code == 400 and "Nhập ngày theo dạng" in text_of(response.text)
