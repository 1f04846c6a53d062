"""Staff pages for planning: venues and halls, events, their agenda and opening hours."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from events_app.core.bounds import RowId
from events_app.core.guards import staff_only
from events_app.directory.tables import ProducerType
from events_app.core.errors import DomainError, ValidationError
from events_app.events import planning, programme, services, venues
from events_app.events.tables import EventKind, SessionKind
from events_app.core.i18n import gettext
from events_app.core.identity import CurrentUser
from events_app.core.navigation import redirect_to
from events_app.reference.services import PRODUCT_GROUPS, list_groups, list_provinces, list_regions
from events_app.core.forms import FormReader
from events_app.core.requests import read_form


async def _choices() -> dict:
    return {
        "provinces": await list_provinces(),
        "regions": await list_regions(),
        "groups": await list_groups(),
        "venues": await venues.list_venues(),
    }


# Venues -----------------------------------------------------------------------------------------

def _venue_input(form: FormReader) -> venues.VenueInput:
    return venues.VenueInput(
        name=form.text("name", required=True, max_length=200),
        province_id=form.integer("province_id", required=True),
        address=form.text("address", max_length=300),
        description=form.text("description", max_length=5000),
    )


class VenueStaffController(Controller):
    path = "/staff/venues"
    guards = [staff_only]

    @get("/", name="staff_venues")
    async def venues(self) -> Template:
        return Template("events/staff_venues.html", context={"venues": await venues.list_venues()})

    @get("/new", name="staff_venue_new")
    async def new_venue(self) -> Template:
        return await _venue_page(None, {}, {})

    @post("/new", name="staff_venue_create")
    async def create_venue(self, request: Request, current_user: NamedDependency[CurrentUser]) -> Template | Redirect:
        form = await read_form(request)
        data = _venue_input(form)
        try:
            form.raise_if_errors()
            venue_id = await venues.save_venue(None, data, actor_id=current_user.id)
        except ValidationError as exc:
            return await _venue_page(None, form.values(), exc.field_messages(), status_code=400)
        flash(request, gettext("The venue is saved. Add its halls below."), "success")
        return redirect_to(request, "staff_venue", venue_id=venue_id)

    @get("/{venue_id:int}", name="staff_venue")
    async def venue(self, venue_id: FromPath[RowId]) -> Template:
        venue = await venues.get_venue(venue_id)
        return await _venue_page(venue, _venue_values(venue), {})

    @post("/{venue_id:int}", name="staff_venue_update")
    async def update_venue(
        self, request: Request, venue_id: FromPath[RowId], current_user: NamedDependency[CurrentUser]
    ) -> Template | Redirect:
        venue = await venues.get_venue(venue_id)
        form = await read_form(request)
        data = _venue_input(form)
        try:
            form.raise_if_errors()
            await venues.save_venue(venue_id, data, actor_id=current_user.id)
        except ValidationError as exc:
            return await _venue_page(venue, form.values(), exc.field_messages(), status_code=400)
        flash(request, gettext("The venue is saved."), "success")
        return redirect_to(request, "staff_venue", venue_id=venue_id)

    @post("/{venue_id:int}/halls", name="staff_hall_create")
    async def add_hall(
        self, request: Request, venue_id: FromPath[RowId], current_user: NamedDependency[CurrentUser]
    ) -> Template | Redirect:
        return await _save_hall(request, venue_id, None, current_user.id)

    @post("/{venue_id:int}/halls/{hall_id:int}", name="staff_hall_update")
    async def update_hall(
        self, request: Request, venue_id: FromPath[RowId], hall_id: FromPath[RowId], current_user: NamedDependency[CurrentUser]
    ) -> Template | Redirect:
        return await _save_hall(request, venue_id, hall_id, current_user.id)

    @post("/{venue_id:int}/halls/{hall_id:int}/delete", name="staff_hall_delete")
    async def delete_hall(
        self, request: Request, venue_id: FromPath[RowId], hall_id: FromPath[RowId], current_user: NamedDependency[CurrentUser]
    ) -> Template | Redirect:
        try:
            await venues.delete_hall(venue_id, hall_id, actor_id=current_user.id)
        except DomainError as exc:
            if exc.status_code == 404:
                raise
            venue = await venues.get_venue(venue_id)  # the reason is shown next to the hall's delete button
            return await _venue_page(venue, _venue_values(venue), {}, hall_errors={"delete": str(exc)}, hall_id=hall_id,
                                     status_code=exc.status_code)
        flash(request, gettext("The hall is deleted."), "success")
        return redirect_to(request, "staff_venue", venue_id=venue_id)


async def _save_hall(request: Request, venue_id: int, hall_id: int | None, actor_id: int) -> Template | Redirect:
    form = await read_form(request)
    name = form.text("hall_name", required=True, max_length=120)
    width, depth = form.integer("width", required=True), form.integer("depth", required=True)
    try:
        form.raise_if_errors()
        await venues.save_hall(venue_id, hall_id, name, width, depth, actor_id=actor_id)
    except ValidationError as exc:
        venue = await venues.get_venue(venue_id)
        return await _venue_page(venue, _venue_values(venue), {}, hall_values=form.values(),
                                 hall_errors=exc.field_messages(), hall_id=hall_id, status_code=400)
    flash(request, gettext("The hall is saved."), "success")
    return redirect_to(request, "staff_venue", venue_id=venue_id)


def _venue_values(venue: dict) -> dict:
    """A venue as the values of its form."""
    return {"name": venue["name"], "province_id": venue["province"], "address": venue["address"],
            "description": venue["description"]}


async def _venue_page(venue, values, errors, *, hall_values=None, hall_errors=None, hall_id=None, status_code=200):
    return Template(
        "events/staff_venue.html",
        context={
            "venue": venue,
            "values": values,
            "errors": errors,
            "hall_values": hall_values or {},
            "hall_errors": hall_errors or {},
            "hall_id": hall_id,
            "province_options": [(p["id"], p["name"]) for p in await list_provinces()],
        },
        status_code=status_code,
    )


# Events -------------------------------------------------------------------------------------------

def _event_input(form: FormReader) -> planning.EventInput:
    return planning.EventInput(
        title_vi=form.text("title_vi", required=True),
        title_en=form.text("title_en"),
        kind=form.choice("kind", [k.value for k in EventKind]),
        venue_id=form.integer("venue_id", required=True),
        province_id=form.integer("province_id"),
        region_id=form.integer("region_id"),
        starts_at=form.datetime("starts_at", required=True),
        ends_at=form.datetime("ends_at", required=True),
        organiser=form.text("organiser"),
        description=form.text("description", max_length=10000),
        application_opens_at=form.datetime("application_opens_at"),
        application_closes_at=form.datetime("application_closes_at"),
        min_stars=form.integer("min_stars", minimum=3, maximum=5),
        group_codes=form.choices("groups", _GROUP_CODES),
        province_ids=form.ids("provinces"),
        region_ids=form.ids("regions"),
        producer_types=form.choices("producer_types", [t.value for t in ProducerType]),
    )


_GROUP_CODES = [code for code, _, _ in PRODUCT_GROUPS]


def event_values(event: dict) -> dict:
    """An event as the values of its form."""
    from events_app.core.templating import datetime_input

    rules = services.rules_for(event)
    return {
        "title_vi": event["title_vi"], "title_en": event["title_en"], "kind": event["kind"],
        "venue_id": event["venue"], "province_id": event["province"], "region_id": event["region"],
        "starts_at": datetime_input(event["starts_at"]), "ends_at": datetime_input(event["ends_at"]),
        "organiser": event["organiser"], "description": event["description"],
        "application_opens_at": datetime_input(event["application_opens_at"]),
        "application_closes_at": datetime_input(event["application_closes_at"]),
        "min_stars": event["min_stars"] or "",
        "groups": [str(g) for g in rules.group_ids],
        "provinces": [str(p) for p in rules.province_ids],
        "regions": [str(r) for r in rules.region_ids],
        "producer_types": list(rules.producer_types),
    }


class EventStaffController(Controller):
    path = "/staff/events"
    guards = [staff_only]

    @get("/", name="staff_events")
    async def events(self, status: FromQuery[str] = "", kind: FromQuery[str] = "") -> Template:
        return Template(
            "events/staff_events.html",
            context={"events": await planning.list_all_events(status, kind), "status": status, "kind": kind},
        )

    @get("/new", name="staff_event_new")
    async def new_event(self, kind: FromQuery[str] = "fair") -> Template:
        return await _event_page(None, {"kind": kind, "min_stars": 3}, {})

    @post("/new", name="staff_event_create")
    async def create_event(self, request: Request, current_user: NamedDependency[CurrentUser]) -> Template | Redirect:
        form = await read_form(request)
        data = _event_input(form)
        try:
            form.raise_if_errors()
            created = await planning.create_event(data, actor_id=current_user.id)
        except ValidationError as exc:
            return await _event_page(None, _group_ids_as_codes(form.values()), exc.field_messages(), status_code=400)
        except DomainError as exc:
            return await _event_page(None, _group_ids_as_codes(form.values()), {"form": str(exc)},
                                     status_code=exc.status_code)
        flash(request, gettext("The event is saved as a draft. Add its programme or floor plan, then publish it."), "success")
        return redirect_to(request, "staff_event", event_id=created["id"])

    @get("/{event_id:int}", name="staff_event")
    async def event(self, event_id: FromPath[RowId]) -> Template:
        event = await services.get_event_by_id(event_id)
        return await _event_page(event, event_values(event), {})

    @post("/{event_id:int}", name="staff_event_update")
    async def update_event(
        self, request: Request, event_id: FromPath[RowId], current_user: NamedDependency[CurrentUser]
    ) -> Template | Redirect:
        event = await services.get_event_by_id(event_id)
        form = await read_form(request)
        data = _event_input(form)
        try:
            form.raise_if_errors()
            await planning.update_event(event_id, data, actor_id=current_user.id)
        except ValidationError as exc:
            return await _event_page(event, _group_ids_as_codes(form.values()), exc.field_messages(), status_code=400)
        flash(request, gettext("The event is saved."), "success")
        return redirect_to(request, "staff_event", event_id=event_id)

    @post("/{event_id:int}/status", name="staff_event_status")
    async def change_status(
        self, request: Request, event_id: FromPath[RowId], current_user: NamedDependency[CurrentUser]
    ) -> Template | Redirect:
        form = await read_form(request)
        try:
            message = await planning.change_status(event_id, form.text("action"), actor_id=current_user.id)
        except DomainError as exc:
            if exc.status_code == 404:
                raise
            event = await services.get_event_by_id(event_id)  # the reason is shown by the status buttons
            return await _event_page(event, event_values(event), {}, status_error=str(exc), status_code=exc.status_code)
        flash(request, gettext(message), "success")
        return redirect_to(request, "staff_event", event_id=event_id)

    # Agenda ---------------------------------------------------------------------------------

    @get("/{event_id:int}/sessions", name="staff_sessions")
    async def sessions(self, event_id: FromPath[RowId], edit: FromQuery[str] = "") -> Template:
        event = await services.get_event_by_id(event_id)
        sessions = await services.sessions_of(event_id)
        editing = next((s for s in sessions if str(s["id"]) == edit), None)
        return _sessions_page(event, sessions, _session_values(editing) if editing else {}, {},
                              editing["id"] if editing else None)

    @post("/{event_id:int}/sessions", name="staff_session_create")
    async def add_session(
        self, request: Request, event_id: FromPath[RowId], current_user: NamedDependency[CurrentUser]
    ) -> Template | Redirect:
        return await _save_session(request, event_id, None, actor_id=current_user.id)

    @post("/{event_id:int}/sessions/{session_id:int}", name="staff_session_update")
    async def update_session(
        self, request: Request, event_id: FromPath[RowId], session_id: FromPath[RowId],
        current_user: NamedDependency[CurrentUser],
    ) -> Template | Redirect:
        return await _save_session(request, event_id, session_id, actor_id=current_user.id)

    @post("/{event_id:int}/sessions/{session_id:int}/delete", name="staff_session_delete")
    async def delete_session(
        self, request: Request, event_id: FromPath[RowId], session_id: FromPath[RowId],
        current_user: NamedDependency[CurrentUser],
    ) -> Redirect:
        await programme.delete_session(event_id, session_id, actor_id=current_user.id)
        flash(request, gettext("The session is deleted."), "success")
        return redirect_to(request, "staff_sessions", event_id=event_id)

    # Opening hours ------------------------------------------------------------------------

    @get("/{event_id:int}/opening-hours", name="staff_opening_hours")
    async def opening_hours(self, event_id: FromPath[RowId]) -> Template:
        event = await services.get_event_by_id(event_id)
        values = {}
        for row in await services.opening_hours_of(event_id):
            values[f"open_{row['weekday']}"] = "on"
            values[f"opens_{row['weekday']}"] = row["opens_at"].strftime("%H:%M")
            values[f"closes_{row['weekday']}"] = row["closes_at"].strftime("%H:%M")
        return Template("events/staff_opening_hours.html", context={"event": event, "values": values, "errors": {}})

    @post("/{event_id:int}/opening-hours", name="staff_opening_hours_save")
    async def save_opening_hours(
        self, request: Request, event_id: FromPath[RowId], current_user: NamedDependency[CurrentUser]
    ) -> Template | Redirect:
        event = await services.get_event_by_id(event_id)
        form = await read_form(request)
        hours = {}
        for day in range(7):
            if form.flag(f"open_{day}"):
                opens = form.time(f"opens_{day}", required=True)
                closes = form.time(f"closes_{day}", required=True)
                hours[day] = (opens, closes) if opens and closes else None
            else:
                hours[day] = None
        try:
            form.raise_if_errors()
            await programme.set_opening_hours(event_id, hours, actor_id=current_user.id)
        except ValidationError as exc:
            return Template("events/staff_opening_hours.html",
                            context={"event": event, "values": form.values(), "errors": exc.field_messages()},
                            status_code=400)
        flash(request, gettext("The opening hours are saved."), "success")
        return redirect_to(request, "staff_opening_hours", event_id=event_id)


def _group_ids_as_codes(values: dict) -> dict:
    """Checkbox values come back as lists; a single ticked box as a string."""
    for key in ("groups", "provinces", "regions", "producer_types"):
        value = values.get(key, [])
        values[key] = value if isinstance(value, list) else [value]
    return values


async def _event_page(event, values, errors, *, status_error: str | None = None, status_code=200) -> Template:
    for key in ("groups", "provinces", "regions", "producer_types"):
        values.setdefault(key, [])
    if event is not None:  # the form keeps group ids; the checkboxes use codes
        groups = {str(g["id"]): g["code"] for g in await list_groups()}
        values["groups"] = [groups.get(g, g) for g in values["groups"]]
    return Template(
        "events/staff_event.html",
        context={"event": event, "values": values, "errors": errors, "status_error": status_error, **await _choices(),
                 "sessions": await services.sessions_of(event["id"]) if event else []},
        status_code=status_code,
    )


# Sessions -----------------------------------------------------------------------------------------

def _session_values(session: dict) -> dict:
    from events_app.core.templating import datetime_input

    return {
        "title": session["title"], "kind": session["kind"], "room": session["room"],
        "starts_at": datetime_input(session["starts_at"]), "ends_at": datetime_input(session["ends_at"]),
        "tables_count": session["tables_count"] or "", "slot_minutes": session["slot_minutes"] or "",
    }


def _sessions_page(event, sessions, values, errors, editing_id=None, status_code=200) -> Template:
    return Template(
        "events/staff_sessions.html",
        context={"event": event, "sessions": sessions, "values": values, "errors": errors, "editing_id": editing_id},
        status_code=status_code,
    )


async def _save_session(request: Request, event_id: int, session_id: int | None, *, actor_id: int) -> Template | Redirect:
    event = await services.get_event_by_id(event_id)
    form = await read_form(request)
    data = programme.SessionInput(
        title=form.text("title", required=True),
        kind=form.choice("kind", [k.value for k in SessionKind]),
        starts_at=form.datetime("starts_at", required=True),
        ends_at=form.datetime("ends_at", required=True),
        room=form.text("room", max_length=120),
        tables_count=form.integer("tables_count", minimum=0),
        slot_minutes=form.integer("slot_minutes", minimum=0),
    )
    try:
        form.raise_if_errors()
        await programme.save_session(event_id, session_id, data, actor_id=actor_id)
    except ValidationError as exc:
        sessions = await services.sessions_of(event_id)
        return _sessions_page(event, sessions, form.values(), exc.field_messages(), session_id, status_code=400)
    except DomainError as exc:
        sessions = await services.sessions_of(event_id)
        return _sessions_page(event, sessions, form.values(), {"room": str(exc)}, session_id, status_code=exc.status_code)
    flash(request, gettext("The session is saved."), "success")
    return redirect_to(request, "staff_sessions", event_id=event_id)


ROUTES = [VenueStaffController, EventStaffController]
