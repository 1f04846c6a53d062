"""Re-recognition pages: staff's list of certificates ending and dossiers, a dossier's decisions,
and the producer's own certificates with the dossier it sends."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from events_app.core.bounds import RowId
from events_app.core.errors import DomainError, ValidationError
from events_app.core.forms import FormReader, parse_id
from events_app.core.guards import producers_only, staff_only
from events_app.core.i18n import gettext
from events_app.core.identity import CurrentUser
from events_app.core.navigation import redirect_to
from events_app.core.pagination import page_number
from events_app.core.requests import read_form, refusal_status
from events_app.recognition import rules, services
from events_app.recognition.rules import MAX_NOTE, STATUS_LABELS, Decision, Evaluation
from events_app.recognition.tables import DossierStatus
from events_app.reference.services import list_provinces

CERTIFICATES = "certificates"
STATUSES = [s.value for s in DossierStatus]
STAR_OPTIONS = [(n, f"{n}★") for n in (3, 4, 5)]


def _stars(raw: str) -> int | None:
    return int(raw) if raw in ("3", "4", "5") else None


class StaffRecognitionController(Controller):
    path = "/staff/recognition"
    guards = [staff_only]

    @get("/", name="staff_recognition")
    async def index(self, view: FromQuery[str] = "", province: FromQuery[str] = "", stars: FromQuery[str] = "",
                    page: FromQuery[str] = "") -> Template:
        view = view if view in STATUSES else CERTIFICATES
        province_id, star_count = parse_id(province), _stars(stars)
        provinces = await list_provinces()
        if province_id not in {p["id"] for p in provinces}:
            province_id = None
        context: dict = {"view": view, "statuses": STATUSES, "status_labels": STATUS_LABELS,
                         "provinces": provinces, "province_id": province_id, "stars": star_count,
                         "star_options": STAR_OPTIONS, "window": rules.EXPIRY_WINDOW_DAYS}
        if view == CERTIFICATES:
            context["page"] = await services.expiring(
                page_number(page), province_id=province_id, stars=star_count,
                params={"province": province_id, "stars": star_count})
            _, context["counts"] = await services.dossiers(DossierStatus.submitted.value, 1)
        else:
            context["page"], context["counts"] = await services.dossiers(view, page_number(page), {"view": view})
        context["expiring_count"] = (context["page"].total if view == CERTIFICATES else await services.expiring_count())
        return Template("recognition/staff_index.html", context=context)

    @get("/dossiers/{dossier_id:int}", name="staff_dossier")
    async def show(self, dossier_id: FromPath[RowId]) -> Template:
        return await _dossier_page(dossier_id)

    @post("/dossiers/{dossier_id:int}/evaluate", name="staff_dossier_evaluate")
    async def evaluate(self, request: Request, dossier_id: FromPath[RowId],
                       current_user: NamedDependency[CurrentUser]) -> Template | Redirect:
        form = await read_form(request)
        data = Evaluation(stars=_stars(form.text("stars")), notes=form.text("evaluation_notes", max_length=MAX_NOTE))
        return await _decide(request, form, dossier_id, "evaluate",
                             services.evaluate(dossier_id, data, actor_id=current_user.id, parse_errors=form.errors),
                             gettext("The evaluation has been recorded."))

    @post("/dossiers/{dossier_id:int}/recognise", name="staff_dossier_recognise")
    async def recognise(self, request: Request, dossier_id: FromPath[RowId],
                        current_user: NamedDependency[CurrentUser]) -> Template | Redirect:
        form = await read_form(request)
        data = Decision(
            stars=_stars(form.text("stars")),
            certificate_number=form.text("certificate_number", max_length=80),
            certified_on=form.date("certified_on"),
            notes=form.text("notes", max_length=MAX_NOTE),
        )
        return await _decide(request, form, dossier_id, "recognise",
                             services.recognise(dossier_id, data, actor_id=current_user.id, parse_errors=form.errors),
                             gettext("The product has been re-recognised: its new certificate is on its page."))

    @post("/dossiers/{dossier_id:int}/refuse", name="staff_dossier_refuse")
    async def refuse(self, request: Request, dossier_id: FromPath[RowId],
                     current_user: NamedDependency[CurrentUser]) -> Template | Redirect:
        form = await read_form(request)
        reason = form.text("reason", max_length=MAX_NOTE)
        return await _decide(request, form, dossier_id, "refuse",
                             services.refuse(dossier_id, reason, actor_id=current_user.id, parse_errors=form.errors),
                             gettext("The dossier has been closed as not re-recognised."))


async def _decide(request: Request, form: FormReader, dossier_id: int, action: str, call, done: str) -> Template | Redirect:
    """Run a decision; a refusal shows the dossier again with the form's values and its errors."""
    try:
        await call
    except ValidationError as exc:
        return await _dossier_page(dossier_id, action=action, values=form.values(), errors=exc.field_messages(),
                                   status_code=400)
    except DomainError as exc:
        if exc.status_code == 404:
            raise
        return await _dossier_page(dossier_id, action=action, values=form.values(), errors={"form": str(exc)},
                                   status_code=refusal_status(exc))
    flash(request, done, "success")
    return redirect_to(request, "staff_dossier", dossier_id=dossier_id)


