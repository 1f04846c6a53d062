"""The public catalogue: filtering and searching certified products, product and producer pages,
and a fair's exhibitors by hall and booth.

Search folds the query the way `Product.search_text` was folded (case, tone marks, đ/Đ) and asks
for every word with LIKE on that plain column, so SQLite and PostgreSQL give the same answer.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from piccolo.query.functions.aggregate import Count
from piccolo.querystring import QueryString

from events_app.booths.tables import ApplicationProduct, ApplicationStatus, BoothApplication, BoothRental, RentalStatus
from events_app.core.bounds import SEARCH_LENGTH
from events_app.core.db import is_postgres
from events_app.core.clock import today
from events_app.core.dates import is_valid
from events_app.directory.tables import Producer, Product
from events_app.core.errors import DomainError, NotFound
from events_app.events.tables import Event, EventKind, EventStatus
from events_app.core.i18n import N_
from events_app.core.pagination import Page, paginate
from events_app.reference.services import group_name, list_groups
from events_app.reference.tables import FormerProvince, Province, Region
from events_app.core.text import fold, like_fragment, search_terms

PER_PAGE = 24
# Exhibitors are producers whose application was accepted.
EXHIBITING = [ApplicationStatus.approved.value, ApplicationStatus.confirmed.value]
BOOTH_EVENT_KINDS = [EventKind.fair.value, EventKind.showroom.value]


# Filters --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CatalogueFilters:
    """What /products and /catalogue.pdf were asked for, checked: values that make no sense are dropped
    and explained in `notes`."""

    q: str = ""
    stars: int | None = None
    group: str = ""  # product group code
    province: str = ""  # province slug
    region: str = ""  # region slug
    event: str = ""  # event slug
    group_id: int | None = None
    province_id: int | None = None
    region_id: int | None = None
    event_id: int | None = None
    notes: tuple[DomainError, ...] = field(default=(), compare=False)

    @property
    def terms(self) -> list[str]:
        return [like_fragment(term) for term in search_terms(self.q)]

    def params(self) -> dict[str, Any]:
        return {
            "q": self.q,
            "stars": self.stars or "",
            "group": self.group,
            "province": self.province,
            "region": self.region,
            "event": self.event,
        }

    def query(self, **changes: Any) -> str:
        """The query string of these filters with some changed, leaving out the empty ones."""
        params = {**self.params(), **changes}
        return urlencode({k: v for k, v in params.items() if v not in (None, "")})

    @property
    def active(self) -> bool:
        return any(v for v in self.params().values())


async def parse_filters(
    q: str = "", stars: str = "", group: str = "", province: str = "", region: str = "", event: str = ""
) -> CatalogueFilters:
    notes: list[DomainError] = []
    values: dict[str, Any] = {"q": " ".join(q.split())[:SEARCH_LENGTH]}

    stars = stars.strip()
    if stars:
        if stars in ("3", "4", "5"):
            values["stars"] = int(stars)
        else:
            notes.append(DomainError(N_("“%(value)s” is not a star rating (3, 4 or 5): products of every rating are shown."), value=stars[:20]))

    group = group.strip()[:60]
    if group:
        groups = {g["code"]: g["id"] for g in await list_groups()}
        if group in groups:
            values.update(group=group, group_id=groups[group])
        else:
            notes.append(DomainError(N_("There is no product group “%(value)s”: every group is shown."), value=group))

    province = province.strip()[:120]
    if province:
        row = await Province.select(Province.id).where(Province.slug == province).first()
        if row:
            values.update(province=province, province_id=row["id"])
        else:
            former = await FormerProvince.select(
                FormerProvince.name,
                FormerProvince.province.id.as_alias("pid"),
                FormerProvince.province.name.as_alias("pname"),
                FormerProvince.province.slug.as_alias("pslug"),
            ).where(FormerProvince.slug == province).first()
            if former:
                values.update(province=former["pslug"], province_id=former["pid"])
                notes.append(DomainError(
                    N_("%(former)s is now part of %(province)s: products of %(province)s are shown."),
                    former=former["name"], province=former["pname"],
                ))
            else:
                notes.append(DomainError(N_("There is no province “%(value)s”: every province is shown."), value=province))

    region = region.strip()[:120]
    if region:
        row = await Region.select(Region.id).where(Region.slug == region).first()
        if row:
            values.update(region=region, region_id=row["id"])
        else:
            notes.append(DomainError(N_("There is no region “%(value)s”: every region is shown."), value=region))

    event = event.strip()[:220]
    if event:
        row = await Event.select(Event.id).where(
            (Event.slug == event) & (Event.status != EventStatus.draft.value) & Event.kind.is_in(BOOTH_EVENT_KINDS)
        ).first()
        if row:
            values.update(event=event, event_id=row["id"])
        else:
            notes.append(DomainError(N_("There is no published fair “%(value)s”: products of every exhibitor are shown."), value=event))

    return CatalogueFilters(**values, notes=tuple(notes))


def _conditions(filters: CatalogueFilters, *, with_group: bool = True) -> list:
    """Where-clauses of the catalogue: only products whose certificate is still valid."""
    conditions: list = [Product.valid_until >= today()]
    conditions += [Product.search_text.like(f"%{term}%") for term in filters.terms if term]
    if filters.stars:
        conditions.append(Product.stars >= filters.stars)
    if with_group and filters.group_id:
        conditions.append(Product.group == filters.group_id)
    if filters.province_id:
        conditions.append(Product.producer.province == filters.province_id)
    if filters.region_id:
        conditions.append(Product.producer.province.region == filters.region_id)
    if filters.event_id:
        conditions.append(Product.id.is_in(exhibited_products(filters.event_id)))
    return conditions


def exhibited_products(event_id: int):
    """A sub-select of the ids of products shown by an event's exhibitors."""
    return ApplicationProduct.select(ApplicationProduct.product).where(
        (ApplicationProduct.application.event == event_id) & ApplicationProduct.application.status.is_in(EXHIBITING)
    )


