"""Web pages of the matchmaking domain: sourcing interests, conference registration, matches,
meeting requests, a party's meetings and the staff placement of meetings."""

from __future__ import annotations


from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from events_app.core.bounds import RowId
from events_app.directory.profiles import CHANNELS, KINDS, MAX_MONTHLY_VOLUME, UNITS
from events_app.core.guards import distributors_only, participants_only, staff_only
from events_app.core.errors import DomainError, Forbidden, NotFound, ValidationError
from events_app.core.identity import CurrentUser
from events_app.core.panels import EventPanels
from events_app.events.pages import event_page
from events_app.events.services import get_event, get_event_by_id
from events_app.core.i18n import N_, gettext, ngettext
from events_app.matchmaking import attendance, interests, placement, planning, services, shortlist
from events_app.matchmaking.dependencies import PARTICIPANT
from events_app.matchmaking.panels import with_refusal
from events_app.matchmaking.parties import Participant
from events_app.matchmaking.scheduler import parse_slot_key
from events_app.core.pagination import page_number
from events_app.core.navigation import redirect_to, url_to
from events_app.core.requests import read_form, refusal, refusal_status


# Sourcing interests ---------------------------------------------------------------------------------

def _interest_input(form) -> interests.InterestInput:
    group = form.text("group_id")
    return interests.InterestInput(
        group_id=form.integer("group_id") if group else None,
        min_stars=form.integer("min_stars", required=True),
        place=form.text("place"),
        required_certifications=form.text("required_certifications", max_length=interests.TEXT_LIMIT),
        volume=form.text("volume", max_length=interests.TEXT_LIMIT),
        is_active=form.flag("is_active"),
        certification_kinds=tuple(form.choices("certification_kinds", KINDS)),
        channels=tuple(form.choices("channels", CHANNELS)),
        min_monthly_volume=form.integer("min_monthly_volume", minimum=1, maximum=MAX_MONTHLY_VOLUME),
        volume_unit=form.choice("volume_unit", UNITS, required=False) or "kg",
    )


async def _interest_errors(form, data: interests.InterestInput) -> dict[str, str]:
    """Every problem at once: what could not be read, and what the service refuses."""
    errors = dict(form.errors)
    try:
        await interests.validate(data)
    except ValidationError as exc:
        errors = {**exc.errors, **errors}
    return {name: str(error) for name, error in errors.items()}


async def _interest_page(values: dict, errors: dict, *, interest_id: int | None = None, status_code: int = 200) -> Template:
    for name in ("certification_kinds", "channels"):  # one ticked box is read back as a string
        ticked = values.get(name) or []
        values[name] = [ticked] if isinstance(ticked, str) else list(ticked)
    return Template(
        "matchmaking/interest_form.html",
        context={"values": values, "errors": errors, "interest_id": interest_id, **await interests.choices()},
        status_code=status_code,
    )


