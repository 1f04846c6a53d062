"""Database engine set-up and the few helpers every domain shares.

Writes that read first (check a booth is free, then take it) run in `write_transaction()`:
on SQLite an IMMEDIATE transaction takes the database write lock before the first read;
on PostgreSQL the caller locks the rows it decides on with `for_update()`.
Constraints and triggers in the migrations are the last line of defence behind both.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import socket
import sqlite3
import warnings
from contextlib import asynccontextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import AsyncIterator, TypeVar

import aiosqlite
import asyncpg
from piccolo.engine.base import Engine
from piccolo.engine.finder import engine_finder
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.querystring import QueryString


SQLITE_BUSY_TIMEOUT_SECONDS = 30

Q = TypeVar("Q")


class PooledSQLiteEngine(SQLiteEngine):
    """Piccolo's SQLite engine, keeping connections open between queries.

    The stock engine opens a new connection (and its thread) for every query outside a
    transaction; on a page of ten queries that is most of the time spent. Piccolo pools
    connections only for PostgreSQL, CockroachDB and MySQL, so this engine implements the
    two methods of Piccolo's `Engine` contract that every query and DDL statement goes
    through, `run_querystring` and `run_ddl`: outside a transaction they run on a
    connection from a small pool of idle ones; inside one, and for what needs Piccolo's
    own handling, they are handed to the stock engine. Connections are in autocommit mode,
    so each statement sees everything committed before it. `tests/core/test_sqlite_pool.py`
    pins what this relies on, so that a Piccolo upgrade that changes it fails there.
    """

    __slots__ = ("_idle", "pool_size", "_at_hand")

    def __init__(self, path: str, pool_size: int = 8, **connection_kwargs) -> None:
        super().__init__(path=path, **connection_kwargs)
        if self.connection_kwargs["isolation_level"] is not None:
            raise ValueError("pooled SQLite connections must be in autocommit mode (isolation_level=None)")
        self._idle: list[aiosqlite.Connection] = []
        self.pool_size = pool_size
        self._at_hand: sqlite3.Connection | None = None

    def read_at_once(self, query: str, args: list) -> list[dict] | None:
        """A read of a row or two by an index, run on the calling thread: for what every request
        asks first (the revision counters). Handing a query to a connection's thread costs far
        more than such a read, and under WAL a reader never waits for a writer. None when it
        cannot be answered so (inside a transaction, which must see its own writes; the database
        busy): then ask the usual way."""
        if self.transaction_exists():
            return None
        try:
            if self._at_hand is None:
                self._at_hand = sqlite3.connect(self.path, timeout=0, isolation_level=None, check_same_thread=False)
                self._at_hand.row_factory = lambda cursor, row: {c[0]: v for c, v in zip(cursor.description, row)}
            return self._at_hand.execute(query, args).fetchall()
        except sqlite3.Error:
            return None

    async def run_querystring(self, querystring: QueryString, in_pool: bool = False):
        if self.transaction_exists() or (querystring.query_type == "insert" and self.get_version_sync() < 3.35):
            # A transaction has its connection; SQLite before 3.35 has no RETURNING, and Piccolo
            # looks up the inserted key in its own way.
            return await super().run_querystring(querystring, in_pool=in_pool)
        query, args = querystring.compile_string(engine_type=self.engine_type)
        return await self._run_pooled(query, args, shown=str(querystring))

    async def run_ddl(self, ddl: str, in_pool: bool = False):
        if self.transaction_exists():
            return await super().run_ddl(ddl, in_pool=in_pool)
        return await self._run_pooled(ddl, [], shown=ddl)

    async def _run_pooled(self, query: str, args: list, shown: str) -> list[dict]:
        query_id = self.get_query_id()
        if self.log_queries:
            self.print_query(query_id=query_id, query=shown)
        connection = await self._acquire()
        try:
            # One trip to the connection's thread, not three (execute, fetch, close the cursor):
            # a hop between threads is most of what a small query costs.
            rows = list(await connection.execute_fetchall(query, args))
        except sqlite3.Error:
            await self._release(connection)  # a refused statement is rolled back; the connection is sound
            raise
        except BaseException:
            await connection.close()  # cancelled mid-statement: never hand on a connection in an unknown state
            raise
        await self._release(connection)
        if self.log_responses:
            self.print_response(query_id=query_id, response=rows)
        return rows

    async def _acquire(self) -> aiosqlite.Connection:
        try:
            return self._idle.pop()
        except IndexError:
            return await self.get_connection()  # Piccolo's own set-up: row factory, foreign keys

    async def _release(self, connection: aiosqlite.Connection) -> None:
        # A statement such as BEGIN leaves a transaction open: closing the connection rolls it back.
        if connection.in_transaction or len(self._idle) >= self.pool_size:
            await connection.close()
        else:
            self._idle.append(connection)

    async def close_pool(self) -> None:
        if self._at_hand is not None:
            self._at_hand.close()
            self._at_hand = None
        idle, self._idle = self._idle, []
        for connection in idle:
            await connection.close()


def engine_from_url(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        # The folder is not made here: settings make the default one; a path named in
        # DATABASE_URL must be in a folder that exists (see DatabaseUnavailable).
        path = Path(url.removeprefix("sqlite:///"))
        return PooledSQLiteEngine(path=str(path), timeout=SQLITE_BUSY_TIMEOUT_SECONDS)
    if url.startswith(("postgres://", "postgresql://")):
        with warnings.catch_warnings():
            # Piccolo asks the server's version as the engine is made, and warns when it cannot:
            # connecting (db.connect) then says in one line why.
            warnings.filterwarnings("ignore", message=r".*Unable to (connect|fetch server version)")
            return PostgresEngine(config={"dsn": url})
    raise ValueError(f"Unsupported DATABASE_URL: {url}")


def engine() -> Engine:
    found = engine_finder()
    if found is None:
        raise RuntimeError("No database engine: is piccolo_conf importable?")
    return found


def is_postgres() -> bool:
    return engine().engine_type == "postgres"


async def prepare_database() -> None:
    """Per-database settings that persist: SQLite's write-ahead log lets readers run beside a writer."""
    db = engine()
    if isinstance(db, SQLiteEngine):
        await db.run_ddl("PRAGMA journal_mode=WAL")


