"""Booth applications and the decisions on them: apply, approve with a booth, waitlist, reject,
cancel, confirm. Which decision may follow which is the table in `rules.py`.

The rule that matters most: a booth is never held by two applications at once. Every decision
runs in one write transaction that locks the application and the booth it decides on (row locks
on PostgreSQL, the write lock on SQLite), checks the booth is free for the span (a fair's days, a
showroom slot's period), then writes. The no-overlap constraint on rentals is the last defence:
when it fires anyway the caller still gets a Conflict naming who holds the booth.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from events_app.core.audit import audit
from events_app.booths import notices, rules, services, waiting
from events_app.booths.periods import Period
from events_app.booths.rules import (
    LIVE_STATUSES,
    MAX_PREFERENCES,
    ApplicationForm,
    ApplicationRefused,
    application_after,
    approved_status,
    event_open_for_applications,
    RENTALS,
    rental_after,
)
from events_app.booths.tables import (
    ApplicationProduct,
    Booth,
    BoothApplication,
    BoothPreference,
    BoothRental,
    BoothType,
    RentalStatus,
)
from events_app.core.db import for_update, is_integrity_error, write_transaction
from events_app.core.settings import get_settings
from events_app.directory.tables import Producer, Product
from events_app.core.errors import Conflict, DomainError, NotFound, ValidationError
from events_app.events import eligibility
from events_app.core.clock import now
from events_app.events.services import candidate_for, get_event_by_id, local_day, product_facts, rules_for
from events_app.core.i18n import N_, format_date, format_datetime





def booking_transaction():
    """The transaction of a booking or a hold, with its locks; without them only when
    BOOKING_LOCKS=off, which the race tests' control run sets to show the race they prevent."""
    return write_transaction(locks=get_settings().booking_locks)


async def lock_producer(producer_id: int) -> None:
    """Serialise a producer's own applications, holds and bookings. Its row is the first lock of
    each, then any booths in the order of their ids: a hold and a booking of the same producer at
    once (two tabs, a double click) wait in turn. Taken the other way round, a booking held the
    producer's row while deleting the hold, the hold's insert waited on that row for its foreign
    key, and PostgreSQL broke the deadlock with an error."""
    await for_update(Producer.select(Producer.id).where(Producer.id == producer_id))


# Checks shared by the decisions ---------------------------------------------------------------

async def live_application(event_id: int, producer_id: int) -> dict | None:
    return await BoothApplication.select(BoothApplication.id, BoothApplication.status).where(
        (BoothApplication.event == event_id)
        & (BoothApplication.producer == producer_id)
        & BoothApplication.status.is_in(list(LIVE_STATUSES))
    ).first()


async def _no_second_application(event: dict, producer_id: int, form: ApplicationForm) -> None:
    """One live application per fair; at a showroom, one per period: a producer rents a shelf
    again for a later period, never twice for the same days."""
    if not services.is_showroom(event):
        existing = await live_application(event["id"], producer_id)
        if existing:
            raise _already_applied(existing)
        return
    if form.period is None:
        return  # the form's own check says a period is needed
    for rental in await BoothRental.select(
        BoothRental.starts_on, BoothRental.ends_on, BoothRental.booth.code.as_alias("code"),
    ).where(
        (BoothRental.producer == producer_id) & (BoothRental.booth.event == event["id"])
        & (BoothRental.status != RentalStatus.cancelled.value)
    ):
        if Period(rental["starts_on"], rental["ends_on"]).overlaps(form.period):
            raise Conflict(
                N_("You rent slot %(code)s from %(start)s to %(end)s already: choose a period that does not overlap it."),
                code=rental["code"], start=format_date(rental["starts_on"]), end=format_date(rental["ends_on"]),
            )


def _already_applied(application: dict) -> Conflict:
    from events_app.core.labels import label

    return Conflict(
        N_("You have already applied to this event (%(status)s). See My applications."),
        status=label("application_status", application["status"]),
    )


