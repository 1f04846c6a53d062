"""The demo's richer product records: a second photo, listings on Shopee and Postmart, a barcode,
and the producer attributes the programme reports on. Running it again adds only what is missing."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from events_app.core.db import write_transaction
from events_app.directory import gallery
from events_app.directory.codes import gtin_check_digit
from events_app.directory.images import ImageStore, prepare_image
from events_app.directory.tables import Producer, Product, ProductImage, ProductListing

FONT = Path(__file__).resolve().parents[2] / "static" / "fonts" / "NotoSans-Bold.ttf"  # it carries Vietnamese

# (producer slug, product name, GTIN body without its check digit, listings, photo colours)
PRODUCTS = [
    ("cong-ty-cp-cong-nghe-tao-viet-nam", "Tảo xoắn Spirulina Michio", "893850100112",
     [("shopee", "https://shopee.vn/tao-xoan-spirulina-michio"), ("postmart", "https://postmart.vn/tao-xoan-spirulina-michio")],
     [(38, 120, 72), (96, 160, 64)]),
    ("htx-ga-tien-yen", "Gà Tiên Yên", "893850100310",
     [("postmart", "https://postmart.vn/ga-tien-yen-quang-ninh")],
     [(176, 112, 48), (212, 160, 64)]),
    ("co-so-nuoc-mam-tan-hoi", "Nước mắm Tân Hội Cửa Lò", "893850100204",
     [("shopee", "https://shopee.vn/nuoc-mam-tan-hoi-cua-lo")],
     [(120, 72, 40), (48, 96, 150)]),
]

# Producers the seeds describe as led by women, of ethnic minorities, craft villages, cooperative groups.
ATTRIBUTES = {
    "htx-duoc-lieu-con-cuong": ("ethnic_minority",),
    "ban-du-lich-cong-dong-ban-khe-ran": ("ethnic_minority", "craft_village"),
    "to-hop-tac-tinh-bot-nghe-quang-thanh": ("women_led", "cooperative_group"),
    "to-hop-tac-oc-buou-den-duc-thanh": ("cooperative_group",),
    "htx-sen-que-bac": ("women_led",),
    "co-so-mien-gao-quy-chinh": ("craft_village",),
}


def demo_photo(colour: tuple[int, int, int], label: str) -> bytes:
    """A small JPEG: a colour field with the product's name, standing in for a photo."""
    image = Image.new("RGB", (640, 480), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 360, 600, 440), fill=(255, 255, 255))
    font = ImageFont.truetype(str(FONT), 30) if FONT.is_file() else ImageFont.load_default()
    draw.text((60, 380), label, fill=(40, 40, 40), font=font)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


async def load_records(media_dir: Path | None) -> None:
    """Photos only when a media directory is given (the command line's); the rest always."""
    store = ImageStore(media_dir=media_dir, max_bytes=10 * 1024 * 1024) if media_dir else None
    for producer_slug, name, body, listings, colours in PRODUCTS:
        product = await Product.select(Product.id, Product.barcode).where(
            (Product.producer.slug == producer_slug) & (Product.name == name)
        ).first()
        if product is None:
            continue
        async with write_transaction():
            if not product["barcode"]:
                await Product.update({Product.barcode: body + str(gtin_check_digit(body))}).where(
                    Product.id == product["id"])
            if not await ProductListing.exists().where(ProductListing.product == product["id"]):
                await gallery.replace_listings(product["id"], listings)
        if store and not await ProductImage.exists().where(ProductImage.product == product["id"]):
            names = [store.save(prepare_image(demo_photo(colour, f"{name} ({i})"), max_bytes=store.max_bytes))
                     for i, colour in enumerate(colours, 1)]
            async with write_transaction():
                await gallery.insert_images(product["id"], names)
    for slug, attributes in ATTRIBUTES.items():
        await Producer.update({Producer._meta.get_column_by_name(a): True for a in attributes}).where(Producer.slug == slug)
