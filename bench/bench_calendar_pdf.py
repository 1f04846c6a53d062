"""The printed calendar of a whole year of the large set (`events-app demo --size large`, about a
thousand events): laid out cold against a bare WeasyPrint document of the same rows.

Baseline: the same rows (dates, kind, title, venue, province, organiser) as one plain HTML table,
no stylesheet, no fonts, written by WeasyPrint in this process. Against it: the printed calendar's
job rendered in this process, then GET /calendar.pdf?year=… through the whole application (data
read, worker process, cache written) with the cache emptied each time, and the same GET cached.

The large set lives in its own database (bench.common.large_sqlite); the timing runs in a child
process pointed at it, as the database is chosen when the app is first imported.
"""

from __future__ import annotations

import os
import subprocess
import sys

from bench.common import ROOT, large_sqlite, median_ms, report

MEASURE = "--measure"


async def main(options: list[str] | None = None) -> None:
    url, home = large_sqlite()
    env = {**os.environ, "DATABASE_URL": url, "DATA_DIR": str(home / "calendar-pdf"), "SECRET_KEY": "bench"}
    subprocess.run([sys.executable, "-m", "bench.bench_calendar_pdf", MEASURE], cwd=ROOT, env=env, check=True)


def _bare_html(data: dict) -> str:
    from html import escape

    from events_app.core.labels import label

    rows = []
    for month in data["months"]:
        rows.append(f"<tr><th colspan=6>{escape(month['name'])}</th></tr>")
        for event in month["events"]:
            cells = (f"{event['first_day']:%d/%m/%Y} – {event['last_day']:%d/%m/%Y}", label("event_kind", event["kind"]),
                     event["title"], event["venue"], event["province"], event["organiser"])
            rows.append("<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in cells) + "</tr>")
    return "<!doctype html><html><body><table>" + "".join(rows) + "</table></body></html>"


async def measure() -> None:
    import io
    import shutil

    import httpx
    from pypdf import PdfReader
    from weasyprint import HTML

    from events_app.calendars import printed
    from events_app.catalogue import pdf, rendering
    from events_app.catalogue.assets import Assets
    from events_app.core import db
    from events_app.core.clock import today
    from events_app.core.i18n import language
    from events_app.core.settings import Settings, get_settings
    from events_app.events.services import EventFilters
    from events_app.web.app import create_app

    await db.connect(get_settings().database_pool_size)
    try:
        settings = Settings.from_env().with_overrides(allowed_hosts=("bench",))
        year = today().year
        with language("vi"):
            data = await printed.calendar_data(EventFilters(), printed.Period(year))
        job = printed.calendar_job(data, Assets.for_site(settings.public_url, settings.media_dir), "vi")
        bare = _bare_html(data)
        pages = len(PdfReader(io.BytesIO(pdf.render(job))).pages)

        async def designed() -> bytes:
            return pdf.render(job)

        async def plain() -> bytes:
            return HTML(string=bare).write_pdf()

        async def gathered() -> dict:
            with language("vi"):
                return await printed.calendar_data(EventFilters(), printed.Period(year))

        cache = settings.data_dir / "cache" / "pdf"
        app = create_app(settings)
        path = f"/calendar.pdf?year={year}"
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench", timeout=300) as client:

            async def cold() -> None:
                shutil.rmtree(cache, ignore_errors=True)
                response = await client.get(path)
                assert response.status_code == 200 and response.content.startswith(b"%PDF"), response.text[:300]

            rows = [
                ("bare WeasyPrint table, same rows", await median_ms(plain, repeat=3, warmup=1)),
                ("printed calendar, laid out in process", await median_ms(designed, repeat=3, warmup=0)),
                (f"GET {path}, cold (worker renders)", await median_ms(cold, repeat=3, warmup=1)),
                (f"GET {path}, cached", await median_ms(lambda: client.get(path), repeat=10)),
                ("reading the year's events (calendar_data)", await median_ms(gathered, repeat=10)),
            ]
        rendering._discard_pool()
        report(f"Printed calendar of {year}: {data['shown']:,} events, {pages} pages (large set, SQLite)", rows,
               baseline=rows[0][0])
    finally:
        await db.disconnect()


if __name__ == "__main__" and MEASURE in sys.argv:
    from bench.common import run

    run(measure())
