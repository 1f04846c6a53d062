"""Test set-up: a real database (SQLite by default, PostgreSQL when DATABASE_URL says so),
migrated once per run and emptied of everything but reference data before each test."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# The engine is chosen when piccolo_conf is first imported: settle the environment first.
_RUN_DIR = Path(tempfile.mkdtemp(prefix="ocop-tests-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_RUN_DIR / 'test.sqlite3'}")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("DATA_DIR", str(_RUN_DIR))
os.environ["PICCOLO_CONF"] = "piccolo_conf"
# Litestar's test client runs the app on an event loop of its own: no pool shared across loops.
os.environ["DATABASE_POOL_SIZE"] = "0"

import pytest  # noqa: E402
from litestar.testing import AsyncTestClient  # noqa: E402

from events_app.core import db  # noqa: E402
from events_app.cli import migrate_database  # noqa: E402
from events_app.core.settings import Settings  # noqa: E402
from events_app.web.app import create_app  # noqa: E402
from tests.helpers import clear_database  # noqa: E402


def pytest_report_header(config: pytest.Config) -> str:
    url = os.environ["DATABASE_URL"]
    return f"database: {'PostgreSQL' if url.startswith('postgres') else 'SQLite'} ({url})"


@pytest.fixture(scope="session")
async def database():
    await db.connect()
    await migrate_database()
    yield
    await db.disconnect()


@pytest.fixture
async def clean_db(database):
    await clear_database()
    yield


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_env().with_overrides(
        allowed_hosts=("testserver.local", "127.0.0.1", "localhost"),
        data_dir=tmp_path,
        media_dir=tmp_path / "media",
    )


@pytest.fixture
async def app(clean_db, settings):
    return create_app(settings)


@pytest.fixture
async def client(app):
    async with AsyncTestClient(app=app) as test_client:
        test_client.follow_redirects = False  # tests look at each redirect themselves
        yield test_client


@pytest.fixture
def live_url(clean_db):
    """Base URL of a real multi-process server on the test database (emptied first)."""
    from tests.live import live_server

    with live_server() as url:
        yield url