async def _dossier_page(dossier_id: int, *, action: str = "", values: dict | None = None, errors: dict | None = None,
                        status_code: int = 200) -> Template:
    row = await services.dossier(dossier_id)
    defaults = {"stars": row["new_stars"] or row["product_stars"], "evaluation_notes": row["evaluation_notes"]}
    return Template("recognition/staff_dossier.html", context={
        "dossier": row, "history": await services.history(row["product"]), "status_labels": STATUS_LABELS,
        "star_options": STAR_OPTIONS, "action": action, "values": values if values is not None else defaults,
        "errors": errors or {},
    }, status_code=status_code)


# The producer's side ------------------------------------------------------------------------------

class MyRecognitionController(Controller):
    path = "/my/recognition"
    guards = [producers_only]

    @get("/", name="my_recognition")
    async def index(self, current_user: NamedDependency[CurrentUser]) -> Template:
        return await _my_page(current_user)

    @post("/{product_id:int}", name="my_dossier_submit")
    async def submit(self, request: Request, product_id: FromPath[RowId],
                     current_user: NamedDependency[CurrentUser]) -> Template | Redirect:
        form = await read_form(request)
        note = form.text("note", max_length=MAX_NOTE)
        if form.errors:
            return await _my_page(current_user, refused={product_id: str(form.errors["note"])}, values={product_id: note},
                                  status_code=400)
        try:
            await services.submit(current_user.producer_id or 0, product_id, note, actor_id=current_user.id)
        except DomainError as exc:
            if exc.status_code == 404:
                raise
            return await _my_page(current_user, refused={product_id: str(exc)}, values={product_id: note},
                                  status_code=refusal_status(exc))
        flash(request, gettext("Your re-recognition dossier has been sent to the trade-promotion staff."), "success")
        return redirect_to(request, "my_recognition")


async def _my_page(user: CurrentUser, *, refused: dict | None = None, values: dict | None = None,
                   status_code: int = 200) -> Template:
    producer_id = user.producer_id or 0
    certificates = await services.producer_certificates(producer_id)
    refused = refused or {}
    listed = {c["id"] for c in certificates}
    return Template("recognition/my_recognition.html", context={
        "certificates": certificates,
        "dossiers": await services.producer_dossiers(producer_id),
        "status_labels": STATUS_LABELS, "refused": refused, "values": values or {},
        # A refusal about a product not listed here (its certificate ends later) is shown at the top.
        "page_errors": [message for product_id, message in refused.items() if product_id not in listed],
        "window": rules.EXPIRY_WINDOW_DAYS,
    }, status_code=status_code)


ROUTES = [StaffRecognitionController, MyRecognitionController]
