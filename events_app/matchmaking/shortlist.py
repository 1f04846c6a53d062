"""A distributor's shortlist of products: kept from product pages and matches, and the starting
point of its meeting requests to their producers at conferences both attend."""

from __future__ import annotations

from events_app.core.audit import audit
from events_app.core.clock import now
from events_app.core.db import is_integrity_error, write_transaction
from events_app.core.errors import NotFound
from events_app.core.i18n import N_
from events_app.directory import certifications
from events_app.directory.tables import Product, ShortlistEntry
from events_app.events.tables import Attendance, AttendanceStatus, EventKind, EventStatus
from events_app.reference.services import group_name

REGISTERED = AttendanceStatus.registered.value


async def product_ids(distributor_id: int) -> set[int]:
    rows = await ShortlistEntry.select(ShortlistEntry.product).where(ShortlistEntry.distributor == distributor_id)
    return {row["product"] for row in rows}


async def is_shortlisted(distributor_id: int, product_id: int) -> bool:
    return await ShortlistEntry.exists().where(
        (ShortlistEntry.distributor == distributor_id) & (ShortlistEntry.product == product_id)
    )


async def shortlisting_distributors(producer_id: int, distributor_ids: list[int]) -> set[int]:
    """Which of these distributors keep a product of the producer on their shortlist."""
    if not distributor_ids:
        return set()
    rows = await ShortlistEntry.select(ShortlistEntry.distributor).where(
        ShortlistEntry.distributor.is_in(distributor_ids) & (ShortlistEntry.product.producer == producer_id)
    )
    return {row["distributor"] for row in rows}


async def _product(product_id: int) -> dict:
    row = await Product.select(Product.id, Product.name, Product.slug, Product.producer).where(
        Product.id == product_id
    ).first()
    if row is None:
        raise NotFound(N_("This product does not exist."))
    return row


async def add(distributor_id: int, product_id: int, *, actor_id: int) -> dict:
    """Keep the product on the shortlist; keeping it twice keeps it once. Returns the product."""
    product = await _product(product_id)
    try:
        async with write_transaction():
            if not await is_shortlisted(distributor_id, product_id):
                await ShortlistEntry.insert(ShortlistEntry(distributor=distributor_id, product=product_id))
                await audit("shortlist.add", actor_id=actor_id, target=("product", product_id))
    except Exception as exc:
        if not is_integrity_error(exc):  # added at the same moment from another page: it is there
            raise
    return product


async def remove(distributor_id: int, product_id: int, *, actor_id: int) -> dict:
    product = await _product(product_id)
    async with write_transaction():
        await ShortlistEntry.delete().where(
            (ShortlistEntry.distributor == distributor_id) & (ShortlistEntry.product == product_id)
        )
        await audit("shortlist.remove", actor_id=actor_id, target=("product", product_id))
    return product


async def shared_conferences(distributor_id: int, producer_ids: list[int]) -> dict[int, list[dict]]:
    """Open conferences the distributor attends, by producer also attending them."""
    if not producer_ids:
        return {}
    live = (Attendance.status == REGISTERED) & (Attendance.event.kind == EventKind.conference.value) & (
        Attendance.event.status == EventStatus.published.value) & (Attendance.event.ends_at > now())
    mine = await Attendance.select(
        Attendance.event.as_alias("id"), Attendance.event.slug.as_alias("slug"),
        Attendance.event.title_vi.as_alias("title_vi"), Attendance.event.title_en.as_alias("title_en"),
        Attendance.event.starts_at.as_alias("starts_at"),
    ).where(live & (Attendance.distributor == distributor_id))
    events = {row["id"]: row for row in mine}
    out: dict[int, list[dict]] = {pid: [] for pid in producer_ids}
    if not events:
        return out
    theirs = await Attendance.select(Attendance.event, Attendance.producer).where(
        live & Attendance.producer.is_in(producer_ids) & Attendance.event.is_in(list(events))
    )
    for row in theirs:
        out[row["producer"]].append(events[row["event"]])
    for found in out.values():
        found.sort(key=lambda event: event["starts_at"])
    return out


async def entries(distributor_id: int) -> list[dict]:
    """The shortlist, newest first: each product with its producer, certifications and the
    conferences where a meeting with the producer can be asked for."""
    rows = await ShortlistEntry.select(
        ShortlistEntry.id, ShortlistEntry.created_at,
        ShortlistEntry.product.id.as_alias("product_id"), ShortlistEntry.product.name.as_alias("name"),
        ShortlistEntry.product.slug.as_alias("slug"), ShortlistEntry.product.stars.as_alias("stars"),
        ShortlistEntry.product.valid_until.as_alias("valid_until"),
        ShortlistEntry.product.producer.id.as_alias("producer_id"),
        ShortlistEntry.product.producer.name.as_alias("producer_name"),
        ShortlistEntry.product.producer.slug.as_alias("producer_slug"),
        ShortlistEntry.product.group.name_vi.as_alias("name_vi"),
        ShortlistEntry.product.group.name_en.as_alias("name_en"),
    ).where(ShortlistEntry.distributor == distributor_id).order_by(ShortlistEntry.created_at, ascending=False).order_by(
        ShortlistEntry.id, ascending=False
    )
    producer_ids = sorted({row["producer_id"] for row in rows})
    conferences = await shared_conferences(distributor_id, producer_ids)
    held = await certifications.shown_for([row["product_id"] for row in rows], producer_ids)
    for row in rows:
        row["group_name"] = group_name(row)
        row["conferences"] = conferences.get(row["producer_id"], [])
        row["certifications"] = held.get(("product", row["product_id"]), []) + held.get(
            ("producer", row["producer_id"]), [])
    return rows


async def entry(distributor_id: int, product_id: int) -> dict:
    """One product of the shortlist; one not on it is as good as missing."""
    for row in await entries(distributor_id):
        if row["product_id"] == product_id:
            return row
    raise NotFound(N_("This product is not on your shortlist."))
