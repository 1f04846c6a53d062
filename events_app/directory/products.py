"""A producer's own products: listing, adding, editing and deleting them, with their image.

Every function takes the producer's id from the signed-in account: a product id that belongs to
someone else is answered as if it did not exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Container

from events_app.core.audit import audit
from events_app.core.clock import now, today
from events_app.core.dates import certificate_valid_until, is_valid
from events_app.core.db import for_update, is_integrity_error, write_transaction
from events_app.core.slugs import unique_slug
from events_app.core.usage import Question
from events_app.directory import gallery
from events_app.directory.codes import is_valid_gtin, normalise_barcode
from events_app.directory.images import ImageRefused, ImageStore, PreparedImage
from events_app.directory.profiles import CHANNELS, MAX_MONTHLY_VOLUME, UNITS, join_codes
from events_app.directory.services import require, search_columns_for, web_address_error
from events_app.directory.tables import EvaluationLevel, ListingPlatform, Product
from events_app.core.errors import Conflict, DomainError, NotFound, ValidationError
from events_app.core.i18n import N_
from events_app.core.pagination import Page, paginate
from events_app.reference.tables import ProductGroup

PER_PAGE = 20
FIRST_CERTIFICATION = dt.date(2018, 1, 1)  # the OCOP programme began in 2018
MAX_PRICE = 100_000_000_000
# Booth applications of events not yet over that show a product: answered by the booths domain,
# each use a dict with the event's `title_vi` and `title_en`.
PRODUCT_SHOWN_IN = Question("product shown in live booth applications")


@dataclass
class ProductInput:
    name: str
    group_id: int | None
    stars: int | None
    certificate_number: str
    certified_on: dt.date | None
    evaluation_level: str
    price: int | None = None
    unit: str = ""
    description: str = ""
    story: str = ""
    traceability_url: str = ""
    traceability_code: str = ""
    barcode: str = ""
    # Where it is sold online: (platform, address) pairs, in the order shown.
    listings: list[tuple[str, str]] = field(default_factory=list)
    # Channels (Channel values) and monthly capacity, for matching; None: not asked (an import), kept as they are.
    channels: tuple[str, ...] | None = None
    monthly_capacity: int | None = None
    capacity_unit: str = "kg"


MAX_LISTINGS = 8
MAX_LISTING_URL = 500


def listing_errors(listings: list[tuple[str, str]]) -> dict[str, DomainError]:
    """Each listing's problem, keyed by its row in the form (listing_platform_0, listing_url_0…)."""
    errors: dict[str, DomainError] = {}
    platforms = {platform.value for platform in ListingPlatform}
    if len(listings) > MAX_LISTINGS:
        errors["listings"] = DomainError(N_("A product lists at most %(n)d shops."), n=MAX_LISTINGS)
    for i, (platform, url) in enumerate(listings):
        if platform not in platforms:
            errors[f"listing_platform_{i}"] = DomainError(N_("Choose one of the options."))
        if not url:
            errors[f"listing_url_{i}"] = DomainError(N_("Enter the address of the product's page on this platform."))
        elif len(url) > MAX_LISTING_URL:
            errors[f"listing_url_{i}"] = DomainError(N_("Use at most %(n)d characters."), n=MAX_LISTING_URL)
        elif error := web_address_error(url):
            errors[f"listing_url_{i}"] = error
    return errors


async def product_errors(data: ProductInput) -> dict[str, DomainError]:
    known = data.group_id is not None and await ProductGroup.exists().where(ProductGroup.id == data.group_id)
    return product_rule_errors(data, {data.group_id} if known else set())


def product_rule_errors(data: ProductInput, group_ids: Container[int | None]) -> dict[str, DomainError]:
    """What the product rules say of `data`, given the ids of the product groups there are; no
    database, so an import checks thousands of rows with the rules a form is checked with."""
    errors: dict[str, DomainError] = {}
    require(errors, "name", data.name.strip())
    if data.group_id is None or data.group_id not in group_ids:
        errors["group_id"] = DomainError(N_("Choose the product group."))
    if data.stars not in (3, 4, 5):
        errors["stars"] = DomainError(N_("Choose 3, 4 or 5 stars."))
    require(errors, "certificate_number", data.certificate_number)
    if data.certified_on is None:
        errors.setdefault("certified_on", DomainError(N_("Enter the date of the certificate.")))
    elif data.certified_on > today():
        errors["certified_on"] = DomainError(N_("The date of the certificate cannot be in the future."))
    elif data.certified_on < FIRST_CERTIFICATION:
        errors["certified_on"] = DomainError(N_("OCOP certificates were first given in 2018."))
    if data.evaluation_level not in {level.value for level in EvaluationLevel}:
        errors["evaluation_level"] = DomainError(N_("Choose one of the options."))
    elif data.stars == 5 and data.evaluation_level != EvaluationLevel.national.value:
        errors["evaluation_level"] = DomainError(N_("5-star products are recognised at national level."))
    elif data.stars in (3, 4) and data.evaluation_level != EvaluationLevel.provincial.value:
        errors["evaluation_level"] = DomainError(N_("3- and 4-star products are recognised at provincial level."))
    if data.price is not None and not 0 <= data.price <= MAX_PRICE:
        errors["price"] = DomainError(N_("Enter a price between 0 and 100 billion dong."))
    if error := web_address_error(data.traceability_url):
        errors.setdefault("traceability_url", error)
    if data.channels is not None and set(data.channels) - set(CHANNELS):
        errors["channels"] = DomainError(N_("Choose one of the options."))
    if data.monthly_capacity is not None and not 1 <= data.monthly_capacity <= MAX_MONTHLY_VOLUME:
        errors["monthly_capacity"] = DomainError(N_("Enter a volume between 1 and 1,000,000 a month."))
    if data.capacity_unit not in UNITS:
        errors["capacity_unit"] = DomainError(N_("Choose one of the options."))
    if data.barcode and not is_valid_gtin(normalise_barcode(data.barcode)):
        errors.setdefault("barcode", DomainError(
            N_("Enter the 8, 12 or 13 digits of the barcode; its last digit does not match the others.")))
    errors.update(listing_errors(data.listings))
    return errors


