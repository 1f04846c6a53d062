"""Web pages of the directory domain: a participant's organisation profile and a producer's products."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from events_app.core.bounds import RowId
from events_app.core.guards import participants_only, producers_only, staff_only
from events_app.directory import certifications, gallery, products, services
from events_app.directory.profiles import CHANNELS, KINDS, MAX_MONTHLY_VOLUME, UNITS, parse_codes
from events_app.directory.tables import PRODUCER_ATTRIBUTES
from events_app.directory.images import ImageStore, size_text
from events_app.core.errors import DomainError, NotFound, ValidationError
from events_app.core.forms import parse_id
from events_app.core.i18n import N_, gettext
from events_app.core.identity import CurrentUser
from events_app.core.navigation import redirect_to, url_to
from events_app.core.pagination import page_number
from events_app.core.panels import ProducerPanels
from events_app.reference.services import group_name, list_groups, list_provinces
from events_app.core.forms import FormReader
from events_app.core.requests import read_form
from events_app.core.labels import label, options
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
        values.update(phone=row["phone"], email=row["email"],
                      attributes=[name for name in PRODUCER_ATTRIBUTES if row[name]])
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
        attributes=frozenset(form.choices("attributes", PRODUCER_ATTRIBUTES)),
    )


class OrganisationController(Controller):
    path = "/my/organisation"
    guards = [participants_only]

    @get("/", name="my_organisation")
    async def show(self, request: Request, current_user: NamedDependency[CurrentUser]) -> Template:
        producer = current_user.is_producer
        row = await _profile(current_user)
        return await _organisation_page(row, _profile_values(row, producer=producer), {}, producer=producer,
                                        action=url_to(request, "my_organisation_save"))

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
                row, form.values(), exc.field_messages(), producer=user.is_producer, status_code=400,
                action=url_to(request, "my_organisation_save"),
            )
        flash(request, gettext("Your organisation's profile has been saved."), "success")
        return redirect_to(request, "my_organisation")


async def _profile(user: CurrentUser) -> dict:
    if user.is_producer:
        return await services.producer_profile(user.producer_id)
    return await services.distributor_profile(user.distributor_id)


async def _organisation_page(
    row: dict, values: dict, errors: dict, *, producer: bool, action: str, status_code: int = 200,
    staff_view: bool = False,
) -> Template:
    """The profile form; `action` is where it is sent (the producer's own page, or staff's)."""
    return Template(
        "directory/organisation.html",
        context={
            "organisation": row,
            "is_producer": producer,
            "values": values,
            "errors": errors,
            "action": action,
            "staff_view": staff_view,
            "attribute_options": options("producer_attribute"),
            "province_options": [(p["id"], p["name"]) for p in await list_provinces()],
            "certifications": await certifications.of_producer(row["id"]) if producer else [],
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
        traceability_code=form.text("traceability_code", max_length=80),
        barcode=form.text("barcode", max_length=20),
        listings=_read_listings(form),
        channels=tuple(form.choices("channels", CHANNELS)),
        monthly_capacity=form.integer("monthly_capacity", minimum=1, maximum=MAX_MONTHLY_VOLUME),
        capacity_unit=form.choice("capacity_unit", UNITS, required=False) or "kg",
    )


def _read_listings(form: FormReader) -> list[tuple[str, str]]:
    """The rows of listings filled in; a row left blank is no listing."""
    rows = []
    for i in range(products.MAX_LISTINGS):
        platform = form.text(f"listing_platform_{i}", max_length=20)
        url = form.text(f"listing_url_{i}", max_length=products.MAX_LISTING_URL)
        if platform or url:
            rows.append((platform, url))
    return rows


async def _upload(form: FormReader) -> bytes | None:
    upload = form.file("image")
    return await upload.read() if upload is not None else None


async def _more_uploads(form: FormReader) -> list[bytes]:
    """The further photos chosen; more than a product may hold are refused by the product rules
    without reading the rest."""
    files = form.files("more_images", limit=gallery.MAX_IMAGES + 1)
    return [await upload.read() for upload in files]


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
        "traceability_code": row["traceability_code"],
        "barcode": row["barcode"],
        **_listing_values(row["listings"]),
        "channels": sorted(parse_codes(row["channels"], CHANNELS)),
        "monthly_capacity": "" if row["monthly_capacity"] is None else row["monthly_capacity"],
        "capacity_unit": row["capacity_unit"],
    }


def _listing_values(listings: list[tuple[str, str]]) -> dict[str, str]:
    values = {}
    for i, (platform, url) in enumerate(listings):
        values[f"listing_platform_{i}"] = platform
        values[f"listing_url_{i}"] = url
    return values


@dataclass(frozen=True)
class ProductRoutes:
    """Where a product form leads: a producer's own pages, or staff's (who edit any product as its
    producer would, through the same form)."""

    update: str
    image: str
    image_delete: str
    staff: bool


MY_ROUTES = ProductRoutes("my_product_update", "my_product_image", "my_product_image_delete", staff=False)
STAFF_ROUTES = ProductRoutes("staff_product_update", "staff_product_image", "staff_product_image_delete", staff=True)


async def _edit_page(request: Request, store: ImageStore, producer_id: int | None, product_id: int,
                     routes: ProductRoutes) -> Template:
    product = await products.own_product(producer_id, product_id)
    return await _product_page(request, store, product, _product_values(product), {}, routes=routes)


async def _save_product(
    request: Request, store: ImageStore, user: CurrentUser, producer_id: int | None, product_id: int,
    routes: ProductRoutes,
) -> Template | Redirect:
    product = await products.own_product(producer_id, product_id)
    form = await read_form(request)
    data = _read_product(form)
    try:
        await products.update_product(
            producer_id,
            product_id,
            data,
            upload=await _upload(form),
            more_uploads=await _more_uploads(form),
            remove_image=form.flag("remove_image"),
            store=store,
            actor_id=user.id,
            parse_errors=form.errors,
        )
    except ValidationError as exc:
        return await _product_page(request, store, product, form.values(), exc.field_messages(), routes=routes,
                                   status_code=400)
    flash(request, gettext("The changes to “%(name)s” have been saved.") % {"name": data.name}, "success")
    if routes.staff:
        return redirect_to(request, "product", slug=product["slug"])
    return redirect_to(request, "my_products")


async def _change_image(
    request: Request, store: ImageStore, user: CurrentUser, producer_id: int | None, product_id: int, image_id: int,
    routes: ProductRoutes, *, delete: bool,
) -> Redirect:
    await products.own_product(producer_id, product_id)
    assert producer_id is not None
    if delete:
        await gallery.delete_image(producer_id, product_id, image_id, store=store, actor_id=user.id)
        flash(request, gettext("The photo has been deleted."), "success")
    else:
        form = await read_form(request)
        action = form.choice("action", ("earlier", "later", "describe"))
        if action == "describe":
            await gallery.change_image(producer_id, product_id, image_id, actor_id=user.id,
                                       alt_text=form.text("alt_text", max_length=gallery.MAX_ALT_TEXT))
            flash(request, gettext("The photo's description has been saved."), "success")
        elif action:
            await gallery.change_image(producer_id, product_id, image_id, actor_id=user.id,
                                       move=-1 if action == "earlier" else 1)
    return redirect_to(request, routes.update, product_id=product_id)


IMAGE_STORE = {"image_store": Provide(provide_image_store, sync_to_thread=False)}


class ProductController(Controller):
    path = "/my/products"
    guards = [producers_only]
    dependencies = IMAGE_STORE

    @get("/", name="my_products")
    async def index(self, current_user: NamedDependency[CurrentUser], producer_panels: NamedDependency[ProducerPanels],
                    page: FromQuery[str] = "") -> Template:
        return await _products_page(current_user.producer_id, page_number(page), panels=producer_panels)

    @get("/new", name="my_product_new")
    async def new(self, request: Request, current_user: NamedDependency[CurrentUser],
                  image_store: NamedDependency[ImageStore]) -> Template:
        await services.producer_profile(current_user.producer_id)
        return await _product_page(request, image_store, None, {"stars": 3, "evaluation_level": "provincial"}, {},
                                   routes=MY_ROUTES)

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
                more_uploads=await _more_uploads(form),
                store=image_store,
                actor_id=current_user.id,
                parse_errors=form.errors,
            )
        except ValidationError as exc:
            return await _product_page(request, image_store, None, form.values(), exc.field_messages(),
                                       routes=MY_ROUTES, status_code=400)
        flash(request, gettext("“%(name)s” has been added.") % {"name": data.name}, "success")
        return redirect_to(request, "my_products")

    @get("/{product_id:int}/edit", name="my_product_edit")
    async def edit(
        self, request: Request, current_user: NamedDependency[CurrentUser], product_id: FromPath[RowId],
        image_store: NamedDependency[ImageStore],
    ) -> Template:
        return await _edit_page(request, image_store, current_user.producer_id, product_id, MY_ROUTES)

    @post("/{product_id:int}/edit", name="my_product_update")
    async def update(
        self, request: Request, current_user: NamedDependency[CurrentUser], product_id: FromPath[RowId],
        image_store: NamedDependency[ImageStore],
    ) -> Template | Redirect:
        return await _save_product(request, image_store, current_user, current_user.producer_id, product_id, MY_ROUTES)

    @post("/{product_id:int}/images/{image_id:int}", name="my_product_image")
    async def image(
        self, request: Request, current_user: NamedDependency[CurrentUser], product_id: FromPath[RowId],
        image_id: FromPath[RowId], image_store: NamedDependency[ImageStore],
    ) -> Redirect:
        return await _change_image(request, image_store, current_user, current_user.producer_id, product_id, image_id,
                                   MY_ROUTES, delete=False)

    @post("/{product_id:int}/images/{image_id:int}/delete", name="my_product_image_delete")
    async def delete_image(
        self, request: Request, current_user: NamedDependency[CurrentUser], product_id: FromPath[RowId],
        image_id: FromPath[RowId], image_store: NamedDependency[ImageStore],
    ) -> Redirect:
        return await _change_image(request, image_store, current_user, current_user.producer_id, product_id, image_id,
                                   MY_ROUTES, delete=True)

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


class StaffDirectoryController(Controller):
    """Staff correct any producer's profile and any product, through the forms producers use."""

    path = "/staff"
    guards = [staff_only]
    dependencies = IMAGE_STORE

    @get("/producers/{producer_id:int}/edit", name="staff_producer_edit")
    async def producer_edit(self, request: Request, producer_id: FromPath[RowId]) -> Template:
        row = await services.producer_profile(producer_id)
        return await _organisation_page(row, _profile_values(row, producer=True), {}, producer=True, staff_view=True,
                                        action=url_to(request, "staff_producer_update", producer_id=producer_id))

    @post("/producers/{producer_id:int}/edit", name="staff_producer_update")
    async def producer_update(
        self, request: Request, current_user: NamedDependency[CurrentUser], producer_id: FromPath[RowId]
    ) -> Template | Redirect:
        row = await services.producer_profile(producer_id)
        form = await read_form(request)
        try:
            await services.update_producer_profile(
                producer_id, _read_profile(form), actor_id=current_user.id, parse_errors=form.errors
            )
        except ValidationError as exc:
            return await _organisation_page(
                row, form.values(), exc.field_messages(), producer=True, staff_view=True, status_code=400,
                action=url_to(request, "staff_producer_update", producer_id=producer_id),
            )
        flash(request, gettext("The profile of “%(name)s” has been saved.") % {"name": row["name"]}, "success")
        return redirect_to(request, "producer", slug=row["slug"])

    @get("/products/{product_id:int}/edit", name="staff_product_edit")
    async def product_edit(
        self, request: Request, product_id: FromPath[RowId], image_store: NamedDependency[ImageStore]
    ) -> Template:
        return await _edit_page(request, image_store, await products.owner_of(product_id), product_id, STAFF_ROUTES)

    @post("/products/{product_id:int}/edit", name="staff_product_update")
    async def product_update(
        self, request: Request, current_user: NamedDependency[CurrentUser], product_id: FromPath[RowId],
        image_store: NamedDependency[ImageStore],
    ) -> Template | Redirect:
        return await _save_product(request, image_store, current_user, await products.owner_of(product_id), product_id,
                                   STAFF_ROUTES)

    @post("/products/{product_id:int}/images/{image_id:int}", name="staff_product_image")
    async def image(
        self, request: Request, current_user: NamedDependency[CurrentUser], product_id: FromPath[RowId],
        image_id: FromPath[RowId], image_store: NamedDependency[ImageStore],
    ) -> Redirect:
        return await _change_image(request, image_store, current_user, await products.owner_of(product_id), product_id,
                                   image_id, STAFF_ROUTES, delete=False)

    @post("/products/{product_id:int}/images/{image_id:int}/delete", name="staff_product_image_delete")
    async def delete_image(
        self, request: Request, current_user: NamedDependency[CurrentUser], product_id: FromPath[RowId],
        image_id: FromPath[RowId], image_store: NamedDependency[ImageStore],
    ) -> Redirect:
        return await _change_image(request, image_store, current_user, await products.owner_of(product_id), product_id,
                                   image_id, STAFF_ROUTES, delete=True)


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
    request: Request, image_store: ImageStore, product: dict | None, values: dict, errors: dict, *,
    routes: ProductRoutes, status_code: int = 200,
) -> Template:
    if product:
        action = url_to(request, routes.update, product_id=product["id"])
        for image in product["images"]:
            image["change"] = url_to(request, routes.image, product_id=product["id"], image_id=image["id"])
            image["delete"] = url_to(request, routes.image_delete, product_id=product["id"], image_id=image["id"])
    else:
        action = url_to(request, "my_product_create")
    if routes.staff and product:
        back = (url_to(request, "product", slug=product["slug"]), product["name"])
    else:
        back = (url_to(request, "my_products"), gettext("My products"))
    filled = sum(1 for i in range(products.MAX_LISTINGS) if values.get(f"listing_platform_{i}") or values.get(f"listing_url_{i}"))
    return Template(
        "directory/product_form.html",
        context={
            "product": product,
            "values": values,
            "errors": errors,
            "action": action,
            "back": back,
            "staff_view": routes.staff,
            "group_options": [(g["id"], group_name(g)) for g in await list_groups()],
            "star_options": [(n, gettext("%(n)d stars") % {"n": n}) for n in (3, 4, 5)],
            "platform_options": options("listing_platform"),
            "listing_rows": range(min(products.MAX_LISTINGS, max(filled + 2, 3))),
            "max_images": gallery.MAX_IMAGES,
            "max_upload": size_text(image_store.max_bytes),
            "certifications": await certifications.of_product(product["id"]) if product else [],
            # The producer's own count for the product too: shown beside its own, changed on the producer's page.
            "producer_certifications": await certifications.of_producer(product["producer"]) if product else [],
            "channel_options": options("channel"),
            "unit_options": options("volume_unit"),
        },
        status_code=status_code,
    )


