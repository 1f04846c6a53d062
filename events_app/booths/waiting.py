"""A fair's waiting list that moves by itself.

When a booth is freed (a producer withdraws, staff reject, waitlist or move an application),
the first application in line that may take it is offered it until a deadline. An offer not
confirmed by then lapses and the booth goes to the next in line. Lapses are settled whenever
the booth market is read (`settle`), so no background job has to run for the line to move;
two readers settling at once lock the same rows and the second finds nothing left to do.

Every function here runs inside the caller's write transaction, or opens one.
"""

from __future__ import annotations

import datetime as dt

from events_app.booths import notices, services
from events_app.booths.rules import application_after
from events_app.booths.tables import (
    AllocationMark, AllocationPolicy, ApplicationProduct, ApplicationStatus, Booth, BoothApplication, BoothRental,
    MarkKind, RentalStatus,
)
from events_app.core.audit import audit
from events_app.core.clock import now, today
from events_app.core.db import for_update, write_transaction
from events_app.core.i18n import N_, format_datetime, gettext, language
from events_app.events.services import get_event_by_id
from events_app.events.tables import EventKind

OFFER_HOURS = 48  # how long a producer has to confirm a booth offered from the line


async def best_stars(application_ids: list[int]) -> dict[int, dict]:
    """Each application's best product with a valid certificate: its stars and product group."""
    best: dict[int, dict] = {}
    if not application_ids:
        return best
    on = today()
    for row in await ApplicationProduct.select(
        ApplicationProduct.application,
        ApplicationProduct.product.stars.as_alias("stars"),
        ApplicationProduct.product.valid_until.as_alias("valid_until"),
        ApplicationProduct.product.group.name_vi.as_alias("group"),
    ).where(ApplicationProduct.application.is_in(application_ids)).order_by(ApplicationProduct.id):
        if row["valid_until"] >= on and row["stars"] > best.get(row["application"], {}).get("stars", 0):
            best[row["application"]] = row
    return best


async def _policy(event_id: int) -> dict:
    row = await AllocationPolicy.select(
        AllocationPolicy.reserved_types, AllocationPolicy.reserved_min_stars
    ).where(AllocationPolicy.event == event_id).first()
    return {"reserved": set((row or {}).get("reserved_types", "").split(",")) - {""},
            "min_stars": (row or {}).get("reserved_min_stars", 4)}


async def offer_freed(event: dict, booth_id: int, *, skip: int | None = None) -> int | None:
    """Offer a freed fair booth to the first in line who may take it; the application offered, if any.

    `skip` is the application that just let the booth go (put on the waiting list, say).
    """
    if event["kind"] != EventKind.fair.value:
        return None
    booth = await for_update(Booth.select().where((Booth.id == booth_id) & (Booth.event == event["id"]))).first()
    if booth is None or booth["is_blocked"]:
        return None
    if await BoothRental.exists().where((BoothRental.booth == booth_id) & (BoothRental.status != RentalStatus.cancelled.value)):
        return None
    line = await services.line_order(BoothApplication.select(BoothApplication.id, BoothApplication.producer).where(
        (BoothApplication.event == event["id"]) & (BoothApplication.status == ApplicationStatus.waitlisted.value)
    ))
    if not line:
        return None
    policy = await _policy(event["id"])
    fits = await _place_rules(event["id"], booth, [a["id"] for a in line])
    stars = await best_stars([a["id"] for a in line]) if booth["booth_type"] in policy["reserved"] else {}
    barred = {m["application"] for m in await AllocationMark.select(AllocationMark.application).where(
        (AllocationMark.booth == booth_id) & (AllocationMark.kind == MarkKind.forbid.value))}
    for candidate in line:
        if candidate["id"] in barred or candidate["id"] == skip:
            continue
        if booth["booth_type"] in policy["reserved"] and stars.get(candidate["id"], {}).get("stars", 0) < policy["min_stars"]:
            continue
        if not fits(candidate["id"]):
            continue
        await _offer(event, booth, candidate)
        return candidate["id"]
    return None


