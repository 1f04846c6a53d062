"""Web pages of the mou domain: a party's MoUs and proposals, and the staff's signing ceremony."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from events_app.core.bounds import RowId
from events_app.core.guards import participants_only, staff_only
from events_app.core.errors import DomainError, ValidationError
from events_app.core.identity import CurrentUser
from events_app.events.services import get_event, get_event_by_id
from events_app.core.i18n import N_, gettext, ngettext
from events_app.matchmaking.dependencies import PARTICIPANT
from events_app.matchmaking.parties import Participant
from events_app.matchmaking.scheduler import parse_slot_key
from events_app.mou import agenda, arrangements, ceremony, follow_up, parties, proposals, results, rules
from events_app.core.pagination import page_number
from events_app.core.forms import FormReader, parse_id
from events_app.core.navigation import redirect_to
from events_app.core.requests import read_form, refusal, refusal_status
from events_app.core.settings import Settings


async def _event_or_none(slug: str) -> dict | None:
    return await get_event(slug) if slug.strip() else None


async def _form_page(participant: Participant, party_id: int | None, event: dict | None, values: dict, errors: dict,
                     status_code: int = 200) -> Template:
    return Template(
        "mou/form.html",
        context={
            "participant": participant,
            "event": event,
            "values": values,
            "errors": errors,
            **await proposals.proposal_form(participant, party_id, event),
        },
        status_code=status_code,
    )


def _terms(form: FormReader) -> dict:
    """The fields of `proposals.Terms`, read and bounded, for a proposal and for staff's arrangement alike."""
    return {
        "product_ids": form.ids("product_ids"),
        "title": form.text("title", max_length=proposals.TITLE_LIMIT),
        "value_vnd": form.amount("value_vnd"),
        "volume": form.text("volume", max_length=proposals.VOLUME_LIMIT),
        "terms": form.text("terms", max_length=proposals.TERMS_LIMIT),
        "due_on": form.date("due_on"),
    }


def _proposal(form: FormReader) -> proposals.Proposal:
    return proposals.Proposal(counterpart_id=form.integer("party"), **_terms(form))


class MouController(Controller):
    path = "/my/mous"
    guards = [participants_only]
    dependencies = PARTICIPANT

    @get("/", name="my_mous")
    async def index(self, participant: NamedDependency[Participant], page: FromQuery[str] = "") -> Template:
        listing = await proposals.list_for(participant, page_number(page))
        return Template("mou/my_mous.html", context={"participant": participant, "page": listing})

    @get("/new", name="mou_new")
    async def new(
        self, participant: NamedDependency[Participant], party: FromQuery[str] = "", event: FromQuery[str] = ""
    ) -> Template:
        party_id = parse_id(party)
        values = {"party": party_id or "", "event": event}
        return await _form_page(participant, party_id, await _event_or_none(event), values, {})

    @post("/new", name="mou_create")
    async def create(self, request: Request, participant: NamedDependency[Participant]) -> Template | Redirect:
        form = await read_form(request)
        event = await _event_or_none(form.text("event"))
        proposal = _proposal(form)
        values = form.values()
        values["product_ids"] = [str(i) for i in proposal.product_ids]
        errors = {**await proposals.proposal_errors(participant, proposal, event), **form.errors}
        if errors:
            messages = {name: str(error) for name, error in errors.items()}
            return await _form_page(participant, proposal.counterpart_id, event, values, messages, status_code=400)
        mou_id = await proposals.propose(participant, proposal, event)
        flash(request, gettext("Your MoU proposal is sent. It counts once the other party agrees."), "success")
        return redirect_to(request, "mou_detail", mou_id=mou_id)

    @get("/{mou_id:int}", name="mou_detail")
    async def detail(self, mou_id: FromPath[RowId], participant: NamedDependency[Participant]) -> Template:
        return await _detail_page(participant, mou_id)

    @post("/{mou_id:int}/agree", name="mou_agree")
    async def agree(
        self, request: Request, mou_id: FromPath[RowId], participant: NamedDependency[Participant]
    ) -> Template | Redirect:
        if refused := await refusal(proposals.agree(mou_id, participant)):
            return await _detail_page(participant, mou_id, refused)
        flash(request, gettext("You agreed to the MoU. Staff will give it a time in the signing ceremony."), "success")
        return redirect_to(request, "mou_detail", mou_id=mou_id)

    @post("/{mou_id:int}/withdraw", name="mou_withdraw")
    async def withdraw(
        self, request: Request, mou_id: FromPath[RowId], participant: NamedDependency[Participant]
    ) -> Template | Redirect:
        if refused := await refusal(proposals.withdraw(mou_id, participant)):
            return await _detail_page(participant, mou_id, refused)
        flash(request, gettext("The MoU is withdrawn."), "success")
        return redirect_to(request, "mou_detail", mou_id=mou_id)

    @post("/{mou_id:int}/decline", name="mou_decline")
    async def decline(
        self, request: Request, mou_id: FromPath[RowId], participant: NamedDependency[Participant]
    ) -> Template | Redirect:
        form = await read_form(request)
        reason = form.text("reason", max_length=rules.DECLINE_REASON_LIMIT)
        refused = form.errors.get("reason") or await refusal(proposals.decline(mou_id, participant, reason))
        if refused:
            return await _detail_page(participant, mou_id, _why(refused), values={"reason": reason},
                                      status_code=refusal_status(refused))
        flash(request, gettext("You declined the MoU; the other party sees your reason."), "success")
        return redirect_to(request, "mou_detail", mou_id=mou_id)

    @post("/{mou_id:int}/notes", name="mou_note")
    async def note(
        self, request: Request, mou_id: FromPath[RowId], participant: NamedDependency[Participant],
        current_user: NamedDependency[CurrentUser],
    ) -> Template | Redirect:
        author = follow_up.Author(current_user.id, await proposals.party_name(participant), participant=participant)

        async def again(refused: str, values: dict, status: int) -> Template:
            return await _detail_page(participant, mou_id, refused, values=values, status_code=status)

        return await _follow_up(request, author, mou_id, again, "mou_detail", mou_id=mou_id)


