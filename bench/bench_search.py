"""Catalogue search: the folded `search_text` column with one LIKE per word, against the
unfiltered catalogue page and against folding every product in Python.

The demo data is topped up to a few thousand products so the differences show.
Baseline: GET /products with no filter (a page of 24, counts per group).
"""

from __future__ import annotations

import datetime as dt
import itertools

from bench.common import demo_database, median_ms, report

PRODUCTS = 5_000
NAMES = ["Trà", "Mật ong", "Nước mắm", "Gạo", "Miến", "Nấm", "Chè", "Cà phê", "Rượu", "Bánh", "Mứt", "Tinh dầu"]
KINDS = ["túi lọc", "rừng", "truyền thống", "hữu cơ", "sấy khô", "đặc sản", "thảo mộc", "nếp cái hoa vàng"]
PLACES = ["Con Cuông", "Quỳnh Lưu", "Tiên Yên", "Bạc Liêu", "Đức Thành", "Yên Thành", "Nam Đàn", "Đô Lương"]


async def top_up(count: int) -> int:
    """Add products (and a producer per 25) until the catalogue holds `count`."""
    from events_app.core.dates import certificate_valid_until
    from events_app.directory.services import refresh_search_text
    from events_app.directory.tables import Producer, Product
    from events_app.reference.tables import ProductGroup, Province

    have = await Product.count()
    if have >= count:
        return have
    provinces = [p["id"] for p in await Province.select(Province.id)]
    groups = [g["id"] for g in await ProductGroup.select(ProductGroup.id)]
    combos = itertools.cycle(itertools.product(NAMES, KINDS, PLACES))
    made = have
    n = 0
    while made < count:
        n += 1
        producer = Producer(name=f"HTX Nông sản thử {n}", slug=f"htx-nong-san-thu-{n}", producer_type="cooperative",
                            province=provinces[n % len(provinces)])
        await producer.save()
        rows = []
        for i in range(min(25, count - made)):
            name, kind, place = next(combos)
            certified = dt.date(2024 + i % 2, 1 + i % 12, 1 + i % 28)
            rows.append(Product(
                producer=producer.id, name=f"{name} {kind} {place} {n}-{i}", slug=f"bench-{n}-{i}",
                group=groups[i % len(groups)], stars=3 + i % 3, certificate_number=f"B-{n}-{i}",
                certified_on=certified, valid_until=certificate_valid_until(certified), price=50_000 + i * 1_000,
            ))
        await Product.insert(*rows)
        await refresh_search_text(producer.id)
        made += len(rows)
    return made


async def fold_in_python(query: str, per_page: int = 24) -> list[dict]:
    """The alternative to the folded column: read every valid product and fold its words here."""
    from events_app.core.clock import today
    from events_app.directory.tables import Product
    from events_app.core.text import fold, search_terms

    terms = search_terms(query)
    rows = await Product.select(
        Product.id, Product.name, Product.stars,
        Product.producer.name.as_alias("producer"),
        Product.producer.province.name.as_alias("province"),
        Product.producer.province_as_written.as_alias("written"),
        Product.group.name_vi.as_alias("group_vi"),
        Product.group.name_en.as_alias("group_en"),
    ).where(Product.valid_until >= today())
    found = []
    for row in rows:
        text = fold(" ".join(filter(None, (row["name"], row["producer"], row["province"], row["written"],
                                           row["group_vi"], row["group_en"]))))
        if all(term in text for term in terms):
            found.append(row)
    found.sort(key=lambda r: (-r["stars"], fold(r["name"]), r["id"]))
    return found[:per_page]


async def main() -> None:
    import httpx

    from events_app.catalogue.services import catalogue, parse_filters
    from events_app.core.settings import Settings
    from events_app.web.app import create_app

    async with demo_database():
        total = await top_up(PRODUCTS)
        settings = Settings.from_env().with_overrides(allowed_hosts=("bench",))
        app = create_app(settings)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            rows = []
            for name, path in (
                ("GET /products", "/products"),
                ("GET /products?q=tra tui loc", "/products?q=tra+tui+loc"),
                ("GET /products?q=ga tien yen", "/products?q=ga+tien+yen"),
                ("GET /products?q=duong&stars=4&region=…", "/products?q=duong&stars=4&region=dong-bang-song-hong"),
            ):
                rows.append((name, await median_ms(lambda p=path: client.get(p))))

        async def column(query: str):
            return await catalogue(await parse_filters(q=query), 1)

        rows.append(("service: folded column, q=tra tui loc", await median_ms(lambda: column("tra tui loc"))))
        rows.append(("service: fold in Python, q=tra tui loc", await median_ms(lambda: fold_in_python("tra tui loc"))))
        rows.append(("service: folded column, q=ga tien yen", await median_ms(lambda: column("ga tien yen"))))
        rows.append(("service: fold in Python, q=ga tien yen", await median_ms(lambda: fold_in_python("ga tien yen"))))
        report(f"Catalogue search ({total} products, in-process)", rows, baseline="GET /products")
