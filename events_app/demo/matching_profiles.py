"""Demo certifications, channels and volumes for matching: real-looking VietGAP, HACCP, ISO 22000
and organic certificates, a trademark and a standards declaration of the demo producers (one
expired, one missing where a buyer asks for it, so the matches show both hard filters), and what
the demo distributors require.

Loaded after the producers and distributors, idempotently: a certification is added once (by its
number), and channels and requirements are set only where none were."""

from __future__ import annotations

import datetime as dt

from events_app.core.dates import add_months
from events_app.directory.tables import Certification, Distributor, Producer, Product, SourcingInterest

# (producer slug, product name or None for the producer's own, kind, number, issuer,
#  months before the load it was given, months it runs or None for no end date)
CERTIFICATIONS = [
    ("cong-ty-cp-cong-nghe-tao-viet-nam", None, "iso22000", "ISO22000-VN-0417", "Trung tâm Chứng nhận Phù hợp QUACERT", 14, 36),
    ("cong-ty-cp-cong-nghe-tao-viet-nam", None, "haccp", "HACCP-2025-1183", "Trung tâm Chứng nhận Phù hợp QUACERT", 10, 36),
    ("htx-nong-nghiep-va-dich-vu-minh-thanh", "Cam Vinh", "vietgap", "VietGAP-TT-14-05-40-0021",
     "Trung tâm Khảo nghiệm, Kiểm nghiệm Nghệ An", 8, 24),
    ("htx-ga-tien-yen", "Gà Tiên Yên", "vietgap", "VietGAP-CN-15-01-22-0008", "Chi cục Chăn nuôi và Thú y Quảng Ninh", 12, 36),
    ("htx-duoc-lieu-con-cuong", None, "vietgap", "VietGAP-TT-14-05-40-0112", "Trung tâm Khảo nghiệm, Kiểm nghiệm Nghệ An", 6, 24),
    ("htx-duoc-lieu-con-cuong", None, "food_safety", "ATTP-NA-2025-0318", "Sở Y tế Nghệ An", 9, 36),
    # Given three years ago for two years: it has run out, and the herbal buyer's VietGAP is missed.
    ("co-so-nam-linh-chi-atc", "Nấm linh chi ATC", "vietgap", "VietGAP-TT-14-05-40-0057",
     "Trung tâm Khảo nghiệm, Kiểm nghiệm Nghệ An", 36, 24),
    ("co-so-nam-linh-chi-atc", "Nấm linh chi ATC", "organic", "TCVN11041-HC-0093", "Trung tâm Chứng nhận Phù hợp QUACERT", 5, 36),
    ("htx-sen-que-bac", "Hạt sen sấy Sen quê Bác", "vietgap", "VietGAP-TT-14-05-40-0140", "Trung tâm Khảo nghiệm, Kiểm nghiệm Nghệ An", 4, 24),
    ("co-so-nuoc-mam-tan-hoi", None, "food_safety", "ATTP-NA-2024-0771", "Sở Công Thương Nghệ An", 20, 36),
    # Compliance documents kept the same way: the collective trademark of the Tiên Yên chicken (ten
    # years from its filing) and the fish sauce's declaration of the standards it meets, which has
    # no end date (None).
    ("htx-ga-tien-yen", "Gà Tiên Yên", "trademark", "4-0281534-000", "Cục Sở hữu trí tuệ", 40, 120),
    ("co-so-nuoc-mam-tan-hoi", "Nước mắm Tân Hội Cửa Lò", "standards_declaration", "02/2025/TCB-NMTH",
     "Cơ sở nước mắm Tân Hội", 11, None),
]

# (producer slug, product name, channels, monthly capacity, unit)
PRODUCTS = [
    ("cong-ty-cp-cong-nghe-tao-viet-nam", "Tảo xoắn Spirulina Michio", "ecommerce,export,supermarket", 2, "tonne"),
    ("htx-nong-nghiep-va-dich-vu-minh-thanh", "Cam Vinh", "supermarket,wholesale", 40, "tonne"),
    ("htx-ga-tien-yen", "Gà Tiên Yên", "horeca,supermarket", 3000, "kg"),
    ("htx-duoc-lieu-con-cuong", "Trà túi lọc Cà gai leo", "ecommerce,supermarket", 5000, "item"),
    ("co-so-nam-linh-chi-atc", "Nấm linh chi ATC", "ecommerce,export", 300, "kg"),
    ("htx-sen-que-bac", "Hạt sen sấy Sen quê Bác", "ecommerce,supermarket", 800, "kg"),
    ("co-so-nuoc-mam-tan-hoi", "Nước mắm Tân Hội Cửa Lò", "supermarket,wholesale", 6000, "litre"),
]

# (distributor slug, group code of the interest, required kinds, channels, minimum monthly volume, unit)
REQUIREMENTS = [
    ("saigon-co-op", "food", "haccp", "supermarket", 1, "tonne"),
    ("saigon-co-op", "beverages", "", "supermarket", None, "kg"),
    ("central-retail-viet-nam", "herbal", "vietgap", "supermarket", 2000, "item"),
    ("postmart", None, "", "ecommerce", None, "kg"),
    ("intimex-nghe-an", "food", "haccp", "export", 5, "tonne"),
    ("intimex-nghe-an", "herbal", "organic", "export", 100, "kg"),
]


async def load_matching_profiles(today: dt.date) -> None:
    producers = {row["slug"]: row["id"] for row in await Producer.select(Producer.id, Producer.slug)}
    products = {
        (row["producer"], row["name"]): row["id"]
        for row in await Product.select(Product.id, Product.producer, Product.name)
    }
    for slug, product_name, kind, number, issuer, months_ago, months in CERTIFICATIONS:
        if slug not in producers or await Certification.exists().where(Certification.number == number):
            continue
        product_id = products.get((producers[slug], product_name)) if product_name else None
        if product_name and product_id is None:
            continue
        given = add_months(today, -months_ago)
        await Certification(
            product=product_id, producer=None if product_id else producers[slug], kind=kind, number=number,
            issuer=issuer, valid_from=given,
            valid_until=add_months(given, months) - dt.timedelta(days=1) if months is not None else None,
        ).save()
    for slug, product_name, channels, capacity, unit in PRODUCTS:
        product_id = products.get((producers.get(slug), product_name))
        if product_id is None:
            continue
        await Product.update({Product.channels: channels, Product.monthly_capacity: capacity, Product.capacity_unit: unit}).where(
            (Product.id == product_id) & (Product.channels == "")
        )
    distributors = {row["slug"]: row["id"] for row in await Distributor.select(Distributor.id, Distributor.slug)}
    for slug, group, kinds, channels, volume, unit in REQUIREMENTS:
        if slug not in distributors:
            continue
        same_group = SourcingInterest.group.code == group if group else SourcingInterest.group.is_null()
        untouched = (SourcingInterest.certification_kinds == "") & (SourcingInterest.channels == "")
        ids = [row["id"] for row in await SourcingInterest.select(SourcingInterest.id).where(
            (SourcingInterest.distributor == distributors[slug]) & same_group & untouched)]
        if ids:
            await SourcingInterest.update({
                SourcingInterest.certification_kinds: kinds, SourcingInterest.channels: channels,
                SourcingInterest.min_monthly_volume: volume, SourcingInterest.volume_unit: unit,
            }).where(SourcingInterest.id.is_in(ids))
