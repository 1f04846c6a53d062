"""Web pages of the booths domain for visitors and producers: the public floor plan, applying,
and a producer's applications."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.params import FromPath, FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template
from litestar.types import ASGIApp, Receive, Scope, Send

from events_app.core.bounds import RowId
from events_app.core.guards import producers_only
from events_app.booths import decisions, floorplan, holds, notices, rules, services, waiting
from events_app.booths.dependencies import PRODUCER
from events_app.booths.periods import MAX_MONTHS, Period, months_from, shift_month
from events_app.core.errors import Conflict, NotFound, ValidationError
from events_app.events.eligibility import window_reasons
from events_app.core.clock import now
from events_app.events.services import get_event, local_day, rules_for
from events_app.core.i18n import N_, format_datetime, gettext, ngettext
from events_app.core.pagination import page_number
from events_app.core.forms import FormReader, parse_id, parse_month
from events_app.core.identity import CurrentUser
from events_app.core.navigation import redirect_to
from events_app.core.requests import client_ip, read_form


# Public floor plan -----------------------------------------------------------------------------

class FloorPlanController(Controller):
    @get("/events/{slug:str}/floor-plan", name="floor_plan")
    async def floor_plan(
        self, slug: FromPath[str], current_user: NamedDependency[CurrentUser | None], month: FromQuery[str] = ""
    ) -> Template:
        event = rules.require_booths(await get_event(slug))
        showroom = services.is_showroom(event)
        period = services.showroom_month(event, parse_month(month)) if showroom else services.event_period(event)
        user = current_user
        producer_id = user.producer_id if user is not None and user.is_producer else None
        staff = user is not None and user.is_staff
        await waiting.settle(event["id"])  # lapsed offers move the line before anyone looks
        plans = await services.floor_plan(event, period, producer_id, all_holders=staff)
        context = {
            "event": event,
            "plans": plans,
            "showroom": showroom,
            "period": period,
            "counts": services.counts(plans),
            "viewer_is_producer": producer_id is not None,
            "all_holders": staff,
            # One application per fair: once sent, the page links to it instead of the form.
            "applied": bool(producer_id and not showroom and await decisions.live_application(event["id"], producer_id)),
            # First-come fairs: producers pick a free booth here and hold it while they confirm.
            "first_come": await holds.first_come(event),
            "my_hold": await holds.current(event["id"], producer_id) if producer_id else None,
            **floorplan.PLAN_CONTEXT,
        }
        if showroom:
            span = services.event_period(event)
            context.update(
                schedule=await services.slot_schedule(event, period.starts_on),
                schedule_period=months_from(period.starts_on, services.SCHEDULE_MONTHS),
                previous_month=shift_month(period.starts_on, -1) if period.starts_on > span.starts_on else None,
                next_month=shift_month(period.starts_on, 1) if period.ends_on < span.ends_on else None,
            )
        return Template("booths/floor_plan.html", context=context)


# Applying --------------------------------------------------------------------------------------

def _read_application(form: FormReader, showroom: bool) -> rules.ApplicationForm:
    product_ids = form.ids("product_ids")
    note = form.text("note", max_length=rules.MAX_NOTE)
    if not showroom:
        preferences = [form.integer(f"preference_{rank}") for rank in range(1, rules.MAX_PREFERENCES + 1)]
        return rules.ApplicationForm(product_ids=product_ids, preference_ids=preferences, note=note)
    booth_id = form.integer("booth_id")
    period = None
    if (form.choice("period_mode", ["months", "dates"], required=False) or "months") == "months":
        first = form.month("from_month")
        months = form.integer("months", required=True, minimum=1, maximum=MAX_MONTHS)
        if first is None:
            form.error("from_month", N_("Choose the first month."))  # a month out of range keeps its own message
        elif months is not None:
            period = months_from(first, months)
    else:
        starts_on, ends_on = form.date("starts_on", required=True), form.date("ends_on", required=True)
        if starts_on and ends_on:
            period = Period(starts_on, ends_on)
    return rules.ApplicationForm(product_ids=product_ids, note=note, booth_id=booth_id, period=period)


async def _apply_page(
    event: dict,
    producer_id: int,
    *,
    values: dict | None = None,
    errors: dict | None = None,
    reasons: list[str] | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Template:
    showroom = services.is_showroom(event)
    span = services.event_period(event)
    refusal = None
    try:
        rules.event_open_for_applications(event)
    except Conflict as exc:
        refusal = str(exc)
    await waiting.settle(event["id"])
    existing = await services.producer_application(event["id"], producer_id)
    values = values or {}
    defaults = {
        "period_mode": "months",
        # Slots are rented from the first of a month: offer the next one that has not begun.
        "from_month": max(shift_month(local_day(now()), 1), span.starts_on).strftime("%Y-%m"),
        "months": "1",
    }
    return Template(
        "booths/apply.html",
        context={
            "event": event,
            "showroom": showroom,
            "refusal": refusal,
            # A fair takes one application; a showroom one per period, so its form stays offered.
            "existing": existing if existing and existing["is_live"] and not showroom else None,
            "products": await services.products_of(producer_id),
            "free_booths": [] if showroom else await services.free_booths_of(event, span),
            "slots": [b for b in await services.booths_of(event["id"]) if not b["is_blocked"]] if showroom else [],
            "window_notice": [str(reason) for reason in window_reasons(rules_for(event), now())],
            "values": {**defaults, **values},
            "checked": _as_list(values.get("product_ids")),
            "errors": errors or {},
            "reasons": reasons or [],
            "error": error,
            "max_months": MAX_MONTHS,
            "span": span,
            "first_come": await holds.first_come(event),
            "hold": await holds.current(event["id"], producer_id),
            # Told before the form, not after filling it in.
            # (after a refused attempt the page lists that attempt's own reasons instead).
            "obstacles": [str(r) for r in await decisions.obstacles(event, producer_id)]
            if not (refusal or errors or reasons or error) else [],
            "today": local_day(now()),
        },
        status_code=status_code,
    )


def _as_list(value: str | list[str] | None) -> list[str]:
    """A form value that may have been sent once, many times, or not at all."""
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


class ApplyController(Controller):
    path = "/events/{slug:str}/apply"
    guards = [producers_only]
    dependencies = PRODUCER

    @get("/", name="booth_apply")
    async def form(self, slug: FromPath[str], producer_id: NamedDependency[int], booth: FromQuery[str] = "") -> Template:
        event = rules.require_booths(await get_event(slug))
        # A booth picked on the floor plan comes chosen: the first preference, or a showroom's slot.
        picked = parse_id(booth)
        values = {("booth_id" if services.is_showroom(event) else "preference_1"): str(picked)} if picked else None
        return await _apply_page(event, producer_id, values=values)

    @post("/", name="booth_apply_submit")
    async def submit(
        self, request: Request, slug: FromPath[str], producer_id: NamedDependency[int],
        current_user: NamedDependency[CurrentUser],
    ) -> Template | Redirect:
        event = rules.require_booths(await get_event(slug))
        form = await read_form(request)
        application = _read_application(form, services.is_showroom(event))
        values = form.values()
        try:
            if form.errors:
                # Typing mistakes and eligibility are reported together, so one attempt shows everything.
                rules.event_open_for_applications(event)
                errors, reasons = await decisions.assess(event, producer_id, application)
                raise rules.ApplicationRefused({**errors, **form.errors}, reasons)
            if await holds.first_come(event):
                await holds.book(event, producer_id, application, user_id=current_user.id, ip=client_ip(request))
                flash(request, gettext("Your booth is booked and confirmed."), "success")
                return redirect_to(request, "my_applications")
            await decisions.apply(event, producer_id, application, user_id=current_user.id, ip=client_ip(request))
        except rules.ApplicationRefused as exc:
            return await _apply_page(event, producer_id, values=values, errors=exc.field_messages(),
                                     reasons=exc.reason_messages(), status_code=400)
        except Conflict as exc:
            return await _apply_page(event, producer_id, values=values, error=str(exc), status_code=409)
        flash(request, gettext("Your application has been sent. Staff will review it."), "success")
        return redirect_to(request, "my_applications")


class HoldController(Controller):
    """First-come fairs: a producer holds a free booth picked on the plan, or lets it go."""

    path = "/events/{slug:str}/hold"
    guards = [producers_only]
    dependencies = PRODUCER

    @post("/", name="booth_hold")
    async def hold(
        self, request: Request, slug: FromPath[str], producer_id: NamedDependency[int],
        current_user: NamedDependency[CurrentUser],
    ) -> Template | Redirect:
        event = rules.require_booths(await get_event(slug))
        form = await read_form(request)
        booth_id = form.integer("booth_id", required=True, minimum=1)
        try:
            form.raise_if_errors()
            held = await holds.take(event, booth_id or 0, producer_id, user_id=current_user.id, ip=client_ip(request))
        except (Conflict, ValidationError, NotFound) as exc:
            message = "; ".join(exc.field_messages().values()) if isinstance(exc, ValidationError) else str(exc)
            flash(request, message, "error")
            return redirect_to(request, "floor_plan", slug=slug)
        flash(request, gettext("Booth %(code)s is held for you until %(time)s: choose your products and confirm.")
              % {"code": held["code"], "time": format_datetime(held["expires_at"])}, "success")
        return redirect_to(request, "booth_apply", slug=slug)

    @post("/release", name="booth_hold_release")
    async def release(
        self, request: Request, slug: FromPath[str], producer_id: NamedDependency[int],
        current_user: NamedDependency[CurrentUser],
    ) -> Redirect:
        event = rules.require_booths(await get_event(slug))
        await holds.release(event, producer_id, user_id=current_user.id, ip=client_ip(request))
        flash(request, gettext("The booth you held is free again."), "success")
        return redirect_to(request, "floor_plan", slug=slug)


# A producer's applications ---------------------------------------------------------------------

class MyApplicationsController(Controller):
    path = "/my/applications"
    guards = [producers_only]
    dependencies = PRODUCER

    @get("/", name="my_applications")
    async def applications(self, producer_id: NamedDependency[int], page: FromQuery[str] = "") -> Template:
        return await _my_page(producer_id, page_number(page))

    @post("/{application_id:int}/cancel", name="my_application_cancel")
    async def cancel(
        self, request: Request, application_id: FromPath[RowId], producer_id: NamedDependency[int],
        current_user: NamedDependency[CurrentUser],
    ) -> Template | Redirect:
        try:
            await decisions.cancel(application_id, producer_id=producer_id, user_id=current_user.id,
                                    ip=client_ip(request))
        except Conflict as exc:
            return await _my_page(producer_id, 1, error=str(exc), status_code=409)
        flash(request, gettext("Your application has been cancelled; its booth is free again."), "success")
        return redirect_to(request, "my_applications")

    @post("/{application_id:int}/confirm", name="my_application_confirm")
    async def confirm(
        self, request: Request, application_id: FromPath[RowId], producer_id: NamedDependency[int],
        current_user: NamedDependency[CurrentUser],
    ) -> Template | Redirect:
        try:
            await decisions.confirm(application_id, producer_id=producer_id, user_id=current_user.id,
                                     ip=client_ip(request))
        except Conflict as exc:
            return await _my_page(producer_id, 1, error=str(exc), status_code=409)
        flash(request, gettext("You have confirmed your booth."), "success")
        return redirect_to(request, "my_applications")

    @post("/notices/{notice_id:int}/read", name="my_notice_read")
    async def notice_read(self, request: Request, notice_id: FromPath[RowId], producer_id: NamedDependency[int]) -> Redirect:
        await notices.mark_read(producer_id, notice_id)
        return redirect_to(request, "my_applications")

    @post("/notices/read", name="my_notices_read")
    async def notices_read(self, request: Request, producer_id: NamedDependency[int]) -> Redirect:
        count = await notices.mark_read(producer_id)
        flash(request, ngettext("%(num)d notice marked as read.", "%(num)d notices marked as read.", count) % {"num": count},
              "success")
        return redirect_to(request, "my_applications")


async def _my_page(producer_id: int, page: int, *, error: str | None = None, status_code: int = 200) -> Template:
    await waiting.settle()
    listing = await services.my_applications(producer_id, page)
    return Template("booths/my_applications.html", context={
        "page": listing, "error": error, "notices": await notices.unread(producer_id),
    }, status_code=status_code)


class UnreadNoticesMiddleware(ASGIMiddleware):
    """How many notices a signed-in producer has not read, for the count beside My applications
    on every page (`scope["unread_notices"]`). After the request-context middleware, which
    loads the user."""

    scopes = (ScopeType.HTTP,)

    @staticmethod
    def should_bypass_for_scope(scope: Scope) -> bool:
        return scope["method"] not in ("GET", "HEAD") or scope["path"].startswith(("/static/", "/media/"))

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        user = scope.get("user")
        if user is not None and user.is_producer and user.producer_id is not None:
            scope["unread_notices"] = await notices.unread_count(user.producer_id)  # type: ignore[typeddict-unknown-key]
        await next_app(scope, receive, send)


ROUTES = [FloorPlanController, ApplyController, HoldController, MyApplicationsController]