async def _checked(
    data: ProductInput, upload: bytes | None, more: list[bytes], store: ImageStore,
    parse_errors: dict[str, DomainError] | None, *, images_kept: int = 0,
) -> tuple[PreparedImage | None, list[PreparedImage]]:
    """Every problem of the form and the images at once; nothing is written when there is one.

    `parse_errors` are what reading the form found already (a price that is not a number), which
    take precedence over what the product rules say about the same field. `images_kept` is how
    many photos the product keeps besides the new ones.
    """
    errors = {**await product_errors(data), **(parse_errors or {})}
    image = None
    if upload is not None:
        try:
            image = store.prepare(upload)
        except ImageRefused as exc:
            errors["image"] = exc
    extra: list[PreparedImage] = []
    if images_kept + (image is not None or upload is not None) + len(more) > gallery.MAX_IMAGES:
        errors.setdefault("more_images", DomainError(N_("A product has at most %(n)d photos."), n=gallery.MAX_IMAGES))
    else:
        for data_bytes in more:
            try:
                extra.append(store.prepare(data_bytes))
            except ImageRefused as exc:
                errors.setdefault("more_images", exc)
    if errors:
        raise ValidationError(errors)
    return image, extra


def _columns(data: ProductInput) -> dict:
    assert data.certified_on is not None
    return {
        Product.name: data.name.strip(),
        Product.group: data.group_id,
        Product.stars: data.stars,
        Product.certificate_number: data.certificate_number,
        Product.certified_on: data.certified_on,
        Product.valid_until: certificate_valid_until(data.certified_on),
        Product.evaluation_level: data.evaluation_level,
        Product.price: data.price,
        Product.unit: data.unit,
        Product.description: data.description,
        Product.story: data.story,
        Product.traceability_url: data.traceability_url,
        Product.traceability_code: data.traceability_code,
        Product.barcode: normalise_barcode(data.barcode),
        **_matching_columns(data),
    }


def _matching_columns(data: ProductInput) -> dict:
    if data.channels is None:
        return {}
    return {
        Product.channels: join_codes(data.channels),
        Product.monthly_capacity: data.monthly_capacity,
        Product.capacity_unit: data.capacity_unit,
    }


async def _search_columns(producer_id: int, data: ProductInput) -> dict:
    return await search_columns_for(
        producer_id, name=data.name.strip(), group_id=data.group_id, description=data.description, story=data.story
    )


# Reading ------------------------------------------------------------------------------------------

PRODUCT_COLUMNS = (
    Product.all_columns(),
    Product.group.code.as_alias("group_code"),
    Product.group.name_vi.as_alias("name_vi"),
    Product.group.name_en.as_alias("name_en"),
)


async def own_products(producer_id: int, number: int) -> Page:
    """The producer's products, a page at a time, each with its validity and live applications."""
    where = Product.producer == producer_id
    page = await paginate(
        Product.select(*PRODUCT_COLUMNS).where(where).order_by(Product.search_name, Product.id),
        Product.count().where(where),
        number,
        PER_PAGE,
    )
    shown = await live_application_counts([p["id"] for p in page.items])
    on = today()
    for product in page.items:
        product["valid"] = is_valid(product["valid_until"], on)
        product["live_applications"] = shown.get(product["id"], 0)
    return page


async def owner_of(product_id: int) -> int:
    """The producer of a product, for staff who edit it as its producer would."""
    row = await Product.select(Product.producer).where(Product.id == product_id).first()
    if row is None:
        raise NotFound(N_("This product does not exist."))
    return row["producer"]


async def own_product(producer_id: int | None, product_id: int) -> dict:
    row = None
    if producer_id is not None:
        row = await Product.select(*PRODUCT_COLUMNS).where(
            (Product.id == product_id) & (Product.producer == producer_id)
        ).first()
    if row is None:
        raise NotFound(N_("This product does not exist."))
    row["valid"] = is_valid(row["valid_until"])
    row["images"] = await gallery.images_of(product_id)
    row["listings"] = await gallery.listing_pairs(product_id)
    return row