def _why(refused: DomainError) -> str:
    """What to tell next to the form: the field's message of a refused input, or the refusal."""
    if isinstance(refused, ValidationError) and refused.errors:
        return str(next(iter(refused.errors.values())))
    return str(refused)


async def _follow_up(request: Request, author: follow_up.Author, target: int, again, back: str,
                     **back_params) -> Template | Redirect:
    """A progress note, or the MoU marked fulfilled with an optional note ("fulfilled" ticked)."""
    form = await read_form(request)
    body = form.text("body", max_length=rules.NOTE_LIMIT)
    fulfil = form.flag("fulfilled")
    refused = next(iter(form.errors.values()), None)
    if refused is None:
        refused = await refusal(follow_up.fulfil(target, author, body) if fulfil else follow_up.add_note(target, author, body))
    if refused is not None:
        return await again(_why(refused), {"body": body}, refusal_status(refused))
    flash(request, gettext("The MoU is marked fulfilled.") if fulfil else gettext("Your note is added."), "success")
    return redirect_to(request, back, **back_params)


async def _detail_page(participant: Participant, mou_id: int, refused: DomainError | str | None = None, *,
                       values: dict | None = None, status_code: int | None = None) -> Template:
    """An MoU; after a refused answer, withdrawal or note, with why next to its buttons."""
    mou = await proposals.get_for(participant, mou_id)
    return Template(
        "mou/detail.html",
        context={"mou": mou, "error": str(refused) if refused else None, "values": values or {}, "staff_view": False},
        status_code=status_code or (refusal_status(refused) if isinstance(refused, DomainError) else 200),
    )


