"""Loads the demo data set; running it again adds only what is missing."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

from events_app.accounts.passwords import hash_password
from events_app.accounts.tables import User
from events_app.booths import floorplan
from events_app.booths.tables import Booth, BoothTypePrice, PlanFeature
from events_app.demo import data
from events_app.demo.records import load_records
from events_app.directory.search import product_search_columns
from events_app.core.dates import CERTIFICATE_MONTHS, add_months, certificate_valid_until
from events_app.core.slugs import unique_slug
from events_app.directory.tables import Agency, Distributor, Producer, Product, SourcingInterest
from events_app.events.tables import Event, EventStatus, Hall, OpeningHours, Session, ShowroomNetwork, Venue
from events_app.core import clock
from events_app.core.clock import LOCAL_TZ
from events_app.reference.services import load_reference_data, resolve_province
from events_app.reference.tables import ProductGroup, Province, Region


def _utc(local: dt.datetime) -> dt.datetime:
    return local.replace(tzinfo=LOCAL_TZ).astimezone(dt.timezone.utc)


async def is_empty() -> bool:
    """No events, organisations or users yet (reference data does not count)."""
    return not (await Event.exists() or await Producer.exists() or await User.exists())


async def load_demo(today: dt.date | None = None, media_dir: Path | None = None) -> None:
    """Load the demo set; event dates count from `today` (Vietnam's date by default). Demo product
    photos are written under `media_dir` when one is given."""
    today = today or clock.today()
    await load_reference_data()
    groups = {g["code"]: g for g in await ProductGroup.select()}
    provinces = {p["name"]: p["id"] for p in await Province.select(Province.id, Province.name)}
    regions = {r["name"]: r["id"] for r in await Region.select(Region.id, Region.name)}

    producer_ids = await _producers(groups, today)
    distributor_ids = await _distributors(groups, provinces, regions)
    await _users(producer_ids, distributor_ids)
    await _agencies(provinces)
    from events_app.demo.matching_profiles import load_matching_profiles

    await load_matching_profiles(today)
    created = await _events(provinces, regions, data.event_specs(today))
    await _network()
    await load_records(media_dir)
    # Applications, rentals, meetings and MoUs go through the same services as the pages,
    # once, when their event is created: a second run leaves the activity as it is.
    from events_app.demo.activity import load_activity

    await load_activity(created, producer_ids, distributor_ids, today)


def _certified_on(slug: str, product_name: str, written: dt.date, today: dt.date) -> dt.date:
    """The day a demo product was recognised: as written, or so that it ends ENDING_SOON days from today."""
    days = data.ENDING_SOON.get((slug, product_name))
    return written if days is None else add_months(today + dt.timedelta(days=days), -CERTIFICATE_MONTHS)


async def _producers(groups: dict, today: dt.date) -> dict[str, int]:
    ids = {}
    for slug, name, kind, written, address, description, products in data.PRODUCERS:
        match = await resolve_province(written)
        assert match is not None, written
        existing = await Producer.select(Producer.id).where(Producer.slug == slug).first()
        if existing:
            ids[slug] = existing["id"]
            continue
        producer = Producer(
            name=name,
            slug=slug,
            producer_type=kind,
            province=match.province_id,
            province_as_written=match.as_written if match.as_written != match.name else "",
            address=address,
            description=description,
        )
        await producer.save()
        ids[slug] = producer.id
        for product_name, group, stars, number, certified_on, price, unit, text in products:
            certified_on = _certified_on(slug, product_name, certified_on, today)
            number = number.format(year=certified_on.year)
            group_row = groups[group]
            await Product(
                producer=producer.id,
                name=product_name,
                slug=await unique_slug(Product, product_name),
                group=group_row["id"],
                stars=stars,
                certificate_number=number,
                certified_on=certified_on,
                valid_until=certificate_valid_until(certified_on),
                evaluation_level="national" if stars == 5 else "provincial",
                description=text,
                price=price,
                unit=unit,
                **product_search_columns(
                    name=product_name, producer=name, province=match.name,
                    former_province=producer.province_as_written, group=group_row["name_vi"], description=text,
                ),
            ).save()
    return ids


async def _distributors(groups: dict, provinces: dict, regions: dict) -> dict[str, int]:
    ids = {}
    for slug, name, kind, province, website, description, interests in data.DISTRIBUTORS:
        existing = await Distributor.select(Distributor.id).where(Distributor.slug == slug).first()
        if existing:
            ids[slug] = existing["id"]
            continue
        distributor = Distributor(
            name=name, slug=slug, distributor_type=kind, province=provinces[province], website=website,
            description=description,
        )
        await distributor.save()
        ids[slug] = distributor.id
        for group, min_stars, province_name, region_name, volume in interests:
            await SourcingInterest(
                distributor=distributor.id,
                group=groups[group]["id"] if group else None,
                min_stars=min_stars,
                province=provinces[province_name] if province_name else None,
                region=regions[region_name] if region_name else None,
                volume=volume,
            ).save()
    return ids


async def _agencies(provinces: dict) -> None:
    for slug, name, kind, province, title, address in data.AGENCIES:
        if not await Agency.exists().where(Agency.slug == slug):
            await Agency(name=name, slug=slug, agency_kind=kind, province=provinces[province],
                         representative_title=title, address=address).save()


async def _users(producer_ids: dict[str, int], distributor_ids: dict[str, int]) -> None:
    password_hash = None
    for email, name, role, organisation in data.USERS:
        if await User.exists().where(User.email == email):
            continue
        password_hash = password_hash or await hash_password(data.DEMO_PASSWORD)
        await User(
            email=email,
            name=name,
            role=role,
            password_hash=password_hash,
            # The first producer and distributor have their private calendar address ready.
            feed_token=secrets.token_urlsafe(32) if email in ("producer@ocop.example", "distributor@ocop.example") else None,
            producer=producer_ids.get(organisation) if role == "producer" else None,
            distributor=distributor_ids.get(organisation) if role == "distributor" else None,
        ).save()


async def _events(provinces: dict, regions: dict, specs: list[dict]) -> set[str]:
    """Create the events not there yet; returns the slugs created now."""
    created: set[str] = set()
    province_regions = {p["id"]: p["region"] for p in await Province.select(Province.id, Province.region)}
    venues = {}
    for slug, name, address, province, halls in data.VENUES:
        venue = await Venue.select(Venue.id).where(Venue.slug == slug).first()
        if venue is None:
            new_venue = Venue(name=name, slug=slug, address=address, province=provinces[province])
            await new_venue.save()
            venue = {"id": new_venue.id}
            for hall_name, width, depth in halls:
                await Hall(venue=new_venue.id, name=hall_name, width=width, depth=depth).save()
        venues[slug] = venue["id"]

    for spec in specs:
        if await Event.exists().where(Event.slug == spec["slug"]):
            continue
        created.add(spec["slug"])
        province_id = provinces[spec["province"]]
        event = Event(
            slug=spec["slug"],
            title_vi=spec["title_vi"],
            title_en=spec["title_en"],
            kind=spec["kind"],
            status=EventStatus.published,
            venue=venues[spec["venue"]],
            province=province_id,
            region=province_regions[province_id],
            starts_at=_utc(spec["starts"]),
            ends_at=_utc(spec["ends"]),
            organiser=spec["organiser"],
            description=spec["description"],
            application_opens_at=_utc(spec["opens"]),
            application_closes_at=_utc(spec["closes"]),
            min_stars=spec["min_stars"],
            eligible_regions=[regions[name] for name in spec["regions"]],
        )
        await event.save()
        halls = {
            h["name"]: h["id"] for h in await Hall.select(Hall.id, Hall.name).where(Hall.venue == venues[spec["venue"]])
        }
        for hall_name, rows, columns, prefix, booth_type, price in spec["booths"]:
            for spot in floorplan.grid(rows, columns, prefix):
                await Booth(
                    event=event.id, hall=halls[hall_name], code=spot.code, booth_type=booth_type, price=price,
                    x=spot.x, y=spot.y, width=spot.width, depth=spot.depth, is_blocked=spot.code in spec["blocked"],
                ).save()
        for hall_name, kind, label, x, y, width, depth in spec.get("features", []):
            await PlanFeature(event=event.id, hall=halls[hall_name], kind=kind, label=label, x=x, y=y, width=width,
                              depth=depth).save()
        for booth_type, price in spec.get("type_prices", {}).items():
            await BoothTypePrice(event=event.id, booth_type=booth_type, price=price).save()
        for title, kind, starts, ends, room, tables, minutes in spec["sessions"]:
            await Session(
                event=event.id, title=title, kind=kind, starts_at=_utc(starts), ends_at=_utc(ends), room=room,
                tables_count=tables, slot_minutes=minutes,
            ).save()
        for weekday, opens, closes in spec.get("opening_hours", []):
            await OpeningHours(event=event.id, weekday=weekday, opens_at=opens, closes_at=closes).save()
    return created


async def _network() -> None:
    """The network of showroom points, and its points attached with their tourist sites, where missing."""
    slug, name, organiser, description, points = data.NETWORK
    network = await ShowroomNetwork.select(ShowroomNetwork.id).where(ShowroomNetwork.slug == slug).first()
    if network is None:
        created = ShowroomNetwork(name=name, slug=slug, organiser=organiser, description=description)
        await created.save()
        network = {"id": created.id}
    for event_slug, tourist_site in points:
        await Event.update({Event.network: network["id"], Event.tourist_site: tourist_site}).where(
            (Event.slug == event_slug) & Event.network.is_null())


def demo_logins() -> list[tuple[str, str, str]]:
    """(role, e-mail, password) for the start-up banner."""
    return [(role, email, data.DEMO_PASSWORD) for email, _, role, _ in data.USERS]