# Certifications -----------------------------------------------------------------------------------

def _read_certification(form: FormReader) -> certifications.CertificationInput:
    return certifications.CertificationInput(
        kind=form.choice("kind", KINDS),
        number=form.text("number", required=True, max_length=certifications.NUMBER_LENGTH),
        issuer=form.text("issuer", max_length=certifications.ISSUER_LENGTH),
        valid_from=form.date("valid_from", required=True),
        valid_until=form.date("valid_until"),  # may be left empty for a standards declaration
        product_id=form.integer("product_id", minimum=1),
    )


class CertificationController(Controller):
    """A producer's certifications and its products': added on a form of their own, removed from
    the product's or the organisation's edit page."""

    path = "/my/certifications"
    guards = [producers_only]

    @get("/new", name="certification_new")
    async def new(self, request: Request, current_user: NamedDependency[CurrentUser], product: FromQuery[str] = "") -> Template:
        return await _new_certification(request, current_user.producer_id, product, staff=False)

    @post("/new", name="certification_create")
    async def create(self, request: Request, current_user: NamedDependency[CurrentUser]) -> Template | Redirect:
        return await _create_certification(request, current_user, current_user.producer_id, staff=False)

    @post("/{certification_id:int}/delete", name="certification_delete")
    async def delete(
        self, request: Request, current_user: NamedDependency[CurrentUser], certification_id: FromPath[RowId]
    ) -> Redirect:
        return await _delete_certification(request, current_user, current_user.producer_id, certification_id, staff=False)


