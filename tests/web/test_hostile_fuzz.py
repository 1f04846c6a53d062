"""Hostile values in every form and query string, as each role: never a 500, and a refused
request writes nothing (every table's rows and a checksum of them are the same after it).

The forms are the app's own: each POST route whose handler reads form fields (found in its source,
tests/web/world.py), with the fields and values its pages' forms show, and each GET route that reads
query parameters (from its signature and its dependencies'), so a new form or filter is fuzzed
without a line here. Each is sent by a role the role × route table lets in. Hypothesis spoils some
of the fields with values no one types: numbers past the database's columns, dates far out of the
calendar, huge or odd text, NUL. In the suite the run is derandomised and small, a few examples a
form, the same quick check on every run and on both engines; `make fuzz` runs a thousand a form
(FUZZ_EXAMPLES), at random.
"""

from __future__ import annotations

import hashlib
import os
import zlib
from contextlib import AsyncExitStack
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events_app.accounts.tables import PasswordReset
from events_app.core.settings import Settings
from events_app.web.app import create_app
from tests.helpers import SESSION_COOKIE, clear_database, post_form, text_of
from tests.web.test_route_matrix import EXPECTED, OK
from tests.web.world import (
    ROLES, fill, fingerprint, handler_fields, make_world, page_forms, post_handlers, query_parameters, route_pattern,
)

LAYOUTS = ("Quản lý Hội chợ OCOP", "OCOP Fair Manager")  # the site's name, in either language
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2"))  # a form
LONG_RUN = "FUZZ_EXAMPLES" in os.environ
HOSTILE = [
    str(2**31), str(-(2**31) - 1), str(2**63), str(-(2**63) - 1), "9" * 400, "1" + "0" * 5000, "-1", "0",
    "1.5", "1e400", "nan", "inf", "-inf", "0x10", "١٢٣", "1_000",
    "0001-01-01T00:00", "9999-12-31T23:59", "0001-01-01", "9999-12-31", "2026-02-30", "0000-00-00", "2026-13",
    "0001-01", "9999-12", "25:61", "24:00",
    "\x00", "a\x00b", "\u202e\u0301", "\ufeff", "𝕏𝕐", "😀" * 300, "x" * 70_000, " ", "\t\n", "' OR 1=1 --",
    "%00", "//evil.example/", "/\r\nSet-Cookie: x=1", "/" + "a" * 5000, "http://[::1", "https://x:99999/",
]


def hostile(path: str) -> st.SearchStrategy[str]:
    """Hostile values, the list turned by the path: derandomised, every form's examples draw the
    same choices, which then fall on different values from one form to the next."""
    turn = zlib.crc32(path.encode()) % len(HOSTILE)
    return st.one_of(
        st.sampled_from(HOSTILE[turn:] + HOSTILE[:turn]),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
    )



# What a person types in a field the page leaves empty, so that the form is refused for the spoiled
# fields rather than for the others.
PLAUSIBLE = {
    "email": "ai@example.vn", "password": "mat-khau-dai", "password_confirm": "mat-khau-dai", "name": "An",
    "organisation": "HTX", "title_vi": "Hội chợ", "title": "Khai mạc", "starts_at": "2027-01-10T08:00",
    "ends_at": "2027-01-14T21:00", "month": "2027-01", "page": "1", "q": "trà", "stars": "4", "min_stars": "3",
    "width": "20", "depth": "10", "rows": "1", "columns": "2", "prefix": "Z", "price": "100000",
    "certificate_number": "OCOP-1", "certified_on": "2025-06-01", "unit": "hộp", "hall_name": "Khu B",
    "value_vnd": "1000", "note": "", "message": "", "reason": "Không phù hợp", "body": "Đã giao hàng",
    "valid_from": "2025-01-01", "valid_until": "2028-01-01", "number": "VG-2", "x": "1", "y": "1", "slot": "0",
    "table": "1", "parts": "2", "axis": "x", "hours": "", "next": "/",
}
# Query parameters whose page shows more forms when they name one of the world's objects.
PAGE_QUERY = {"edit": "session_id", "booth": "booth_id", "feature": "feature_id", "product": "product_id",
              "party": "party", "event": "conference_slug"}
FILES = (".pdf", ".ics", ".csv", ".xlsx")


def _routes() -> tuple[dict[str, set[str]], dict[str, list[str]]]:
    """The POST routes whose handler reads fields, and the GET routes that read a query string."""
    app = create_app(Settings.from_env())
    posts = {path: fields for path, handler in post_handlers(app).items() if (fields := handler_fields(handler))}
    return posts, query_parameters(app)


POSTS, QUERIES = _routes()
TARGETS = [("POST", path) for path in sorted(POSTS)] + [("GET", path) for path in sorted(QUERIES)]
ONLY = [piece for piece in os.environ.get("FUZZ_ONLY", "").splitlines() if piece]  # bench/fuzz_forms.py --only
TARGETS = [(m, p) for m, p in TARGETS if not ONLY or any(piece in f"{m} {p}" for piece in ONLY)]


@dataclass
class Target:
    role: str  # whose client sends it: the first in the role × route table that may
    method: str
    url: str
    fields: dict[str, str]  # a plausible form, some fields of which are spoiled