def _arrangement(form: FormReader) -> tuple[arrangements.Arrangement, int]:
    """The staff's MoU form: its party rows (how many it showed, bounded) and terms."""
    shown = parse_id(form.text("rows", max_length=2)) or parties.MIN_PARTIES
    shown = min(max(shown, parties.MIN_PARTIES), parties.MAX_PARTIES)
    rows: list[parties.PartyRef | None] = []
    for index in range(shown):
        raw = form.text(f"party_{index}", max_length=40)
        representative = form.text(f"representative_{index}", max_length=parties.NAME_LIMIT)
        title = form.text(f"title_{index}", max_length=parties.NAME_LIMIT)
        chosen = parties.parse_party_key(raw) if raw else None
        if raw and chosen is None:
            form.error(f"party_{index}", N_("Choose one of the options."))
        rows.append(parties.PartyRef(chosen[0], chosen[1], representative, title) if chosen else None)
    new_agency = None
    if name := form.text("new_agency_name", max_length=parties.NAME_LIMIT):
        new_agency = arrangements.NewAgency(
            name=name, kind=form.text("new_agency_kind", max_length=40),
            province_id=parse_id(form.text("new_agency_province", max_length=12)),
            representative=form.text("new_agency_representative", max_length=parties.NAME_LIMIT),
            title=form.text("new_agency_title", max_length=parties.NAME_LIMIT),
        )
    arrangement = arrangements.Arrangement(parties=rows, new_agency=new_agency, **_terms(form))
    return arrangement, shown


async def _arrangement_page(event: dict, values: dict, errors: dict, rows: int, *, mou_id: int | None = None,
                            status_code: int = 200) -> Template:
    producer_ids = []
    for index in range(rows):
        chosen = parties.parse_party_key(str(values.get(f"party_{index}", "")))
        if chosen and chosen[0] == "producer":
            producer_ids.append(chosen[1])
    return Template("mou/staff_mou_form.html", context={
        "event": event, "values": values, "errors": {name: str(error) for name, error in errors.items()},
        "rows": rows, "max_rows": parties.MAX_PARTIES, "mou_id": mou_id,
        "choices": await arrangements.party_choices(event),
        "products": await arrangements.product_choices(producer_ids),
        "provinces": await arrangements.province_choices(),
    }, status_code=status_code)


async def _save_arrangement(request: Request, event: dict, actor_id: int, mou_id: int | None) -> Template | Redirect:
    """Create or change an arranged MoU; the form again with why, or one more party row."""
    proposals.check_conference(event)
    form = await read_form(request)
    arrangement, rows = _arrangement(form)
    values = form.values()
    values["product_ids"] = [str(i) for i in arrangement.product_ids]
    if form.flag("add_row"):  # one more party row, nothing saved
        return await _arrangement_page(event, values, {}, min(rows + 1, parties.MAX_PARTIES), mou_id=mou_id)
    errors = {**await arrangements.arrangement_errors(event, arrangement), **form.errors}
    if not errors:
        try:
            if mou_id is None:
                mou_id = await arrangements.arrange(event, arrangement, actor_id=actor_id)
            else:
                await arrangements.change(event, mou_id, arrangement, actor_id=actor_id)
        except ValidationError as exc:
            errors = exc.errors
        else:
            flash(request, gettext("The MoU and its parties are saved."), "success")
            return redirect_to(request, "staff_mou_detail", event_id=event["id"], mou_id=mou_id)
    return await _arrangement_page(event, values, errors, rows, mou_id=mou_id, status_code=400)


