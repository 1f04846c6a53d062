"""The public catalogue: filtering and searching certified products, product and producer pages,
and a fair's exhibitors by hall and booth.

Search and ranking are the directory's (`directory.search`): the same answers, in the same order,
on SQLite and PostgreSQL. What a page costs does not grow with the catalogue: for each set of
filters the ordered ids of the matching products and the counts per group are computed once and
kept (`core.kept`), keyed by the filters, `revision(CATALOGUE)` (and the fair's own revision
when the filters name a fair, so a booking moves only that fair's results) and today's date
(certificates lapse by date); a page then reads its 24 rows by id, so page 400 costs what page 1 does. The
reference lists and fairs the filters offer, and each page's rows, are kept under the same
version; so is the rendered page (`{% kept %}` in its template).
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Sequence
from urllib.parse import urlencode

from piccolo.query.functions.aggregate import Count

from events_app.booths.tables import ApplicationProduct, ApplicationStatus, BoothApplication, BoothRental, RentalStatus
from events_app.booths.floorplan import code_order
from events_app.core.bounds import SEARCH_LENGTH
from events_app.core.db import is_postgres
from events_app.core.clock import today
from events_app.core.dates import is_valid
from events_app.core.kept import Kept
from events_app.core.revisions import CATALOGUE, fair_scope, revision
from events_app.directory import gallery
from events_app.directory.search import matching, query_words, ranked
from events_app.directory.tables import Producer, Product
from events_app.core.errors import DomainError, NotFound
from events_app.events.tables import Event, EventKind, EventStatus
from events_app.core.i18n import N_, current_language
from events_app.core.pagination import Page
from events_app.reference.services import group_name, list_groups, list_provinces, list_regions
from events_app.reference.tables import FormerProvince
from events_app.core.text import fold

PER_PAGE = 24
# Exhibitors are producers whose application was accepted.
EXHIBITING = [ApplicationStatus.approved.value, ApplicationStatus.confirmed.value]
BOOTH_EVENT_KINDS = [EventKind.fair.value, EventKind.showroom.value]
ROWS_PER_READ = 500  # ids in one IN (...): well inside both engines' limits on bound values

# What one version of the catalogue and a set of filters give. Every filter set's ordered ids at
# national scale are 20,000 ids (160 KB); most searches match far fewer.
_choices: Kept["CatalogueChoices"] = Kept(4)
_orders: Kept[array] = Kept(128)
_counts: Kept[dict[int, int]] = Kept(256)
_rows: Kept[list[dict]] = Kept(256)  # a page's rows, by their ids

Version = tuple[str, dt.date]


async def catalogue_version(filters: "CatalogueFilters | None" = None) -> Version:
    """What the catalogue's kept results are valid for: its revision, with the fair's when the
    filters name one (its exhibitors are part of the answer), and the day (certificates lapse
    overnight without a write)."""
    event_id = filters.event_id if filters else None
    return await revision(CATALOGUE, *([fair_scope(event_id)] if event_id else [])), today()


# What the filters offer ------------------------------------------------------------------------------

@dataclass(frozen=True)
class CatalogueChoices:
    """The groups, places and fairs the catalogue can be filtered by, as of `version`."""

    version: Version
    groups: list[dict]
    provinces: list[dict]
    regions: list[dict]
    fairs: list[dict]
    former_provinces: dict[str, dict]  # by slug, with the current province's id, name and slug

    def __post_init__(self) -> None:
        object.__setattr__(self, "_groups", {g["code"]: g for g in self.groups})
        object.__setattr__(self, "_provinces", {p["slug"]: p for p in self.provinces})
        object.__setattr__(self, "_regions", {r["slug"]: r for r in self.regions})

    def group(self, code: str) -> dict | None:
        return self._groups.get(code)  # type: ignore[attr-defined]

    def province(self, slug: str) -> dict | None:
        return self._provinces.get(slug)  # type: ignore[attr-defined]

    def region(self, slug: str) -> dict | None:
        return self._regions.get(slug)  # type: ignore[attr-defined]


async def catalogue_choices() -> CatalogueChoices:
    version = await catalogue_version()

    async def read() -> CatalogueChoices:
        former = await FormerProvince.select(
            FormerProvince.name,
            FormerProvince.slug,
            FormerProvince.province.id.as_alias("pid"),
            FormerProvince.province.name.as_alias("pname"),
            FormerProvince.province.slug.as_alias("pslug"),
        )
        return CatalogueChoices(
            version=version,
            groups=await list_groups(),
            provinces=await list_provinces(),
            regions=await list_regions(),
            fairs=await fairs_with_booths(),
            former_provinces={row["slug"]: row for row in former},
        )

    return await _choices.get(version, read)


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
    def words(self) -> list[str]:
        return query_words(self.q)

    def key(self, *, with_group: bool = True) -> tuple:
        """What the matching products depend on: "Gà" and "ga" ask the same."""
        group = self.group_id if with_group else None
        return (tuple(self.words), self.stars, group, self.province_id, self.region_id, self.event_id)

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


# The group, province and region of a query string, each as values for the filters and, when it
# cannot be used as typed, a note in the words of the page (`missing`, `merged`) saying so.
Found = tuple[dict[str, Any], DomainError | None]


def read_group(choices: CatalogueChoices, raw: str, *, missing: str) -> Found:
    group = raw.strip()[:60]
    if not group:
        return {}, None
    if row := choices.group(group):
        return {"group": group, "group_id": row["id"]}, None
    return {}, DomainError(missing, value=group)


def read_province(choices: CatalogueChoices, raw: str, *, missing: str, merged: str) -> Found:
    """A current province, or a former one read as the province it is part of now (and said so)."""
    province = raw.strip()[:120]
    if not province:
        return {}, None
    if row := choices.province(province):
        return {"province": province, "province_id": row["id"]}, None
    if former := choices.former_provinces.get(province):
        return ({"province": former["pslug"], "province_id": former["pid"]},
                DomainError(merged, former=former["name"], province=former["pname"]))
    return {}, DomainError(missing, value=province)


def read_region(choices: CatalogueChoices, raw: str, *, missing: str) -> Found:
    region = raw.strip()[:120]
    if not region:
        return {}, None
    if row := choices.region(region):
        return {"region": region, "region_id": row["id"]}, None
    return {}, DomainError(missing, value=region)


async def parse_filters(
    q: str = "", stars: str = "", group: str = "", province: str = "", region: str = "", event: str = "",
    choices: CatalogueChoices | None = None,
) -> CatalogueFilters:
    """The filters of a query string, checked against `choices` (the current ones when not given)."""
    choices = choices or await catalogue_choices()
    notes: list[DomainError] = []
    values: dict[str, Any] = {"q": " ".join(q.split())[:SEARCH_LENGTH]}

    stars = stars.strip()
    if stars:
        if stars in ("3", "4", "5"):
            values["stars"] = int(stars)
        else:
            notes.append(DomainError(N_("“%(value)s” is not a star rating (3, 4 or 5): products of every rating are shown."), value=stars[:20]))

    for found, note in (
        read_group(choices, group, missing=N_("There is no product group “%(value)s”: every group is shown.")),
        read_province(choices, province, missing=N_("There is no province “%(value)s”: every province is shown."),
                      merged=N_("%(former)s is now part of %(province)s: products of %(province)s are shown.")),
        read_region(choices, region, missing=N_("There is no region “%(value)s”: every region is shown.")),
    ):
        values.update(found)
        notes.extend([note] if note else [])

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
    conditions += matching(filters.words, postgres=is_postgres())
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


def _with_display(rows: list[dict]) -> list[dict]:
    on = today()
    for row in rows:
        row["group_name"] = group_name(row)
        row["valid"] = is_valid(row["valid_until"], on)
    return rows


async def ordered_ids(filters: CatalogueFilters, version: Version) -> array:
    """The ids of the products matching `filters`, in the catalogue's order, as of `version`."""

    async def read() -> array:
        query = ranked(Product.select(Product.id).where(*_conditions(filters)), filters.words, postgres=is_postgres())
        return array("q", await query.output(as_list=True))

    return await _orders.get((filters.key(), version), read)


