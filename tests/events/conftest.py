import datetime as dt

import pytest

from events_app.events.tables import Event, Hall, Venue
from events_app.core.i18n import LOCAL_TZ
from events_app.reference.tables import Province
from tests.factories import make_user
from tests.helpers import login


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LOCAL_TZ)


@pytest.fixture
async def staff_client(client):
    await make_user("staff", "staff@example.vn")
    await login(client, "staff@example.vn", "correct horse battery")
    return client


async def make_venue(name: str = "Quảng trường Hồ Chí Minh", province: str = "Nghệ An") -> Venue:
    province_id = (await Province.select(Province.id).where(Province.name == province).first())["id"]
    venue = Venue(name=name, slug=name.lower().replace(" ", "-"), province=province_id)
    await venue.save()
    await Hall(venue=venue.id, name="Khu A", width=40, depth=24).save()
    return venue


async def make_event(
    slug: str = "hoi-cho-thu",
    *,
    kind: str = "fair",
    status: str = "published",
    province: str = "Nghệ An",
    starts: dt.datetime | None = None,
    days: int = 3,
    title: str = "Hội chợ thử nghiệm",
) -> Event:
    row = await Province.select(Province.id, Province.region).where(Province.name == province).first()
    venue = await make_venue(f"Địa điểm {slug}", province)
    starts = starts or local(2026, 12, 17, 8, 0)
    event = Event(
        slug=slug, title_vi=title, kind=kind, status=status, venue=venue.id, province=row["id"], region=row["region"],
        starts_at=starts, ends_at=starts + dt.timedelta(days=days - 1, hours=12),
    )
    await event.save()
    return event