class StaffMouController(Controller):
    path = "/staff/events/{event_id:int}/mous"
    guards = [staff_only]

    @get("/", name="staff_mous")
    async def index(self, event_id: FromPath[RowId]) -> Template:
        return await _staff_page(await get_event_by_id(event_id))

    @get("/new", name="staff_mou_new")
    async def new(self, event_id: FromPath[RowId]) -> Template:
        event = await get_event_by_id(event_id)
        proposals.check_conference(event)
        return await _arrangement_page(event, {"value_vnd": "0"}, {}, 3)

    @post("/new", name="staff_mou_create")
    async def create(
        self, request: Request, event_id: FromPath[RowId], current_user: NamedDependency[CurrentUser]
    ) -> Template | Redirect:
        return await _save_arrangement(request, await get_event_by_id(event_id), current_user.id, None)

    @get("/{mou_id:int}/edit", name="staff_mou_edit")
    async def edit(self, event_id: FromPath[RowId], mou_id: FromPath[RowId]) -> Template:
        event = await get_event_by_id(event_id)
        proposals.check_conference(event)
        values, count = await arrangements.form_values(event, mou_id)
        return await _arrangement_page(event, values, {}, max(count, parties.MIN_PARTIES), mou_id=mou_id)

    @post("/{mou_id:int}/edit", name="staff_mou_update")
    async def update(
        self, request: Request, event_id: FromPath[RowId], mou_id: FromPath[RowId],
        current_user: NamedDependency[CurrentUser],
    ) -> Template | Redirect:
        event = await get_event_by_id(event_id)
        await arrangements.form_values(event, mou_id)  # not found, or no longer open: said before the form is read
        return await _save_arrangement(request, event, current_user.id, mou_id)

    def _back(self, request: Request, event_id: int) -> Redirect:
        return redirect_to(request, "staff_mous", event_id=event_id)

    @post("/{mou_id:int}/slot", name="staff_mou_slot")
    async def slot(
        self, request: Request, event_id: FromPath[RowId], mou_id: FromPath[RowId],
        current_user: NamedDependency[CurrentUser],
    ) -> Template | Redirect:
        event = await get_event_by_id(event_id)
        form = await read_form(request)
        slot = parse_slot_key(form.text("slot"))
        if slot is None:
            return await _staff_page(event, failed=mou_id, error=gettext(N_("Choose a time slot.")), status_code=400)
        if refused := await refusal(ceremony.assign_slot(event, mou_id, *slot, actor_id=current_user.id)):
            return await _staff_page(event, failed=mou_id, error=str(refused), slot=form.text("slot"),
                                     status_code=refusal_status(refused))
        flash(request, gettext("The MoU has its place in the signing ceremony."), "success")
        return self._back(request, event_id)

    @post("/{mou_id:int}/unslot", name="staff_mou_unslot")
    async def unslot(
        self, request: Request, event_id: FromPath[RowId], mou_id: FromPath[RowId],
        current_user: NamedDependency[CurrentUser],
    ) -> Template | Redirect:
        event = await get_event_by_id(event_id)
        if refused := await refusal(ceremony.clear_slot(event, mou_id, actor_id=current_user.id)):
            return await _staff_page(event, failed=mou_id, error=str(refused), status_code=refusal_status(refused))
        flash(request, gettext("The MoU is taken out of the ceremony."), "success")
        return self._back(request, event_id)

    @post("/{mou_id:int}/sign", name="staff_mou_sign")
    async def sign(
        self, request: Request, event_id: FromPath[RowId], mou_id: FromPath[RowId],
        current_user: NamedDependency[CurrentUser],
    ) -> Template | Redirect:
        event = await get_event_by_id(event_id)
        if refused := await refusal(ceremony.mark_signed(event, mou_id, actor_id=current_user.id)):
            # e.g. before its slot: the row is left as it was, and the page says from when it can be recorded
            return await _staff_page(event, failed=mou_id, error=str(refused), status_code=refusal_status(refused))
        flash(request, gettext("The MoU is recorded as signed."), "success")
        return self._back(request, event_id)

    @get("/{mou_id:int}", name="staff_mou_detail")
    async def detail(self, event_id: FromPath[RowId], mou_id: FromPath[RowId]) -> Template:
        return await _staff_detail_page(event_id, mou_id)

    @post("/{mou_id:int}/notes", name="staff_mou_note")
    async def note(
        self, request: Request, event_id: FromPath[RowId], mou_id: FromPath[RowId],
        current_user: NamedDependency[CurrentUser],
    ) -> Template | Redirect:
        author = follow_up.Author(current_user.id, current_user.name or current_user.email, event_id=event_id)

        async def again(refused: str, values: dict, status: int) -> Template:
            return await _staff_detail_page(event_id, mou_id, refused, values=values, status_code=status)

        return await _follow_up(request, author, mou_id, again, "staff_mou_detail", event_id=event_id, mou_id=mou_id)

    @post("/order", name="staff_mou_order")
    async def order(
        self, request: Request, event_id: FromPath[RowId], current_user: NamedDependency[CurrentUser]
    ) -> Template | Redirect:
        event = await get_event_by_id(event_id)
        try:
            given, left = await ceremony.order_ceremony(event, actor_id=current_user.id)
        except DomainError as exc:
            return await _staff_page(event, error=str(exc), status_code=refusal_status(exc))
        if left:  # told next to the button, with how many were given a slot
            return await _staff_page(event, given_now=given, left_now=left, status_code=409)
        flash(request, ngettext("%(num)d MoU given a signing slot.", "%(num)d MoUs given a signing slot.", given)
              % {"num": given}, "success")
        return self._back(request, event_id)


