"""Staff pages of imports: upload, map the columns, watch the check, preview, confirm."""

from __future__ import annotations

import json

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Response, Template

from events_app.core.errors import DomainError, NotFound, ValidationError
from events_app.core.forms import FormReader
from events_app.core.guards import staff_only
from events_app.core.i18n import N_, gettext, language
from events_app.core.identity import CurrentUser
from events_app.core.navigation import redirect_to
from events_app.core.pagination import page_number
from events_app.core.requests import client_ip, read_form
from events_app.core.settings import Settings
from events_app.imports import blanks, checking, reading, services
from events_app.imports import columns as c
from events_app.imports.columns import KIND_LABELS, Kind
from events_app.imports.tables import BatchStatus
from events_app.reference.tables import FormerProvince, ProductGroup, Province

TOKEN_LENGTH = 64
MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _kind_options() -> list[tuple[str, str]]:
    return [(kind.value, gettext(label)) for kind, label in KIND_LABELS.items()]


def _templates() -> list[dict]:
    return [{"kind": kind.value, "label": gettext(label)} for kind, label in KIND_LABELS.items()]


async def _upload_page(values: dict | None = None, errors: dict | None = None, status_code: int = 200) -> Template:
    return Template("imports/upload.html", context={
        "kind_options": _kind_options(), "templates": _templates(), "values": values or {"kind": "products"},
        "errors": errors or {}, "max_mb": reading.MAX_BYTES // (1024 * 1024), "max_rows": reading.MAX_ROWS,
    }, status_code=status_code)


def _token(token: str) -> str:
    if len(token) > TOKEN_LENGTH:
        raise NotFound(services.GONE)
    return token


async def _mapping_page(batch: dict, mapping: dict[int, str], errors: dict | None = None,
                        status_code: int = 200) -> Template:
    kind = batch["kind"]
    headers = json.loads(batch["headers"])
    return Template("imports/mapping.html", context={
        "batch": batch, "kind_label": gettext(KIND_LABELS[kind]),
        "file_columns": [(i, header) for i, header in enumerate(headers)],
        "fields": c.COLUMNS[kind], "chosen": {key: position for position, key in mapping.items()},
        "errors": errors or {},
    }, status_code=status_code)


async def _preview_page(batch: dict, settings: Settings, page: int, *, policy: str = checking.UPDATE,
                        error: str | None = None, status_code: int = 200) -> Template:
    return Template("imports/preview.html", context={
        "batch": batch, "kind_label": gettext(KIND_LABELS[batch["kind"]]), "counts": json.loads(batch["summary"]),
        "issues": services.issues_page(batch, settings.data_dir, page), "policy": policy, "error": error,
    }, status_code=status_code)