class StaffCertificationController(Controller):
    """Staff add and remove any producer's certifications, through the producer's form."""

    path = "/staff/producers/{producer_id:int}/certifications"
    guards = [staff_only]

    @get("/new", name="staff_certification_new")
    async def new(self, request: Request, producer_id: FromPath[RowId], product: FromQuery[str] = "") -> Template:
        return await _new_certification(request, producer_id, product, staff=True)

    @post("/new", name="staff_certification_create")
    async def create(
        self, request: Request, current_user: NamedDependency[CurrentUser], producer_id: FromPath[RowId]
    ) -> Template | Redirect:
        return await _create_certification(request, current_user, producer_id, staff=True)

    @post("/{certification_id:int}/delete", name="staff_certification_delete")
    async def delete(
        self, request: Request, current_user: NamedDependency[CurrentUser], producer_id: FromPath[RowId],
        certification_id: FromPath[RowId],
    ) -> Redirect:
        return await _delete_certification(request, current_user, producer_id, certification_id, staff=True)


async def _new_certification(request: Request, producer_id: int | None, product: str, *, staff: bool) -> Template:
    producer = await services.producer_profile(producer_id)
    product_row = None
    if product:
        product_id = parse_id(product)
        if product_id is None:
            raise NotFound(N_("This product does not exist."))
        product_row = await products.own_product(producer["id"], product_id)
    return await _certification_page(request, producer, product_row, {}, {}, staff=staff)


