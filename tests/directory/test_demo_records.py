"""The demo's richer records: photos, listings, a barcode and producer attributes, loaded once."""

import datetime as dt

from events_app.core.clock import today
from events_app.core.dates import certificate_valid_until
from events_app.core.i18n import format_date
from events_app.demo.data import DEMO_PASSWORD
from events_app.demo.loader import load_demo
from events_app.directory.codes import is_valid_gtin
from events_app.directory.tables import Producer, Product, ProductImage, ProductListing
from tests.helpers import login, text_of


async def test_demo_records_are_loaded_once_and_shown(client, clean_db, settings):
    for _ in range(2):  # a second run adds nothing
        await load_demo(media_dir=settings.media_dir)
    assert await ProductImage.count() == 6 and await ProductListing.count() == 4
    tao = await Product.objects().where(Product.name == "Tảo xoắn Spirulina Michio").first()
    assert is_valid_gtin(tao.barcode)
    files = await ProductImage.select(ProductImage.file_name).where(ProductImage.product == tao.id).order_by(
        ProductImage.position).output(as_list=True)
    assert tao.image == files[0] and all((settings.media_dir / name).is_file() for name in files)
    page = await client.get(f"/products/{tao.slug}")
    assert "Bán trực tuyến Shopee Postmart" in text_of(page.text)
    assert 'href="https://postmart.vn/tao-xoan-spirulina-michio" rel="noopener nofollow"' in page.text
    led = await Producer.select(Producer.slug).where(Producer.women_led == True).output(as_list=True)  # noqa: E712
    assert sorted(led) == ["htx-sen-que-bac", "to-hop-tac-tinh-bot-nghe-quang-thanh"]
    producer = await client.get("/producers/htx-duoc-lieu-con-cuong")
    assert "Chủ thể người dân tộc thiểu số" in text_of(producer.text)


async def test_the_demo_shows_the_re_recognition_cycle_and_compliance_documents(client, clean_db):
    await load_demo()
    # A certificate of the main producer ends 45 days after the load, whatever day that is.
    natto = await Product.objects().where(Product.name == "Đậu tương lên men Nattokinaza").first()
    assert natto.valid_until - today() in (dt.timedelta(days=45), dt.timedelta(days=44), dt.timedelta(days=43))
    assert natto.valid_until == certificate_valid_until(natto.certified_on)
    assert natto.certificate_number == f"OCOP-NA-{natto.certified_on.year}-0114"
    days = (natto.valid_until - today()).days
    await login(client, "producer@ocop.example", DEMO_PASSWORD)
    notice = text_of((await client.get("/my/products")).text)
    assert (f"Đậu tương lên men Nattokinaza: Giấy chứng nhận OCOP hết hạn ngày {format_date(natto.valid_until)} "
            f"(còn {days} ngày)") in notice
    await login(client, "staff@ocop.example", DEMO_PASSWORD)  # a log-in replaces the session
    listed = text_of((await client.get("/staff/recognition")).text)
    assert "Hết hạn trong 90 ngày (1)" in listed and "Đậu tương lên men Nattokinaza" in listed
    assert "Giấy chứng nhận OCOP sắp hết hạn (1)" in text_of((await client.get("/staff/reminders")).text)
    # Compliance documents with their validity, on the product's public page.
    chicken = text_of((await client.get("/products/ga-tien-yen")).text)
    assert "Nhãn hiệu Số 4-0281534-000 · Cục Sở hữu trí tuệ" in chicken
    sauce = text_of((await client.get("/products/nuoc-mam-tan-hoi-cua-lo")).text)
    assert "Tự công bố sản phẩm Số 02/2025/TCB-NMTH · Cơ sở nước mắm Tân Hội từ " in sauce
    assert ", không thời hạn Còn hiệu lực" in sauce and "Giấy chứng nhận an toàn thực phẩm" in sauce
