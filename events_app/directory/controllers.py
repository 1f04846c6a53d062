"""Web pages of the directory domain: a participant's organisation profile and a producer's products."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from events_app.core.bounds import RowId
from events_app.core.guards import participants_only, producers_only
from events_app.directory import products, services
from events_app.directory.images import ImageStore, size_text
from events_app.core.errors import DomainError, ValidationError
from events_app.core.i18n import gettext
from events_app.core.identity import CurrentUser
from events_app.core.navigation import redirect_to
from events_app.core.pagination import page_number
from events_app.core.panels import ProducerPanels
from events_app.reference.services import group_name, list_groups, list_provinces
from events_app.core.forms import FormReader
from events_app.core.requests import read_form
from events_app.core.settings import Settings


# Organisation profile -----------------------------------------------------------------------------

def _profile_values(row: dict, *, producer: bool) -> dict[str, Any]:
    values = {
        "name": row["name"],
        "organisation_type": row["producer_type"] if producer else row["distributor_type"],
        "province_id": row["province"] or "",
        "address": row["address"],
        "website": row["website"],
        "description": row["description"],
    }
    if producer:
        values.update(phone=row["phone"], email=row["email"])
    return values


def _read_profile(form: FormReader) -> services.OrganisationProfile:
    return services.OrganisationProfile(
        name=form.text("name", max_length=200),
        organisation_type=form.text("organisation_type"),
        province_id=form.integer("province_id"),
        address=form.text("address", max_length=300),
        website=form.text("website", max_length=300),
        description=form.text("description", max_length=5000),
        phone=form.text("phone", max_length=40),
        email=form.email("email"),
    )


class OrganisationController(Controller):
    path = "/my/organisation"
    guards = [participants_only]

    @get("/", name="my_organisation")
    async def show(self, current_user: NamedDependency[CurrentUser]) -> Template:
        producer = current_user.is_producer
        row = await _profile(current_user)
        return await _organisation_page(row, _profile_values(row, producer=producer), {}, producer=producer)

    @post("/", name="my_organisation_save")
    async def save(self, request: Request, current_user: NamedDependency[CurrentUser]) -> Template | Redirect:
        user = current_user
        form = await read_form(request)
        profile = _read_profile(form)
        try:
            if user.is_producer:
                await services.update_producer_profile(
                    user.producer_id, profile, actor_id=user.id, parse_errors=form.errors
                )
            else:
                await services.update_distributor_profile(
                    user.distributor_id, profile, actor_id=user.id, parse_errors=form.errors
                )
        except ValidationError as exc:
            row = await _profile(user)
            return await _organisation_page(
                row, form.values(), exc.field_messages(), producer=user.is_producer, status_code=400
            )
        flash(request, gettext("Your organisation's profile has been saved."), "success")
        return redirect_to(request, "my_organisation")


async def _profile(user: CurrentUser) -> dict:
    if user.is_producer:
        return await services.producer_profile(user.producer_id)
    return await services.distributor_profile(user.distributor_id)


async def _organisation_page(
    row: dict, values: dict, errors: dict, *, producer: bool, status_code: int = 200
) -> Template:
    return Template(
        "directory/organisation.html",
        context={
            "organisation": row,
            "is_producer": producer,
            "values": values,
            "errors": errors,
            "province_options": [(p["id"], p["name"]) for p in await list_provinces()],
        },
        status_code=status_code,
    )


# Products -----------------------------------------------------------------------------------------

def provide_image_store(settings: NamedDependency[Settings]) -> ImageStore:
    return ImageStore(media_dir=settings.media_dir, max_bytes=settings.max_upload_bytes)


def _read_product(form: FormReader) -> products.ProductInput:
    return products.ProductInput(
        name=form.text("name", max_length=200),
        group_id=form.integer("group_id"),
        stars=form.integer("stars"),
        certificate_number=form.text("certificate_number", max_length=80),
        certified_on=form.date("certified_on"),
        evaluation_level=form.text("evaluation_level"),
        price=form.amount("price"),
        unit=form.text("unit", max_length=40),
        description=form.text("description", max_length=5000),
        story=form.text("story", max_length=10000),
        traceability_url=form.text("traceability_url", max_length=300),
    )


async def _upload(form: FormReader) -> bytes | None:
    upload = form.file("image")
    return await upload.read() if upload is not None else None


def _product_values(row: dict) -> dict[str, Any]:
    return {
        "name": row["name"],
        "group_id": row["group"],
        "stars": row["stars"],
        "certificate_number": row["certificate_number"],
        "certified_on": row["certified_on"].isoformat(),
        "evaluation_level": row["evaluation_level"],
        "price": "" if row["price"] is None else row["price"],
        "unit": row["unit"],
        "description": row["description"],
        "story": row["story"],
        "traceability_url": row["traceability_url"],
    }


class ProductController(Controller):
    path = "/my/products"
    guards = [producers_only]
    dependencies = {"image_store": Provide(provide_image_store, sync_to_thread=False)}

    @get("/", name="my_products")
    async def index(self, current_user: NamedDependency[CurrentUser], producer_panels: NamedDependency[ProducerPanels],
                    page: FromQuery[str] = "") -> Template:
        return await _products_page(current_user.producer_id, page_number(page), panels=producer_panels)

    @get("/new", name="my_product_new")
    async def new(self, current_user: NamedDependency[CurrentUser], image_store: NamedDependency[ImageStore]) -> Template:
        await services.producer_profile(current_user.producer_id)
        return await _product_page(image_store, None, {"stars": 3, "evaluation_level": "provincial"}, {})

    @post("/new", name="my_product_create")
    async def create(
        self, request: Request, current_user: NamedDependency[CurrentUser], image_store: NamedDependency[ImageStore]
    ) -> Template | Redirect:
        producer = await services.producer_profile(current_user.producer_id)
        form = await read_form(request)
        data = _read_product(form)
        try:
            await products.create_product(
                producer["id"],
                data,
                upload=await _upload(form),
                store=image_store,
                actor_id=current_user.id,
                parse_errors=form.errors,
            )
        except ValidationError as exc:
            return await _product_page(image_store, None, form.values(), exc.field_messages(), status_code=400)
        flash(request, gettext("“%(name)s” has been added.") % {"name": data.name}, "success")
        return redirect_to(request, "my_products")

    @get("/{product_id:int}/edit", name="my_product_edit")
    async def edit(
        self, current_user: NamedDependency[CurrentUser], product_id: FromPath[RowId], image_store: NamedDependency[ImageStore]
    ) -> Template:
        product = await products.own_product(current_user.producer_id, product_id)
        return await _product_page(image_store, product, _product_values(product), {})

    @post("/{product_id:int}/edit", name="my_product_update")
    async def update(
        self, request: Request, current_user: NamedDependency[CurrentUser], product_id: FromPath[RowId],
        image_store: NamedDependency[ImageStore],
    ) -> Template | Redirect:
        product = await products.own_product(current_user.producer_id, product_id)
        form = await read_form(request)
        data = _read_product(form)
        try:
            await products.update_product(
                current_user.producer_id,
                product_id,
                data,
                upload=await _upload(form),
                remove_image=form.flag("remove_image"),
                store=image_store,
                actor_id=current_user.id,
                parse_errors=form.errors,
            )
        except ValidationError as exc:
            return await _product_page(image_store, product, form.values(), exc.field_messages(), status_code=400)
        flash(request, gettext("The changes to “%(name)s” have been saved.") % {"name": data.name}, "success")
        return redirect_to(request, "my_products")

    @post("/{product_id:int}/delete", name="my_product_delete")
    async def delete(
        self, request: Request, current_user: NamedDependency[CurrentUser], product_id: FromPath[RowId],
        image_store: NamedDependency[ImageStore], producer_panels: NamedDependency[ProducerPanels],
    ) -> Template | Redirect:
        try:
            name = await products.delete_product(
                current_user.producer_id, product_id, store=image_store, actor_id=current_user.id
            )
        except DomainError as exc:
            if exc.status_code == 404:
                raise
            form = await read_form(request)  # the page of the list the button was on, to show it again
            return await _products_page(current_user.producer_id, page_number(form.text("page")),
                                        refused={product_id: str(exc)}, status_code=exc.status_code, panels=producer_panels)
        flash(request, gettext("“%(name)s” has been deleted.") % {"name": name}, "success")
        return redirect_to(request, "my_products")


async def _products_page(
    producer_id: int | None, number: int, *, refused: dict[int, str] | None = None, status_code: int = 200,
    panels: ProducerPanels | None = None,
) -> Template:
    """The producer's products; `refused` puts the reason a deletion was refused next to that product;
    `panels` what other domains show above them (certificates to renew)."""
    producer = await services.producer_profile(producer_id)
    listing = await products.own_products(producer["id"], number)
    for product in listing.items:
        product["group_name"] = group_name(product)
    return Template(
        "directory/products.html",
        context={"page": listing, "producer": producer, "refused": refused or {},
                 "panels": await panels.for_producer(producer["id"]) if panels else []},
        status_code=status_code,
    )


async def _product_page(
    image_store: ImageStore, product: dict | None, values: dict, errors: dict, status_code: int = 200
) -> Template:
    return Template(
        "directory/product_form.html",
        context={
            "product": product,
            "values": values,
            "errors": errors,
            "group_options": [(g["id"], group_name(g)) for g in await list_groups()],
            "star_options": [(n, gettext("%(n)d stars") % {"n": n}) for n in (3, 4, 5)],
            "max_upload": size_text(image_store.max_bytes),
        },
        status_code=status_code,
    )


ROUTES = [OrganisationController, ProductController]