async def _place_rules(event_id: int, booth: dict, line: list[int]):
    """Whether the booth may go to an application in line under the fair's allocation rules: its
    province's, region's or group's quota not full with the booths held now, and, when staff keep
    one group apart, no neighbour of its group. The rules and the booths held are read once."""
    from events_app.booths import allocation, market  # market reads the line through this module

    rules = market.rules_of(await market.policy_of(event_id))
    if not (rules.province_quotas or rules.region_quotas or rules.group_quotas or rules.separate_groups):
        return lambda application: True
    held = await market.exhibitors_of(event_id)
    groups = await best_stars(line)
    where = {a["id"]: a for a in await BoothApplication.select(
        BoothApplication.id,
        BoothApplication.producer.province.name.as_alias("province"),
        BoothApplication.producer.province.region.name.as_alias("region"),
    ).where(BoothApplication.id.is_in(line or [0]))}
    spot = allocation.Spot(id=booth["id"], code=booth["code"], booth_type=booth["booth_type"], hall=booth["hall"],
                           x=booth["x"], y=booth["y"], width=booth["width"], depth=booth["depth"])

    def fits(application: int) -> bool:
        applicant = allocation.Exhibitor(spot, where[application]["province"], where[application]["region"],
                                         groups.get(application, {}).get("group", ""))
        return allocation.may_be_offered(rules, applicant, held)

    return fits


async def _offer(event: dict, booth: dict, candidate: dict) -> None:
    application = await for_update(BoothApplication.select().where(BoothApplication.id == candidate["id"])).first()
    status = application_after("approve", application["status"])
    period = services.event_period(event)
    deadline = now() + dt.timedelta(hours=OFFER_HOURS)
    with language("vi"):  # kept with the application, in the producers' language
        reason = gettext(N_("Booth %(code)s was freed and is offered to you, the first in line: confirm it by %(deadline)s, "
                            "or it goes to the next application.")) % {"code": booth["code"], "deadline": format_datetime(deadline)}
    await BoothRental.insert(BoothRental(
        booth=booth["id"], application=application["id"], producer=application["producer"],
        starts_on=period.starts_on, ends_on=period.ends_on, status=RentalStatus.active,
    ))
    await BoothApplication.update({
        BoothApplication.status: status, BoothApplication.offer_expires_at: deadline,
        BoothApplication.waiting_place: None, BoothApplication.decision_reason: reason, BoothApplication.decided_at: now(),
    }).where(BoothApplication.id == application["id"])
    await notices.tell(application, "offered", code=booth["code"], deadline=deadline.isoformat())
    await audit("booths.offer", target=("booth_application", application["id"]),
                detail={"booth": booth["code"], "until": deadline.isoformat()})


async def settle(event_id: int | None = None) -> int:
    """Let lapse every offer past its deadline and offer its booth to the next in line; how many lapsed.

    Cheap when nothing is due: one query on an indexed status.
    """
    due = BoothApplication.select(BoothApplication.id, BoothApplication.event).where(
        (BoothApplication.status == ApplicationStatus.approved.value) & (BoothApplication.offer_expires_at < now())
    )
    if event_id is not None:
        due = due.where(BoothApplication.event == event_id)
    rows = await due.order_by(BoothApplication.offer_expires_at).order_by(BoothApplication.id)
    lapsed = 0
    for row in rows:
        async with write_transaction(), notices.watching_line() as line:
            application = await for_update(BoothApplication.select().where(BoothApplication.id == row["id"])).first()
            if (application["status"] != ApplicationStatus.approved.value or application["offer_expires_at"] is None
                    or application["offer_expires_at"] >= now()):
                continue  # confirmed, or settled by another reader meanwhile
            await line.event(application["event"])
            rental = await BoothRental.select(BoothRental.id, BoothRental.booth, BoothRental.booth.code.as_alias("code")).where(
                (BoothRental.application == application["id"]) & (BoothRental.status != RentalStatus.cancelled.value)
            ).first()
            with language("vi"):
                reason = gettext(N_("The offer of booth %(code)s lapsed at %(deadline)s without a confirmation; "
                                    "it went to the next in line.")) % {
                    "code": rental["code"] if rental else "—", "deadline": format_datetime(application["offer_expires_at"])}
            await BoothRental.update({BoothRental.status: RentalStatus.cancelled.value}).where(
                (BoothRental.application == application["id"]) & (BoothRental.status != RentalStatus.cancelled.value))
            await BoothApplication.update({
                BoothApplication.status: application_after("cancel", application["status"]),
                BoothApplication.offer_expires_at: None, BoothApplication.decision_reason: reason,
            }).where(BoothApplication.id == application["id"])
            await notices.tell(application, "lapsed", code=rental["code"] if rental else "",
                               deadline=application["offer_expires_at"].isoformat())
            await audit("booths.offer_lapsed", target=("booth_application", application["id"]))
            if rental is not None:
                await offer_freed(await get_event_by_id(application["event"]), rental["booth"])
            lapsed += 1
    return lapsed
