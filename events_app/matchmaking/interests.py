"""A distributor's sourcing interests: what it buys, how good, from where, and how much."""

from __future__ import annotations

from dataclasses import dataclass

from events_app.core.labels import options
from events_app.matchmaking.matching import amount
from events_app.directory.profiles import CHANNELS, KINDS, MAX_MONTHLY_VOLUME, UNITS, join_codes, parse_codes
from events_app.directory.tables import SourcingInterest
from events_app.core.errors import DomainError, NotFound, ValidationError
from events_app.core.i18n import N_
from events_app.reference.services import group_name, list_groups, list_provinces, list_regions

STARS = (3, 4, 5)
TEXT_LIMIT = 200

COLUMNS = (
    SourcingInterest.all_columns(),
    SourcingInterest.group.name_vi.as_alias("group_name_vi"),
    SourcingInterest.group.name_en.as_alias("group_name_en"),
    SourcingInterest.province.name.as_alias("province_name"),
    SourcingInterest.region.name.as_alias("region_name"),
)


@dataclass(frozen=True)
class InterestInput:
    group_id: int | None
    min_stars: int | None
    place: str  # "", "province:<id>" or "region:<id>"
    required_certifications: str = ""  # a note, besides the kinds every product must hold
    volume: str = ""
    is_active: bool = True
    certification_kinds: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    min_monthly_volume: int | None = None
    volume_unit: str = "kg"


def _shown(row: dict) -> dict:
    row = dict(row)
    row["group_label"] = group_name({"name_vi": row["group_name_vi"], "name_en": row["group_name_en"]}) if row["group"] else ""
    row["place_label"] = row["province_name"] or row["region_name"] or ""
    row["kinds"] = sorted(parse_codes(row["certification_kinds"], KINDS))
    row["channel_list"] = sorted(parse_codes(row["channels"], CHANNELS))
    row["min_volume_text"] = amount(row["min_monthly_volume"], row["volume_unit"]) if row["min_monthly_volume"] else ""
    row["place"] = (
        f"province:{row['province']}" if row["province"] else f"region:{row['region']}" if row["region"] else ""
    )
    return row


async def list_interests(distributor_id: int) -> list[dict]:
    rows = await SourcingInterest.select(*COLUMNS).where(SourcingInterest.distributor == distributor_id).order_by(
        SourcingInterest.id
    )
    return [_shown(row) for row in rows]


async def get_interest(distributor_id: int, interest_id: int) -> dict:
    """One of the distributor's own interests; another's is as good as missing."""
    row = await SourcingInterest.select(*COLUMNS).where(
        (SourcingInterest.id == interest_id) & (SourcingInterest.distributor == distributor_id)
    ).first()
    if row is None:
        raise NotFound(N_("This sourcing interest does not exist."))
    return _shown(row)


async def choices() -> dict:
    """Options of the interest form: groups, and places as regions then provinces."""
    return {
        "groups": [(g["id"], group_name(g)) for g in await list_groups()],
        "stars": [(n, f"{n}★") for n in STARS],
        "regions": [(f"region:{r['id']}", r["name"]) for r in await list_regions()],
        "provinces": [(f"province:{p['id']}", p["name"]) for p in await list_provinces()],
        "kinds": options("certification_kind"),
        "channels": options("channel"),
        "units": options("volume_unit"),
    }


async def validate(data: InterestInput) -> dict:
    """The column values for `data`, or a ValidationError naming every field that is wrong."""
    errors: dict[str, DomainError] = {}
    options = await choices()
    if data.group_id is not None and data.group_id not in {value for value, _ in options["groups"]}:
        errors["group_id"] = DomainError(N_("Choose one of the options."))
    if data.min_stars not in STARS:
        errors["min_stars"] = DomainError(N_("Choose 3, 4 or 5 stars."))
    places = {value for value, _ in options["regions"] + options["provinces"]}
    if data.place and data.place not in places:
        errors["place"] = DomainError(N_("Choose one of the options."))
    if set(data.certification_kinds) - set(KINDS):
        errors["certification_kinds"] = DomainError(N_("Choose one of the options."))
    if set(data.channels) - set(CHANNELS):
        errors["channels"] = DomainError(N_("Choose one of the options."))
    if data.min_monthly_volume is not None and not 1 <= data.min_monthly_volume <= MAX_MONTHLY_VOLUME:
        errors["min_monthly_volume"] = DomainError(N_("Enter a volume between 1 and 1,000,000 a month."))
    if data.volume_unit not in UNITS:
        errors["volume_unit"] = DomainError(N_("Choose one of the options."))
    if errors:
        raise ValidationError(errors)
    kind, _, place_id = data.place.partition(":")
    return {
        SourcingInterest.group: data.group_id,
        SourcingInterest.min_stars: data.min_stars,
        SourcingInterest.province: int(place_id) if kind == "province" else None,
        SourcingInterest.region: int(place_id) if kind == "region" else None,
        SourcingInterest.required_certifications: data.required_certifications.strip(),
        SourcingInterest.volume: data.volume.strip(),
        SourcingInterest.is_active: data.is_active,
        SourcingInterest.certification_kinds: join_codes(data.certification_kinds),
        SourcingInterest.channels: join_codes(data.channels),
        SourcingInterest.min_monthly_volume: data.min_monthly_volume,
        SourcingInterest.volume_unit: data.volume_unit,
    }


async def add_interest(distributor_id: int, data: InterestInput) -> int:
    values = await validate(data)
    interest = SourcingInterest({SourcingInterest.distributor: distributor_id, **values})
    await interest.save()
    return interest.id


async def update_interest(distributor_id: int, interest_id: int, data: InterestInput) -> None:
    await get_interest(distributor_id, interest_id)
    values = await validate(data)
    await SourcingInterest.update(values).where(
        (SourcingInterest.id == interest_id) & (SourcingInterest.distributor == distributor_id)
    )


async def delete_interest(distributor_id: int, interest_id: int) -> None:
    await get_interest(distributor_id, interest_id)
    await SourcingInterest.delete().where(
        (SourcingInterest.id == interest_id) & (SourcingInterest.distributor == distributor_id)
    )
