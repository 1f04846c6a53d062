"""Printed catalogues at fair scale: a fair of 308 exhibitors showing 1,232 products in four halls.

Baseline: a plain WeasyPrint document of the same 1,232 products, one simple block each (name,
rating, group, price), in our font, laid out in the same worker pool in the same run. Against it:
the fair's catalogue made cold (data read, sections laid out, joined) with one worker process and
with two (back to back, and as a user meets it, from a pool idle for a moment, whose workers have
collected their garbage meanwhile), nothing laid out before; then made again after one product is
renamed, the sections that do not show it taken as laid out before; and the unchanged catalogue
answered over HTTP (kept bytes, and 304 to If-None-Match).
QR codes are made once per product for good; the first run, which makes them, is left out.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import shutil
import time
from pathlib import Path

from bench.common import demo_database, median_ms, report

EXHIBITORS = 308
PRODUCTS_EACH = 4
HALLS = ("A", "B", "C", "D")
SLUG = "hoi-cho-ocop-quy-mo-lon"


def baseline_pdf(count: int) -> int:
    """A plain document of `count` product blocks; its pages. Run in a worker process."""
    from weasyprint import HTML

    from events_app.catalogue.assets import STATIC_DIR

    font = (STATIC_DIR / "fonts" / "NotoSans-Regular.ttf").as_uri()
    bold = (STATIC_DIR / "fonts" / "NotoSans-Bold.ttf").as_uri()
    style = (f'<style>@font-face {{ font-family: S; src: url("{font}"); }} @font-face {{ font-family: S; font-weight: 700; '
             f'src: url("{bold}"); }} html {{ font: 9pt S; }} .p {{ margin: 0 0 2mm; break-inside: avoid; }}</style>')
    blocks = "".join(f"<div class=p><b>Trà túi lọc Cà gai leo Nghệ An {i}</b><br>OCOP 4 sao · Thảo dược · 50.000 ₫ / hộp</div>"
                     for i in range(count))
    document = HTML(string=f"<!doctype html><html><head>{style}</head><body>{blocks}</body></html>").render()
    document.write_pdf()
    return len(document.pages)


async def make_fair() -> dict:
    """The fair, made once: halls of 8 × 10 booths, each exhibitor with a confirmed booth."""
    from events_app.booths import floorplan
    from events_app.booths.tables import ApplicationProduct, Booth, BoothApplication, BoothRental
    from events_app.core.clock import LOCAL_TZ, today
    from events_app.core.db import write_transaction
    from events_app.core.dates import certificate_valid_until
    from events_app.directory.tables import Producer, Product
    from events_app.events.services import get_event
    from events_app.events.tables import Event, Hall, Venue
    from events_app.reference.tables import ProductGroup, Province

    if await Event.exists().where(Event.slug == SLUG):
        return await get_event(SLUG)
    provinces = await Province.select(Province.id, Province.name, Province.region)
    groups = await ProductGroup.select(ProductGroup.id)
    first = today() + dt.timedelta(days=20)
    async with write_transaction():
        [venue] = await Venue.insert(Venue(name="Trung tâm Hội chợ Triển lãm Nghệ An", slug=f"{SLUG}-venue",
                                           address="Đường Lê Lợi, Vinh", province=provinces[0]["id"]))
        [event] = await Event.insert(Event(
            slug=SLUG, title_vi="Hội chợ sản phẩm OCOP toàn quốc quy mô lớn", title_en="National OCOP fair",
            kind="fair", status="published", venue=venue["id"], province=provinces[0]["id"], region=provinces[0]["region"],
            starts_at=dt.datetime.combine(first, dt.time(8), LOCAL_TZ), ends_at=dt.datetime.combine(first + dt.timedelta(days=4), dt.time(20), LOCAL_TZ),
            organiser="Sở Công Thương Nghệ An",
        ))
        booths = []
        for prefix in HALLS:
            [hall] = await Hall.insert(Hall(venue=venue["id"], name=f"Khu {prefix}", width=40, depth=40))
            spots = floorplan.grid(8, 10, prefix)
            booths += await Booth.insert(*(Booth(event=event["id"], hall=hall["id"], code=s.code, x=s.x, y=s.y,
                                                 width=s.width, depth=s.depth) for s in spots))
        for n in range(EXHIBITORS):
            province = provinces[n % len(provinces)]
            [producer] = await Producer.insert(Producer(
                name=f"Hợp tác xã Nông sản sạch {province['name']} {n + 1}", slug=f"{SLUG}-producer-{n}",
                producer_type="cooperative", province=province["id"], address=f"Xã Đông Sơn, {province['name']}",
                phone="0912 345 678", email=f"htx{n}@example.vn",
            ))
            certified = today() - dt.timedelta(days=100 + n)
            products = await Product.insert(*(Product(
                producer=producer["id"], name=f"Trà túi lọc Cà gai leo {province['name']} {n + 1}-{i + 1}",
                slug=f"{SLUG}-{n}-{i}", group=groups[(n + i) % len(groups)]["id"], stars=3 + (n + i) % 3,
                certificate_number=f"{n:05d}/QĐ-UBND", certified_on=certified, valid_until=certificate_valid_until(certified),
                price=50_000 + i * 5_000, unit="hộp",
                story="Lá cà gai leo hái ở vùng đồi, sấy lạnh và đóng túi lọc tại hợp tác xã." if i == 0 else "",
            ) for i in range(PRODUCTS_EACH)))
            [application] = await BoothApplication.insert(BoothApplication(event=event["id"], producer=producer["id"], status="confirmed"))
            await ApplicationProduct.insert(*(ApplicationProduct(application=application["id"], product=p["id"]) for p in products))
            booth = booths[(n % len(HALLS)) * 80 + n // len(HALLS)]
            await BoothRental.insert(BoothRental(booth=booth["id"], application=application["id"], producer=producer["id"],
                                                 starts_on=first, ends_on=first + dt.timedelta(days=4), status="active"))
    return await get_event(SLUG)


async def main(options: list[str] | None = None) -> None:
    import httpx
    from pypdf import PdfReader

    from events_app.catalogue import jobs, printing, rendering
    from events_app.directory.tables import Product
    from events_app.core.settings import Settings
    from events_app.web.app import create_app

    async with demo_database():
        settings = Settings.from_env().with_overrides(allowed_hosts=("bench",))
        await make_fair()
        wanted = jobs.CatalogueRequest(printing.EVENT, SLUG, "vi")
        count = EXHIBITORS * PRODUCTS_EACH

        kept_sections = Path(jobs.assets_for(settings).cache_dir) / "sections"

        async def catalogue(workers: int, cold: bool = True):
            rendering.use_workers(workers)
            await rendering.in_worker(time.sleep, 0)  # the pool started: spawning is not laying out
            if workers > 1:
                await asyncio.gather(*(rendering.in_worker(time.sleep, 0.2) for _ in range(workers)))

            async def build():
                if cold:  # nothing laid out before
                    shutil.rmtree(kept_sections, ignore_errors=True)
                return await jobs.build_pdf(wanted, settings)
            return build

        changes = 0

        async def after_a_change():
            """One product of one exhibitor renamed: its hall, the indexes and the contents change."""
            nonlocal changes
            changes += 1
            await Product.update({Product.name: f"Trà túi lọc Cà gai leo đổi tên {changes}"}).where(Product.id == renamed)
            return await warm()

        first = await (await catalogue(1))()  # makes the QR codes once
        pages = len(PdfReader(io.BytesIO(first)).pages)
        rows = [("plain WeasyPrint blocks, same products, 1 worker",
                 await median_ms(lambda: rendering.in_worker(baseline_pdf, count), repeat=3, warmup=1))]
        rows.append(("fair catalogue cold, 1 worker", await median_ms(await catalogue(1), repeat=3, warmup=0)))
        rows.append(("fair catalogue cold, 2 workers, back to back", await median_ms(await catalogue(2), repeat=3, warmup=0)))
        # As a user meets it: the pool idle before, its workers' garbage collected meanwhile.
        rows.append(("fair catalogue cold, 2 workers, pool idle before",
                     await median_ms(await catalogue(2), repeat=3, warmup=1, pause=2)))
        # A booking's worth of change: the sections that do not show it are taken as laid out before.
        renamed = (await Product.select(Product.id).where(Product.slug == f"{SLUG}-0-0").first())["id"]
        warm = await catalogue(2, cold=False)
        rows.append(("after a product renamed, 2 workers, idle before",
                     await median_ms(after_a_change, repeat=3, warmup=1, pause=2)))

        app = create_app(settings)
        path = f"/events/{SLUG}/catalogue.pdf"
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench", timeout=600) as client:
            response = await client.get(path)
            while response.status_code == 202:  # made as a job the first time
                response = await client.get(path)
            etag = response.headers["etag"]

            async def kept():
                assert (await client.get(path)).status_code == 200

            async def not_modified():
                assert (await client.get(path, headers={"If-None-Match": etag})).status_code == 304

            rows.append(("GET unchanged catalogue (kept PDF)", await median_ms(kept, repeat=20)))
            rows.append(("GET unchanged catalogue, If-None-Match (304)", await median_ms(not_modified, repeat=20)))
        rendering.close_pool()
        report(f"Fair catalogue: {EXHIBITORS} exhibitors, {count:,} products, {pages} pages (SQLite)", rows, baseline=rows[0][0])