async def holder(booth_id: int, period: Period, *, except_application: int | None = None) -> dict | None:
    """The live rental of the booth that overlaps the period, with who holds it."""
    query = BoothRental.select(
        BoothRental.id, BoothRental.application, BoothRental.starts_on, BoothRental.ends_on, BoothRental.status,
        BoothRental.producer.name.as_alias("producer_name"),
    ).where(
        (BoothRental.booth == booth_id)
        & (BoothRental.status != RentalStatus.cancelled)
        & (BoothRental.starts_on <= period.ends_on)
        & (BoothRental.ends_on >= period.starts_on)
    )
    if except_application is not None:
        query = query.where(BoothRental.application != except_application)
    return await query.order_by(BoothRental.starts_on).first()


def taken_error(event: dict, booth: dict, rental: dict) -> Conflict:
    """A Conflict naming who holds the booth (and, for a showroom slot, when)."""
    params = {"code": booth["code"], "producer": rental["producer_name"]}
    if services.is_showroom(event):
        message = (
            N_("Shelf %(code)s is already rented by %(producer)s from %(start)s to %(end)s.")
            if booth["booth_type"] == BoothType.shelf.value
            else N_("Booth %(code)s is already rented by %(producer)s from %(start)s to %(end)s.")
        )
        return Conflict(message, **params, start=format_date(rental["starts_on"]), end=format_date(rental["ends_on"]))
    return Conflict(N_("Booth %(code)s is already taken by %(producer)s for this fair."), **params)


async def _conflict_after_constraint(event: dict, booth_id: int, period: Period, application_id: int | None) -> Conflict:
    """The database refused an overlapping rental: say who won the race."""
    booth = await Booth.select().where(Booth.id == booth_id).first()
    rental = await holder(booth_id, period, except_application=application_id)
    if booth is None or rental is None:
        return Conflict(N_("This booth was taken meanwhile; reload the page and choose again."))
    return taken_error(event, booth, rental)


async def _lock_booth(event: dict, booth_id: int) -> dict:
    booth = await for_update(Booth.select().where((Booth.id == booth_id) & (Booth.event == event["id"]))).first()
    if booth is None:
        raise NotFound(N_("This booth does not exist."))
    if booth["is_blocked"]:
        raise Conflict(N_("Booth %(code)s is blocked and cannot be given to anyone."), code=booth["code"])
    return booth


async def _lock_application(
    application_id: int, *, producer_id: int | None = None, event_id: int | None = None
) -> dict:
    query = BoothApplication.select().where(BoothApplication.id == application_id)
    if producer_id is not None:  # a producer only reaches its own applications
        query = query.where(BoothApplication.producer == producer_id)
    if event_id is not None:  # staff act on the event whose page they are on
        query = query.where(BoothApplication.event == event_id)
    application = await for_update(query).first()
    if application is None:
        raise NotFound(N_("This application does not exist."))
    return application


async def _rentals_of(application_id: int) -> list[dict]:
    return await BoothRental.select().where(BoothRental.application == application_id).order_by(BoothRental.id)


def _live(rentals: list[dict]) -> dict | None:
    return next((r for r in rentals if r["status"] != RentalStatus.cancelled), None)


async def _cancel_rental(application_id: int) -> list[int]:
    """Cancel the application's live rental; the booths freed."""
    cancel = RENTALS["cancel"]
    live = (BoothRental.application == application_id) & BoothRental.status.is_in(sorted(cancel.allowed_from))
    freed = [r["booth"] for r in await BoothRental.select(BoothRental.booth).where(live)]
    await BoothRental.update({BoothRental.status: cancel.to}).where(live)
    return freed


async def _offer_freed(event_id: int, booths: list[int], *, skip: int) -> None:
    """A fair booth freed goes to the first in line (see booths.waiting)."""
    if booths:
        event = await get_event_by_id(event_id)
        for booth in booths:
            await waiting.offer_freed(event, booth, skip=skip)


def _period_of(event: dict, rentals: list[dict]) -> Period:
    """A fair's days; for a showroom the period the producer asked for (kept on its rental)."""
    if services.is_showroom(event):
        if not rentals:
            raise Conflict(N_("This application names no period; the producer should apply again."))
        last = rentals[-1]
        return Period(last["starts_on"], last["ends_on"])
    return services.event_period(event)


# Applying -------------------------------------------------------------------------------------