async def live_application_counts(product_ids: list[int]) -> dict[int, int]:
    return {product_id: len(uses) for product_id, uses in (await PRODUCT_SHOWN_IN.ask_many(product_ids)).items()}


async def live_applications(product_id: int) -> list[dict]:
    """The applications of events not yet over that show this product."""
    return await PRODUCT_SHOWN_IN.ask(product_id)


# Writing ------------------------------------------------------------------------------------------

async def create_product(
    producer_id: int,
    data: ProductInput,
    *,
    upload: bytes | None,
    store: ImageStore,
    actor_id: int,
    more_uploads: list[bytes] | None = None,
    parse_errors: dict[str, DomainError] | None = None,
) -> dict:
    """Add a product with its photos (the main one first) and listings; returns its id and slug."""
    image, extra = await _checked(data, upload, more_uploads or [], store, parse_errors)
    names = [store.save(prepared) for prepared in ([image] if image else []) + extra]
    image_name = names[0] if names else ""
    try:
        async with write_transaction():
            product = Product(
                **{column._meta.name: value for column, value in _columns(data).items()},
                producer=producer_id,
                slug=await unique_slug(Product, data.name),
                image=image_name,
                **{column._meta.name: value for column, value in (await _search_columns(producer_id, data)).items()},
            )
            await product.save()
            await gallery.insert_images(product.id, names)
            await gallery.replace_listings(product.id, data.listings)
            await audit("product.create", actor_id=actor_id, target=("product", product.id),
                        after={**_columns(data), "images": names, "listings": data.listings})
    except Exception as exc:
        for name in names:
            store.delete(name)
        if is_integrity_error(exc):  # a product of the same name was added at the same moment
            raise Conflict(N_("Another product with this name was saved at the same moment. Please send the form again.")) from exc
        raise
    return {"id": product.id, "slug": product.slug}


async def update_product(
    producer_id: int | None,
    product_id: int,
    data: ProductInput,
    *,
    upload: bytes | None,
    remove_image: bool,
    store: ImageStore,
    actor_id: int,
    more_uploads: list[bytes] | None = None,
    parse_errors: dict[str, DomainError] | None = None,
) -> None:
    """Save changes; a new main photo replaces the old one, whose file is removed once the change
    is saved; further photos come after those the product has. `producer_id` is the product's
    producer (for staff, `owner_of`). The slug stays: printed QR codes point at it.
    """
    await own_product(producer_id, product_id)
    assert producer_id is not None
    kept = await gallery.image_names(product_id)
    image, extra = await _checked(data, upload, more_uploads or [], store, parse_errors,
                                  images_kept=len(kept) - bool(kept and (upload is not None or remove_image)))
    new_main = store.save(image) if image else ""
    added = [store.save(prepared) for prepared in extra]
    try:
        async with write_transaction():
            shown = _columns(data)
            row = await for_update(
                Product.select(Product.id, *shown).where(
                    (Product.id == product_id) & (Product.producer == producer_id)
                )
            ).first()
            if row is None:  # deleted in the meantime
                raise NotFound(N_("This product does not exist."))
            before_images = await gallery.image_names(product_id)
            before_listings = await gallery.listing_pairs(product_id)
            await Product.update({
                **shown,
                **await _search_columns(producer_id, data),
                Product.updated_at: now(),
            }).where(Product.id == product_id)
            replaced = await gallery.replace_main(product_id, new_main, remove=remove_image) if image or remove_image else ""
            await gallery.insert_images(product_id, added)
            await gallery.replace_listings(product_id, data.listings)
            after_images = await gallery.image_names(product_id)
            await audit("product.update", actor_id=actor_id, target=("product", product_id),
                        before={**row, "images": before_images, "listings": before_listings},
                        after={**shown, "images": after_images, "listings": data.listings})
    except Exception:
        for name in [new_main, *added]:
            store.delete(name)
        raise
    store.delete(replaced)


async def delete_product(producer_id: int | None, product_id: int, *, store: ImageStore, actor_id: int) -> str:
    """Delete a product that no live booth application shows; returns its name."""
    product = await own_product(producer_id, product_id)
    async with write_transaction():
        await for_update(Product.select(Product.id).where(Product.id == product_id)).first()
        shown_in = await live_applications(product_id)
        if shown_in:
            titles = "; ".join(dict.fromkeys(row["title_vi"] for row in shown_in))
            raise Conflict(
                N_("“%(name)s” is shown in your booth application for %(events)s. Withdraw it from the application, "
                   "or wait until the event is over, before deleting it."),
                name=product["name"],
                events=titles,
            )
        names = await gallery.image_names(product_id)
        await Product.delete().where(Product.id == product_id)
        await audit("product.delete", actor_id=actor_id, target=("product", product_id), detail={"name": product["name"]},
                    before={"name": product["name"]})
    for name in dict.fromkeys([product["image"], *names]):
        store.delete(name)
    return product["name"]
