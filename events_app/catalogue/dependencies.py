"""The filters of the product catalogue and its PDF, read from the query string once and handed
to their handlers as `CatalogueFilters`, with the choices they were checked against
(`CatalogueChoices`: the groups, places and fairs on offer, and the version of the catalogue)."""

from __future__ import annotations

from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery

from events_app.catalogue.services import CatalogueChoices, CatalogueFilters, catalogue_choices, parse_filters


async def provide_catalogue_filters(
    choices: NamedDependency[CatalogueChoices],
    q: FromQuery[str] = "",
    stars: FromQuery[str] = "",
    group: FromQuery[str] = "",
    province: FromQuery[str] = "",
    region: FromQuery[str] = "",
    event: FromQuery[str] = "",
) -> CatalogueFilters:
    return await parse_filters(q, stars, group, province, region, event, choices=choices)


CATALOGUE_FILTERS = {"choices": Provide(catalogue_choices), "filters": Provide(provide_catalogue_filters)}
