"""The printed floor plan of a fair: each hall drawn to scale on an A3 landscape page, every booth
with its code and, once its exhibitor has confirmed, the exhibitor's name; then the list of
exhibitors by booth.

`printed_plan` turns the floor plans into plain values (names cut into lines that fit their
booth); `plan_job` makes of them a PDF job that the catalogue's renderer lays out in its worker
processes, behind its cache, bundled fonts and restricted fetcher.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any

from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from events_app.booths import floorplan, rules, services
from events_app.catalogue.assets import Assets
from events_app.catalogue.pdf import PdfJob
from events_app.catalogue.rendering import pdf_bytes
from events_app.core.clock import today
from events_app.core.i18n import current_language
from events_app.core.settings import Settings
from events_app.core.templating import TEMPLATES_DIR
from events_app.events.services import event_days, get_event

TEMPLATE = "booths/pdf/floor_plan.html"
# Characters across a line of bold text, per metre of booth width at the name's font size.
CHAR_WIDTH_EM = 0.56
NAME_FONT_MAX = 0.5  # metres: about 9 pt when a 40 m hall fills an A3 page
NAME_FONT_MIN = 0.2
MAX_NAME_LINES = 4


def name_lines(name: str, width: float, depth: float) -> tuple[list[str], float]:
    """An exhibitor's name cut at words into lines that fit a booth below its code, with the
    font size (metres) they are set in; the last line ends in "…" when the name does not fit."""
    words = name.split()
    if not words:
        return [], 0.0
    room = depth * 0.62  # under the code
    for size in (NAME_FONT_MAX, 0.42, 0.36, 0.3, 0.25, NAME_FONT_MIN):
        per_line = max(1, int((width * 0.92) / (size * CHAR_WIDTH_EM)))
        lines: list[str] = []
        for word in words:
            if lines and len(lines[-1]) + 1 + len(word) <= per_line:
                lines[-1] += " " + word
            else:
                lines.append(word)
        fits = len(lines) * size * 1.2 <= room and all(len(line) <= per_line for line in lines)
        if fits and len(lines) <= MAX_NAME_LINES:
            return lines, size
    keep = max(1, min(MAX_NAME_LINES, int(room / (NAME_FONT_MIN * 1.2))))
    lines = lines[:keep]
    if len(lines) < len(" ".join(words).split()) and lines:
        per_line = max(1, int((width * 0.92) / (NAME_FONT_MIN * CHAR_WIDTH_EM)))
        lines[-1] = lines[-1][: max(1, per_line - 1)] + "…"
    return lines, NAME_FONT_MIN


def printed_plan(plans: list[floorplan.HallPlan]) -> list[dict[str, Any]]:
    """Each hall with booths as plain values; names only of booths taken (confirmed)."""
    halls = []
    for plan in plans:
        if not plan.booths:
            continue
        booths = []
        for b in plan.booths:
            name = b.holder if b.status == floorplan.TAKEN else ""
            lines, size = name_lines(name, b.width, b.depth) if name else ([], 0.0)
            code_size = min(b.font_size, 0.7) if lines else b.font_size
            cx, cy = b.centre
            top = cy - (code_size * 0.6 + len(lines) * size * 1.2) / 2 + code_size * 0.5 if lines else cy
            booths.append({
                "code": b.code, "x": b.x, "y": b.y, "width": b.width, "depth": b.depth, "status": b.status,
                "fill": "#ffffff" if b.status == floorplan.FREE else b.fill, "outline": b.outline,
                "cx": cx, "code_y": round(top, 3), "code_size": code_size, "name": name,
                "lines": [{"text": line, "y": round(top + code_size * 0.75 + (n + 0.5) * size * 1.2, 3)}
                          for n, line in enumerate(lines)],
                "name_size": size,
            })
        features = [{
            "kind": f.kind, "label": f.label, "x": f.x, "y": f.y, "width": f.width, "depth": f.depth,
            "fill": f.fill, "outline": f.outline, "cx": f.centre[0], "cy": f.centre[1], "font_size": f.font_size,
        } for f in plan.features]
        halls.append({
            "name": plan.name, "width": plan.width, "depth": plan.depth, "view_box": plan.view_box,
            "view_width": plan.view_width, "view_depth": plan.view_depth, "scale_bar": plan.scale_bar,
            "booths": booths, "features": features,
            "exhibitors": sorted(((b["code"], b["name"]) for b in booths if b["name"]),
                                 key=lambda item: floorplan.code_order(item[0])),
            "free": sum(1 for b in plan.booths if b.status == floorplan.FREE),
        })
    return halls


async def floor_plan_data(event: dict, public_url: str) -> dict[str, Any]:
    plans = await services.floor_plan(event, services.event_period(event))
    first, last = event_days(event)
    title = event["title_en"] if current_language() == "en" and event["title_en"] else event["title_vi"]
    return {
        "event": {"title": title, "first_day": first, "last_day": last, "venue": event["venue_name"],
                  "province": event["province_name"], "url": f"{public_url.rstrip('/')}/events/{event['slug']}/floor-plan"},
        "halls": printed_plan(plans),
        "issued_on": today(),
        "colours": floorplan.COLOURS,
        "feature_colours": floorplan.FEATURE_COLOURS,
        "design": design_fingerprint(),
    }


@lru_cache(maxsize=1)
def design_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted((TEMPLATES_DIR / "booths" / "pdf").glob("*")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def plan_job(data: dict[str, Any], assets: Assets, language: str) -> PdfJob:
    return PdfJob(TEMPLATE, data, language, assets)


class FloorPlanPdfController(Controller):
    @get("/events/{slug:str}/floor-plan.pdf", name="floor_plan_pdf", opt={"skip_compression": True})
    async def floor_plan_pdf(self, slug: FromPath[str], settings: NamedDependency[Settings]) -> Response[bytes]:
        """A fair's floor plan to print on A3, in the reader's language."""
        event = rules.require_booths(await get_event(slug))
        data = await floor_plan_data(event, settings.public_url)
        job = plan_job(data, Assets.for_site(settings.public_url, settings.media_dir), current_language())
        content = await pdf_bytes(job, settings.data_dir / "cache" / "pdf")
        return Response(
            content=content,
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="so-do-gian-hang-{event["slug"]}.pdf"',
                     "Cache-Control": "no-cache"},
        )


ROUTES = [FloorPlanPdfController]