class Forms:
    """The world and the forms its pages show, made once for the module: a target's examples
    then cost a request each. Made again if a test in between emptied the database."""

    def __init__(self, app, settings) -> None:
        self.app, self.settings = app, settings
        self.stack = AsyncExitStack()
        self.world = None
        self.seen: dict[str, dict[str, str]] = {}  # POST path → fields the pages' forms show
        self.clean: dict | None = None  # the database's fingerprint, while nothing was accepted since

    async def ready(self) -> None:
        """The world, made again if it is gone: its reset link's token is random, so its row is the
        sign that the database still holds this world (another test empties it first)."""
        if self.world is not None and await PasswordReset.exists().where(
                PasswordReset.token_hash == hashlib.sha256(self.world.ids["password_token"].encode()).hexdigest()):
            return
        await clear_database()
        await self.stack.aclose()
        self.stack = AsyncExitStack()
        self.world = await make_world(self.app, self.stack, self.settings)
        # Made again, the world has the same ids (the database counts from 1 again): its pages show
        # the same forms, not read twice.
        self.seen, self.clean = self.seen or await self._crawl(), None

    async def _crawl(self) -> dict[str, dict[str, str]]:
        patterns = {path: route_pattern(path) for path in POSTS}
        seen: dict[str, dict[str, str]] = {}
        for (method, path), answers in sorted(EXPECTED.items()):
            if method != "GET" or path.endswith(FILES) or path.startswith(("/static", "/media", "/feeds")):
                continue
            query = "&".join(f"{name}={self.world.ids[key]}" for name, key in PAGE_QUERY.items()
                             if name in QUERIES.get(path, ()))
            # As each role that sends some form (producer B and, on staff pages, the admin see the
            # same forms as producer A and staff).
            for role in ROLES:
                if answers[role] != OK or role == "producer_b" or (role == "admin" and answers["staff"] == OK):
                    continue
                response = await self.world.clients[role].get(fill(path, self.world.ids) + (f"?{query}" if query else ""))
                for action, fields in page_forms(response.text) if response.status_code == 200 else ():
                    for post, pattern in patterns.items():
                        if pattern.match(action):
                            for name, value in fields.items():
                                seen.setdefault(post, {}).setdefault(name, value)
        return seen

    def target(self, method: str, path: str) -> Target:
        role = next(role for role in ROLES if EXPECTED[method, path][role] == OK)
        if method == "GET":
            names = QUERIES[path]
            fields = {name: str(self.world.ids.get(PAGE_QUERY.get(name, ""), PLAUSIBLE.get(name, ""))) for name in names}
        else:
            fields = {name: "" for name in POSTS[path] if not name.endswith("*")}
            fields.update((name, value) for name, value in self.seen.get(path, {}).items() if name != "_csrf_token")
            fields = {name: value or PLAUSIBLE.get(name, "") for name, value in fields.items()}
        return Target(role, method, fill(path, self.world.ids), fields)

    async def fingerprint(self) -> dict:
        if self.clean is None:
            self.clean = await fingerprint()
        return self.clean


@pytest.fixture(scope="module")
async def forms(database, session_settings):
    # The session's app (see the `app` fixture): the job queue's connection, which every app in the
    # process shares, is then closed only once no test is using it.
    from tests.conftest import _apps

    if session_settings not in _apps:
        _apps[session_settings] = create_app(session_settings)
    state = Forms(_apps[session_settings], session_settings)
    yield state
    await state.stack.aclose()


async def _send(client, target: Target, fields: dict[str, str]):
    if target.method == "GET":
        query = "&".join(f"{quote(k)}={quote(v, safe='')}" for k, v in fields.items())
        return await client.get(f"{target.url}?{query}"[:60_000])
    return await post_form(client, target.url, fields, page="/")


@pytest.mark.parametrize("method, path", TARGETS, ids=[f"{m} {p}" for m, p in TARGETS])
@settings(max_examples=EXAMPLES, deadline=None, derandomize=not LONG_RUN, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
async def test_hostile_values_never_answer_500_nor_write_half(forms, method, path, data):
    await forms.ready()
    target = forms.target(method, path)
    assert target.fields, f"no field of {method} {path} was found in its handler nor on a page"
    spoiled = data.draw(st.lists(st.sampled_from(sorted(target.fields)), min_size=1, max_size=3, unique=True),
                        label="fields")
    fields = {**target.fields, **{name: data.draw(hostile(path), label=name) for name in spoiled}}
    before = await forms.fingerprint()
    response = await _send(forms.world.clients[target.role], target, fields)
    assert response.status_code < 500, (target.url, fields)
    if response.status_code >= 400:
        assert await fingerprint() == before, (target.url, fields)
        if "html" in response.headers.get("content-type", ""):
            assert any(name in text_of(response.text) for name in LAYOUTS), (target.url, response.status_code)
    else:
        forms.clean = None  # accepted: it may have written
    assert len(response.headers.get("location", "")) <= 2100


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cookie=st.one_of(st.sampled_from(["%00", "null", "", "x" * 4000, "%C3%A9", "0" * 64, "g" * 64]),
                        st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7e, blacklist_characters=';,"\\'),
                                max_size=200)))
async def test_any_session_cookie_is_a_session_or_none(client, cookie):
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, cookie)
    response = await client.get("/")
    assert response.status_code == 200
    assert (await client.get("/account")).status_code == 302
