"""Producers, products and distributors: profiles, certificates and search columns."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Container

from piccolo.querystring import QueryString

from events_app.core.audit import audit
from events_app.core.db import engine, for_update, write_transaction
from events_app.directory.search import product_search_columns
from events_app.directory.tables import (
    PRODUCER_ATTRIBUTES, Agency, Distributor, DistributorType, Producer, ProducerType, Product,
)
from events_app.core.errors import DomainError, NotFound, ValidationError
from events_app.core.i18n import N_
from events_app.core.navigation import address_parts
from events_app.core.slugs import unique_slug
from events_app.core.text import fold
from events_app.reference.tables import FormerProvince, ProductGroup, Province

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ().-]{5,38}$")


# Checks shared by profiles and products ---------------------------------------------------------

def web_address_error(url: str) -> DomainError | None:
    """None for an empty or well-formed http(s) address, else why it cannot be used."""
    if not url:
        return None
    parts = address_parts(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in url):
        return DomainError(N_("Enter a web address starting with http:// or https://."))
    return None


def require(errors: dict[str, DomainError], name: str, value: object) -> None:
    if value in (None, ""):
        errors.setdefault(name, DomainError(N_("This field is required.")))


# Organisation profiles --------------------------------------------------------------------------

@dataclass
class OrganisationProfile:
    """What a producer or a distributor says about itself (distributors keep no phone or e-mail here)."""

    name: str
    organisation_type: str
    province_id: int | None
    address: str = ""
    website: str = ""
    description: str = ""
    phone: str = ""
    email: str = ""
    # Which of PRODUCER_ATTRIBUTES hold (producers only).
    attributes: frozenset[str] = field(default_factory=frozenset)


async def profile_errors(profile: OrganisationProfile, *, producer: bool) -> dict[str, DomainError]:
    known = profile.province_id is not None and await Province.exists().where(Province.id == profile.province_id)
    return profile_rule_errors(profile, producer=producer, province_ids={profile.province_id} if known else set())


def profile_rule_errors(
    profile: OrganisationProfile, *, producer: bool, province_ids: Container[int | None]
) -> dict[str, DomainError]:
    """What the profile rules say, given the ids of the provinces there are; no database (imports)."""
    errors: dict[str, DomainError] = {}
    require(errors, "name", profile.name.strip())
    types = ProducerType if producer else DistributorType
    if profile.organisation_type not in {t.value for t in types}:
        errors["organisation_type"] = DomainError(N_("Choose one of the options."))
    if producer or profile.province_id is not None:
        if profile.province_id is None or profile.province_id not in province_ids:
            errors["province_id"] = DomainError(N_("Choose your province."))
    if error := web_address_error(profile.website):
        errors.setdefault("website", error)
    if producer:
        if profile.phone and not PHONE_RE.match(profile.phone):
            errors.setdefault("phone", DomainError(N_("Enter a phone number: digits, spaces and + ( ) . - only.")))
        if profile.email and not EMAIL_RE.match(profile.email):
            errors.setdefault("email", DomainError(N_("Enter a valid e-mail address.")))
    return errors


NO_ORGANISATION = N_("Your account is not linked to an organisation. Please ask the trade-promotion staff.")


async def producer_profile(producer_id: int | None) -> dict:
    row = None
    if producer_id is not None:
        row = await Producer.select(
            Producer.all_columns(), Producer.province.name.as_alias("province_name")
        ).where(Producer.id == producer_id).first()
    if row is None:
        raise NotFound(NO_ORGANISATION)
    return row


async def distributor_profile(distributor_id: int | None) -> dict:
    row = None
    if distributor_id is not None:
        row = await Distributor.select().where(Distributor.id == distributor_id).first()
    if row is None:
        raise NotFound(NO_ORGANISATION)
    return row


async def update_producer_profile(
    producer_id: int | None,
    profile: OrganisationProfile,
    *,
    actor_id: int,
    parse_errors: dict[str, DomainError] | None = None,
) -> None:
    """Save a producer's profile; its products' search text follows a new name or province."""
    await producer_profile(producer_id)
    errors = {**await profile_errors(profile, producer=True), **(parse_errors or {})}
    if errors:
        raise ValidationError(errors)
    name = profile.name.strip()
    async with write_transaction():
        row = await for_update(Producer.select().where(Producer.id == producer_id)).first()
        as_written = row["province_as_written"]
        if as_written and profile.province_id != row["province"]:
            # A former name from the certificate stays only if it lies in the newly chosen province.
            if not await FormerProvince.exists().where(
                (FormerProvince.name == as_written) & (FormerProvince.province == profile.province_id)
            ):
                as_written = ""
        values = {
            Producer.name: name,
            Producer.producer_type: profile.organisation_type,
            Producer.province: profile.province_id,
            Producer.province_as_written: as_written,
            Producer.address: profile.address,
            Producer.phone: profile.phone,
            Producer.email: profile.email.lower(),
            Producer.website: profile.website,
            Producer.description: profile.description,
            **{Producer._meta.get_column_by_name(name): name in profile.attributes for name in PRODUCER_ATTRIBUTES},
        }
        await Producer.update(values).where(Producer.id == row["id"])
        if (row["name"], row["province"], row["province_as_written"]) != (name, profile.province_id, as_written):
            await refresh_search_text(row["id"])
        await audit("organisation.update", actor_id=actor_id, target=("producer", row["id"]),
                    before={column._meta.name: row[column._meta.name] for column in values}, after=values)


async def update_distributor_profile(
    distributor_id: int | None,
    profile: OrganisationProfile,
    *,
    actor_id: int,
    parse_errors: dict[str, DomainError] | None = None,
) -> None:
    await distributor_profile(distributor_id)
    errors = {**await profile_errors(profile, producer=False), **(parse_errors or {})}
    if errors:
        raise ValidationError(errors)
    values = {
        Distributor.name: profile.name.strip(),
        Distributor.distributor_type: profile.organisation_type,
        Distributor.province: profile.province_id,
        Distributor.address: profile.address,
        Distributor.website: profile.website,
        Distributor.description: profile.description,
    }
    async with write_transaction():
        before = await for_update(Distributor.select(*values).where(Distributor.id == distributor_id)).first()
        await Distributor.update(values).where(Distributor.id == distributor_id)
        await audit("organisation.update", actor_id=actor_id, target=("distributor", distributor_id),
                    before=before, after=values)


# Search text --------------------------------------------------------------------------------------

def search_columns_of(name: str, producer: dict, group: dict, *, description: str = "", story: str = "") -> dict:
    """A product's folded search columns (see directory.search), by Product column, for an insert
    or an update. `producer` is a row with the producer's `name`, `province_name` and
    `province_as_written`; `group` a row with the group's `name_vi`."""
    columns = product_search_columns(
        name=name,
        producer=producer["name"],
        province=producer["province_name"],
        former_province=producer["province_as_written"],
        group=group["name_vi"],
        description=description,
        story=story,
    )
    return {Product._meta.get_column_by_name(column): value for column, value in columns.items()}