class DatabaseUnavailable(Exception):
    """The database cannot be opened or reached; the message names the cause in one line."""


def _where(db: PostgresEngine) -> tuple[str, str, str]:
    """(host:port, database, user) of a PostgreSQL engine's DSN, without its password."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(db.config.get("dsn", ""))
    host = parts.hostname or "localhost"
    return f"{host}:{parts.port or 5432}", unquote(parts.path.lstrip("/")), unquote(parts.username or "")


def _sqlite_problem(path: Path) -> str | None:
    """Why the SQLite file at `path` cannot be opened for writing, when that can be told beforehand."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        return f"cannot open the SQLite database {path}: its folder {folder} {what} (DATABASE_URL)"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"cannot open the SQLite database {path}: its folder {folder} is read-only for this user"
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        return f"cannot open the SQLite database {path}: the file is read-only for this user"
    return None


def unavailable(exc: BaseException, db: Engine | None = None) -> DatabaseUnavailable:
    """A one-line account of why opening the database failed."""
    db = db or engine()
    if isinstance(db, SQLiteEngine):
        path = Path(db.path)
        reason = _sqlite_problem(path) or f"cannot open the SQLite database {path}: {exc}"
        return DatabaseUnavailable(reason)
    where, name, user = _where(db)  # type: ignore[arg-type]
    if isinstance(exc, asyncpg.InvalidCatalogNameError):
        return DatabaseUnavailable(f'PostgreSQL at {where} has no database "{name}" (DATABASE_URL): create it or fix the name')
    if isinstance(exc, (asyncpg.InvalidPasswordError, asyncpg.InvalidAuthorizationSpecificationError)):
        return DatabaseUnavailable(f'PostgreSQL at {where} refused user "{user}": {exc}')
    if isinstance(exc, ConnectionRefusedError):
        return DatabaseUnavailable(f"PostgreSQL is not accepting connections at {where} (connection refused): is it running?")
    if isinstance(exc, socket.gaierror):
        return DatabaseUnavailable(f"PostgreSQL host of {where} cannot be found: {exc.strerror or exc}")
    if isinstance(exc, (TimeoutError, asyncio.TimeoutError)):
        return DatabaseUnavailable(f"PostgreSQL at {where} did not answer in time")
    if isinstance(exc, OSError):
        return DatabaseUnavailable(f"cannot connect to PostgreSQL at {where}: {exc.strerror or exc}")
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return DatabaseUnavailable(f"cannot use PostgreSQL at {where}, database \"{name}\": {first_line}")


