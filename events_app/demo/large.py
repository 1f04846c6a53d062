"""A national-scale data set beside the demo: OCOP producers and products in every province, a
season of events across two years, distributors with what they source, and a national fair with
its halls, floor plan and exhibitors (`large_fair`), for trying the app at size and for the benchmarks.

Rows are made in bulk, in batches inside transactions, with their search text computed as the
directory computes it; everything is named `large-…`, so a second run tops up what is missing
rather than adding again. Dates count from `today`, as the demo's do.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from events_app.core import clock
from events_app.core.clock import LOCAL_TZ
from events_app.core.dates import certificate_valid_until
from events_app.core.db import write_transaction
from events_app.directory.search import product_search_columns
from events_app.demo.large_fair import load_fair
from events_app.directory.tables import Distributor, Producer, Product, SourcingInterest
from events_app.events.tables import Event, EventKind, EventStatus, Venue
from events_app.reference.tables import FormerProvince, ProductGroup, Province, Region

PREFIX = "large"
BATCH = 500
PRODUCTS_PER_PRODUCER = 20

# Words of real OCOP products and places (see the articles the demo is drawn from), combined.
GOODS = [
    ("Trà", "túi lọc"), ("Mật ong", "rừng"), ("Nước mắm", "truyền thống"), ("Gạo", "hữu cơ"), ("Miến", "dong"),
    ("Nấm", "linh chi"), ("Chè", "búp"), ("Cà phê", "rang xay"), ("Rượu", "nếp cái hoa vàng"), ("Bánh", "đa vừng"),
    ("Mứt", "gừng"), ("Tinh dầu", "sả chanh"), ("Tảo", "xoắn"), ("Cam", "Vinh"), ("Gà", "đồi"), ("Hạt sen", "sấy"),
    ("Cao", "dược liệu"), ("Tương", "Nam Đàn"), ("Nhút", "Thanh Chương"), ("Đường", "phên"),
]
KINDS = ["Hợp tác xã", "Tổ hợp tác", "Công ty TNHH", "Hộ kinh doanh"]
PRODUCER_TYPES = {"Hợp tác xã": "cooperative", "Tổ hợp tác": "cooperative_group", "Công ty TNHH": "enterprise",
                  "Hộ kinh doanh": "household"}
EVENT_TITLES = {
    EventKind.fair: "Hội chợ sản phẩm OCOP {place} lần thứ {n}",
    EventKind.conference: "Hội nghị kết nối cung cầu sản phẩm OCOP {place} {n}",
    EventKind.showroom: "Điểm giới thiệu và bán sản phẩm OCOP tại {place} {n}",
}


DISTRIBUTOR_KINDS = [
    ("supermarket_chain", "Chuỗi siêu thị {place}"), ("wholesaler", "Công ty Thương mại Nông sản {place}"),
    ("ecommerce", "Sàn thương mại điện tử Đặc sản {place}"), ("exporter", "Công ty Xuất nhập khẩu {place}"),
]
VOLUMES = ["500 hộp/tháng", "2 tấn/tháng", "10.000 chai/quý", "1 container/tháng", ""]
CERTIFICATIONS = ["", "VietGAP", "HACCP", "ISO 22000", ""]


@dataclass(frozen=True)
class Size:
    products: int = 20_000  # of producers with 20 each: 1,000 producers
    events: int = 2_000
    exhibitors: int = 308  # at the national fair, four products shown each
    distributors: int = 120


async def load_large(size: Size = Size(), today: dt.date | None = None) -> dict[str, int]:
    """Top the large set up to `size`; returns how many of each kind of row it now holds."""
    today = today or clock.today()
    provinces = await Province.select(Province.id, Province.name, Province.region).order_by(Province.id)
    former = {row["province"]: row["name"] for row in await FormerProvince.select(FormerProvince.name, FormerProvince.province)}
    groups = await ProductGroup.select().order_by(ProductGroup.position)
    counts = {
        "products": await _products(size.products, provinces, former, groups, today),
        "producers": await Producer.count().where(Producer.slug.like(f"{PREFIX}-%")),
        "events": await _events(size.events, provinces, today),
        "distributors": await _distributors(size.distributors, provinces, groups),
    }
    return counts | await load_fair(size.exhibitors, today)


async def _products(count: int, provinces: list[dict], former: dict[int, str], groups: list[dict], today: dt.date) -> int:
    made = await Product.count().where(Product.slug.like(f"{PREFIX}-%"))
    producers = await Producer.count().where(Producer.slug.like(f"{PREFIX}-%"))
    while made < count:
        async with write_transaction():
            for _ in range(BATCH // PRODUCTS_PER_PRODUCER):
                if made >= count:
                    break
                producers += 1
                made += await _producer_with_products(
                    producers, min(PRODUCTS_PER_PRODUCER, count - made), provinces, former, groups, today
                )
    return made


async def _producer_with_products(
    n: int, count: int, provinces: list[dict], former: dict[int, str], groups: list[dict], today: dt.date
) -> int:
    province = provinces[n % len(provinces)]
    kind = KINDS[n % len(KINDS)]
    good, detail = GOODS[n % len(GOODS)]
    # Every third producer's certificate still names the province as it was before July 2025.
    written = former.get(province["id"], "") if n % 3 == 0 else ""
    name = f"{kind} {good} {detail} {province['name']} {n}"
    [producer] = await Producer.insert(Producer(
        name=name, slug=f"{PREFIX}-producer-{n}", producer_type=PRODUCER_TYPES[kind], province=province["id"],
        province_as_written=written, address=f"Xã {n}, {written or province['name']}",
    ))
    products = []
    for i in range(count):
        good, detail = GOODS[(n + i) % len(GOODS)]
        group = groups[(n + i) % len(groups)]
        # Certificates from three years ago to last month: some have lapsed, most are valid.
        certified = today - dt.timedelta(days=30 + (n * 37 + i * 53) % 1_150)
        product_name = f"{good} {detail} {province['name']} {n}-{i + 1}"
        description = f"{good} {detail} làm theo cách truyền thống của {province['name']}, ít đường, không chất bảo quản."
        products.append(Product(
            producer=producer["id"], name=product_name, slug=f"{PREFIX}-{n}-{i + 1}", group=group["id"],
            stars=3 + (n + i) % 3, certificate_number=f"{n:05d}/QĐ-UBND-{i + 1}", certified_on=certified,
            valid_until=certificate_valid_until(certified), price=30_000 + ((n + i) % 40) * 5_000, unit="hộp",
            evaluation_level="national" if (n + i) % 3 == 2 and (n + i) % 5 == 0 else "provincial",
            description=description,
            **product_search_columns(name=product_name, producer=name, province=province["name"],
                                     former_province=written, group=group["name_vi"], description=description),
        ))
    await Product.insert(*products)
    return count


async def _events(count: int, provinces: list[dict], today: dt.date) -> int:
    made = await Event.count().where(Event.slug.like(f"{PREFIX}-event-%"))
    if made >= count:
        return made
    venues = await _venues(provinces)
    kinds = itertools.cycle([EventKind.fair, EventKind.fair, EventKind.conference, EventKind.showroom])
    for _ in range(made):
        next(kinds)
    first = dt.datetime.combine(today - dt.timedelta(days=365), dt.time(8, 0), LOCAL_TZ)
    while made < count:
        rows = []
        for n in range(made + 1, min(count, made + BATCH) + 1):
            kind = next(kinds)
            province = provinces[n % len(provinces)]
            # Spread over two years, the one past and the one to come, whatever the count.
            starts = first + dt.timedelta(days=(n * 730) // count, hours=n % 4)
            days = {EventKind.fair: 5, EventKind.conference: 1, EventKind.showroom: 180}[kind]
            rows.append(Event(
                slug=f"{PREFIX}-event-{n}", title_vi=EVENT_TITLES[kind].format(place=province["name"], n=n),
                kind=kind.value, status=EventStatus.cancelled.value if n % 50 == 0 else EventStatus.published.value,
                venue=venues[province["id"]], province=province["id"], region=province["region"],
                starts_at=starts, ends_at=starts + dt.timedelta(days=days - 1, hours=9),
                organiser=f"Sở Công Thương {province['name']}",
                description="Trưng bày, giới thiệu và kết nối tiêu thụ sản phẩm OCOP 3–5 sao của các địa phương.",
            ))
        async with write_transaction():
            await Event.insert(*rows)
        made += len(rows)
    return made


async def _venues(provinces: list[dict]) -> dict[int, int]:
    """One venue per province for the large season, made once."""
    venues = {}
    for province in provinces:
        slug = f"{PREFIX}-venue-{province['id']}"
        row = await Venue.select(Venue.id).where(Venue.slug == slug).first()
        if row is None:
            [row] = await Venue.insert(Venue(
                name=f"Trung tâm Hội chợ Triển lãm {province['name']}", slug=slug, province=province["id"],
                address=f"Trung tâm {province['name']}",
            ))
        venues[province["id"]] = row["id"]
    return venues


async def _distributors(count: int, provinces: list[dict], groups: list[dict]) -> int:
    """Buyers in every province, each sourcing one to three kinds of product."""
    made = await Distributor.count().where(Distributor.slug.like(f"{PREFIX}-%"))
    regions = await Region.select(Region.id).order_by(Region.position).output(as_list=True)
    for start in range(made + 1, count + 1, BATCH):
        numbers = range(start, min(count, start + BATCH - 1) + 1)
        async with write_transaction():
            rows = await Distributor.insert(*[
                Distributor(
                    name=f"{DISTRIBUTOR_KINDS[n % 4][1].format(place=provinces[n % len(provinces)]['name'])} {n}",
                    slug=f"{PREFIX}-distributor-{n}", distributor_type=DISTRIBUTOR_KINDS[n % 4][0],
                    province=provinces[n % len(provinces)]["id"], address=f"Phường {n}, {provinces[n % len(provinces)]['name']}",
                    description="Thu mua sản phẩm OCOP 3–5 sao cho hệ thống phân phối trong nước và xuất khẩu.",
                )
                for n in numbers
            ])
            await SourcingInterest.insert(*[
                SourcingInterest(
                    distributor=row["id"],
                    # Every fifth buys any group; some only from a province or a region.
                    group=None if (n + k) % 5 == 0 else groups[(n * 3 + k) % len(groups)]["id"],
                    min_stars=3 + (n + k) % 3,
                    province=provinces[(n + k) % len(provinces)]["id"] if (n + k) % 4 == 1 else None,
                    region=regions[(n + k) % len(regions)] if (n + k) % 4 == 2 else None,
                    required_certifications=CERTIFICATIONS[(n + k) % len(CERTIFICATIONS)],
                    volume=VOLUMES[(n + k) % len(VOLUMES)],
                )
                for row, n in zip(rows, numbers)
                for k in range(1 + n % 3)
            ])
    return max(made, count)