async def search_columns_for(
    producer_id: int, *, name: str, group_id: int, description: str = "", story: str = ""
) -> dict:
    """The search columns of a product of this producer about to be saved."""
    producer = await Producer.select(
        Producer.name, Producer.province_as_written, Producer.province.name.as_alias("province_name")
    ).where(Producer.id == producer_id).first()
    group = await ProductGroup.select(ProductGroup.name_vi).where(ProductGroup.id == group_id).first()
    return search_columns_of(name, producer, group, description=description, story=story)


SEARCH_COLUMNS = (Product.search_name, Product.search_text, Product.search_story)
SEARCH_BATCH = 500  # rows a statement: four values each, well inside either engine's limit of parameters


async def refresh_search_text(producer_id: int | None = None) -> int:
    """Recompute the search columns of a producer's products (after its name or province changed),
    or of every product when no producer is given (after the recipe changed, or a bulk load).
    Only the rows whose columns differ are written, a batch a statement; returns how many."""
    query = Product.select(
        Product.id,
        Product.name,
        Product.description,
        Product.story,
        *SEARCH_COLUMNS,
        Product.producer.name.as_alias("producer_name"),
        Product.producer.province_as_written.as_alias("province_as_written"),
        Product.producer.province.name.as_alias("province_name"),
        Product.group.name_vi.as_alias("name_vi"),
    )
    rows = await (query.where(Product.producer == producer_id) if producer_id is not None else query)
    stale = []
    for row in rows:
        columns = search_columns_of(
            row["name"], {**row, "name": row["producer_name"]}, row, description=row["description"], story=row["story"]
        )
        if any(row[column._meta.name] != value for column, value in columns.items()):
            stale.append([row["id"], *(columns[column] for column in SEARCH_COLUMNS)])
    names = [column._meta.db_column_name for column in SEARCH_COLUMNS]
    for start in range(0, len(stale), SEARCH_BATCH):
        batch = stale[start:start + SEARCH_BATCH]
        values = ", ".join(["(CAST({} AS INTEGER), {}, {}, {})"] * len(batch))
        await engine().run_querystring(QueryString(
            f"WITH v(id, {', '.join(names)}) AS (VALUES {values}) "
            f"UPDATE product SET {', '.join(f'{name} = v.{name}' for name in names)} FROM v WHERE product.id = v.id",
            *(value for row in batch for value in row),
        ))
    return len(stale)


# Provincial agencies ------------------------------------------------------------------------------

async def agency_choices() -> list[dict]:
    """Every agency with its province, by name: whom an MoU may name as an agency party."""
    rows = await Agency.select(Agency.id, Agency.name, Agency.province.name.as_alias("province")).order_by(Agency.name)
    return sorted(rows, key=lambda row: fold(row["name"]))


async def find_or_add_agency(name: str, kind: str, province_id: int, representative: str = "", title: str = "") -> int:
    """The agency of that name in that province, or a new one (in the caller's transaction). Who
    signs for it is kept as its default representative when it is new."""
    row = await Agency.select(Agency.id).where((Agency.name == name) & (Agency.province == province_id)).first()
    if row is not None:
        return row["id"]
    rows = await Agency.insert(Agency(
        name=name, slug=await unique_slug(Agency, name), agency_kind=kind, province=province_id,
        representative=representative, representative_title=title,
    ))
    return rows[0]["id"]
