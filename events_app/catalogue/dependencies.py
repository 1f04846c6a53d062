"""The filters of the product catalogue and its PDF, read from the query string once and handed
to their handlers as `CatalogueFilters`."""

from __future__ import annotations

from litestar.di import Provide
from litestar.params import FromQuery

from events_app.catalogue.services import CatalogueFilters, parse_filters


async def provide_catalogue_filters(
    q: FromQuery[str] = "",
    stars: FromQuery[str] = "",
    group: FromQuery[str] = "",
    province: FromQuery[str] = "",
    region: FromQuery[str] = "",
    event: FromQuery[str] = "",
) -> CatalogueFilters:
    return await parse_filters(q, stars, group, province, region, event)


CATALOGUE_FILTERS = {"filters": Provide(provide_catalogue_filters)}
