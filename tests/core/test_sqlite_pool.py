"""The pooled SQLite engine, against Piccolo's own engine.

Piccolo has no connection pool for SQLite; `PooledSQLiteEngine` implements the two public
methods of its `Engine` contract that every query goes through. These tests pin what that
relies on, so that a Piccolo upgrade that changes it fails here rather than in production:
the methods and their signatures, that queries really reuse connections (counted as they
open), and that transactions, errors and logging behave as with the stock engine.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import sqlite3

import aiosqlite
import pytest
from piccolo.columns import Integer, Varchar
from piccolo.engine.base import Engine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.querystring import QueryString
from piccolo.table import Table, create_db_tables

from events_app.core.db import PooledSQLiteEngine


@pytest.fixture
def opened(monkeypatch) -> list[str]:
    """The databases of the connections opened, the stock engine's and ours alike."""
    paths: list[str] = []
    connect = aiosqlite.connect

    def counting(database, *args, **kwargs):
        paths.append(str(database))
        return connect(database, *args, **kwargs)

    monkeypatch.setattr(aiosqlite, "connect", counting)
    return paths


@pytest.fixture
async def pooled(tmp_path):
    engine = PooledSQLiteEngine(path=str(tmp_path / "pool.sqlite3"), pool_size=4, timeout=5)
    yield engine
    await engine.close_pool()


async def stall_table(engine: Engine, opened: list[str]) -> type[Table]:
    class Stall(Table, db=engine, tablename="stall"):
        name = Varchar(length=50, unique=True)
        visitors = Integer(default=0)

    await create_db_tables(Stall)  # in a transaction, on a connection of its own
    opened.clear()
    return Stall


def _parameters(method) -> list[tuple[str, object, object]]:
    return [(p.name, p.kind, p.default) for p in inspect.signature(method).parameters.values()]


def test_only_public_engine_methods_are_overridden_with_piccolos_signatures():
    for name in ("run_querystring", "run_ddl"):
        assert name in Engine.__abstractmethods__, f"{name} is no longer part of Piccolo's Engine contract"
        assert _parameters(getattr(PooledSQLiteEngine, name)) == _parameters(getattr(SQLiteEngine, name)), name
    private_overrides = [
        name
        for name, value in vars(PooledSQLiteEngine).items()
        if inspect.isfunction(value) and name.startswith("_") and not name.startswith("__") and hasattr(SQLiteEngine, name)
    ]
    assert private_overrides == []
    # Piccolo's own set-up of a connection (row factory, foreign keys) is what the pool opens.
    assert "get_connection" in vars(SQLiteEngine)


def test_connections_must_be_in_autocommit_mode(tmp_path):
    with pytest.raises(ValueError, match="autocommit"):
        PooledSQLiteEngine(path=str(tmp_path / "x.sqlite3"), isolation_level="DEFERRED")


async def test_stock_engine_opens_a_connection_per_query(tmp_path, opened):
    # Why the pool exists: if Piccolo ever reuses connections itself, this fails and the pool can go.
    stock = SQLiteEngine(path=str(tmp_path / "stock.sqlite3"))
    for _ in range(5):
        await stock.run_querystring(QueryString("SELECT 1 AS one"))
    assert len(opened) == 5


async def test_queries_outside_transactions_share_one_connection(pooled, opened):
    Stall = await stall_table(pooled, opened)
    inserted = await Stall.insert(Stall(name="Trà Shan tuyết"), Stall(name="Nước mắm"))
    await Stall.update({Stall.visitors: Stall.visitors + 3}).where(Stall.name == "Nước mắm")
    await Stall.objects().create(name="Gạo ST25")
    rows = await Stall.select(Stall.name, Stall.visitors).order_by(Stall.id)
    assert await Stall.count() == 3
    assert await Stall.exists().where(Stall.name == "Gạo ST25")
    assert await pooled.run_querystring(QueryString("PRAGMA foreign_keys")) == [{"foreign_keys": 1}]

    assert [row["id"] for row in inserted] == [1, 2]
    assert rows == [
        {"name": "Trà Shan tuyết", "visitors": 0},
        {"name": "Nước mắm", "visitors": 3},
        {"name": "Gạo ST25", "visitors": 0},
    ]
    assert len(opened) == 1


async def test_transactions_keep_their_own_connection_and_reads_outside_see_only_commits(pooled, opened):
    Stall = await stall_table(pooled, opened)
    outside = contextvars.copy_context()  # a task started with it is outside the transaction

    async def names() -> list[str]:
        return [row["name"] for row in await Stall.select(Stall.name)]

    async with pooled.transaction(transaction_type=TransactionType.immediate):
        await Stall.insert(Stall(name="Mật ong bạc hà"))
        assert await names() == ["Mật ong bạc hà"]
        assert await asyncio.create_task(names(), context=outside) == []
    assert await asyncio.create_task(names(), context=outside) == ["Mật ong bạc hà"]
    assert len(opened) == 2  # the pool's one connection and the transaction's


async def test_a_refused_statement_leaves_the_connection_usable(pooled, opened):
    Stall = await stall_table(pooled, opened)
    await Stall.insert(Stall(name="Chè Thái Nguyên"))
    with pytest.raises(sqlite3.IntegrityError):
        await Stall.insert(Stall(name="Chè Thái Nguyên"))
    assert await Stall.count() == 1
    assert len(opened) == 1


async def test_an_open_transaction_never_goes_back_to_the_pool(pooled, tmp_path, opened):
    await pooled.run_ddl("CREATE TABLE booth (id INTEGER PRIMARY KEY)")
    await pooled.run_ddl("BEGIN IMMEDIATE")  # takes the write lock, outside Piccolo's transactions
    other = SQLiteEngine(path=pooled.path, timeout=0.2)
    await other.run_querystring(QueryString("INSERT INTO booth (id) VALUES (1)"))  # not locked out
    assert await pooled.run_querystring(QueryString("SELECT id FROM booth")) == [{"id": 1}]


async def test_concurrent_queries_each_get_a_connection_and_the_pool_keeps_its_size(pooled, opened):
    await pooled.run_ddl("CREATE TABLE visit (n INTEGER)")
    await pooled.run_querystring(QueryString("INSERT INTO visit (n) VALUES (1), (2), (3)"))
    opened.clear()
    query = QueryString("SELECT sum(n) AS total FROM visit, (SELECT 1 FROM visit LIMIT {})", 3)
    results = await asyncio.gather(*(pooled.run_querystring(query) for _ in range(10)))
    assert results == [[{"total": 18}]] * 10
    assert 1 <= len(opened) <= 10
    opened.clear()
    for _ in range(pooled.pool_size):  # as many as the pool keeps, without opening any
        await pooled.run_querystring(query)
    assert opened == []
    await pooled.close_pool()
    await pooled.run_querystring(query)
    assert len(opened) == 1


async def test_queries_and_responses_are_logged_as_piccolo_does(tmp_path, capsys):
    engine = PooledSQLiteEngine(path=str(tmp_path / "log.sqlite3"), log_queries=True, log_responses=True)
    await engine.run_querystring(QueryString("SELECT {} AS answer", 42))
    await engine.close_pool()
    printed = capsys.readouterr().out
    assert "SELECT 42 AS answer" in printed
    assert "{'answer': 42}" in printed
