"""Calendar feeds through the whole application stack (in-process ASGI, demo data), and the
pure builder on a large feed.

Baseline: GET /healthz, which touches the database once and renders nothing.
"""

from __future__ import annotations

import datetime as dt

from bench.common import demo_database, median_ms, report

SHOWROOM = "/events/diem-ocop-khu-di-tich-kim-lien/calendar.ics"
CONFERENCE = "/events/hoi-nghi-ket-noi-ocop-mien-trung-tay-nguyen/calendar.ics"


def _large_feed(size: int):
    from events_app.calendars import ical

    start = dt.datetime(2027, 1, 1, 1, 0, tzinfo=dt.timezone.utc)
    entries = tuple(
        ical.Entry(
            uid=f"event-{n}@bench",
            summary=f"Hội chợ sản phẩm OCOP khu vực Bắc Trung Bộ {n}",
            starts=start + dt.timedelta(days=n),
            ends=start + dt.timedelta(days=n + 2),
            description="Gian hàng sản phẩm OCOP 3–5 sao, đặc sản vùng miền, kết nối giao thương. " * 4,
            location="Quảng trường Hồ Chí Minh, Đường Trường Thi, Nghệ An",
            url=f"https://ocop.example/events/hoi-cho-{n}",
        )
        for n in range(size)
    )
    return ical.Feed(uid="calendar@bench", name="Sự kiện OCOP", filename="x.ics", language="vi", entries=entries)


LARGE = 2000


async def _many_events(count: int) -> None:
    """Published fairs enough for a national season, beside the demo's, once per database."""
    from events_app.events.tables import Event, Venue

    if await Event.count().where(Event.slug.like("bench-%")) >= count:
        return
    venue = await Venue.select(Venue.id, Venue.province, Venue.province.region.as_alias("region")).first()
    start = dt.datetime(2027, 1, 1, 1, 0, tzinfo=dt.timezone.utc)
    await Event.insert(*[
        Event(
            slug=f"bench-{n}", title_vi=f"Hội chợ sản phẩm OCOP khu vực Bắc Trung Bộ {n}", kind="fair",
            status="published", venue=venue["id"], province=venue["province"], region=venue["region"],
            starts_at=start + dt.timedelta(days=n % 700, hours=n % 9), ends_at=start + dt.timedelta(days=n % 700 + 2),
            description="Gian hàng sản phẩm OCOP 3–5 sao, đặc sản vùng miền, kết nối giao thương.",
        )
        for n in range(count)
    ])


async def main() -> None:
    import httpx

    from events_app.calendars import ical
    from events_app.core.settings import Settings
    from events_app.web.app import create_app

    async with demo_database():
        settings = Settings.from_env().with_overrides(allowed_hosts=("bench",))
        app = create_app(settings)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            rows = []
            cases = {
                "GET /healthz": "/healthz",
                "GET /calendar.ics": "/calendar.ics",
                "GET a showroom's calendar.ics": SHOWROOM,
                "GET a conference's calendar.ics": CONFERENCE,
            }
            for name, path in cases.items():
                rows.append((name, await median_ms(lambda p=path: client.get(p))))
        feed = _large_feed(200)
        stamp = dt.datetime.now(dt.timezone.utc)

        async def render() -> bytes:
            return ical.render(feed, stamp)

        rows.append(("ical.render, 200 events (no database)", await median_ms(render, repeat=10)))
        report("Calendar feeds (in-process, SQLite demo data)", rows, baseline="GET /healthz")

        await _many_events(LARGE)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
            from events_app.calendars import controllers

            async def written() -> None:
                controllers._BODIES.clear()  # as if no reader had asked for this feed before
                await client.get("/calendar.ics")

            etag = (await client.get("/calendar.ics")).headers["etag"]
            large = [
                (f"GET /calendar.ics, {LARGE:,} events, written", await median_ms(written, repeat=5, warmup=1)),
                ("same, unchanged: the kept body", await median_ms(lambda: client.get("/calendar.ics"), repeat=10)),
                ("same, reader has it: 304", await median_ms(
                    lambda: client.get("/calendar.ics", headers={"If-None-Match": etag}), repeat=10)),
            ]
        report("A large public feed (in-process, SQLite)", large, baseline=large[0][0])
