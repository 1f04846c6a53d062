"""The test harness itself: pages are served from the connections the session keeps open, and
clear_database leaves the reference data alone, empties the rest and starts ids again at 1."""

from __future__ import annotations

import aiosqlite
import asyncpg

from events_app.accounts.tables import User
from events_app.core.db import engine, is_postgres
from events_app.directory.tables import Producer
from events_app.reference.tables import Province
from tests.factories import make_producer, make_user
from tests.helpers import clear_database, login


async def test_pages_use_the_connections_the_session_keeps_open(client, monkeypatch):
    await make_user("staff", "staff@example.vn")
    await login(client, "staff@example.vn", "correct horse battery")
    assert (await client.get("/events")).status_code == 200  # warm: the pool holds what a page needs
    if is_postgres():
        assert engine().pool is not None, "no PostgreSQL pool: every query would open a connection"
    opened = []

    def counted(connect):
        def connect_and_count(*args, **kwargs):
            opened.append(args)
            return connect(*args, **kwargs)

        return connect_and_count

    monkeypatch.setattr(asyncpg, "connect", counted(asyncpg.connect))
    monkeypatch.setattr(aiosqlite, "connect", counted(aiosqlite.connect))
    for path in ("/events", "/products", "/staff/", "/account"):
        assert (await client.get(path)).status_code == 200, path
    assert opened == []


async def test_clear_database_keeps_reference_data_and_restarts_ids(clean_db):
    provinces = await Province.count()
    await make_producer()
    await make_user("producer")
    await clear_database()
    assert await User.count() == 0 and await Producer.count() == 0
    assert await Province.count() == provinces == 34
    assert (await make_producer()).id == 1
