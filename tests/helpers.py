"""Helpers shared by the tests: a clean database, a test client on the test's event loop, forms
posted with their CSRF token, log-ins."""

from __future__ import annotations

import asyncio
import contextvars
import re
from contextlib import asynccontextmanager
from html import unescape
from io import BytesIO

import anyio
from httpx import AsyncClient, ByteStream, Response
from litestar import Litestar
from litestar.testing.client.async_client import AsyncTestClient
from litestar.testing.client.base import BaseTestClient
from litestar.testing.transport import TestClientTransport
from piccolo.table import sort_table_classes

from events_app.core.db import engine, is_postgres
from events_app.core.revisions import Revision
from events_app.reference.tables import FormerProvince, ProductGroup, Province, Region

# Kept between tests: the reference data, and the revision counters, which only ever go up so
# that a cache keyed by them never answers one test with another's data.
KEPT_TABLES = {Region, Province, FormerProvince, ProductGroup, Revision}
CSRF_COOKIE = "ocop_csrf"
SESSION_COOKIE = "ocop_session"


def _app_tables():
    from piccolo.conf.apps import Finder

    return [t for t in Finder().get_table_classes() if t not in KEPT_TABLES]


def _names_children_first() -> list[str]:
    return [t._meta.tablename for t in reversed(sort_table_classes(_app_tables()))]


async def clear_database() -> None:
    """Empty every table but the reference data, children before parents, ids starting again at 1.

    A test writes to a few of the two dozen tables: one query finds those that hold rows (or, on
    PostgreSQL, whose id sequence has moved), and only they are emptied: in one round trip on
    PostgreSQL, DELETE and a reset sequence, where TRUNCATE makes new files for every table and
    index (a third of a second a test); in one transaction on SQLite, whose ids start again from
    the largest left, so from 1.
    """
    names = _names_children_first()
    postgres = is_postgres()
    probes = []
    for name in names:
        used = f"EXISTS (SELECT 1 FROM \"{name}\")"
        if postgres:
            used += f" OR pg_sequence_last_value(pg_get_serial_sequence('\"{name}\"', 'id')::regclass) IS NOT NULL"
        probes.append(f"SELECT '{name}' AS name WHERE {used}")
    used = {row["name"] for row in await engine().run_ddl(" UNION ALL ".join(probes))}
    emptied = [name for name in names if name in used]  # still children first
    if not emptied:
        return
    if postgres:
        steps = " ".join(
            f"DELETE FROM \"{name}\"; PERFORM setval(pg_get_serial_sequence('\"{name}\"', 'id'), 1, false);"
            for name in emptied
        )
        # The job queue's own tables are no Piccolo tables: a job left there would run in the next
        # test against the catalogue job that then has its id.
        queue = ("IF to_regclass('procrastinate_jobs') IS NOT NULL THEN "
                 "DELETE FROM procrastinate_events; DELETE FROM procrastinate_jobs; END IF;")
        await engine().run_ddl(f"DO $$ BEGIN {steps} {queue} END $$")
    else:
        async with engine().transaction():
            for name in emptied:
                await engine().run_ddl(f'DELETE FROM "{name}"')


class _SameLoopTransport(TestClientTransport):
    """Litestar's test transport, awaiting the app on the running loop instead of in a thread."""

    async def handle_async_request(self, request):
        scope = self.parse_request(request=request)
        if scope["type"] != "http":
            raise NotImplementedError("only HTTP requests: use litestar's own test client for websockets")
        scope.update(method=request.method, http_version="1.1", extensions={"http.response.template": {}})
        context = {
            "response_complete": anyio.Event(),
            "request_complete": False,
            "raw_kwargs": {"stream": BytesIO()},
            "response_started": False,
            "template": None,
            "context": None,
        }
        call = self.client.app(scope, self.create_receive(request, context), self.create_send(request, context))
        try:
            # A task with a fresh context, as a server gives each request: what the app sets in
            # context variables (language, transaction) stays with the request.
            await asyncio.create_task(call, context=contextvars.Context())
        except BaseException:
            if self.raise_server_exceptions:
                raise
            return Response(status_code=500, headers=[], stream=ByteStream(b""), request=request)
        if not context["response_started"]:
            if self.raise_server_exceptions:
                raise AssertionError("the app sent no response")
            return Response(status_code=500, headers=[], stream=ByteStream(b""), request=request)
        raw = context["raw_kwargs"]
        response = Response(status_code=raw["status_code"], headers=raw["headers"],
                            stream=ByteStream(raw["stream"].read()), request=request)
        response.template = context["template"]  # type: ignore[attr-defined]
        response.context = context["context"]  # type: ignore[attr-defined]
        return response