_OPENING_ERRORS = (OSError, sqlite3.Error, asyncpg.PostgresError, asyncpg.InterfaceError, asyncio.TimeoutError)


async def _open(pool_size: int) -> None:
    db = engine()
    if isinstance(db, SQLiteEngine):
        problem = _sqlite_problem(Path(db.path))
        if problem:
            raise DatabaseUnavailable(problem)
        try:  # opened on this thread first: aiosqlite leaves a thread behind when opening fails
            probe = sqlite3.connect(db.path, timeout=SQLITE_BUSY_TIMEOUT_SECONDS)
            try:
                probe.execute("PRAGMA journal_mode=WAL")
            finally:
                probe.close()
        except sqlite3.Error as exc:
            raise unavailable(exc, db) from exc
    try:
        if isinstance(db, PostgresEngine) and pool_size:
            await db.start_connection_pool(min_size=1, max_size=pool_size)
        await prepare_database()
        await db.run_querystring(QueryString("SELECT 1"))
    except _OPENING_ERRORS as exc:
        if isinstance(db, PostgresEngine) and db.pool is not None:
            await db.close_connection_pool()
        raise unavailable(exc, db) from exc


_users = 0  # holders of the connection pool: the app's lifespan, a command, a test session


async def connect(pool_size: int) -> None:
    """Open the connection pool (PostgreSQL: up to `pool_size` connections; 0 opens one per query).
    Raises DatabaseUnavailable, naming the cause, when the database cannot be opened or reached."""
    global _users
    _users += 1
    if _users > 1:
        return
    try:
        await _open(pool_size)
    except BaseException:
        _users -= 1
        raise


async def disconnect() -> None:
    global _users
    _users = max(0, _users - 1)
    if _users:
        return
    db = engine()
    if isinstance(db, PostgresEngine) and db.pool is not None:
        await db.close_connection_pool()
    elif isinstance(db, PooledSQLiteEngine):
        await db.close_pool()


# Set in a transaction opened with locks=False: its for_update() and lock_names() lock nothing.
_unlocked: ContextVar[bool] = ContextVar("unlocked_transaction", default=False)


@asynccontextmanager
async def write_transaction(*, locks: bool = True) -> AsyncIterator[object]:
    """A transaction for writes that read first. `locks=False` opens a plain one instead
    (DEFERRED on SQLite, row and named locks skipped): only for the control run of the race
    tests (BOOKING_LOCKS=off, see core.settings). A nested call joins the outer transaction as
    it is, locked or not."""
    db = engine()
    token = None if db.transaction_exists() else _unlocked.set(not locks)
    try:
        if isinstance(db, SQLiteEngine):
            kind = TransactionType.immediate if locks else TransactionType.deferred
            async with db.transaction(transaction_type=kind) as transaction:
                yield transaction
        else:
            async with db.transaction() as transaction:
                yield transaction
    finally:
        if token is not None:
            _unlocked.reset(token)


def for_update(query: Q) -> Q:
    """Lock the selected rows until the transaction ends (PostgreSQL).

    SQLite has no row locks; there the IMMEDIATE transaction already holds the write lock.
    """
    if _unlocked.get() or not is_postgres():
        return query
    return query.lock_rows()  # type: ignore[attr-defined]


def is_integrity_error(exc: BaseException) -> bool:
    """A unique, exclusion, check or foreign-key constraint refused the write."""
    return isinstance(exc, (sqlite3.IntegrityError, asyncpg.IntegrityConstraintViolationError))


def constraint_name(exc: BaseException) -> str:
    """The name of the constraint (PostgreSQL) or the trigger message (SQLite) behind an integrity error."""
    name = getattr(exc, "constraint_name", None)
    if name:
        return name
    return str(exc)


async def ping() -> bool:
    try:
        await engine().run_querystring(QueryString("SELECT 1"))
    except Exception:
        return False
    return True


def _lock_key(name: str) -> int:
    digest = hashlib.blake2b(name.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


async def lock_names(*names: str) -> None:
    """Hold named locks until the transaction ends, for what has no row to lock (an account's
    log-in attempts, a party's time across sessions).

    PostgreSQL: advisory transaction locks, taken in one order so two transactions never wait on
    each other crosswise. SQLite: nothing to do, the IMMEDIATE transaction holds the write lock.
    """
    if not is_postgres() or _unlocked.get():
        return
    for key in sorted({_lock_key(name) for name in names}):
        await engine().run_querystring(QueryString("SELECT pg_advisory_xact_lock({})", key))
