"""The baselines of the HTTP benchmark: a tiny Litestar app with no database, served by the same
server software as the application (uvicorn, one worker).

- `/page?bytes=N`: a Jinja page of exactly N bytes (rows of product cards, padded), rendered per request;
- `/feed?name=X`: a bare `icalendar` build, per request, of the events in `$BENCH_FEEDS/X.json`;
- `/file?bytes=N`: N bytes from memory with an ETag, 304 when the client has them.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

from litestar import Litestar, Request, Response, get
from litestar.contrib.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.template.config import TemplateConfig

TEMPLATES = Path(__file__).parent / "templates"
TITLE = "Sản phẩm OCOP"
MAX_BYTES = 50_000_000


def _row(n: int) -> dict[str, str]:
    return {
        "slug": f"tra-tui-loc-ca-gai-leo-{n}",
        "name": f"Trà túi lọc Cà gai leo {n} — HTX Dược liệu Con Cuông",
        "detail": "Nghệ An · ★★★★ · 45.000 ₫ / hộp · còn hiệu lực đến 30/06/2028",
    }


@lru_cache(maxsize=64)
def layout(size: int) -> tuple[tuple[dict[str, str], ...], str]:
    """Rows and padding that make the page exactly `size` bytes, measured with the same template."""
    import jinja2

    template = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True).get_template("baseline.html")

    def length(rows: list[dict[str, str]], pad: str = "") -> int:
        return len(template.render(title=TITLE, rows=rows, pad=pad).encode())

    def rows(count: int) -> list[dict[str, str]]:
        return [_row(n) for n in range(1, count + 1)]

    # The most rows that fit (length grows with the count), found by doubling then halving.
    low, high = 0, 1
    while length(rows(high)) <= size:
        low, high = high, high * 2
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if length(rows(middle)) <= size else (low, middle)
    chosen = rows(low)
    pad = "x" * max(0, size - length(chosen))
    return tuple(chosen), pad


@get("/page")
async def page(bytes: int) -> Template:
    rows, pad = layout(min(max(bytes, 0), MAX_BYTES))
    return Template("baseline.html", context={"title": TITLE, "rows": rows, "pad": pad})


@lru_cache(maxsize=16)
def _events(name: str) -> list[dict]:
    return json.loads((Path(os.environ["BENCH_FEEDS"]) / f"{Path(name).name}.json").read_text())


@get("/feed", media_type="text/calendar; charset=utf-8")
async def feed(name: str) -> bytes:
    import datetime as dt

    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//OCOP baseline//vi")
    calendar.add("version", "2.0")
    for entry in _events(name):
        event = icalendar.Event()
        event.add("uid", entry["uid"])
        event.add("dtstamp", dt.datetime.now(dt.timezone.utc))
        event.add("summary", entry["summary"])
        event.add("dtstart", dt.datetime.fromisoformat(entry["start"]))
        event.add("dtend", dt.datetime.fromisoformat(entry["end"]))
        for key in ("location", "description", "url"):
            if entry.get(key):
                event.add(key, entry[key])
        calendar.add_component(event)
    return calendar.to_ical()


@lru_cache(maxsize=8)
def _body(size: int) -> bytes:
    return b"%PDF-1.7\n" + b"0" * max(0, size - 9)


@get("/file")
async def file(request: Request, bytes: int) -> Response[bytes]:
    size = min(max(bytes, 0), MAX_BYTES)
    etag = f'"baseline-{size}"'
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if request.headers.get("if-none-match") == etag:
        return Response(b"", status_code=304, headers=headers)
    return Response(_body(size), media_type="application/pdf", headers=headers)


def create_app() -> Litestar:
    return Litestar(
        route_handlers=[page, feed, file],
        template_config=TemplateConfig(directory=TEMPLATES, engine=JinjaTemplateEngine),
    )