class InterestController(Controller):
    path = "/my/interests"
    guards = [distributors_only]
    dependencies = PARTICIPANT

    @get("/", name="my_interests")
    async def index(self, participant: NamedDependency[Participant]) -> Template:
        rows = await interests.list_interests(participant.org_id)
        return Template("matchmaking/interests.html", context={"interests": rows})

    @get("/new", name="interest_new")
    async def new(self) -> Template:
        return await _interest_page({"min_stars": 3, "is_active": "1"}, {})

    @post("/new", name="interest_create")
    async def create(self, request: Request, participant: NamedDependency[Participant]) -> Template | Redirect:
        form = await read_form(request)
        data = _interest_input(form)
        if errors := await _interest_errors(form, data):
            return await _interest_page(form.values(), errors, status_code=400)
        await interests.add_interest(participant.org_id, data)
        flash(request, gettext("Your sourcing interest is saved."), "success")
        return redirect_to(request, "my_interests")

    @get("/{interest_id:int}/edit", name="interest_edit")
    async def edit(self, interest_id: FromPath[RowId], participant: NamedDependency[Participant]) -> Template:
        row = await interests.get_interest(participant.org_id, interest_id)
        values = {
            "group_id": row["group"] or "",
            "min_stars": row["min_stars"],
            "place": row["place"],
            "required_certifications": row["required_certifications"],
            "volume": row["volume"],
            "is_active": "1" if row["is_active"] else "",
            "certification_kinds": row["kinds"],
            "channels": row["channel_list"],
            "min_monthly_volume": "" if row["min_monthly_volume"] is None else row["min_monthly_volume"],
            "volume_unit": row["volume_unit"],
        }
        return await _interest_page(values, {}, interest_id=interest_id)

    @post("/{interest_id:int}/edit", name="interest_update")
    async def update(
        self, request: Request, interest_id: FromPath[RowId], participant: NamedDependency[Participant]
    ) -> Template | Redirect:
        await interests.get_interest(participant.org_id, interest_id)
        form = await read_form(request)
        data = _interest_input(form)
        if errors := await _interest_errors(form, data):
            return await _interest_page(form.values(), errors, interest_id=interest_id, status_code=400)
        await interests.update_interest(participant.org_id, interest_id, data)
        flash(request, gettext("Your sourcing interest is saved."), "success")
        return redirect_to(request, "my_interests")

    @post("/{interest_id:int}/delete", name="interest_delete")
    async def delete(
        self, request: Request, interest_id: FromPath[RowId], participant: NamedDependency[Participant]
    ) -> Redirect:
        await interests.delete_interest(participant.org_id, interest_id)
        flash(request, gettext("The sourcing interest is deleted."), "success")
        return redirect_to(request, "my_interests")


# Attending a conference, matches and meeting requests ---------------------------------------------

class ConferenceController(Controller):
    path = "/events/{slug:str}"
    guards = [participants_only]
    dependencies = PARTICIPANT

    @post("/register", name="conference_register")
    async def register(
        self, request: Request, slug: FromPath[str], participant: NamedDependency[Participant],
        current_user: NamedDependency[CurrentUser], event_panels: NamedDependency[EventPanels],
    ) -> Template | Redirect:
        event = await get_event(slug)
        attendance.require_conference(event)  # other events have no registration form to show again
        if refused := await refusal(attendance.register(event, participant)):
            return await _event_refused(event, current_user, event_panels, refused)
        flash(request, gettext("You are registered for this conference. See who matches what you do."), "success")
        return redirect_to(request, "event", slug=slug)

    @post("/unregister", name="conference_unregister")
    async def unregister(
        self, request: Request, slug: FromPath[str], participant: NamedDependency[Participant],
        current_user: NamedDependency[CurrentUser], event_panels: NamedDependency[EventPanels],
    ) -> Template | Redirect:
        event = await get_event(slug)
        attendance.require_conference(event)
        try:
            cancelled = await attendance.unregister(event, participant)
        except DomainError as exc:
            return await _event_refused(event, current_user, event_panels, exc)
        message = gettext("You are no longer registered for this conference.")
        if cancelled:
            message += " " + ngettext(
                "%(num)d meeting request was cancelled.", "%(num)d meeting requests were cancelled.", cancelled
            ) % {"num": cancelled}
        flash(request, message, "success")
        return redirect_to(request, "event", slug=slug)

    @get("/matches", name="conference_matches")
    async def matches(self, slug: FromPath[str], participant: NamedDependency[Participant]) -> Template:
        return await _matches_page(await get_event(slug), participant)

    @post("/meeting-requests", name="meeting_request_create")
    async def request_meeting(
        self, request: Request, slug: FromPath[str], participant: NamedDependency[Participant]
    ) -> Template | Redirect:
        event = await get_event(slug)
        form = await read_form(request)
        other_id = form.integer("party", required=True)
        message = form.text("message", max_length=services.MESSAGE_LIMIT)
        days = form.choice("expires_in", [str(n) for n in services.EXPIRY_DAYS], required=False)
        back = form.local_path("next", url_to(request, "conference_matches", slug=slug))
        try:
            form.raise_if_errors()
            await services.request_meeting(event, participant, other_id, message, int(days) if days else None)
        except (NotFound, Forbidden):  # no such party, or no matches page for someone not attending
            raise
        except ValidationError as exc:
            return await _matches_page(event, participant, failed=other_id, values=form.values(),
                                       errors=exc.field_messages(), status_code=400)
        except DomainError as exc:
            return await _matches_page(event, participant, failed=other_id, values=form.values(), error=str(exc),
                                       status_code=refusal_status(exc))
        flash(request, gettext("Your meeting request is sent."), "success")
        return Redirect(back)