async def obstacles(event: dict, producer_id: int) -> list[DomainError]:
    """Why this producer cannot apply at all, told before the form: the event's rules on the
    producer itself, or none of its products meeting them."""
    rules = rules_for(event)
    reasons = eligibility.producer_reasons(rules, await candidate_for(producer_id))
    own = await Product.select(Product.id).where(Product.producer == producer_id).output(as_list=True)
    facts = await product_facts(producer_id, own)
    if not facts:
        reasons.append(DomainError(N_("You have no certified product to show yet.")))
        return reasons
    span = services.event_period(event)
    rules = dataclasses.replace(rules, starts_on=span.starts_on, ends_on=span.ends_on)
    on = local_day(now())
    per_product = [eligibility.product_reasons(rules, product, today=on) for product in facts]
    if all(per_product):
        reasons.append(DomainError(N_("None of your products meets this event's rules:")))
        reasons += [reason for product in per_product for reason in product]
    return reasons


async def assess(event: dict, producer_id: int, form: ApplicationForm, at: dt.datetime | None = None) -> tuple[dict, list]:
    """(mistakes per field, every eligibility reason) of an application, without writing anything."""
    at = at or now()
    errors: dict[str, DomainError] = {}
    product_ids = list(dict.fromkeys(form.product_ids))
    own = set(
        await Product.select(Product.id).where((Product.producer == producer_id) & Product.id.is_in(product_ids or [0]))
        .output(as_list=True)
    )
    if not product_ids:
        errors["product_ids"] = DomainError(N_("Choose at least one product to show."))
    elif own != set(product_ids):
        errors["product_ids"] = DomainError(N_("Choose among your own products."))

    period = services.event_period(event)
    if services.is_showroom(event):
        period = _validate_slot(event, form, errors, at) or period
        if form.booth_id is not None:
            booth = await Booth.select().where((Booth.id == form.booth_id) & (Booth.event == event["id"])).first()
            if booth is None or booth["is_blocked"]:
                errors["booth_id"] = DomainError(N_("Choose one of the slots shown."))
    else:
        await _validate_preferences(event, form, errors, period)

    rules = dataclasses.replace(rules_for(event), starts_on=period.starts_on, ends_on=period.ends_on)
    verdict = eligibility.check(
        rules, await candidate_for(producer_id), await product_facts(producer_id, list(own)), at, require_products=False
    )
    return errors, verdict.reasons


def _validate_slot(event: dict, form: ApplicationForm, errors: dict[str, DomainError], at: dt.datetime) -> Period | None:
    if form.booth_id is None:
        errors["booth_id"] = DomainError(N_("Choose a slot."))
    period = form.period
    if period is None:
        errors.setdefault("period", DomainError(N_("Choose the period you want to rent the slot for.")))
        return None
    open_span = services.event_period(event)
    if period.ends_on < period.starts_on:
        errors["period"] = DomainError(N_("The period must end on or after the day it starts."))
    elif period.ends_on < local_day(at):
        errors["period"] = DomainError(N_("This period is already over: choose one to come."))
    elif not period.within(open_span):
        errors["period"] = DomainError(
            N_("The showroom is open from %(start)s to %(end)s: choose a period within those dates."),
            start=format_date(open_span.starts_on), end=format_date(open_span.ends_on),
        )
    else:
        return period
    return None


async def _validate_preferences(event: dict, form: ApplicationForm, errors: dict[str, DomainError], period: Period) -> None:
    chosen = [booth_id for booth_id in form.preference_ids[:MAX_PREFERENCES] if booth_id is not None]
    if len(form.preference_ids) > MAX_PREFERENCES:
        errors["preferences"] = DomainError(N_("Choose at most three booths."))
    if not chosen:
        return
    free = {b["id"]: b for b in await services.free_booths_of(event, period)}
    seen: set[int] = set()
    for rank, booth_id in enumerate(form.preference_ids[:MAX_PREFERENCES], start=1):
        if booth_id is None:
            continue
        name = f"preference_{rank}"
        if booth_id in seen:
            errors[name] = DomainError(N_("Choose a different booth for each preference."))
        elif booth_id not in free:
            errors[name] = DomainError(N_("This booth is no longer free: choose another."))
        seen.add(booth_id)


