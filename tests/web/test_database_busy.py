"""A database locked past its busy timeout is a 503 that says nothing was saved, not a 500."""

import sqlite3

from litestar import get
from litestar.testing import AsyncTestClient

from events_app.web.app import create_app
from events_app.web.errors import BUSY_RETRY_SECONDS
from tests.helpers import text_of


async def test_a_locked_database_answers_503_with_retry_after(tmp_path, settings, clean_db):
    path = tmp_path / "busy.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (n INTEGER)")
    holder.execute("BEGIN EXCLUSIVE")  # another process writing for longer than anyone waits

    @get("/write-while-locked")
    async def write() -> str:
        writer = sqlite3.connect(path, timeout=0)
        try:
            writer.execute("INSERT INTO t VALUES (1)")
            writer.commit()
        finally:
            writer.close()
        return "saved"

    app = create_app(settings)  # the site's own handlers and layout, with one more route
    app.register(write)
    async with AsyncTestClient(app) as client:
        response = await client.get("/write-while-locked")
    holder.execute("ROLLBACK")
    holder.close()
    assert response.status_code == 503
    assert response.headers["retry-after"] == str(BUSY_RETRY_SECONDS)
    text = text_of(response.text)
    assert "Hệ thống đang rất bận" in text and "Chưa có gì được lưu" in text