LIST_COLUMNS = (
    Product.id,
    Product.name,
    Product.slug,
    Product.stars,
    Product.price,
    Product.unit,
    Product.image,
    Product.certificate_number,
    Product.certified_on,
    Product.valid_until,
    Product.group.code.as_alias("group_code"),
    Product.group.name_vi.as_alias("name_vi"),
    Product.group.name_en.as_alias("name_en"),
    Product.producer.name.as_alias("producer_name"),
    Product.producer.slug.as_alias("producer_slug"),
    Product.producer.province.name.as_alias("province_name"),
)


def _ordered(query):
    """Best-rated first, then by folded name; the "C" collation makes PostgreSQL sort as SQLite does."""
    collate = ' COLLATE "C"' if is_postgres() else ""
    return query.order_by(Product.stars, ascending=False).order_by(
        QueryString(f'"product"."search_text"{collate}'), Product.id
    )


def _with_display(rows: list[dict]) -> list[dict]:
    on = today()
    for row in rows:
        row["group_name"] = group_name(row)
        row["valid"] = is_valid(row["valid_until"], on)
    return rows


@dataclass
class CatalogueResult:
    page: Page
    group_counts: list[dict]  # every group with how many products it has under the other filters


async def catalogue(filters: CatalogueFilters, number: int, per_page: int = PER_PAGE) -> CatalogueResult:
    conditions = _conditions(filters)
    page = await paginate(
        _ordered(Product.select(*LIST_COLUMNS).where(*conditions)),
        Product.count().where(*conditions),
        number,
        per_page,
        params=filters.params(),
    )
    _with_display(page.items)
    counts = {
        row["group"]: row["count"]
        for row in await Product.select(Product.group, Count()).where(*_conditions(filters, with_group=False)).group_by(
            Product.group
        )
    }
    groups = [
        {"code": g["code"], "name": group_name(g), "count": counts.get(g["id"], 0)} for g in await list_groups()
    ]
    return CatalogueResult(page=page, group_counts=groups)


async def catalogue_products(filters: CatalogueFilters, limit: int) -> tuple[list[dict], int]:
    """Up to `limit` products for the printed catalogue, and how many match in all."""
    conditions = _conditions(filters)
    total = await Product.count().where(*conditions)
    rows = await _ordered(Product.select(*LIST_COLUMNS).where(*conditions)).limit(limit)
    return _with_display(rows), total


async def fairs_with_booths() -> list[dict]:
    """Published fairs and showrooms, newest first, for the catalogue's event filter."""
    return await Event.select(Event.slug, Event.title_vi, Event.title_en, Event.starts_at).where(
        Event.status.is_in([EventStatus.published.value, EventStatus.closed.value]) & Event.kind.is_in(BOOTH_EVENT_KINDS)
    ).order_by(Event.starts_at, ascending=False).limit(50)


# Product and producer pages -----------------------------------------------------------------------

async def product_details(slug: str) -> dict:
    """A product by its slug, expired or not: printed QR codes keep pointing at it."""
    row = await Product.select(
        Product.all_columns(),
        Product.group.code.as_alias("group_code"),
        Product.group.name_vi.as_alias("name_vi"),
        Product.group.name_en.as_alias("name_en"),
        Product.producer.name.as_alias("producer_name"),
        Product.producer.slug.as_alias("producer_slug"),
        Product.producer.producer_type.as_alias("producer_type"),
        Product.producer.province_as_written.as_alias("province_as_written"),
        Product.producer.province.name.as_alias("province_name"),
        Product.producer.province.slug.as_alias("province_slug"),
    ).where(Product.slug == slug).first()
    if row is None:
        raise NotFound(N_("This product does not exist or has been removed."))
    return _with_display([row])[0]


