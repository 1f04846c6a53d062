"""Downloads of the lists as spreadsheets (XLSX) and CSV.

The product catalogue is public, as /products is, with the same filters. The producers' and
distributors' lists and a fair's exhibitors carry phone numbers and e-mail addresses: staff only.
Files are built in a worker thread, one at a time per process, so a large one neither holds up
the pages being served nor lets a few visitors keep every core busy; the last few built are kept,
keyed by what they show, so the whole catalogue asked for again is not written again.
"""

from __future__ import annotations

import asyncio
import weakref

import anyio
import anyio.to_thread
from litestar import Controller, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from events_app.booths import dashboard
from events_app.booths.market import require_fair
from events_app.booths.services import get_booth_event
from events_app.catalogue.dependencies import CATALOGUE_FILTERS
from events_app.catalogue.services import CatalogueFilters
from events_app.core.bounds import RowId
from events_app.core.guards import staff_only
from events_app.core.kept import Kept
from events_app.core.labels import options
from events_app.core.settings import Settings
from events_app.exports import services
from events_app.exports.sheets import csv_bytes, fingerprint, workbook_bytes, xlsx_bytes
from events_app.reference.services import list_provinces, list_regions

FORMATS = {
    "xlsx": (xlsx_bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": (csv_bytes, "text/csv"),  # Litestar adds the charset
}
KEPT_FILES = 8  # the national catalogue is 2 MB as XLSX, 8 MB as CSV
_files: Kept[bytes] = Kept(KEPT_FILES)
_limiters: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _limiter() -> anyio.CapacityLimiter:
    """One file built at a time on this event loop (limiters belong to the loop that made them)."""
    loop = asyncio.get_running_loop()
    if loop not in _limiters:
        _limiters[loop] = anyio.CapacityLimiter(1)
    return _limiters[loop]


async def download(export: services.Export, fmt: str) -> Response[bytes]:
    build, media_type = FORMATS[fmt]
    key = (fmt, await anyio.to_thread.run_sync(fingerprint, export.sheet))
    content = await _files.get(key, lambda: anyio.to_thread.run_sync(build, export.sheet, limiter=_limiter()))
    return Response(
        content=content,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{export.file_stem}.{fmt}"',
            "Cache-Control": "no-store",
            "X-Total-Count": str(export.total),
        },
    )


class CatalogueExportController(Controller):
    """The public catalogue as a file, with the filters of /products."""

    dependencies = CATALOGUE_FILTERS

    @get("/catalogue.xlsx", name="catalogue_xlsx")
    async def xlsx(self, filters: NamedDependency[CatalogueFilters], settings: NamedDependency[Settings]) -> Response[bytes]:
        return await download(await services.products_export(filters, settings.public_url), "xlsx")

    @get("/catalogue.csv", name="catalogue_csv")
    async def csv(self, filters: NamedDependency[CatalogueFilters], settings: NamedDependency[Settings]) -> Response[bytes]:
        return await download(await services.products_export(filters, settings.public_url), "csv")


async def provide_producer_filters(
    province: FromQuery[str] = "", region: FromQuery[str] = "", type: FromQuery[str] = ""
) -> services.DirectoryFilters:
    return await services.parse_directory_filters(province, region, type, kind="producer_type")


async def provide_distributor_filters(
    province: FromQuery[str] = "", region: FromQuery[str] = "", type: FromQuery[str] = ""
) -> services.DirectoryFilters:
    return await services.parse_directory_filters(province, region, type, kind="distributor_type")


class StaffExportController(Controller):
    """The staff's page of downloads, and the producers' and distributors' contact lists."""

    path = "/staff/exports"
    guards = [staff_only]

    @get("/", name="staff_exports")
    async def index(self) -> Template:
        return Template(
            "exports/staff_exports.html",
            context={
                "provinces": await list_provinces(),
                "regions": await list_regions(),
                "producer_types": options("producer_type"),
                "distributor_types": options("distributor_type"),
            },
        )

    @get("/producers.xlsx", name="staff_producers_xlsx", dependencies={"filters": Provide(provide_producer_filters)})
    async def producers_xlsx(self, filters: NamedDependency[services.DirectoryFilters]) -> Response[bytes]:
        return await download(await services.producers_export(filters), "xlsx")

    @get("/producers.csv", name="staff_producers_csv", dependencies={"filters": Provide(provide_producer_filters)})
    async def producers_csv(self, filters: NamedDependency[services.DirectoryFilters]) -> Response[bytes]:
        return await download(await services.producers_export(filters), "csv")

    @get("/distributors.xlsx", name="staff_distributors_xlsx",
         dependencies={"filters": Provide(provide_distributor_filters)})
    async def distributors_xlsx(self, filters: NamedDependency[services.DirectoryFilters]) -> Response[bytes]:
        return await download(await services.distributors_export(filters), "xlsx")

    @get("/distributors.csv", name="staff_distributors_csv",
         dependencies={"filters": Provide(provide_distributor_filters)})
    async def distributors_csv(self, filters: NamedDependency[services.DirectoryFilters]) -> Response[bytes]:
        return await download(await services.distributors_export(filters), "csv")


class ExhibitorExportController(Controller):
    """A fair's exhibitors with their booths, products and contacts."""

    path = "/staff/events/{event_id:int}"
    guards = [staff_only]

    @get("/exhibitors.xlsx", name="staff_exhibitors_xlsx")
    async def xlsx(self, event_id: FromPath[RowId]) -> Response[bytes]:
        return await download(await services.exhibitors_export(await get_booth_event(event_id)), "xlsx")

    @get("/exhibitors.csv", name="staff_exhibitors_csv")
    async def csv(self, event_id: FromPath[RowId]) -> Response[bytes]:
        return await download(await services.exhibitors_export(await get_booth_event(event_id)), "csv")

    @get("/dashboard.xlsx", name="staff_fair_dashboard_xlsx")
    async def dashboard_xlsx(self, event_id: FromPath[RowId]) -> Response[bytes]:
        """The tables of the fair's dashboard, one sheet each."""
        event = require_fair(await get_booth_event(event_id))
        sheets = services.dashboard_sheets(await dashboard.dashboard(event))
        content = await anyio.to_thread.run_sync(workbook_bytes, sheets, limiter=_limiter())
        stem = services.file_stem("bang-tong-hop", event["slug"])
        return Response(content=content, media_type=FORMATS["xlsx"][1], headers={
            "Content-Disposition": f'attachment; filename="{stem}.xlsx"', "Cache-Control": "no-store",
        })


ROUTES = [CatalogueExportController, StaffExportController, ExhibitorExportController]