class _Lifespan:
    """One run of an app's start-up and shut-down hooks, shared by the clients open on it."""

    def __init__(self, app: Litestar) -> None:
        self.app = app
        self.clients = 0
        self._started: asyncio.Future = asyncio.get_running_loop().create_future()
        self._stop = asyncio.Event()
        # Its own task, as under a server: the app's task groups are entered and left in one task.
        self._task = asyncio.create_task(self._run(), context=contextvars.Context())

    async def _run(self) -> None:
        try:
            async with self.app.lifespan():
                self._started.set_result(None)
                await self._stop.wait()
        except BaseException as exc:
            if not self._started.done():
                self._started.set_exception(exc)
            raise

    async def started(self) -> None:
        await asyncio.shield(self._started)

    async def stop(self) -> None:
        self._stop.set()
        await self._task


class SameLoopTestClient(AsyncTestClient):
    """Litestar's AsyncTestClient, serving requests on the test's own event loop.

    The stock client runs the app in a thread with an event loop of its own, where it cannot use
    the PostgreSQL connection pool the test session opened (an asyncpg pool belongs to one loop),
    so every query opened a connection. Here the app runs as tasks on the caller's loop, its
    lifespan once for however many clients are open on it, and the session's pool serves it.
    """

    _lifespans: dict[int, _Lifespan] = {}

    def __init__(self, app: Litestar, base_url: str = "http://testserver.local", raise_server_exceptions: bool = True,
                 root_path: str = "", timeout: float | None = None, cookies=None, session_config=None) -> None:
        BaseTestClient.__init__(self, app=app, base_url=base_url, session_config=session_config, cookies=cookies)
        AsyncClient.__init__(
            self,
            base_url=base_url,
            headers={"user-agent": "testclient"},
            follow_redirects=True,
            cookies=cookies,
            trust_env=False,  # the app is in this process: no proxies from the environment
            transport=_SameLoopTransport(client=self, raise_server_exceptions=raise_server_exceptions,
                                         root_path=root_path),
            timeout=timeout,
        )

    async def __aenter__(self) -> SameLoopTestClient:
        lifespan = self._lifespans.get(id(self.app))
        if lifespan is None:
            lifespan = self._lifespans[id(self.app)] = _Lifespan(self.app)
        lifespan.clients += 1
        try:
            await lifespan.started()
        except BaseException:
            await self._leave(lifespan)
            raise
        return self

    async def __aexit__(self, *args) -> None:
        await self._leave(self._lifespans[id(self.app)])

    async def _leave(self, lifespan: _Lifespan) -> None:
        lifespan.clients -= 1
        if lifespan.clients == 0:
            del self._lifespans[id(self.app)]
            await lifespan.stop()


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


@asynccontextmanager
async def catalogue_worker(settings):
    """On PostgreSQL, a procrastinate worker taking catalogue jobs meanwhile, as `events-app serve`
    runs one; on SQLite the web process makes catalogues itself, and this does nothing."""
    if settings.job_queue != "procrastinate":
        yield None
        return
    from events_app.catalogue import queue

    task = asyncio.create_task(queue.run_worker(settings, install_signal_handlers=False, fetch_job_polling_interval=0.2))
    try:
        yield task
    finally:
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass


async def login(client: AsyncTestClient, email: str, password: str) -> Response:
    response = await post_form(client, "/login", {"email": email, "password": password}, page="/login")
    assert response.status_code in (302, 303), response.text[:500]
    return response


def text_of(html: str) -> str:
    """The visible text of a page, whitespace collapsed, for assertions on what a user reads."""
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
