"""Web pages of the catalogue domain: the public product catalogue, product and producer pages, PDFs."""

from __future__ import annotations

from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from events_app.catalogue import documents, pdf, rendering, services
from events_app.catalogue.dependencies import CATALOGUE_FILTERS
from events_app.catalogue.qr import product_url, qr_svg
from events_app.events.services import get_event
from events_app.core.i18n import current_language
from events_app.core.pagination import page_number
from events_app.reference.services import list_provinces, list_regions
from events_app.core.settings import Settings


class CatalogueController(Controller):
    dependencies = CATALOGUE_FILTERS

    @get("/products", name="products")
    async def products(self, filters: NamedDependency[services.CatalogueFilters], page: FromQuery[str] = "") -> Template:
        result = await services.catalogue(filters, page_number(page))
        return Template(
            "catalogue/products.html",
            context={
                "page": result.page,
                "group_counts": result.group_counts,
                "filters": filters,
                "params": filters.params(),
                "provinces": await list_provinces(),
                "regions": await list_regions(),
                "fairs": await services.fairs_with_booths(),
            },
        )

    @get("/products/{slug:str}", name="product")
    async def product(self, slug: FromPath[str], settings: NamedDependency[Settings]) -> Template:
        product = await services.product_details(slug)
        url = product_url(settings.public_url, product["slug"])
        return Template("catalogue/product.html", context={"product": product, "url": url, "qr": qr_svg(url)})

    @get("/producers/{slug:str}", name="producer")
    async def producer(self, slug: FromPath[str]) -> Template:
        producer = await services.producer_details(slug)
        return Template(
            "catalogue/producer.html",
            context={"producer": producer, "products": await services.producer_products(producer["id"])},
        )

    @get("/catalogue.pdf", name="catalogue_pdf")
    async def catalogue_pdf(
        self, settings: NamedDependency[Settings], filters: NamedDependency[services.CatalogueFilters]
    ) -> Response[bytes]:
        data = await documents.product_catalogue_data(filters, settings.public_url)
        job = pdf.product_catalogue(data, _assets(settings), current_language())
        return await _pdf_response(job, settings, "danh-muc-san-pham-ocop.pdf")

    @get("/events/{slug:str}/catalogue.pdf", name="event_catalogue_pdf")
    async def event_catalogue_pdf(self, slug: FromPath[str], settings: NamedDependency[Settings]) -> Response[bytes]:
        event = await get_event(slug)
        data = await documents.event_catalogue_data(event, settings.public_url)
        job = pdf.event_catalogue(data, _assets(settings), current_language())
        return await _pdf_response(job, settings, f"catalogue-{event['slug']}.pdf")


def _assets(settings: Settings) -> pdf.Assets:
    return pdf.Assets.for_site(settings.public_url, settings.media_dir)


async def _pdf_response(job: pdf.PdfJob, settings: NamedDependency[Settings], filename: str) -> Response[bytes]:
    content = await rendering.pdf_bytes(job, settings.data_dir / "cache" / "pdf")
    return Response(
        content=content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"', "Cache-Control": "no-cache"},
    )


ROUTES = [CatalogueController]
