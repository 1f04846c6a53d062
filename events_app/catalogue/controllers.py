"""Web pages of the catalogue domain: the public product catalogue, product and producer pages, PDFs."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from events_app.core.bounds import RowId

from events_app.catalogue import jobs, printing, services
from events_app.catalogue.dependencies import CATALOGUE_FILTERS
from events_app.catalogue.qr import product_url, qr_svg
from events_app.catalogue.tables import JobStatus
from events_app.core.i18n import current_language
from events_app.core.identity import CurrentUser
from events_app.directory import certifications
from events_app.matchmaking import shortlist
from events_app.core.labels import label
from events_app.directory.tables import PRODUCER_ATTRIBUTES
from events_app.core.pagination import page_number
from events_app.accounts.throttling import network_of
from events_app.core.requests import client_ip, reader_has
from events_app.core.settings import Settings
from events_app.events.services import get_event

PRODUCT_CATALOGUE_FILE = "danh-muc-san-pham-ocop.pdf"


class CatalogueController(Controller):
    dependencies = CATALOGUE_FILTERS

    @get("/products", name="products")
    async def products(
        self,
        filters: NamedDependency[services.CatalogueFilters],
        choices: NamedDependency[services.CatalogueChoices],
        page: FromQuery[str] = "",
    ) -> Template:
        result = await services.catalogue(filters, page_number(page), choices=choices)
        return Template(
            "catalogue/products.html",
            context={
                "result": result,
                "page": result.page,
                "group_counts": result.group_counts,
                "filters": filters,
                "provinces": choices.provinces,
                "regions": choices.regions,
                "fairs": choices.fairs,
            },
        )

    @get("/products/{slug:str}", name="product")
    async def product(
        self, slug: FromPath[str], settings: NamedDependency[Settings], current_user: NamedDependency[CurrentUser | None]
    ) -> Template:
        product = await services.product_details(slug)
        url = product_url(settings.public_url, product["slug"])
        held = await certifications.shown_for([product["id"]], [product["producer"]])
        shortlisted = None  # only a distributor has a shortlist to keep it on
        if current_user is not None and current_user.is_distributor and current_user.distributor_id:
            shortlisted = await shortlist.is_shortlisted(current_user.distributor_id, product["id"])
        return Template("catalogue/product.html", context={
            "product": product, "url": url, "qr": qr_svg(url), "shortlisted": shortlisted,
            "certifications": held.get(("product", product["id"]), []) + held.get(("producer", product["producer"]), []),
        })

    @get("/producers/{slug:str}", name="producer")
    async def producer(self, slug: FromPath[str]) -> Template:
        producer = await services.producer_details(slug)
        return Template(
            "catalogue/producer.html",
            context={"producer": producer, "products": await services.producer_products(producer["id"]),
                     "badges": [(name, label("producer_attribute", name)) for name in PRODUCER_ATTRIBUTES if producer[name]]},
        )

    @get("/catalogue.pdf", name="catalogue_pdf", opt={"skip_compression": True})
    async def catalogue_pdf(
        self, request: Request, settings: NamedDependency[Settings], filters: NamedDependency[services.CatalogueFilters],
        current_user: NamedDependency[CurrentUser | None],
    ) -> Response:
        wanted = jobs.CatalogueRequest.products(filters, current_language())
        return await _printed(request, wanted, settings, PRODUCT_CATALOGUE_FILE, current_user)

    @get("/events/{slug:str}/catalogue.pdf", name="event_catalogue_pdf", opt={"skip_compression": True})
    async def event_catalogue_pdf(
        self, request: Request, slug: FromPath[str], settings: NamedDependency[Settings],
        current_user: NamedDependency[CurrentUser | None],
    ) -> Response:
        event = await get_event(slug)  # unknown and draft events have no catalogue
        wanted = jobs.CatalogueRequest.event(event, current_language())
        return await _printed(request, wanted, settings, f"catalogue-{event['slug']}.pdf", current_user)


class CatalogueJobController(Controller):
    @post("/catalogue-jobs/{job_id:int}/retry", name="catalogue_job_retry")
    async def retry(self, request: Request, job_id: FromPath[RowId], settings: NamedDependency[Settings]) -> Redirect:
        job = await jobs.retry(job_id, settings)
        return Redirect(_pdf_url(request, job.kind, job.subject))


def _pdf_url(request: Request, kind: str, subject: str) -> str:
    if kind == printing.EVENT:
        return request.app.route_reverse("event_catalogue_pdf", slug=subject)
    url = request.app.route_reverse("catalogue_pdf")
    return f"{url}?{subject}" if subject else url


async def _printed(request: Request, wanted: jobs.CatalogueRequest, settings: Settings, filename: str,
                   reader: CurrentUser | None) -> Response:
    """The catalogue's PDF; 304 when the reader has this version; while it is being made, a page
    that says how far it has got and looks again. A visitor who is not logged in starts new ones
    within its network's allowance (429 past it); kept ones are answered to anyone."""
    key = await jobs.version_key(wanted)
    headers = {"ETag": f'"{key}"', "Cache-Control": "no-cache"}
    if reader_has(request, headers["ETag"]):
        return Response(b"", status_code=304, headers=headers)
    content = await jobs.kept_pdf(key, settings)
    if content is None:
        network = None if reader is not None else network_of(client_ip(request))
        job = await jobs.wait_for(await jobs.request_job(wanted, key, settings, network), jobs.INLINE_WAIT_SECONDS)
        if job.status == JobStatus.done:
            content = await jobs.kept_pdf(key, settings)
        if content is None:
            return Template(
                "catalogue/preparing.html",
                context={"job": job, "pdf_url": _pdf_url(request, wanted.kind, wanted.subject), "refresh": 2},
                status_code=202,
                headers={"Cache-Control": "no-store"},
            )
    headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return Response(content=content, media_type="application/pdf", headers=headers)


ROUTES = [CatalogueController, CatalogueJobController]