async def _event_refused(event: dict, user: CurrentUser, event_panels: EventPanels, refused: DomainError) -> Template:
    """The event's page again, its matchmaking panel telling why (un)registering was refused."""
    reasons = refused.messages() if isinstance(refused, attendance.NotAdmitted) else []
    panels = with_refusal(await event_panels.for_event(event, user), str(refused), reasons)
    return await event_page(event, panels, status_code=refusal_status(refused))


async def _matches_page(
    event: dict, participant: Participant, *, failed: int | None = None, values: dict | None = None,
    errors: dict | None = None, error: str | None = None, status_code: int = 200,
) -> Template:
    """An attendee's matches; after a refused meeting request, its form open again with the message typed."""
    attendance.require_conference(event)
    if not await attendance.is_attending(event["id"], participant):
        raise Forbidden(N_("Register for this conference to see your matches."))
    found = await services.matches_for(event, participant)
    if not any(row.id == failed and row.can_request for row in found.ranked + found.others):
        failed = None  # no form to show it at: the refusal goes at the top of the page
    return Template(
        "matchmaking/matches.html",
        context={"event": event, "participant": participant, "matches": found, "failed": failed,
                 "values": values or {}, "errors": errors or {}, "error": error},
        status_code=status_code,
    )



# A distributor's shortlist ------------------------------------------------------------------------

class ShortlistController(Controller):
    path = "/my/shortlist"
    guards = [distributors_only]
    dependencies = PARTICIPANT

    @get("/", name="my_shortlist")
    async def index(self, participant: NamedDependency[Participant]) -> Template:
        return await _shortlist_page(participant)

    @post("/add", name="shortlist_add")
    async def add(self, request: Request, participant: NamedDependency[Participant]) -> Template | Redirect:
        form = await read_form(request)
        product_id = form.integer("product_id", required=True, minimum=1)
        back = form.local_path("next", url_to(request, "my_shortlist"))
        if form.errors:
            return await _shortlist_page(participant, error=str(next(iter(form.errors.values()))), status_code=400)
        product = await shortlist.add(participant.org_id, product_id, actor_id=participant.user_id)
        flash(request, gettext("“%(name)s” is on your shortlist.") % {"name": product["name"]}, "success")
        return Redirect(back)

    @post("/remove", name="shortlist_remove")
    async def remove(self, request: Request, participant: NamedDependency[Participant]) -> Template | Redirect:
        form = await read_form(request)
        product_id = form.integer("product_id", required=True, minimum=1)
        back = form.local_path("next", url_to(request, "my_shortlist"))
        if form.errors:
            return await _shortlist_page(participant, error=str(next(iter(form.errors.values()))), status_code=400)
        product = await shortlist.remove(participant.org_id, product_id, actor_id=participant.user_id)
        flash(request, gettext("“%(name)s” is no longer on your shortlist.") % {"name": product["name"]}, "success")
        return Redirect(back)

    @post("/{product_id:int}/request", name="shortlist_request")
    async def request_meeting(
        self, request: Request, product_id: FromPath[RowId], participant: NamedDependency[Participant]
    ) -> Template | Redirect:
        """Ask the product's producer for a meeting at a conference both attend."""
        entry = await shortlist.entry(participant.org_id, product_id)
        form = await read_form(request)
        event_id = form.integer("event_id", required=True, minimum=1)
        message = form.text("message", max_length=services.MESSAGE_LIMIT)
        if event_id is not None and event_id not in {event["id"] for event in entry["conferences"]}:
            form.error("event_id", N_("Choose a conference you both attend."))
        try:
            form.raise_if_errors()
            event = await get_event_by_id(event_id)
            await services.request_meeting(event, participant, entry["producer_id"], message)
        except ValidationError as exc:
            return await _shortlist_page(participant, failed=product_id, values=form.values(),
                                         errors=exc.field_messages(), status_code=400)
        except (NotFound, Forbidden):
            raise
        except DomainError as exc:
            return await _shortlist_page(participant, failed=product_id, values=form.values(), error=str(exc),
                                         status_code=refusal_status(exc))
        flash(request, gettext("Your meeting request is sent."), "success")
        return redirect_to(request, "my_shortlist")


