"""Web pages of the matchmaking domain: sourcing interests, conference registration, matches,
meeting requests, a party's meetings and the staff placement of meetings."""

from __future__ import annotations


from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from events_app.core.guards import distributors_only, participants_only, staff_only
from events_app.core.errors import DomainError, Forbidden, ValidationError
from events_app.events.services import get_event, get_event_by_id
from events_app.core.i18n import N_, gettext, ngettext
from events_app.matchmaking import attendance, interests, placement, services
from events_app.matchmaking.parties import Participant
from events_app.matchmaking.scheduler import parse_slot_key
from events_app.core.pagination import page_number
from events_app.core.navigation import safe_next
from events_app.core.requests import attempt, read_form


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
    return Template(
        "matchmaking/interest_form.html",
        context={"values": values, "errors": errors, "interest_id": interest_id, **await interests.choices()},
        status_code=status_code,
    )


class InterestController(Controller):
    path = "/my/interests"
    guards = [distributors_only]

    @get("/", name="my_interests")
    async def index(self, request: Request) -> Template:
        distributor_id = Participant.of(request.user).org_id
        return Template("matchmaking/interests.html", context={"interests": await interests.list_interests(distributor_id)})

    @get("/new", name="interest_new")
    async def new(self) -> Template:
        return await _interest_page({"min_stars": 3, "is_active": "1"}, {})

    @post("/new", name="interest_create")
    async def create(self, request: Request) -> Template | Redirect:
        distributor_id = Participant.of(request.user).org_id
        form = await read_form(request)
        data = _interest_input(form)
        if errors := await _interest_errors(form, data):
            return await _interest_page(form.values(), errors, status_code=400)
        await interests.add_interest(distributor_id, data)
        flash(request, gettext("Your sourcing interest is saved."), "success")
        return Redirect(request.app.route_reverse("my_interests"))

    @get("/{interest_id:int}/edit", name="interest_edit")
    async def edit(self, request: Request, interest_id: FromPath[int]) -> Template:
        row = await interests.get_interest(Participant.of(request.user).org_id, interest_id)
        values = {
            "group_id": row["group"] or "",
            "min_stars": row["min_stars"],
            "place": row["place"],
            "required_certifications": row["required_certifications"],
            "volume": row["volume"],
            "is_active": "1" if row["is_active"] else "",
        }
        return await _interest_page(values, {}, interest_id=interest_id)

    @post("/{interest_id:int}/edit", name="interest_update")
    async def update(self, request: Request, interest_id: FromPath[int]) -> Template | Redirect:
        distributor_id = Participant.of(request.user).org_id
        await interests.get_interest(distributor_id, interest_id)
        form = await read_form(request)
        data = _interest_input(form)
        if errors := await _interest_errors(form, data):
            return await _interest_page(form.values(), errors, interest_id=interest_id, status_code=400)
        await interests.update_interest(distributor_id, interest_id, data)
        flash(request, gettext("Your sourcing interest is saved."), "success")
        return Redirect(request.app.route_reverse("my_interests"))

    @post("/{interest_id:int}/delete", name="interest_delete")
    async def delete(self, request: Request, interest_id: FromPath[int]) -> Redirect:
        await interests.delete_interest(Participant.of(request.user).org_id, interest_id)
        flash(request, gettext("The sourcing interest is deleted."), "success")
        return Redirect(request.app.route_reverse("my_interests"))


# Attending a conference, matches and meeting requests ---------------------------------------------

class ConferenceController(Controller):
    path = "/events/{slug:str}"
    guards = [participants_only]

    @post("/register", name="conference_register")
    async def register(self, request: Request, slug: FromPath[str]) -> Redirect:
        event = await get_event(slug)
        try:
            await attendance.register(event, Participant.of(request.user))
        except attendance.NotAdmitted as exc:
            flash(request, str(exc), "error")
            for message in exc.messages():
                flash(request, message, "error")
        except DomainError as exc:
            flash(request, str(exc), "error")
        else:
            flash(request, gettext("You are registered for this conference. See who matches what you do."), "success")
        return Redirect(request.app.route_reverse("event", slug=slug))

    @post("/unregister", name="conference_unregister")
    async def unregister(self, request: Request, slug: FromPath[str]) -> Redirect:
        event = await get_event(slug)
        try:
            cancelled = await attendance.unregister(event, Participant.of(request.user))
        except DomainError as exc:
            flash(request, str(exc), "error")
        else:
            message = gettext("You are no longer registered for this conference.")
            if cancelled:
                message += " " + ngettext(
                    "%(num)d meeting request was cancelled.", "%(num)d meeting requests were cancelled.", cancelled
                ) % {"num": cancelled}
            flash(request, message, "success")
        return Redirect(request.app.route_reverse("event", slug=slug))

    @get("/matches", name="conference_matches")
    async def matches(self, request: Request, slug: FromPath[str]) -> Template:
        event = await get_event(slug)
        participant = Participant.of(request.user)
        attendance.require_conference(event)
        if not await attendance.is_attending(event["id"], participant):
            raise Forbidden(N_("Register for this conference to see your matches."))
        found = await services.matches_for(event, participant)
        return Template(
            "matchmaking/matches.html",
            context={"event": event, "participant": participant, "matches": found},
        )

    @post("/meeting-requests", name="meeting_request_create")
    async def request_meeting(self, request: Request, slug: FromPath[str]) -> Redirect:
        event = await get_event(slug)
        form = await read_form(request)
        other_id = form.integer("party", required=True)
        message = form.text("message", max_length=services.MESSAGE_LIMIT)
        back = safe_next(form.text("next"), request.app.route_reverse("conference_matches", slug=slug))
        try:
            form.raise_if_errors()
            await services.request_meeting(event, Participant.of(request.user), other_id, message)
        except ValidationError as exc:
            for text in exc.field_messages().values():
                flash(request, text, "error")
        except DomainError as exc:
            flash(request, str(exc), "error")
        else:
            flash(request, gettext("Your meeting request is sent."), "success")
        return Redirect(back)



