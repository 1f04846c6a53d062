"""Test set-up: a real database (SQLite by default, PostgreSQL when DATABASE_URL says so),
migrated once per run and emptied of everything but reference data before each test.

Under pytest-xdist every worker has a database, a data folder and live-server ports of its own:
the controller migrates DATABASE_URL once, and each worker starts from a copy of it (a file copy
on SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL). The app is built once per worker and served
on the session's event loop, so the session's PostgreSQL connection pool serves it; each test
gets a fresh client (no cookies) and empty media and cache folders.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

from tests.databases import create_database, database_name, drop_databases, maintenance_url, scratch_dir

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1"… in a pytest-xdist worker


def _worker_database(url: str) -> str:
    """This worker's own copy of the migrated database at `url`."""
    if url.startswith("sqlite:///"):
        template = Path(url.removeprefix("sqlite:///"))
        copy = template.with_name(f"{template.stem}-{WORKER}{template.suffix}")
        source, target = sqlite3.connect(template), sqlite3.connect(copy)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
        return f"sqlite:///{copy}"
    return asyncio.run(create_database(maintenance_url(url), f"{database_name(url)}_{WORKER}", template=database_name(url)))


# The engine is chosen when piccolo_conf is first imported: settle the environment first.
if not os.environ.get("DATABASE_URL") or not os.environ.get("DATA_DIR"):
    _RUN_DIR = tempfile.mkdtemp(prefix="ocop-tests-", dir=scratch_dir())
    atexit.register(shutil.rmtree, _RUN_DIR, ignore_errors=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{_RUN_DIR}/test.sqlite3")
    os.environ.setdefault("DATA_DIR", _RUN_DIR)
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ["PICCOLO_CONF"] = "piccolo_conf"
os.environ.setdefault("DATABASE_POOL_SIZE", "5")
if WORKER:
    os.environ["DATABASE_URL"] = _worker_database(os.environ["DATABASE_URL"])
    os.environ["DATA_DIR"] = str(Path(os.environ["DATA_DIR"]) / WORKER)
    Path(os.environ["DATA_DIR"]).mkdir(parents=True, exist_ok=True)

import litestar.testing  # noqa: E402
import litestar.testing.client  # noqa: E402
import pytest  # noqa: E402
from argon2 import PasswordHasher  # noqa: E402

from events_app.accounts import passwords  # noqa: E402
from events_app.core import db  # noqa: E402
from events_app.cli import migrate_database  # noqa: E402
from events_app.core.settings import Settings, get_settings  # noqa: E402
from events_app.web.app import create_app  # noqa: E402
from tests.helpers import SameLoopTestClient, clear_database  # noqa: E402

# Tests that open a client of their own get one on the session's loop too.
litestar.testing.AsyncTestClient = litestar.testing.client.AsyncTestClient = SameLoopTestClient  # type: ignore[misc]

# Argon2id at a small work factor: at the real one each log-in costs a quarter of a second of
# both cores, and hundreds of tests log in. The same code hashes and verifies (a hash carries its
# parameters); live servers, in processes of their own, keep the real factor.
passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def pytest_report_header(config: pytest.Config) -> str:
    url = os.environ["DATABASE_URL"]
    return f"database: {'PostgreSQL' if url.startswith('postgres') else 'SQLite'} ({url})"


async def _migrate() -> None:
    await db.connect(get_settings().database_pool_size)
    try:
        await migrate_database()
    finally:
        await db.disconnect()


def pytest_configure(config: pytest.Config) -> None:
    if not WORKER and getattr(config.option, "numprocesses", None):
        asyncio.run(_migrate())  # the template every worker's database is copied from


def pytest_unconfigure(config: pytest.Config) -> None:
    url = os.environ["DATABASE_URL"]
    if WORKER and url.startswith("postgres"):
        asyncio.run(drop_databases(maintenance_url(url), database_name(url)))


@pytest.fixture(scope="session")
async def database():
    await db.connect(get_settings().database_pool_size)
    await migrate_database()  # nothing to do in a worker's copy; the whole job in a single process
    yield
    await db.disconnect()


@pytest.fixture
async def clean_db(database):
    await clear_database()
    yield


@pytest.fixture(scope="session")
def session_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    data_dir = tmp_path_factory.mktemp("site")
    return Settings.from_env().with_overrides(
        allowed_hosts=("testserver.local", "127.0.0.1", "localhost"),
        data_dir=data_dir,
        media_dir=data_dir / "media",
    )


@pytest.fixture
def settings(session_settings: Settings) -> Settings:
    """The settings of the test's app: one object for the session, its data folder (media, PDF
    cache) emptied for each test. A folder's conftest may override it with changed settings."""
    for entry in os.scandir(session_settings.data_dir):
        if entry.is_dir():
            shutil.rmtree(entry.path)
        else:
            os.unlink(entry.path)
    session_settings.media_dir.mkdir(parents=True, exist_ok=True)
    return session_settings


_apps: dict[Settings, object] = {}


@pytest.fixture
async def app(clean_db, settings):
    """The app built from `settings`: once a session for each distinct settings, as building one
    takes half a second."""
    if settings not in _apps:
        _apps[settings] = create_app(settings)
    return _apps[settings]


@pytest.fixture
async def client(app):
    async with SameLoopTestClient(app=app) as test_client:
        test_client.follow_redirects = False  # tests look at each redirect themselves
        yield test_client


@pytest.fixture(scope="session")
def _live_server():
    from tests.live import LiveServer

    server = LiveServer()
    yield server
    server.stop()


@pytest.fixture
def live_url(clean_db, _live_server) -> str:
    """Base URL of a real multi-process server on the test database (emptied first).

    One server serves the session's tests (its start costs seconds of CPU); it keeps nothing
    between requests but what is in the database. A test that needs a server of its own, or
    one started with other settings, opens one with tests.live.live_server().
    """
    return _live_server.url if _live_server.running() else _live_server.start()