async def _shortlist_page(
    participant: Participant, *, failed: int | None = None, values: dict | None = None, errors: dict | None = None,
    error: str | None = None, status_code: int = 200,
) -> Template:
    rows = await shortlist.entries(participant.org_id)
    if not any(row["product_id"] == failed for row in rows):
        failed = None
    return Template(
        "matchmaking/shortlist.html",
        context={"entries": rows, "failed": failed, "values": values or {}, "errors": errors or {}, "error": error},
        status_code=status_code,
    )


# A party's meetings -------------------------------------------------------------------------------

class MeetingController(Controller):
    path = "/my/meetings"
    guards = [participants_only]
    dependencies = PARTICIPANT

    @get("/", name="my_meetings")
    async def index(self, participant: NamedDependency[Participant], page: FromQuery[str] = "") -> Template:
        return await _meetings_page(participant, page_number(page))

    @post("/{request_id:int}/accept", name="meeting_accept")
    async def accept(
        self, request: Request, request_id: FromPath[RowId], participant: NamedDependency[Participant]
    ) -> Template | Redirect:
        if refused := await refusal(services.respond(request_id, participant, accept=True)):
            return await _meetings_page(participant, 1, refused)
        flash(request, gettext("Meeting accepted. The organisers will give it a time and a table."), "success")
        return redirect_to(request, "my_meetings")

    @post("/{request_id:int}/decline", name="meeting_decline")
    async def decline(
        self, request: Request, request_id: FromPath[RowId], participant: NamedDependency[Participant]
    ) -> Template | Redirect:
        form = await read_form(request)
        reason = form.text("reason", max_length=services.REASON_LIMIT)
        try:
            form.raise_if_errors()
            await services.respond(request_id, participant, accept=False, reason=reason)
        except NotFound:
            raise
        except ValidationError as exc:
            return await _meetings_page(participant, 1, declining=request_id, values=form.values(),
                                        errors=exc.field_messages())
        except DomainError as exc:
            return await _meetings_page(participant, 1, exc)
        flash(request, gettext("Meeting declined."), "success")
        return redirect_to(request, "my_meetings")

    @post("/{request_id:int}/cancel", name="meeting_cancel")
    async def cancel(
        self, request: Request, request_id: FromPath[RowId], participant: NamedDependency[Participant]
    ) -> Template | Redirect:
        if refused := await refusal(services.cancel(request_id, participant)):
            return await _meetings_page(participant, 1, refused)
        flash(request, gettext("Meeting request cancelled."), "success")
        return redirect_to(request, "my_meetings")


async def _meetings_page(participant: Participant, page: int, refused: DomainError | None = None, *,
                         declining: int | None = None, values: dict | None = None,
                         errors: dict | None = None) -> Template:
    """A party's meetings; after a refused answer or cancellation, with why at the top, and after
    a decline without its reason, that form open again with what was typed."""
    data = await services.my_meetings(participant, page)
    status = refusal_status(refused) if refused else 400 if errors else 200
    return Template(
        "matchmaking/my_meetings.html",
        context={"participant": participant, "error": str(refused) if refused else None, "declining": declining,
                 "values": values or {}, "errors": errors or {}, "expiry_days": services.EXPIRY_DAYS, **data},
        status_code=status,
    )


# Staff: placing meetings ----------------------------------------------------------------------------