async def apply(
    event: dict, producer_id: int, form: ApplicationForm, *, user_id: int | None = None, at: dt.datetime | None = None,
    ip: str = "",
) -> int:
    """Record a producer's application; for a showroom also hold the slot for the period, in one transaction."""
    at = at or now()
    event_open_for_applications(event)
    showroom = services.is_showroom(event)
    await _no_second_application(event, producer_id, form)
    errors, reasons = await assess(event, producer_id, form, at)
    if errors or reasons:
        raise ApplicationRefused(errors, reasons)

    period = form.period if showroom else services.event_period(event)
    assert period is not None
    try:
        async with booking_transaction():
            await lock_producer(producer_id)  # so it never holds two live applications
            await _no_second_application(event, producer_id, form)
            if showroom:
                assert form.booth_id is not None
                booth = await _lock_booth(event, form.booth_id)
                rental = await holder(booth["id"], period)
                if rental:
                    raise taken_error(event, booth, rental)
            application = BoothApplication(event=event["id"], producer=producer_id, note=form.note.strip())
            await application.save()
            await ApplicationProduct.insert(
                *[ApplicationProduct(application=application.id, product=pid) for pid in dict.fromkeys(form.product_ids)]
            )
            preferences = [
                BoothPreference(application=application.id, booth=booth_id, rank=rank)
                for rank, booth_id in enumerate(form.preference_ids[:MAX_PREFERENCES], start=1)
                if booth_id is not None and not showroom
            ]
            if preferences:
                await BoothPreference.insert(*preferences)
            if showroom:
                await BoothRental.insert(
                    BoothRental(
                        booth=form.booth_id, application=application.id, producer=producer_id,
                        starts_on=period.starts_on, ends_on=period.ends_on, status=RentalStatus.held,
                    )
                )
            await audit("booths.apply", actor_id=user_id, target=("booth_application", application.id), ip=ip,
                        detail={"event": event["id"], "producer": producer_id})
    except Exception as exc:
        if is_integrity_error(exc) and showroom and form.booth_id is not None:
            raise await _conflict_after_constraint(event, form.booth_id, period, None) from exc
        raise
    return application.id


# Staff decisions ------------------------------------------------------------------------------

async def approve(
    application_id: int, booth_id: int, *, staff_id: int, event_id: int | None = None, ip: str = "", reason: str = "",
    tell: bool = True,
) -> str:
    """Give the application a booth (or move it to another): the booth must be free for its span.

    Returns the booth's code. A showroom's held slot becomes an active rental. `tell=False` when
    the producer confirms in the same transaction (a first-come booking): one notice, not two.
    """
    event: dict = {}
    period: Period | None = None
    try:
        async with booking_transaction(), notices.watching_line() as line:
            application = await _lock_application(application_id, event_id=event_id)
            application_after("approve", application["status"])
            await line.event(application["event"])
            event = rules.require_booths(await get_event_by_id(application["event"]))
            booth = await _lock_booth(event, booth_id)
            rentals = await _rentals_of(application_id)
            period = _period_of(event, rentals)
            rental = await holder(booth_id, period, except_application=application_id)
            if rental:
                raise taken_error(event, booth, rental)
            current = _live(rentals)
            moved = current is not None and current["booth"] != booth_id
            if current is not None:
                status = rental_after("activate", current["status"])
                await BoothRental.update({BoothRental.booth: booth_id, BoothRental.status: status}).where(
                    BoothRental.id == current["id"]
                )
            else:
                await BoothRental.insert(
                    BoothRental(
                        booth=booth_id, application=application_id, producer=application["producer"],
                        starts_on=period.starts_on, ends_on=period.ends_on, status=RentalStatus.active,
                    )
                )
            status = approved_status(application["status"], moved=moved)
            await _decide(application_id, status, staff_id=staff_id, reason=reason)
            if tell and (moved or status != application["status"]):
                await notices.tell(application, "moved" if moved else "approved", code=booth["code"], reason=reason)
            if moved:
                await _offer_freed(event["id"], [current["booth"]], skip=application_id)
            await audit("booths.approve", actor_id=staff_id, target=("booth_application", application_id), ip=ip,
                        detail={"booth": booth["code"], "moved": moved})
    except Exception as exc:
        if is_integrity_error(exc) and event and period is not None:
            raise await _conflict_after_constraint(event, booth_id, period, application_id) from exc
        raise
    return booth["code"]


