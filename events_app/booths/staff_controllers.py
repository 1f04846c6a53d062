"""Staff pages of the booths domain: laying out the floor plan and reviewing applications."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from events_app.core.bounds import RowId
from events_app.core.guards import staff_only
from events_app.booths import dashboard, decisions, editor, floorplan, layout, market, rules, services, waiting
from events_app.booths.tables import ApplicationStatus, BoothType
from events_app.core.errors import Conflict, NotFound, ValidationError
from events_app.core.i18n import gettext
from events_app.core.pagination import page_number
from events_app.core.forms import FormReader, parse_id
from events_app.core.identity import CurrentUser
from events_app.core.navigation import redirect_to
from events_app.core.requests import client_ip, read_form

# Staff: the floor plan -------------------------------------------------------------------------

GRID_DEFAULTS = {"rows": "2", "columns": "8", "width": "3", "depth": "3", "origin_x": "1", "origin_y": "1",
                 "first_number": "1", "booth_type": "standard", "price": "0"}


def _read_grid(form: FormReader) -> layout.GridRequest:
    return layout.GridRequest(
        hall_id=form.integer("hall_id", required=True) or 0,
        rows=form.integer("rows", required=True, minimum=1, maximum=layout.MAX_ROWS) or 0,
        columns=form.integer("columns", required=True, minimum=1, maximum=layout.MAX_COLUMNS) or 0,
        prefix=form.text("prefix", required=True, max_length=8),
        booth_type=form.choice("booth_type", [t.value for t in BoothType]),
        price=form.amount("price", required=True) or 0,
        width=form.number("width", required=True, minimum=0.5) or 0,
        depth=form.number("depth", required=True, minimum=0.5) or 0,
        origin_x=form.number("origin_x", minimum=0) or 0.0,
        origin_y=form.number("origin_y", minimum=0) or 0.0,
        first_number=form.integer("first_number", minimum=1) or 1,
    )


def _read_booth(form: FormReader) -> layout.BoothChanges:
    return layout.BoothChanges(
        code=form.text("code", required=True, max_length=20),
        booth_type=form.choice("booth_type", [t.value for t in BoothType]),
        hall_id=form.integer("hall_id"),
        width=form.number("width", required=True, minimum=0.5) or 0,
        depth=form.number("depth", required=True, minimum=0.5) or 0,
        price=form.amount("price", required=True) or 0,
        x=form.number("x", required=True, minimum=0) or 0.0,
        y=form.number("y", required=True, minimum=0) or 0.0,
        is_blocked=form.flag("is_blocked"),
    )


def _hall_options(halls: list[dict]) -> list[tuple[int, str]]:
    return [(h["id"], f"{h['name']} ({h['width']} × {h['depth']} m)") for h in halls]


async def staff_plan_page(
    event: dict, *, values: dict | None = None, errors: dict | None = None, error: str | None = None,
    status_code: int = 200, selected: tuple[str, int] | None = None, form: editor.FormState | None = None,
) -> Template:
    """The floor plan editor: the grid form's `values` and `errors`, or another form's in `form`;
    `selected` a booth ("b", id) or feature ("f", id) whose forms are shown."""
    showroom = services.is_showroom(event)
    period = services.showroom_month(event) if showroom else services.event_period(event)
    halls = await services.halls_of(event)
    await waiting.settle(event["id"])
    plans = await services.floor_plan(event, period, all_holders=True)
    return Template(
        "booths/staff_floor_plan.html",
        context={
            **await editor.page_context(event, plans, selected, form),
            "event": event,
            "plans": plans,
            "showroom": showroom,
            "period": period,
            "counts": services.counts(plans),
            "hall_options": _hall_options(halls),
            "values": {**GRID_DEFAULTS, **(values or {})},
            "errors": errors or {},
            "error": error,
            "viewer_is_producer": False,
            "all_holders": True,
            **floorplan.PLAN_CONTEXT,
        },
        status_code=status_code,
    )


async def _booth_page(event: dict, booth: dict, *, values: dict | None = None, errors: dict | None = None,
                      status_code: int = 200) -> Template:
    halls = await services.halls_of(event)
    current = {k: ("" if v is None else v) for k, v in booth.items()}
    current["hall_id"] = booth["hall"] or ""
    return Template(
        "booths/staff_booth.html",
        context={
            "event": event,
            "booth": booth,
            "hall_options": _hall_options(halls),
            "values": values if values is not None else current,
            "errors": errors or {},
        },
        status_code=status_code,
    )


class StaffFloorPlanController(Controller):
    path = "/staff/events/{event_id:int}"
    guards = [staff_only]

    @get("/floor-plan", name="staff_floor_plan")
    async def floor_plan(self, event_id: FromPath[RowId], booth: FromQuery[str] = "", feature: FromQuery[str] = "") -> Template:
        picked = ("b", parse_id(booth)) if parse_id(booth) else ("f", parse_id(feature)) if parse_id(feature) else None
        return await staff_plan_page(await services.get_booth_event(event_id), selected=picked)  # type: ignore[arg-type]

    @post("/floor-plan", name="staff_floor_plan_generate")
    async def generate(
        self, request: Request, event_id: FromPath[RowId], current_user: NamedDependency[CurrentUser]
    ) -> Template | Redirect:
        event = await services.get_booth_event(event_id)
        form = await read_form(request)
        grid = _read_grid(form)
        try:
            form.raise_if_errors()
            codes = await layout.generate_grid(event, grid, staff_id=current_user.id, ip=client_ip(request))
        except ValidationError as exc:
            return await staff_plan_page(event, values=form.values(), errors=exc.field_messages(), status_code=400)
        except Conflict as exc:
            return await staff_plan_page(event, values=form.values(), error=str(exc), status_code=409)
        flash(request, gettext("%(n)d booths added: %(first)s to %(last)s.") % {"n": len(codes), "first": codes[0],
                                                                                 "last": codes[-1]}, "success")
        return redirect_to(request, "staff_floor_plan", event_id=event_id)

    @get("/booths/{booth_id:int}", name="staff_booth")
    async def booth(self, event_id: FromPath[RowId], booth_id: FromPath[RowId]) -> Template:
        event = await services.get_booth_event(event_id)
        return await _booth_page(event, await layout.get_booth(event_id, booth_id))

    @post("/booths/{booth_id:int}", name="staff_booth_update")
    async def update(
        self, request: Request, event_id: FromPath[RowId], booth_id: FromPath[RowId],
        current_user: NamedDependency[CurrentUser],
    ) -> Template | Redirect:
        event = await services.get_booth_event(event_id)
        booth = await layout.get_booth(event_id, booth_id)
        form = await read_form(request)
        changes = _read_booth(form)
        try:
            form.raise_if_errors()
            await layout.update_booth(event, booth_id, changes, staff_id=current_user.id, ip=client_ip(request))
        except ValidationError as exc:
            return await _booth_page(event, booth, values=form.values(), errors=exc.field_messages(), status_code=400)
        flash(request, gettext("Booth %(code)s saved.") % {"code": layout.normalise_code(changes.code)}, "success")
        return redirect_to(request, "staff_floor_plan", event_id=event_id)

    @post("/booths/{booth_id:int}/delete", name="staff_booth_delete")
    async def delete(
        self, request: Request, event_id: FromPath[RowId], booth_id: FromPath[RowId],
        current_user: NamedDependency[CurrentUser],
    ) -> Template | Redirect:
        event = await services.get_booth_event(event_id)
        try:
            code = await layout.delete_booth(event, booth_id, staff_id=current_user.id, ip=client_ip(request))
        except Conflict as exc:
            return await staff_plan_page(event, error=str(exc), status_code=409)
        flash(request, gettext("Booth %(code)s deleted.") % {"code": code}, "success")
        return redirect_to(request, "staff_floor_plan", event_id=event_id)


# Staff: reviewing applications -----------------------------------------------------------------

STATUSES = [s.value for s in ApplicationStatus]


async def _review_page(
    event: dict, status: str, page: int, *, error: str | None = None, errors: dict | None = None,
    failed: int | None = None, values: dict | None = None, status_code: int = 200,
) -> Template:
    status = status if status in STATUSES else ""
    await waiting.settle(event["id"])
    listing, counts = await services.staff_applications(event, status, page)
    return Template(
        "booths/staff_applications.html",
        context={
            "event": event,
            "page": listing,
            "counts": counts,
            "total": sum(counts.values()),
            "status": status,
            "statuses": STATUSES,
            "showroom": services.is_showroom(event),
            "error": error,
            "errors": errors or {},
            "failed": failed,  # the application whose form had a mistake
            "values": values or {},
        },
        status_code=status_code,
    )


class StaffApplicationsController(Controller):
    path = "/staff/events/{event_id:int}/applications"
    guards = [staff_only]

    @get("/", name="staff_applications")
    async def applications(self, event_id: FromPath[RowId], status: FromQuery[str] = "", page: FromQuery[str] = "") -> Template:
        return await _review_page(await services.get_booth_event(event_id), status, page_number(page))

    @post("/{application_id:int}", name="staff_application_decide")
    async def decide(
        self, request: Request, event_id: FromPath[RowId], application_id: FromPath[RowId],
        current_user: NamedDependency[CurrentUser],
    ) -> Template | Redirect:
        event = await services.get_booth_event(event_id)
        form = await read_form(request)
        action = form.choice("action", ["approve", "waitlist", "reject"])
        back_status, back_page = form.text("status"), form.page()
        staff = {"staff_id": current_user.id, "event_id": event_id, "ip": client_ip(request)}
        try:
            form.raise_if_errors()
            if action == "approve":
                booth_id = form.integer("booth_id", required=True)
                form.raise_if_errors()
                code = await decisions.approve(application_id, booth_id or 0, **staff)
                message = gettext("Application approved with booth %(code)s.") % {"code": code}
            elif action == "waitlist":
                await decisions.waitlist(application_id, **staff)
                message = gettext("Application put on the waiting list.")
            else:
                reason = form.text("reason", max_length=rules.MAX_NOTE)
                form.raise_if_errors()
                await decisions.reject(application_id, reason, **staff)
                message = gettext("Application rejected.")
        except ValidationError as exc:
            return await _review_page(event, back_status, back_page, errors=exc.field_messages(), failed=application_id,
                                      values=form.values(), status_code=400)
        except Conflict as exc:
            return await _review_page(event, back_status, back_page, error=str(exc), failed=application_id,
                                      status_code=409)
        flash(request, message, "success")
        query = {"status": back_status} if back_status in STATUSES else None
        return redirect_to(request, "staff_applications", query, event_id=event_id)


class StaffInboxController(Controller):
    """Applications of every fair and showroom in one list, by status."""

    path = "/staff/applications"
    guards = [staff_only]

    @get("/", name="staff_inbox")
    async def inbox(self, status: FromQuery[str] = "", page: FromQuery[str] = "") -> Template:
        status = status if status in STATUSES else ApplicationStatus.submitted.value
        listing, counts = await services.inbox(status, page_number(page))
        return Template("booths/staff_inbox.html", context={
            "page": listing, "counts": counts, "status": status, "statuses": STATUSES,
        })


# Staff: allocating booths by the fair's rules ---------------------------------------------------

QUOTA_ROWS_SPARE = 3  # empty quota rows offered for new quotas


def _read_policy(form: FormReader, rows: int) -> market.Policy:
    quotas = []
    for n in range(min(rows, market.MAX_QUOTAS)):
        name = form.text(f"quota_name_{n}", max_length=120)
        if not name:
            continue
        quotas.append(market.QuotaRow(
            kind=form.choice(f"quota_kind_{n}", market.QUOTA_KINDS),
            name=name,
            minimum=form.integer(f"quota_min_{n}", minimum=0, maximum=10_000) or 0,
            maximum=form.integer(f"quota_max_{n}", minimum=0, maximum=10_000),
        ))
    return market.Policy(
        per_star=form.integer("per_star", required=True, minimum=0, maximum=market.MAX_POINTS) or 0,
        first_time=form.integer("first_time", required=True, minimum=0, maximum=market.MAX_POINTS) or 0,
        cooperative=form.integer("cooperative", required=True, minimum=0, maximum=market.MAX_POINTS) or 0,
        reserved_types=tuple(form.choices("reserved_types", market.RESERVABLE)),
        reserved_min_stars=int(form.choice("reserved_min_stars", ["3", "4", "5"]) or 4),
        separate_groups=form.flag("separate_groups"),
        quotas=tuple(quotas),
        first_come=form.flag("first_come"),
        hold_minutes=form.integer("hold_minutes", minimum=1, maximum=market.MAX_HOLD_MINUTES) or market.Policy.hold_minutes,
    )


async def _allocation_page(
    event: dict, *, policy: market.Policy | None = None, errors: dict | None = None, error: str | None = None,
    status_code: int = 200,
) -> Template:
    preview = await market.preview(event)
    policy = policy or await market.policy_of(event["id"])
    result = preview.result
    return Template(
        "booths/staff_allocation.html",
        context={
            "event": event,
            "policy": policy,
            "quota_rows": [*policy.quotas, *[None] * QUOTA_ROWS_SPARE],
            "quota_names": await market.quota_names(),
            "reservable": market.RESERVABLE,
            "rows": preview.rows,
            "spots": sorted(preview.market.spots, key=lambda s: floorplan.code_order(s.code)),
            "token": preview.market.token,
            "summary": {
                "booths": len(preview.market.spots), "held": preview.market.held,
                "applications": len(preview.market.candidates), "placed": len(result.assignments),
                "waiting": len(result.waiting), "points": result.points, "first_choices": result.first_choices,
            },
            "errors": errors or {},
            "error": error,
        },
        status_code=status_code,
    )


class StaffAllocationController(Controller):
    path = "/staff/events/{event_id:int}/allocation"
    guards = [staff_only]

    @get("/", name="staff_allocation")
    async def allocation(self, event_id: FromPath[RowId]) -> Template:
        return await _allocation_page(market.require_fair(await services.get_booth_event(event_id)))

    @post("/rules", name="staff_allocation_rules")
    async def save_rules(
        self, request: Request, event_id: FromPath[RowId], current_user: NamedDependency[CurrentUser]
    ) -> Template | Redirect:
        event = market.require_fair(await services.get_booth_event(event_id))
        form = await read_form(request)
        rows = form.integer("quota_rows", minimum=0, maximum=market.MAX_QUOTAS) or 0
        policy = _read_policy(form, rows)
        try:
            form.raise_if_errors()
            await market.save_policy(event, policy, staff_id=current_user.id, ip=client_ip(request))
        except ValidationError as exc:
            return await _allocation_page(event, policy=policy, errors=exc.field_messages(), status_code=400)
        flash(request, gettext("Allocation rules saved. The preview below follows them."), "success")
        return redirect_to(request, "staff_allocation", event_id=event_id)

    @post("/applications/{application_id:int}", name="staff_allocation_mark")
    async def mark(
        self, request: Request, event_id: FromPath[RowId], application_id: FromPath[RowId],
        current_user: NamedDependency[CurrentUser],
    ) -> Template | Redirect:
        event = market.require_fair(await services.get_booth_event(event_id))
        form = await read_form(request)
        action = form.choice("action", ["pin", "forbid", "clear"])
        staff = {"staff_id": current_user.id, "ip": client_ip(request)}
        try:
            form.raise_if_errors()
            if action == "clear":
                await market.clear_marks(event, application_id, **staff)
            else:
                booth_id = form.integer("booth_id", required=True)
                form.raise_if_errors()
                await market.set_mark(event, application_id, booth_id or 0, action, **staff)
        except ValidationError as exc:
            return await _allocation_page(event, error="; ".join(exc.field_messages().values()), status_code=400)
        except NotFound as exc:
            return await _allocation_page(event, error=str(exc), status_code=404)
        return redirect_to(request, "staff_allocation", event_id=event_id)

    @post("/commit", name="staff_allocation_commit")
    async def commit(
        self, request: Request, event_id: FromPath[RowId], current_user: NamedDependency[CurrentUser]
    ) -> Template | Redirect:
        event = market.require_fair(await services.get_booth_event(event_id))
        form = await read_form(request)
        token = form.text("token", required=True, max_length=64)
        try:
            form.raise_if_errors()
            placed, waiting = await market.commit(event, token, staff_id=current_user.id, ip=client_ip(request))
        except ValidationError:
            return await _allocation_page(event, error=gettext("The preview to commit is missing: look at it again."),
                                          status_code=400)
        except Conflict as exc:
            return await _allocation_page(event, error=str(exc), status_code=409)
        flash(request, gettext("Allocation committed: %(placed)d applications approved with a booth, %(waiting)d on the waiting list.")
              % {"placed": placed, "waiting": waiting}, "success")
        return redirect_to(request, "staff_applications", event_id=event_id)



# Staff: a fair's dashboard ----------------------------------------------------------------------

class StaffFairDashboardController(Controller):
    path = "/staff/events/{event_id:int}/dashboard"
    guards = [staff_only]

    @get("/", name="staff_fair_dashboard")
    async def show(self, event_id: FromPath[RowId]) -> Template:
        event = market.require_fair(await services.get_booth_event(event_id))
        await waiting.settle(event["id"])  # lapsed offers counted as they now stand
        return Template("booths/staff_dashboard.html", context={
            "event": event, "board": await dashboard.dashboard(event), "percent": dashboard.percent_text, "share": dashboard.share,
        })


ROUTES = [StaffFloorPlanController, StaffApplicationsController, StaffInboxController, StaffAllocationController,
          StaffFairDashboardController]