class StaffMeetingController(Controller):
    path = "/staff/events/{event_id:int}/meetings"
    guards = [staff_only]

    @get("/", name="staff_meetings")
    async def index(self, event_id: FromPath[RowId]) -> Template:
        return await _staff_meetings_page(await get_event_by_id(event_id))

    @post("/place", name="staff_meeting_place")
    async def place(
        self, request: Request, event_id: FromPath[RowId], current_user: NamedDependency[CurrentUser]
    ) -> Template | Redirect:
        event = await get_event_by_id(event_id)
        form = await read_form(request)
        request_id = form.integer("request_id", required=True)
        slot = parse_slot_key(form.text("slot"))
        if slot is None:
            form.error("slot", N_("Choose a time slot."))
        table = form.integer("table", minimum=1)
        try:
            form.raise_if_errors()
            await placement.place(event, request_id, slot[0], slot[1], table, actor_id=current_user.id)
        except NotFound:
            raise
        except ValidationError as exc:
            return await _staff_meetings_page(event, failed=request_id, values=form.values(),
                                              errors=exc.field_messages(), status_code=400)
        except DomainError as exc:
            return await _staff_meetings_page(event, failed=request_id, values=form.values(), error=str(exc),
                                              status_code=refusal_status(exc))
        flash(request, gettext("The meeting is placed."), "success")
        return redirect_to(request, "staff_meetings", event_id=event_id)

    @post("/place-all", name="staff_meeting_place_all")
    async def place_all(
        self, request: Request, event_id: FromPath[RowId], current_user: NamedDependency[CurrentUser]
    ) -> Template | Redirect:
        event = await get_event_by_id(event_id)
        try:
            placed, left = await placement.place_all(event, actor_id=current_user.id)
        except DomainError as exc:
            return await _staff_meetings_page(event, error=str(exc), status_code=refusal_status(exc))
        if left:  # what found no slot is told next to the button, with what was placed
            return await _staff_meetings_page(event, placed_now=placed, left=left, status_code=409)
        flash(request, ngettext("%(num)d meeting placed.", "%(num)d meetings placed.", placed) % {"num": placed},
              "success")
        return redirect_to(request, "staff_meetings", event_id=event_id)

    @post("/{meeting_id:int}/unplace", name="staff_meeting_unplace")
    async def unplace(
        self, request: Request, event_id: FromPath[RowId], meeting_id: FromPath[RowId],
        current_user: NamedDependency[CurrentUser],
    ) -> Redirect:
        event = await get_event_by_id(event_id)
        await placement.unplace(event, meeting_id, actor_id=current_user.id)
        flash(request, gettext("The meeting is taken out of its slot."), "success")
        return redirect_to(request, "staff_meetings", event_id=event_id)


async def _staff_meetings_page(
    event: dict, *, failed: int | None = None, values: dict | None = None, errors: dict | None = None,
    error: str | None = None, placed_now: int = 0, left: list[dict] | None = None, status_code: int = 200,
) -> Template:
    """The placement page; after a refused placement, the refusal at the request's form (or at the top
    when the request is no longer one to place), and after placing all, the meetings that found no slot."""
    overview = await placement.overview(event)
    if not overview["slots"] or not any(row["id"] == failed for row in overview["to_place"]):
        failed = None
    return Template(
        "matchmaking/staff_meetings.html",
        context={"event": event, **overview, "failed": failed, "values": values or {}, "errors": errors or {},
                 "error": error, "placed_now": placed_now, "left": left or []},
        status_code=status_code,
    )


# Staff: the conference's working schedule, published in one go -------------------------------------