# A party's meetings -------------------------------------------------------------------------------

class MeetingController(Controller):
    path = "/my/meetings"
    guards = [participants_only]

    @get("/", name="my_meetings")
    async def index(self, request: Request, page: FromQuery[str] = "") -> Template:
        participant = Participant.of(request.user)
        data = await services.my_meetings(participant, page_number(page))
        return Template("matchmaking/my_meetings.html", context={"participant": participant, **data})

    @post("/{request_id:int}/accept", name="meeting_accept")
    async def accept(self, request: Request, request_id: FromPath[int]) -> Redirect:
        await attempt(
            request, services.respond(request_id, Participant.of(request.user), accept=True),
            N_("Meeting accepted. The organisers will give it a time and a table."),
        )
        return Redirect(request.app.route_reverse("my_meetings"))

    @post("/{request_id:int}/decline", name="meeting_decline")
    async def decline(self, request: Request, request_id: FromPath[int]) -> Redirect:
        await attempt(request, services.respond(request_id, Participant.of(request.user), accept=False),
                      N_("Meeting declined."))
        return Redirect(request.app.route_reverse("my_meetings"))

    @post("/{request_id:int}/cancel", name="meeting_cancel")
    async def cancel(self, request: Request, request_id: FromPath[int]) -> Redirect:
        await attempt(request, services.cancel(request_id, Participant.of(request.user)), N_("Meeting request cancelled."))
        return Redirect(request.app.route_reverse("my_meetings"))


# Staff: placing meetings ----------------------------------------------------------------------------

class StaffMeetingController(Controller):
    path = "/staff/events/{event_id:int}/meetings"
    guards = [staff_only]

    @get("/", name="staff_meetings")
    async def index(self, event_id: FromPath[int]) -> Template:
        event = await get_event_by_id(event_id)
        return Template("matchmaking/staff_meetings.html", context={"event": event, **await placement.overview(event)})

    @post("/place", name="staff_meeting_place")
    async def place(self, request: Request, event_id: FromPath[int]) -> Redirect:
        event = await get_event_by_id(event_id)
        form = await read_form(request)
        request_id = form.integer("request_id", required=True)
        slot = parse_slot_key(form.text("slot"))
        if slot is None:
            form.error("slot", N_("Choose a time slot."))
        table = form.integer("table", minimum=1)
        try:
            form.raise_if_errors()
            await placement.place(event, request_id, slot[0], slot[1], table, actor_id=request.user.id)
        except ValidationError as exc:
            for text in exc.field_messages().values():
                flash(request, text, "error")
        except DomainError as exc:
            flash(request, str(exc), "error")
        else:
            flash(request, gettext("The meeting is placed."), "success")
        return Redirect(request.app.route_reverse("staff_meetings", event_id=event_id))

    @post("/place-all", name="staff_meeting_place_all")
    async def place_all(self, request: Request, event_id: FromPath[int]) -> Redirect:
        event = await get_event_by_id(event_id)
        try:
            placed, left = await placement.place_all(event, actor_id=request.user.id)
        except DomainError as exc:
            flash(request, str(exc), "error")
        else:
            flash(request, ngettext("%(num)d meeting placed.", "%(num)d meetings placed.", placed) % {"num": placed},
                  "success")
            for row in left:
                flash(request, gettext("No free slot for %(producer)s and %(distributor)s.") % {
                    "producer": row["producer_name"], "distributor": row["distributor_name"]}, "error")
        return Redirect(request.app.route_reverse("staff_meetings", event_id=event_id))

    @post("/{meeting_id:int}/unplace", name="staff_meeting_unplace")
    async def unplace(self, request: Request, event_id: FromPath[int], meeting_id: FromPath[int]) -> Redirect:
        event = await get_event_by_id(event_id)
        await placement.unplace(event, meeting_id, actor_id=request.user.id)
        flash(request, gettext("The meeting is taken out of its slot."), "success")
        return Redirect(request.app.route_reverse("staff_meetings", event_id=event_id))


ROUTES = [InterestController, ConferenceController, MeetingController, StaffMeetingController]