async def waitlist(
    application_id: int, *, staff_id: int, event_id: int | None = None, ip: str = "", reason: str = ""
) -> None:
    """Put the application on the waiting list; a booth it held is free again."""
    async with write_transaction(), notices.watching_line() as line:
        application = await _lock_application(application_id, event_id=event_id)
        status = application_after("waitlist", application["status"])
        await line.event(application["event"])
        freed = await _cancel_rental(application_id)
        await _decide(application_id, status, staff_id=staff_id, reason=reason)
        if status != application["status"]:
            await notices.tell(application, "waitlisted", reason=reason)
        await _offer_freed(application["event"], freed, skip=application_id)
        await audit("booths.waitlist", actor_id=staff_id, target=("booth_application", application_id), ip=ip)


async def reject(
    application_id: int, reason: str, *, staff_id: int, event_id: int | None = None, ip: str = ""
) -> None:
    """Refuse the application, saying why; a booth it held is free again."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": DomainError(N_("Give the producer the reason for the rejection."))})
    async with write_transaction(), notices.watching_line() as line:
        application = await _lock_application(application_id, event_id=event_id)
        status = application_after("reject", application["status"])
        await line.event(application["event"])
        freed = await _cancel_rental(application_id)
        await _decide(application_id, status, staff_id=staff_id, reason=reason)
        await notices.tell(application, "rejected", reason=reason)
        await _offer_freed(application["event"], freed, skip=application_id)
        await audit("booths.reject", actor_id=staff_id, target=("booth_application", application_id), ip=ip,
                    detail={"reason": reason})


async def _decide(application_id: int, status: str, *, staff_id: int, reason: str = "") -> None:
    await BoothApplication.update(
        {
            BoothApplication.status: status,
            BoothApplication.decided_at: now(),
            BoothApplication.decided_by: staff_id,
            BoothApplication.decision_reason: reason,
            BoothApplication.offer_expires_at: None,  # staff decided: no offer runs any more
        }
    ).where(BoothApplication.id == application_id)


# The producer's own decisions ----------------------------------------------------------------

async def cancel(application_id: int, *, producer_id: int, user_id: int | None = None, ip: str = "") -> None:
    """The producer withdraws; its booth or slot is free again at once."""
    async with write_transaction(), notices.watching_line() as line:
        application = await _lock_application(application_id, producer_id=producer_id)
        status = application_after("cancel", application["status"])
        await line.event(application["event"])
        freed = await _cancel_rental(application_id)
        await BoothApplication.update({BoothApplication.status: status, BoothApplication.offer_expires_at: None}).where(
            BoothApplication.id == application_id)
        await notices.tell(application, "cancelled")
        await _offer_freed(application["event"], freed, skip=application_id)
        await audit("booths.cancel", actor_id=user_id, target=("booth_application", application_id), ip=ip)


async def confirm(application_id: int, *, producer_id: int, user_id: int | None = None, ip: str = "") -> None:
    """The producer confirms the booth staff approved."""
    async with write_transaction():
        application = await _lock_application(application_id, producer_id=producer_id)
        status = application_after("confirm", application["status"])
        rental = _live(await _rentals_of(application_id))
        if rental is None:
            raise Conflict(N_("This application has no booth yet."))
        if application["offer_expires_at"] is not None and application["offer_expires_at"] < now():
            raise Conflict(N_("The offer of this booth lapsed at %(deadline)s; it goes to the next in line."),
                           deadline=format_datetime(application["offer_expires_at"]))
        await BoothApplication.update({BoothApplication.status: status, BoothApplication.offer_expires_at: None}).where(
            BoothApplication.id == application_id)
        booth = await Booth.select(Booth.code).where(Booth.id == rental["booth"]).first()
        await notices.tell(application, "confirmed", code=booth["code"])
        await audit("booths.confirm", actor_id=user_id, target=("booth_application", application_id), ip=ip)

