"""PDF catalogues: rendering in the worker process (cold, cache emptied each time) against serving
the cached file, through the whole application stack on the demo fair.

Baseline: GET of the fair's exhibitor catalogue when it is already cached. /healthz is timed idle
and while a catalogue renders, to show the event loop is not held up.
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import time

from bench.common import demo_database, median_ms, report

FAIR = "/events/hoi-cho-ocop-bac-trung-bo/catalogue.pdf"
PRODUCTS = "/catalogue.pdf"


async def main() -> None:
    import httpx

    from events_app.catalogue import rendering
    from events_app.core.settings import Settings
    from events_app.web.app import create_app

    async with demo_database():
        settings = Settings.from_env().with_overrides(allowed_hosts=("bench",))
        cache = settings.data_dir / "cache" / "pdf"
        app = create_app(settings)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench", timeout=300) as client:

            async def cold(path: str):
                shutil.rmtree(cache, ignore_errors=True)
                response = await client.get(path)
                assert response.status_code == 200 and response.content.startswith(b"%PDF"), response.text[:300]

            async def cached(path: str):
                response = await client.get(path)
                assert response.status_code == 200

            async def healthz_while_rendering() -> float:
                """The event loop stays free while a worker lays out a catalogue."""
                shutil.rmtree(cache, ignore_errors=True)
                render = asyncio.create_task(client.get(FAIR))
                samples = []
                while not render.done():
                    start = time.perf_counter()
                    await client.get("/healthz")
                    samples.append((time.perf_counter() - start) * 1000)
                    await asyncio.sleep(0.01)
                await render
                return statistics.median(samples)

            rows = [
                ("GET /healthz, idle", await median_ms(lambda: client.get("/healthz"))),
                ("GET /healthz, while a catalogue renders", await healthz_while_rendering()),
                ("GET fair catalogue, cached", await median_ms(lambda: cached(FAIR))),
                ("GET product catalogue, cached", await median_ms(lambda: cached(PRODUCTS))),
                ("GET fair catalogue, cold (worker renders)", await median_ms(lambda: cold(FAIR), repeat=5, warmup=1)),
                ("GET product catalogue, cold (worker renders)", await median_ms(lambda: cold(PRODUCTS), repeat=5, warmup=1)),
            ]
        rendering._discard_pool()
        report("PDF catalogues (in-process ASGI, demo data, 2 spawned workers)", rows, baseline="GET fair catalogue, cached")