class ImportController(Controller):
    path = "/staff/imports"
    guards = [staff_only]

    @get("/", name="staff_imports")
    async def index(self) -> Template:
        return await _upload_page()

    @get("/templates/{filename:str}", name="staff_import_template")
    async def template(self, filename: FromPath[str]) -> Response:
        kind, _, fmt = filename.partition(".")
        if kind not in {k.value for k in Kind} or fmt not in MEDIA_TYPES:
            raise NotFound(services.GONE)
        if fmt == "csv":
            content = blanks.template_csv(Kind(kind))
        else:
            provinces = await Province.select(Province.name).order_by(Province.name).output(as_list=True)
            former = [(r["name"], r["pname"]) for r in await FormerProvince.select(
                FormerProvince.name, FormerProvince.province.name.as_alias("pname")).order_by(FormerProvince.name)]
            groups = [(g["code"], g["name_vi"], g["name_en"])
                      for g in await ProductGroup.select().order_by(ProductGroup.position)]
            with language("vi"):  # the template's headers are Vietnamese: its notes are too
                content = blanks.template_xlsx(Kind(kind), provinces, former, groups)
        filename = f"mau-nhap-{kind}.{fmt}"
        return Response(content, media_type=MEDIA_TYPES[fmt],
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})

    @post("/", name="staff_import_upload", request_max_body_size=reading.MAX_BYTES + 1024 * 1024)
    async def upload(self, request: Request, current_user: NamedDependency[CurrentUser],
                     settings: NamedDependency[Settings]) -> Template | Redirect:
        form = await read_form(request)
        kind = form.choice("kind", [k.value for k in Kind])
        upload = form.file("file")
        if upload is None:
            form.error("file", gettext("Choose a CSV or XLSX file."))
        if form.errors:
            return await _upload_page(form.values(), ValidationError(form.errors).field_messages(), 400)
        assert upload is not None
        content = await upload.read()
        try:
            batch = await services.upload(Kind(kind), upload.filename, content, owner_id=current_user.id,
                                          data_dir=settings.data_dir)
        except DomainError as exc:
            return await _upload_page(form.values(), {"file": str(exc)}, 400)
        return redirect_to(request, "staff_import", token=batch["token"])

    @get("/{token:str}", name="staff_import")
    async def show(self, token: FromPath[str], current_user: NamedDependency[CurrentUser],
                   settings: NamedDependency[Settings], page: FromQuery[str] = "") -> Template:
        batch = await services.get_batch(_token(token), current_user.id)
        failure = services.failure_of(batch)
        if failure is not None:
            return Template("imports/failed.html", context={"batch": batch, "message": str(failure)})
        if batch["status"] == BatchStatus.mapping:
            return await _mapping_page(batch, services.mapping_of(batch))
        if batch["status"] == BatchStatus.checking:
            return Template("imports/progress.html", context={"batch": batch})
        if batch["status"] == BatchStatus.done:
            return Template("imports/done.html", context={
                "batch": batch, "kind_label": gettext(KIND_LABELS[batch["kind"]]), "counts": json.loads(batch["summary"])})
        return await _preview_page(batch, settings, page_number(page))

    @post("/{token:str}/mapping", name="staff_import_mapping")
    async def mapping(self, request: Request, token: FromPath[str], current_user: NamedDependency[CurrentUser],
                      settings: NamedDependency[Settings]) -> Template | Redirect:
        batch = await services.get_batch(_token(token), current_user.id)
        form = await read_form(request)
        mapping, clashes = _read_mapping(form, batch)
        try:
            if clashes:
                raise ValidationError({**services.mapping_errors(batch["kind"], mapping), **clashes})
            await services.choose_mapping(batch["token"], current_user.id, mapping, settings.data_dir)
        except ValidationError as exc:
            return await _mapping_page(batch, mapping, exc.field_messages(), 400)
        return redirect_to(request, "staff_import", token=batch["token"])

    @post("/{token:str}/confirm", name="staff_import_confirm")
    async def confirm(self, request: Request, token: FromPath[str], current_user: NamedDependency[CurrentUser],
                      settings: NamedDependency[Settings]) -> Template | Redirect:
        batch = await services.get_batch(_token(token), current_user.id)
        form = await read_form(request)
        policy = form.choice("policy", checking.POLICIES)
        try:
            counts = await services.confirm(batch["token"], current_user.id, policy or "", valid_only=form.flag("valid_only"),
                                            data_dir=settings.data_dir, ip=client_ip(request))
        except NotFound:
            raise
        except DomainError as exc:
            batch = await services.get_batch(batch["token"], current_user.id)
            if batch["status"] != BatchStatus.ready:  # no preview to show it on
                raise
            return await _preview_page(batch, settings, 1, policy=policy or checking.UPDATE, error=str(exc),
                                       status_code=exc.status_code)
        flash(request, gettext("Imported: %(created)d added, %(updated)d updated.") % counts, "success")
        return redirect_to(request, "staff_import", token=batch["token"])


def _read_mapping(form: FormReader, batch: dict) -> tuple[dict[int, str], dict[str, DomainError]]:
    """{file column: field} from one select per field, each naming a column of the file or none;
    and an error on each field given a column another field has."""
    columns = len(json.loads(batch["headers"]))
    mapping: dict[int, str] = {}
    errors: dict[str, DomainError] = {}
    for spec in c.COLUMNS[batch["kind"]]:
        position = form.integer(f"column_{spec.key}", minimum=0, maximum=columns - 1)
        if position is None:
            continue
        if position in mapping:
            errors[spec.key] = DomainError(N_("This column of the file is chosen for “%(column)s” already."),
                                           column=c.column(batch["kind"], mapping[position]).header)
        else:
            mapping[position] = spec.key
    return mapping, errors


ROUTES = [ImportController]