async def group_counts(filters: CatalogueFilters, version: Version) -> dict[int, int]:
    """How many products each group has under the filters other than the group, as of `version`."""

    async def read() -> dict[int, int]:
        query = Product.select(Product.group, Count()).where(*_conditions(filters, with_group=False))
        return {row["group"]: row["count"] for row in await query.group_by(Product.group)}

    return await _counts.get((filters.key(with_group=False), version), read)


async def rows_by_ids(ids: Sequence[int], *extra_columns) -> list[dict]:
    """The catalogue's rows of these products (plus `extra_columns`), in the order of `ids`."""
    found: dict[int, dict] = {}
    for start in range(0, len(ids), ROWS_PER_READ):
        chunk = list(ids[start:start + ROWS_PER_READ])
        for row in await Product.select(*LIST_COLUMNS, *extra_columns).where(Product.id.is_in(chunk)):
            found[row["id"]] = row
    return [found[i] for i in ids if i in found]  # a product deleted since the ids were read is left out


@dataclass
class CatalogueResult:
    page: Page
    group_counts: list[dict]  # every group with how many products it has under the other filters
    asked: int  # the page number asked for: past the last page, the last one is shown
    version: Version

    @property
    def past_the_end(self) -> bool:
        return self.asked > self.page.number

    @property
    def fragment_key(self) -> tuple:
        """What the page shows depends on, bar the notes on the filters: the version of the
        catalogue, the language, the filters as typed and the page."""
        return ("products", self.version, current_language(), tuple(self.page.params.items()), self.page.number)


