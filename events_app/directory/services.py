"""Producers, products and distributors: profiles, certificates and search columns."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Container


from events_app.core.audit import audit
from events_app.core.db import for_update, write_transaction
from events_app.directory.search import product_search_text
from events_app.directory.tables import Distributor, DistributorType, Producer, ProducerType, Product
from events_app.core.errors import DomainError, NotFound, ValidationError
from events_app.core.i18n import N_
from events_app.core.navigation import address_parts
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
        await Producer.update(
            {
                Producer.name: name,
                Producer.producer_type: profile.organisation_type,
                Producer.province: profile.province_id,
                Producer.province_as_written: as_written,
                Producer.address: profile.address,
                Producer.phone: profile.phone,
                Producer.email: profile.email.lower(),
                Producer.website: profile.website,
                Producer.description: profile.description,
            }
        ).where(Producer.id == row["id"])
        if (row["name"], row["province"], row["province_as_written"]) != (name, profile.province_id, as_written):
            await refresh_search_text(row["id"])
    await audit("organisation.update", actor_id=actor_id, target=("producer", row["id"]))


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
    await Distributor.update(
        {
            Distributor.name: profile.name.strip(),
            Distributor.distributor_type: profile.organisation_type,
            Distributor.province: profile.province_id,
            Distributor.address: profile.address,
            Distributor.website: profile.website,
            Distributor.description: profile.description,
        }
    ).where(Distributor.id == distributor_id)
    await audit("organisation.update", actor_id=actor_id, target=("distributor", distributor_id))


# Search text --------------------------------------------------------------------------------------

async def search_text_for(producer_id: int, product_name: str, group_id: int) -> str:
    """The folded words a product is found by: its name, producer, province (current and as written), group."""
    facts = await _search_facts(producer_id)
    group = await ProductGroup.select().where(ProductGroup.id == group_id).first()
    return _search_text(product_name, facts, group)


async def refresh_search_text(producer_id: int) -> int:
    """Recompute the search text of every product of a producer, after its name or province changed."""
    facts = await _search_facts(producer_id)
    groups = {g["id"]: g for g in await ProductGroup.select()}
    products = await Product.select(Product.id, Product.name, Product.group).where(Product.producer == producer_id)
    for product in products:
        text = _search_text(product["name"], facts, groups[product["group"]])
        await Product.update({Product.search_text: text}).where(Product.id == product["id"])
    return len(products)


async def _search_facts(producer_id: int) -> dict:
    return await Producer.select(
        Producer.name, Producer.province_as_written, Producer.province.name.as_alias("province_name")
    ).where(Producer.id == producer_id).first()


def _search_text(product_name: str, facts: dict, group: dict) -> str:
    return product_search_text(
        product_name,
        facts["name"],
        facts["province_name"],
        facts["province_as_written"],
        group["name_vi"],
        group["name_en"],
    )