async def _staff_detail_page(event_id: int, mou_id: int, refused: DomainError | str | None = None, *,
                             values: dict | None = None, status_code: int | None = None) -> Template:
    event = await get_event_by_id(event_id)
    return Template(
        "mou/detail.html",
        context={"mou": await proposals.get_for_event(event, mou_id), "event": event, "staff_view": True,
                 "error": str(refused) if refused else None, "values": values or {}},
        status_code=status_code or (refusal_status(refused) if isinstance(refused, DomainError) else 200),
    )


async def _staff_page(
    event: dict, *, failed: int | None = None, error: str | None = None, slot: str = "", given_now: int = 0,
    left_now: int = 0, status_code: int = 200,
) -> Template:
    """The signing ceremony; after a refused action, why next to that MoU's buttons (or at the top when
    the MoU has none left on the page), and after ordering, how many agreed MoUs found no slot."""
    overview = await ceremony.event_overview(event)
    if not any(row["id"] == failed for row in overview["ceremony"] + overview["to_order"]):
        failed = None
    return Template(
        "mou/staff_mous.html",
        context={"event": event, **overview, "failed": failed, "error": error, "chosen_slot": slot,
                 "given_now": given_now, "left_now": left_now},
        status_code=status_code,
    )


class AgendaController(Controller):
    """A participant's agendas: one per conference it is registered for, with its PDF."""

    path = "/my/agendas"
    guards = [participants_only]
    dependencies = PARTICIPANT

    @get("/", name="my_agendas")
    async def index(self, participant: NamedDependency[Participant]) -> Template:
        return Template("mou/my_agendas.html", context={"conferences": await agenda.attendances_of(participant)})

    @get("/{attendance_id:int}", name="my_agenda")
    async def detail(
        self, attendance_id: FromPath[RowId], participant: NamedDependency[Participant], settings: NamedDependency[Settings]
    ) -> Template:
        registration = await agenda.attendance(attendance_id, participant=participant)
        return Template("mou/agenda.html", context={
            "agenda": await agenda.participant_agenda(registration, settings.public_url), "attendance_id": attendance_id,
        })


class StaffAgendaController(Controller):
    """Staff print any attendee's agenda and the table grids of the B2B sessions."""

    path = "/staff/events/{event_id:int}/agendas"
    guards = [staff_only]

    @get("/", name="staff_agendas")
    async def index(self, event_id: FromPath[RowId]) -> Template:
        event = await get_event_by_id(event_id)
        return Template("mou/staff_agendas.html", context={
            "event": event, "attendees": await agenda.attendees(event_id), "sessions": await agenda.b2b_sessions(event_id),
        })


class StaffCeremonyController(Controller):
    """The run of show of the signing ceremony: who signs what, when, in slot order."""

    path = "/staff/events/{event_id:int}/ceremony"
    guards = [staff_only]

    @get("/run-of-show", name="staff_run_of_show")
    async def run_of_show(self, event_id: FromPath[RowId], settings: NamedDependency[Settings]) -> Template:
        event = await get_event_by_id(event_id)
        return Template("mou/run_of_show.html", context={
            "event": event, "show": await agenda.run_of_show(event, settings.public_url),
        })


class ResultsController(Controller):
    """A conference's results, public once it is published: what was signed there and how it stands."""

    @get("/events/{slug:str}/results", name="event_results")
    async def index(self, slug: FromPath[str]) -> Template:
        event = await get_event(slug)  # unknown and draft events are not found
        return Template("mou/results.html", context={"event": event, "results": await results.conference_results(event)})


ROUTES = [MouController, StaffMouController, AgendaController, StaffAgendaController, StaffCeremonyController,
          ResultsController]
