"""The demo's richer records: photos, listings, a barcode and producer attributes, loaded once."""

from events_app.demo.loader import load_demo
from events_app.directory.codes import is_valid_gtin
from events_app.directory.tables import Producer, Product, ProductImage, ProductListing
from tests.helpers import text_of


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
