"""Page rendering through the whole application stack (in-process ASGI, demo data).

Baseline: GET /healthz, which touches the database once and renders no template.
"""

from __future__ import annotations

from bench.common import demo_database, median_ms, report


async def main() -> None:
    import httpx

    from events_app.core.settings import Settings
    from events_app.web.app import create_app

    async with demo_database():
        settings = Settings.from_env().with_overrides(allowed_hosts=("bench",))
        app = create_app(settings)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            rows = []
            for path in ("/healthz", "/", "/login"):
                rows.append((f"GET {path}", await median_ms(lambda p=path: client.get(p))))
        report("Pages (in-process, SQLite demo data)", rows, baseline="GET /healthz")