async def _create_certification(request: Request, user: CurrentUser, producer_id: int | None, *, staff: bool):
    producer = await services.producer_profile(producer_id)
    form = await read_form(request)
    data = _read_certification(form)
    product_row = None
    if data.product_id is not None:
        product_row = await products.own_product(producer["id"], data.product_id)
    try:
        await certifications.add(producer["id"], data, actor_id=user.id, parse_errors=form.errors)
    except ValidationError as exc:
        return await _certification_page(request, producer, product_row, form.values(), exc.field_messages(),
                                         staff=staff, status_code=400)
    flash(request, gettext("The %(kind)s certification is added.") % {"kind": label("certification_kind", data.kind)},
          "success")
    return _back_to_holder(request, producer["id"], product_row["id"] if product_row else None, staff=staff)


async def _delete_certification(
    request: Request, user: CurrentUser, producer_id: int | None, certification_id: int, *, staff: bool
) -> Redirect:
    row = await certifications.remove(producer_id, certification_id, actor_id=user.id)
    flash(request, gettext("The %(kind)s certification is removed.") % {"kind": label("certification_kind", row["kind"])},
          "success")
    assert producer_id is not None
    return _back_to_holder(request, producer_id, row["product"], staff=staff)


def _back_to_holder(request: Request, producer_id: int, product_id: int | None, *, staff: bool) -> Redirect:
    if product_id:
        if staff:
            return redirect_to(request, "staff_product_edit", product_id=product_id)
        return redirect_to(request, "my_product_edit", product_id=product_id)
    if staff:
        return redirect_to(request, "staff_producer_edit", producer_id=producer_id)
    return redirect_to(request, "my_organisation")


async def _certification_page(
    request: Request, producer: dict, product: dict | None, values: dict, errors: dict, *, staff: bool,
    status_code: int = 200,
) -> Template:
    producer_id = producer["id"]
    if product:
        edit = url_to(request, "staff_product_edit" if staff else "my_product_edit", product_id=product["id"])
        back = (edit, product["name"])
    elif staff:
        back = (url_to(request, "staff_producer_edit", producer_id=producer_id), gettext("Edit %(name)s") % {"name": producer["name"]})
    else:
        back = (url_to(request, "my_organisation"), gettext("My organisation"))
    action = url_to(request, "staff_certification_create", producer_id=producer_id) if staff else url_to(
        request, "certification_create")
    return Template(
        "directory/certification_form.html",
        context={"product": product, "values": values, "errors": errors, "back": back, "action": action,
                 "kinds": options("certification_kind")},
        status_code=status_code,
    )


ROUTES = [OrganisationController, ProductController, StaffDirectoryController, CertificationController,
          StaffCertificationController]
