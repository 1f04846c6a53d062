"""Objects for tests, made through the same code paths the application uses."""

from __future__ import annotations

import datetime as dt
import itertools

from events_app.accounts.passwords import hash_password
from events_app.accounts.tables import User
from events_app.directory.search import product_search_columns
from events_app.core.dates import certificate_valid_until
from events_app.core.slugs import unique_slug
from events_app.directory.tables import Distributor, Producer, Product
from events_app.reference.tables import ProductGroup, Province

PASSWORD = "correct horse battery"
_counter = itertools.count(1)
_hash_cache: dict[str, str] = {}


async def password_hash(password: str = PASSWORD) -> str:
    if password not in _hash_cache:
        _hash_cache[password] = await hash_password(password)
    return _hash_cache[password]


async def province_id(name: str = "Nghệ An") -> int:
    return (await Province.select(Province.id).where(Province.name == name).first())["id"]


async def group_id(code: str = "food") -> int:
    return (await ProductGroup.select(ProductGroup.id).where(ProductGroup.code == code).first())["id"]


async def make_producer(name: str | None = None, *, province: str = "Nghệ An", producer_type: str = "cooperative") -> Producer:
    name = name or f"HTX Thử nghiệm {next(_counter)}"
    producer = Producer(
        name=name, slug=await unique_slug(Producer, name), producer_type=producer_type, province=await province_id(province)
    )
    await producer.save()
    return producer


async def make_product(
    producer: Producer,
    name: str | None = None,
    *,
    group: str = "food",
    stars: int = 4,
    certified_on: dt.date = dt.date(2025, 6, 1),
    price: int | None = 100_000,
) -> Product:
    name = name or f"Sản phẩm {next(_counter)}"
    product = Product(
        producer=producer.id,
        name=name,
        slug=await unique_slug(Product, name),
        group=await group_id(group),
        stars=stars,
        certificate_number=f"OCOP-T-{next(_counter)}",
        certified_on=certified_on,
        valid_until=certificate_valid_until(certified_on),
        price=price,
        unit="hộp",
        **product_search_columns(name=name, producer=producer.name, province=""),
    )
    await product.save()
    return product


async def make_distributor(name: str | None = None, *, distributor_type: str = "supermarket_chain") -> Distributor:
    name = name or f"Siêu thị Thử nghiệm {next(_counter)}"
    distributor = Distributor(name=name, slug=await unique_slug(Distributor, name), distributor_type=distributor_type)
    await distributor.save()
    return distributor


async def make_user(
    role: str,
    email: str | None = None,
    *,
    producer: Producer | None = None,
    distributor: Distributor | None = None,
    password: str = PASSWORD,
) -> User:
    if role == "producer" and producer is None:
        producer = await make_producer()
    if role == "distributor" and distributor is None:
        distributor = await make_distributor()
    user = User(
        email=email or f"{role}{next(_counter)}@test.example",
        name=f"{role.title()} {next(_counter)}",
        role=role,
        password_hash=await password_hash(password),
        producer=producer.id if producer else None,
        distributor=distributor.id if distributor else None,
    )
    await user.save()
    return user