class ScheduleController(Controller):
    path = "/staff/events/{event_id:int}/schedule"
    guards = [staff_only]

    @get("/", name="staff_schedule")
    async def index(self, event_id: FromPath[RowId]) -> Template:
        return await _schedule_page(await get_event_by_id(event_id))

    @post("/preview", name="staff_schedule_preview")
    async def preview(
        self, request: Request, event_id: FromPath[RowId], current_user: NamedDependency[CurrentUser]
    ) -> Template | Redirect:
        event = await get_event_by_id(event_id)
        if refused := await refusal(planning.preview(event, actor_id=current_user.id)):
            return await _schedule_page(event, error=str(refused), status_code=refusal_status(refused))
        flash(request, gettext("The scheduler has made a new draft. Nothing is published yet."), "success")
        return redirect_to(request, "staff_schedule", event_id=event_id)

    @post("/pin", name="staff_schedule_pin")
    async def pin(
        self, request: Request, event_id: FromPath[RowId], current_user: NamedDependency[CurrentUser]
    ) -> Template | Redirect:
        event = await get_event_by_id(event_id)
        form = await read_form(request)
        request_id = form.integer("request_id", required=True, minimum=1)
        table = form.integer("table", required=True, minimum=1, maximum=planning.MAX_TABLE)
        try:
            slot = parse_slot_key(form.text("slot"))
            if slot is None:
                form.error("slot", N_("Choose a time slot."))
            form.raise_if_errors()
            await planning.pin(event, request_id, slot[0], slot[1], table, actor_id=current_user.id)
        except NotFound:
            raise
        except ValidationError as exc:
            return await _schedule_page(event, failed=request_id, errors=exc.field_messages(), status_code=400)
        except DomainError as exc:
            return await _schedule_page(event, failed=request_id, error=str(exc), status_code=refusal_status(exc))
        flash(request, gettext("The meeting is pinned in the draft."), "success")
        return redirect_to(request, "staff_schedule", event_id=event_id)

    @post("/{request_id:int}/unpin", name="staff_schedule_unpin")
    async def unpin(
        self, request: Request, event_id: FromPath[RowId], request_id: FromPath[RowId],
        current_user: NamedDependency[CurrentUser],
    ) -> Redirect:
        await planning.unpin(await get_event_by_id(event_id), request_id, actor_id=current_user.id)
        flash(request, gettext("The scheduler may move this meeting again."), "success")
        return redirect_to(request, "staff_schedule", event_id=event_id)

    @post("/{request_id:int}/leave-out", name="staff_schedule_leave_out")
    async def leave_out(
        self, request: Request, event_id: FromPath[RowId], request_id: FromPath[RowId],
        current_user: NamedDependency[CurrentUser],
    ) -> Redirect:
        await planning.unpin(await get_event_by_id(event_id), request_id, leave_out=True, actor_id=current_user.id)
        flash(request, gettext("The meeting is taken out of the draft."), "success")
        return redirect_to(request, "staff_schedule", event_id=event_id)

    @post("/publish", name="staff_schedule_publish")
    async def publish(
        self, request: Request, event_id: FromPath[RowId], current_user: NamedDependency[CurrentUser]
    ) -> Template | Redirect:
        event = await get_event_by_id(event_id)
        try:
            counts = await planning.publish(event, actor_id=current_user.id)
        except DomainError as exc:
            return await _schedule_page(event, error=str(exc), status_code=refusal_status(exc))
        flash(request, gettext("The schedule is published: %(new)d new, %(moved)d moved, %(withdrawn)d withdrawn.")
              % counts, "success")
        return redirect_to(request, "staff_schedule", event_id=event_id)

    @post("/terms", name="staff_schedule_terms")
    async def terms(
        self, request: Request, event_id: FromPath[RowId], current_user: NamedDependency[CurrentUser]
    ) -> Template | Redirect:
        event = await get_event_by_id(event_id)
        form = await read_form(request)
        side = form.choice("side", ["producer", "distributor"])
        org_id = form.integer("party", required=True, minimum=1)
        values = dict(
            available_from=form.datetime("available_from"), available_until=form.datetime("available_until"),
            max_meetings=form.integer("max_meetings", minimum=0, maximum=planning.MAX_MEETINGS),
            fixed_table=form.integer("fixed_table", minimum=1, maximum=planning.MAX_TABLE),
        )
        try:
            form.raise_if_errors()
            await planning.save_terms(event, side, org_id, **values, actor_id=current_user.id)
        except ValidationError as exc:
            return await _schedule_page(event, terms_failed=(side, org_id), values=form.values(),
                                        errors=exc.field_messages(), status_code=400)
        except DomainError as exc:
            return await _schedule_page(event, terms_failed=(side, org_id), values=form.values(), error=str(exc),
                                        status_code=refusal_status(exc))
        flash(request, gettext("The participant's terms are saved."), "success")
        return redirect_to(request, "staff_schedule", event_id=event_id)


async def _schedule_page(
    event: dict, *, failed: int | None = None, terms_failed: tuple | None = None, values: dict | None = None,
    errors: dict | None = None, error: str | None = None, status_code: int = 200,
) -> Template:
    overview = await planning.overview(event)
    return Template(
        "matchmaking/staff_schedule.html",
        context={"event": event, **overview, "failed": failed, "terms_failed": terms_failed, "values": values or {},
                 "errors": errors or {}, "error": error},
        status_code=status_code,
    )


ROUTES = [InterestController, ShortlistController, ConferenceController, MeetingController, StaffMeetingController, ScheduleController]
