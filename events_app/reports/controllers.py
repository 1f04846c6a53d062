"""Staff's reports: the list, and each report as a page with its filters, charts and table, as an
XLSX workbook (`/staff/reports/{name}.xlsx` or `?format=xlsx`) and as a PDF (`.pdf`, `?format=pdf`)."""

from __future__ import annotations

import anyio.to_thread
from litestar import Controller, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from events_app.catalogue.assets import Assets
from events_app.catalogue.rendering import pdf_bytes
from events_app.catalogue.services import catalogue_choices
from events_app.core.clock import today
from events_app.core.errors import NotFound
from events_app.core.guards import staff_only
from events_app.core.i18n import N_, current_language
from events_app.core.labels import options
from events_app.core.settings import Settings
from events_app.exports.sheets import xlsx_bytes
from events_app.reports import documents
from events_app.reports.figures import REPORTS, Report
from events_app.reports.filters import ReportFilters, parse_report_filters
from events_app.reports.queries import BOOTH_KINDS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("html", "xlsx", "pdf")
FIRST_YEAR = 2018  # the OCOP programme began in 2018
UNKNOWN_REPORT = N_("There is no such report.")


async def provide_report_filters(
    year: FromQuery[str] = "", kind: FromQuery[str] = "", region: FromQuery[str] = "", province: FromQuery[str] = "",
    group: FromQuery[str] = "", units: FromQuery[str] = "",
) -> ReportFilters:
    return await parse_report_filters(year, kind, region, province, group, units)


def _report_and_format(file_name: str, fmt: str) -> tuple[Report, str]:
    """`products-by-star`, `products-by-star.xlsx` or `products-by-star?format=pdf`."""
    name, _, suffix = file_name.partition(".")
    fmt = suffix or fmt.strip().lower() or "html"
    report = REPORTS.get(name)
    if report is None or fmt not in FORMATS:
        raise NotFound(UNKNOWN_REPORT)
    return report, fmt


class ReportController(Controller):
    path = "/staff/reports"
    guards = [staff_only]
    dependencies = {"filters": Provide(provide_report_filters)}

    @get("/", name="staff_reports")
    async def index(self) -> Template:
        return Template("reports/index.html", context={"reports": list(REPORTS.values())})

    @get("/{file_name:str}", name="staff_report")
    async def report(
        self, file_name: FromPath[str], filters: NamedDependency[ReportFilters], settings: NamedDependency[Settings],
        format: FromQuery[str] = "",
    ) -> Response | Template:
        report, fmt = _report_and_format(file_name, format[:10])
        filters = filters.only(report.filters)
        result = await report.build(filters)
        choices = await catalogue_choices()
        described = documents.describe_filters(filters, choices)
        if fmt == "xlsx":
            content = await anyio.to_thread.run_sync(xlsx_bytes, documents.sheet(report, result))
            return Response(content=content, media_type=XLSX, headers={
                "Content-Disposition": f'attachment; filename="{documents.file_name(report, filters, "xlsx")}"',
                "Cache-Control": "no-store",
            })
        if fmt == "pdf":
            job = documents.report_job(
                documents.pdf_context(report, result, described),
                Assets.for_site(settings.public_url, settings.media_dir), current_language(),
            )
            content = await pdf_bytes(job, settings.data_dir / "cache" / "pdf")
            return Response(content=content, media_type="application/pdf", headers={
                "Content-Disposition": f'inline; filename="{documents.file_name(report, filters, "pdf")}"',
                "Cache-Control": "no-store",
            })
        kinds = [(v, t) for v, t in options("event_kind") if report.name != "booths" or v in BOOTH_KINDS]
        return Template("reports/report.html", context={
            "report": report,
            "reports": list(REPORTS.values()),
            "result": result,
            "table": documents.printed(result),
            "filters": filters,
            "described": described,
            "query": filters.query(),
            "choices": choices,
            "kinds": kinds,
            "years": list(range(today().year + 1, FIRST_YEAR - 1, -1)),
        })


ROUTES = [ReportController]
