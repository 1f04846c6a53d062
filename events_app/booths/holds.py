"""Timed holds, for fairs that sell booths first come, first served instead of allocating them.

A producer picks a free booth on the plan; it is held for them for a few minutes while they
choose the products to show and confirm (as pretix holds a ticket in a cart). Confirming books
the booth: the application is made, approved with the booth and confirmed in one transaction.
An expired hold holds nothing: every check compares `expires_at` with the clock, so a lapsed
booth is free at once, with no job to clear it.

Locking follows the rest of the booth market: one write transaction that locks the booth row
(the write lock on SQLite), then checks rentals and holds; the unique booth column of
`booth_hold` and the no-overlap constraint on rentals are the last defence.
"""

from __future__ import annotations

import datetime as dt

from events_app.booths import decisions, rules
from events_app.booths.market import MAX_HOLD_MINUTES
from events_app.booths.tables import AllocationPolicy, Booth, BoothHold, BoothRental, RentalStatus
from events_app.core.audit import audit
from events_app.core.clock import now
from events_app.core.db import for_update, is_integrity_error
from events_app.core.errors import Conflict, NotFound
from events_app.core.i18n import N_, format_datetime
from events_app.events.tables import EventKind


async def first_come(event: dict) -> dict | None:
    """The fair's hold settings when it sells booths first come, first served; else None."""
    if event["kind"] != EventKind.fair.value:
        return None
    row = await AllocationPolicy.select(AllocationPolicy.first_come, AllocationPolicy.hold_minutes).where(
        AllocationPolicy.event == event["id"]).first()
    return row if row and row["first_come"] else None


async def current(event_id: int, producer_id: int) -> dict | None:
    """The producer's unexpired hold at this fair, with its booth's code."""
    return await BoothHold.select(
        BoothHold.id, BoothHold.booth, BoothHold.expires_at, BoothHold.booth.code.as_alias("code"),
    ).where(
        (BoothHold.event == event_id) & (BoothHold.producer == producer_id) & (BoothHold.expires_at > now())
    ).first()


async def take(event: dict, booth_id: int, producer_id: int, *, user_id: int | None = None, ip: str = "") -> dict:
    """Hold a free booth for the producer (letting go of any other it held here); the hold."""
    settings = await first_come(event)
    if settings is None:
        raise Conflict(N_("Booths of this fair are allocated by the organisers: apply with your preferences."))
    rules.event_open_for_applications(event)
    minutes = max(1, min(settings["hold_minutes"], MAX_HOLD_MINUTES))
    at = now()
    try:
        async with decisions.booking_transaction():
            await decisions.lock_producer(producer_id)
            if await decisions.live_application(event["id"], producer_id):  # booked meanwhile, in another tab
                raise Conflict(N_("You have a booth application for this fair already."))
            # The booth wanted and the one the producer holds now, whose hold makes way, locked at
            # once in the order of their ids: two producers swapping booths wait in turn, never
            # on each other crosswise.
            own = BoothHold.select(BoothHold.booth).where((BoothHold.event == event["id"]) & (BoothHold.producer == producer_id))
            locked = await for_update(Booth.select().where(
                ((Booth.id == booth_id) | Booth.id.is_in(own)) & (Booth.event == event["id"])
            ).order_by(Booth.id))
            booth = next((row for row in locked if row["id"] == booth_id), None)
            if booth is None:
                raise NotFound(N_("This booth does not exist."))
            if booth["is_blocked"]:
                raise Conflict(N_("Booth %(code)s is blocked and cannot be given to anyone."), code=booth["code"])
            if await BoothRental.exists().where(
                (BoothRental.booth == booth_id) & (BoothRental.status != RentalStatus.cancelled.value)
            ):
                raise Conflict(N_("Booth %(code)s is taken: pick another free booth."), code=booth["code"])
            other = await BoothHold.select(BoothHold.producer, BoothHold.expires_at).where(BoothHold.booth == booth_id).first()
            if other and other["producer"] != producer_id and other["expires_at"] > at:
                raise Conflict(N_("Another producer is booking booth %(code)s until %(time)s: pick another, or try again then."),
                               code=booth["code"], time=format_datetime(other["expires_at"]))
            # A lapsed hold of the booth, and the producer's own other hold, make way.
            await BoothHold.delete().where(
                (BoothHold.booth == booth_id) | ((BoothHold.event == event["id"]) & (BoothHold.producer == producer_id))
            )
            expires = at + dt.timedelta(minutes=minutes)
            await BoothHold.insert(BoothHold(event=event["id"], booth=booth_id, producer=producer_id, expires_at=expires))
            await audit("booths.hold", actor_id=user_id, target=("booth", booth_id), ip=ip,
                        detail={"until": expires.isoformat(), "producer": producer_id})
    except Exception as exc:
        if is_integrity_error(exc):  # another hold was written between our check and our insert
            raise Conflict(N_("Another producer has just picked this booth: pick another.")) from exc
        raise
    return {"booth": booth_id, "code": booth["code"], "expires_at": expires}


async def release(event: dict, producer_id: int, *, user_id: int | None = None, ip: str = "") -> None:
    async with decisions.booking_transaction():
        await decisions.lock_producer(producer_id)
        await BoothHold.delete().where((BoothHold.event == event["id"]) & (BoothHold.producer == producer_id))
        await audit("booths.release", actor_id=user_id, target=("event", event["id"]), ip=ip)


async def book(event: dict, producer_id: int, form: rules.ApplicationForm, *, user_id: int | None = None, ip: str = "") -> int:
    """Book the held booth with the products chosen: apply, approve and confirm at once; the application id."""
    async with decisions.booking_transaction():
        await decisions.lock_producer(producer_id)
        hold = await current(event["id"], producer_id)
        if hold is None:
            raise Conflict(N_("Your hold has lapsed and the booth may have gone to someone else: pick a free booth again."))
        booth = await for_update(Booth.select(Booth.id).where(Booth.id == hold["booth"])).first()
        assert booth is not None
        application = await decisions.apply(
            event, producer_id, rules.ApplicationForm(product_ids=form.product_ids, preference_ids=[hold["booth"]], note=form.note),
            user_id=user_id, ip=ip,
        )
        await decisions.approve(application, hold["booth"], staff_id=None, event_id=event["id"], ip=ip, tell=False)
        await decisions.confirm(application, producer_id=producer_id, user_id=user_id, ip=ip)
        await BoothHold.delete().where(BoothHold.id == hold["id"])
        await audit("booths.book", actor_id=user_id, target=("booth_application", application), ip=ip,
                    detail={"booth": hold["code"]})
    return application