async def producer_details(slug: str) -> dict:
    row = await Producer.select(
        Producer.all_columns(),
        Producer.province.name.as_alias("province_name"),
        Producer.province.slug.as_alias("province_slug"),
        Producer.province.region.name.as_alias("region_name"),
    ).where(Producer.slug == slug).first()
    if row is None:
        raise NotFound(N_("This producer does not exist."))
    return row


async def producer_products(producer_id: int) -> list[dict]:
    """A producer's products whose certificate is valid, best-rated first."""
    return _with_display(
        await _ordered(
            Product.select(*LIST_COLUMNS).where((Product.producer == producer_id) & (Product.valid_until >= today()))
        )
    )


# A fair's exhibitors --------------------------------------------------------------------------------

def booth_sort_key(code: str) -> tuple:
    """A-2 before A-10: numbers inside booth codes compare as numbers."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code))


async def exhibitors(event_id: int) -> list[dict]:
    """Producers with an approved or confirmed application, each with its live booths and the products it shows.

    Sorted by hall, then booth code; exhibitors still waiting for a booth come last.
    """
    applications = await BoothApplication.select(
        BoothApplication.id,
        BoothApplication.producer.id.as_alias("producer_id"),
        BoothApplication.producer.name.as_alias("name"),
        BoothApplication.producer.slug.as_alias("slug"),
        BoothApplication.producer.producer_type.as_alias("producer_type"),
        BoothApplication.producer.address.as_alias("address"),
        BoothApplication.producer.phone.as_alias("phone"),
        BoothApplication.producer.email.as_alias("email"),
        BoothApplication.producer.website.as_alias("website"),
        BoothApplication.producer.province_as_written.as_alias("province_as_written"),
        BoothApplication.producer.province.name.as_alias("province_name"),
    ).where((BoothApplication.event == event_id) & BoothApplication.status.is_in(EXHIBITING))
    if not applications:
        return []
    ids = [a["id"] for a in applications]
    booths: dict[int, list[dict]] = defaultdict(list)
    for rental in await BoothRental.select(
        BoothRental.application,
        BoothRental.booth.code.as_alias("code"),
        BoothRental.booth.hall.name.as_alias("hall"),
    ).where(BoothRental.application.is_in(ids) & (BoothRental.status != RentalStatus.cancelled.value)):
        booths[rental["application"]].append(rental)
    shown: dict[int, list[dict]] = defaultdict(list)
    for row in _with_display(
        await ApplicationProduct.select(
            ApplicationProduct.application,
            *(column for column in _product_columns_via(ApplicationProduct.product)),
        ).where(ApplicationProduct.application.is_in(ids))
    ):
        shown[row["application"]].append(row)

    out = []
    for application in applications:
        held = sorted(booths.get(application["id"], []), key=lambda b: booth_sort_key(b["code"]))
        products = sorted(shown.get(application["id"], []), key=lambda p: (-p["stars"], fold(p["name"])))
        out.append({
            **application,
            "booths": [b["code"] for b in held],
            "hall": (held[0]["hall"] or "") if held else None,
            "products": products,
        })
    out.sort(key=lambda e: (e["hall"] is None, fold(e["hall"] or ""), booth_sort_key(e["booths"][0]) if e["booths"] else (), fold(e["name"])))
    return out


def _product_columns_via(fk) -> list:
    """The catalogue's product columns, reached through a foreign key to Product."""
    return [
        fk.id.as_alias("id"),
        fk.name.as_alias("name"),
        fk.slug.as_alias("slug"),
        fk.stars.as_alias("stars"),
        fk.price.as_alias("price"),
        fk.unit.as_alias("unit"),
        fk.image.as_alias("image"),
        fk.certificate_number.as_alias("certificate_number"),
        fk.certified_on.as_alias("certified_on"),
        fk.valid_until.as_alias("valid_until"),
        fk.group.code.as_alias("group_code"),
        fk.group.name_vi.as_alias("name_vi"),
        fk.group.name_en.as_alias("name_en"),
    ]


async def exhibitor_summary(event_id: int) -> dict[str, int]:
    """How many exhibitors an event has and how many valid products they show."""
    count = await BoothApplication.count().where(
        (BoothApplication.event == event_id) & BoothApplication.status.is_in(EXHIBITING)
    )
    products = await Product.count().where(
        Product.id.is_in(exhibited_products(event_id)) & (Product.valid_until >= today())
    ) if count else 0
    return {"exhibitors": count, "products": products}