async def catalogue(
    filters: CatalogueFilters, number: int, per_page: int = PER_PAGE, choices: CatalogueChoices | None = None
) -> CatalogueResult:
    """Page `number` of the products matching `filters` (the last page when there are fewer)."""
    choices = choices or await catalogue_choices()
    version = await catalogue_version(filters) if filters.event_id else choices.version
    ids = await ordered_ids(filters, version)
    shown = max(1, min(number, -(-len(ids) // per_page)))
    on_page = tuple(ids[(shown - 1) * per_page:shown * per_page])
    # A page's rows are products' own facts: the directory's version is theirs.
    rows = await _rows.get((on_page, choices.version), lambda: rows_by_ids(on_page))
    items = _with_display([dict(row) for row in rows])  # names in the reader's language, on copies
    page = Page(items=items, number=shown, per_page=per_page, total=len(ids), params=filters.params())
    counts = await group_counts(filters, version)
    groups = [{"code": g["code"], "name": group_name(g), "count": counts.get(g["id"], 0)} for g in choices.groups]
    return CatalogueResult(page=page, group_counts=groups, asked=number, version=version)


async def catalogue_products(filters: CatalogueFilters, limit: int) -> tuple[list[dict], int]:
    """Up to `limit` products for the printed catalogue, and how many match in all."""
    rows, total = await matching_products(filters, limit)
    return _with_display(rows), total


async def printed_products(filters: CatalogueFilters, limit: int) -> tuple[list[dict], int]:
    """Up to `limit` products for a printed catalogue, with their stories, and how many match in all."""
    rows, total = await matching_products(filters, limit, Product.story)
    return _with_display(rows), total


async def matching_products(filters: CatalogueFilters, limit: int, *extra_columns) -> tuple[list[dict], int]:
    """Up to `limit` products the catalogue shows under `filters`, in its order, as rows of
    `LIST_COLUMNS` plus `extra_columns` (Product columns), and how many match in all. The exports
    read the catalogue through this, so they always list what /products lists."""
    ids = await ordered_ids(filters, await catalogue_version(filters))
    return await rows_by_ids(ids[:limit], *extra_columns), len(ids)


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
    row["images"] = await gallery.images_of(row["id"])
    row["listings"] = await gallery.listings_of(row["id"])
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
    query = Product.select(*LIST_COLUMNS).where((Product.producer == producer_id) & (Product.valid_until >= today()))
    return _with_display(await ranked(query, [], postgres=is_postgres()))


# A fair's exhibitors --------------------------------------------------------------------------------

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
        held = sorted(booths.get(application["id"], []), key=lambda b: code_order(b["code"]))
        products = sorted(shown.get(application["id"], []), key=lambda p: (-p["stars"], fold(p["name"])))
        out.append({
            **application,
            "booths": [b["code"] for b in held],
            "hall": (held[0]["hall"] or "") if held else None,
            "products": products,
        })
    out.sort(key=lambda e: (e["hall"] is None, fold(e["hall"] or ""), code_order(e["booths"][0]) if e["booths"] else (), fold(e["name"])))
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
        fk.story.as_alias("story"),
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
