"""Revision counters move with every committed write to their scope's tables, and only then."""

import asyncio

import pytest

from events_app.core.db import engine, write_transaction
from events_app.core.revisions import (
    CALENDAR, CATALOGUE, FAIR_TABLES, RETIRED_TABLES, SCOPES, fair_scope, revision, trigger_statements,
)
from events_app.directory.tables import Product
from events_app.reference.tables import Province
from tests.factories import make_producer, make_product


async def test_a_write_moves_its_scopes_and_only_them(clean_db):
    catalogue, calendar = await revision(CATALOGUE), await revision(CALENDAR)
    producer = await make_producer()  # producers show in the catalogue, not in the public calendar
    assert await revision(CATALOGUE) != catalogue
    assert await revision(CALENDAR) == calendar

    catalogue, calendar = await revision(CATALOGUE), await revision(CALENDAR)
    product = await make_product(producer)  # products are not in any feed
    assert await revision(CATALOGUE) != catalogue
    assert await revision(CALENDAR) == calendar

    catalogue = await revision(CATALOGUE)
    await Product.update({Product.name: "Trà hoa vàng"}).where(Product.id == product.id)
    assert await revision(CATALOGUE) != catalogue
    catalogue = await revision(CATALOGUE)
    await Product.delete().where(Product.id == product.id)
    assert await revision(CATALOGUE) != catalogue


async def test_reading_changes_nothing(clean_db):
    before = await revision(CATALOGUE, CALENDAR)
    await Product.select().where(Product.stars == 5)
    await Province.select(Province.name)
    assert await revision(CATALOGUE, CALENDAR) == before


async def test_a_rolled_back_write_leaves_the_counter(clean_db):
    producer = await make_producer()
    before = await revision(CATALOGUE)
    with pytest.raises(RuntimeError):
        async with write_transaction():
            await make_product(producer, name="Mật ong rừng")
            raise RuntimeError("the import failed")
    assert await Product.count() == 0
    assert await revision(CATALOGUE) == before


async def test_a_transaction_of_many_writes_is_one_new_version(clean_db):
    producer = await make_producer()
    before = int(await revision(CATALOGUE))
    async with write_transaction():
        for n in range(5):
            await make_product(producer, name=f"Gạo nếp {n}")
    after = int(await revision(CATALOGUE))
    assert after > before
    assert await Product.count() == 5


async def test_several_scopes_read_together(clean_db):
    key = await revision(CATALOGUE, CALENDAR)
    assert key == f"{await revision(CATALOGUE)}.{await revision(CALENDAR)}"
    with pytest.raises(ValueError):
        await revision("menu")


async def test_every_watched_table_has_its_triggers(clean_db):
    """A table renamed or added to a scope without a trigger would silently never move it."""
    if engine().engine_type == "postgres":
        rows = await engine().run_ddl("SELECT tgname AS name FROM pg_trigger WHERE tgname LIKE 'revision_%'")
    else:
        rows = await engine().run_ddl("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'revision_%'")
    installed = {row["name"] for row in rows}
    expected = {
        statement.split()[3] if "CONSTRAINT" in statement else statement.split()[2]
        for statement in trigger_statements(engine().engine_type)
        if statement.startswith("CREATE") and "TRIGGER" in statement.split()[1:3]
    }
    watched = {table for tables in SCOPES.values() for table in tables} | FAIR_TABLES.keys()
    assert expected and expected <= installed
    assert all(any(name.startswith(f"revision_{table}") for name in installed) for table in watched)
    assert not any(name.startswith(f"revision_{table}") for name in installed for table in RETIRED_TABLES)
    assert not FAIR_TABLES.keys() & {table for tables in SCOPES.values() for table in tables}


async def test_a_read_beside_an_open_write_sees_what_is_committed_at_once(clean_db):
    producer = await make_producer()
    before = await revision(CATALOGUE)
    written, finish = asyncio.Event(), asyncio.Event()

    async def writer() -> None:
        async with write_transaction():
            await make_product(producer, name="Mật ong rừng U Minh")
            written.set()
            await finish.wait()

    task = asyncio.create_task(writer())
    await written.wait()
    # Neither waiting for the writer nor seeing what it has not committed.
    assert await asyncio.wait_for(revision(CATALOGUE), 2) == before
    finish.set()
    await task
    assert await revision(CATALOGUE) != before


async def test_a_fairs_booths_and_exhibitors_move_that_fair_alone(clean_db):
    """A booking at one fair leaves the directory, the calendar and every other fair as they were."""
    from events_app.booths.tables import ApplicationProduct, BoothApplication, BoothRental
    from tests.catalogue.builders import exhibit, make_fair

    fair, booths = await make_fair()
    other, _ = await make_fair()
    producer = await make_producer()
    product, second = await make_product(producer), await make_product(producer, name="Mật ong hoa nhãn")
    scopes = (CATALOGUE, CALENDAR, fair_scope(other["id"]))

    async def fair_alone_moves(what: str, write):
        before_fair, before_rest = await revision(fair_scope(fair["id"])), await revision(*scopes)
        written = await write()
        assert int(await revision(fair_scope(fair["id"]))) > int(before_fair), what
        assert await revision(*scopes) == before_rest, what
        return written

    application = await fair_alone_moves("an application with its product and booth",
                                         lambda: exhibit(fair, producer, [product], booth_id=booths["A-01"]))
    for what, write in [
        ("a product shown, added alone", lambda: ApplicationProduct(application=application.id, product=second.id).save()),
        ("a rental's status", lambda: BoothRental.update({BoothRental.status: "cancelled"}).where(
            BoothRental.booth == booths["A-01"])),
        ("a rental deleted", lambda: BoothRental.delete().where(BoothRental.booth == booths["A-01"])),
        ("an application's status", lambda: BoothApplication.update({BoothApplication.status: "withdrawn"}).where(
            BoothApplication.event == fair["id"])),
        ("a product shown, removed", lambda: ApplicationProduct.delete().where(ApplicationProduct.product == product.id)),
    ]:
        await fair_alone_moves(what, write)


async def test_a_fair_never_written_reads_as_its_first_version(clean_db):
    assert await revision(fair_scope(2_147_483_647)) == "0"
    with pytest.raises(ValueError):
        await revision("fair_x")
