"""Helpers shared by the tests: a clean database, forms posted with their CSRF token, log-ins."""

from __future__ import annotations

import re
from html import unescape

from httpx import Response
from litestar.testing import AsyncTestClient
from piccolo.table import sort_table_classes

from events_app.core.db import engine, is_postgres
from events_app.reference.tables import FormerProvince, ProductGroup, Province, Region

REFERENCE_TABLES = {Region, Province, FormerProvince, ProductGroup}
CSRF_COOKIE = "ocop_csrf"
SESSION_COOKIE = "ocop_session"


def _app_tables():
    from piccolo.conf.apps import Finder

    return [t for t in Finder().get_table_classes() if t not in REFERENCE_TABLES]


async def clear_database() -> None:
    """Empty every table but the reference data, children before parents."""
    tables = sort_table_classes(_app_tables())
    if is_postgres():
        names = ", ".join(t._meta.get_formatted_tablename() for t in tables)
        await engine().run_ddl(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    else:
        for table in reversed(tables):
            await engine().run_ddl(f"DELETE FROM {table._meta.get_formatted_tablename()}")


_HIDDEN_TOKEN = re.compile(r'name="_csrf_token" value="([^"]+)"')


def form_token(html: str) -> str:
    """The CSRF token of the first form in a page, as a browser would send it."""
    match = _HIDDEN_TOKEN.search(html)
    assert match, "no CSRF token in the page"
    return unescape(match.group(1))


async def post_form(client: AsyncTestClient, url: str, data: dict | list, *, page: str = "/", files=None) -> Response:
    """Post a form the way a browser does: open a page first, then send its CSRF token."""
    if CSRF_COOKIE not in client.cookies:
        await client.get(page)
    token = client.cookies.get(CSRF_COOKIE)
    items = list(data.items()) if isinstance(data, dict) else list(data)
    form: dict[str, list[str]] = {"_csrf_token": [token]}
    for key, value in items:  # repeated keys (checkboxes) become lists, as a browser sends them
        form.setdefault(key, []).extend(value if isinstance(value, list) else [value])
    return await client.post(url, data=form, files=files)


async def login(client: AsyncTestClient, email: str, password: str) -> Response:
    response = await post_form(client, "/login", {"email": email, "password": password}, page="/login")
    assert response.status_code in (302, 303), response.text[:500]
    return response


def text_of(html: str) -> str:
    """The visible text of a page, whitespace collapsed, for assertions on what a user reads."""
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
