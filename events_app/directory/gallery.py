"""A product's photos in their order, and its listings on e-commerce platforms.

The first photo is the product's main image: its file name is copied to Product.image, which the
catalogue, its PDFs and the exports read. Every function here that writes runs inside the
caller's transaction, except the staff's and producer's own actions on one photo at the bottom,
which open theirs.
"""

from __future__ import annotations

from events_app.core.audit import audit
from events_app.core.db import for_update, write_transaction
from events_app.core.errors import NotFound
from events_app.core.i18n import N_
from events_app.directory.images import ImageStore
from events_app.directory.tables import Product, ProductImage, ProductListing

MAX_IMAGES = 8
MAX_ALT_TEXT = 200


async def images_of(product_id: int) -> list[dict]:
    return await ProductImage.select(
        ProductImage.id, ProductImage.file_name, ProductImage.alt_text, ProductImage.position
    ).where(ProductImage.product == product_id).order_by(ProductImage.position, ProductImage.id)


async def image_names(product_id: int) -> list[str]:
    return [row["file_name"] for row in await images_of(product_id)]


async def listings_of(product_id: int) -> list[dict]:
    return await ProductListing.select(ProductListing.platform, ProductListing.url).where(
        ProductListing.product == product_id
    ).order_by(ProductListing.position, ProductListing.id)


async def listing_pairs(product_id: int) -> list[tuple[str, str]]:
    return [(row["platform"], row["url"]) for row in await listings_of(product_id)]


async def _renumber(product_id: int, ordered_ids: list[int]) -> None:
    """Positions 0, 1, 2… in this order, and the first photo's file as the product's image."""
    for position, image_id in enumerate(ordered_ids):
        await ProductImage.update({ProductImage.position: position}).where(ProductImage.id == image_id)
    first = await ProductImage.select(ProductImage.file_name).where(ProductImage.product == product_id).order_by(
        ProductImage.position, ProductImage.id).first()
    await Product.update({Product.image: first["file_name"] if first else ""}).where(Product.id == product_id)


async def insert_images(product_id: int, names: list[str]) -> None:
    """Add stored files after the photos the product has."""
    if not names:
        return
    rows = await images_of(product_id)
    start = len(rows)
    await ProductImage.insert(*(
        ProductImage(product=product_id, file_name=name, position=start + i) for i, name in enumerate(names)
    ))
    await _renumber(product_id, [row["id"] for row in await images_of(product_id)])


async def replace_main(product_id: int, name: str, *, remove: bool) -> str:
    """Put `name` in the main photo's place (or, with no name and `remove`, take it away);
    returns the file no longer used, to delete once the change is saved."""
    rows = await images_of(product_id)
    if rows and (name or remove):
        old = rows[0]
        if name:
            await ProductImage.update({ProductImage.file_name: name, ProductImage.alt_text: ""}).where(
                ProductImage.id == old["id"])
        else:
            await ProductImage.delete().where(ProductImage.id == old["id"])
        await _renumber(product_id, [row["id"] for row in await images_of(product_id)])
        return old["file_name"]
    # No rows: a product whose image was written before photos had rows of their own.
    legacy = await Product.select(Product.image).where(Product.id == product_id).first()
    if name:
        await ProductImage.insert(ProductImage(product=product_id, file_name=name, position=-1))
    await _renumber(product_id, [row["id"] for row in await images_of(product_id)])
    return legacy["image"] if legacy else ""


async def replace_listings(product_id: int, listings: list[tuple[str, str]]) -> None:
    await ProductListing.delete().where(ProductListing.product == product_id)
    if listings:
        await ProductListing.insert(*(
            ProductListing(product=product_id, platform=platform, url=url, position=i)
            for i, (platform, url) in enumerate(listings)
        ))


# One photo at a time ------------------------------------------------------------------------------

async def _locked_images(producer_id: int, product_id: int) -> list[dict]:
    product = await for_update(Product.select(Product.id).where(
        (Product.id == product_id) & (Product.producer == producer_id))).first()
    if product is None:
        raise NotFound(N_("This product does not exist."))
    return await images_of(product_id)


def _find(rows: list[dict], image_id: int) -> int:
    for i, row in enumerate(rows):
        if row["id"] == image_id:
            return i
    raise NotFound(N_("This photo does not exist."))


def _state(rows: list[dict]) -> dict:
    return {"images": [row["file_name"] for row in rows], "alt_texts": [row["alt_text"] for row in rows]}


async def change_image(
    producer_id: int, product_id: int, image_id: int, *, move: int = 0, alt_text: str | None = None, actor_id: int
) -> None:
    """Move a photo `move` places (−1 earlier, +1 later; the first is the main image) or set its
    description for those who cannot see it."""
    async with write_transaction():
        rows = await _locked_images(producer_id, product_id)
        at = _find(rows, image_id)
        before = _state(rows)
        if alt_text is not None:
            await ProductImage.update({ProductImage.alt_text: alt_text[:MAX_ALT_TEXT]}).where(ProductImage.id == image_id)
        ids = [row["id"] for row in rows]
        to = min(max(at + move, 0), len(ids) - 1)
        ids.insert(to, ids.pop(at))
        await _renumber(product_id, ids)
        await audit("product.images", actor_id=actor_id, target=("product", product_id),
                    before=before, after=_state(await images_of(product_id)))


async def delete_image(producer_id: int, product_id: int, image_id: int, *, store: ImageStore, actor_id: int) -> None:
    async with write_transaction():
        rows = await _locked_images(producer_id, product_id)
        before = _state(rows)
        gone = rows.pop(_find(rows, image_id))
        await ProductImage.delete().where(ProductImage.id == image_id)
        await _renumber(product_id, [row["id"] for row in rows])
        await audit("product.images", actor_id=actor_id, target=("product", product_id),
                    before=before, after=_state(rows))
    store.delete(gone["file_name"])
