"""One of every object a route of the app can name, each owned by someone, and a signed-in client
for each role: what the role × route matrix and the form fuzzing send their requests with.

Producer A (HTX Trà Con Cuông) owns the application, product, image, certification, dossier,
attendance, meeting request and MoU (with the distributor, Co.op); producer B owns nothing of
them. Path parameters are filled from `World.ids` by name, with the few that mean several
things (an event's id or slug, a file name) chosen by where the path is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from contextlib import AsyncExitStack
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

from litestar import Litestar
from litestar.routes import HTTPRoute
from piccolo.conf.apps import Finder

from events_app.accounts import services as accounts
from events_app.accounts.tables import PasswordReset
from events_app.booths import decisions, rules
from events_app.booths.tables import ApplicationNotice, PlanFeature
from events_app.catalogue.tables import CatalogueJob
from events_app.core.db import engine, is_postgres
from events_app.directory.tables import Certification, Product, ProductImage, ShortlistEntry, SourcingInterest
from events_app.events.tables import Attendance, Event, ShowroomNetwork
from events_app.imports.tables import ImportBatch
from events_app.matchmaking.tables import Meeting, PlannedMeeting
from events_app.recognition.tables import Dossier
from tests.booths.conftest import add_booths, make_event, make_venue, today
from tests.factories import PASSWORD, make_user
from tests.helpers import SameLoopTestClient, catalogue_worker, login
from tests.mou.builders import make_agenda

ROLES = ("anonymous", "producer_a", "producer_b", "distributor", "staff", "admin")


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # as the app declares it: /my/products/{product_id:int}/edit
    name: str | None


def app_routes(app: Litestar) -> list[Route]:
    """Every route × method the app answers, from its own route table; but the OPTIONS that
    Litestar answers alike for every path (a handler with no name), which runs no code of ours."""
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for method, (handler, _) in route.route_handler_map.items():
            if not (method == "OPTIONS" and handler.name is None):
                found.append(Route(method, route.path, handler.name))
    return sorted(found, key=lambda r: (r.path, r.method))


def query_parameters(app: Litestar) -> dict[str, list[str]]:
    """The query parameters each GET route reads, its dependencies' included: {path: [names]}."""
    out = {}
    for route in app.routes:
        if isinstance(route, HTTPRoute) and "GET" in route.route_handler_map:
            _, kwargs = route.route_handler_map["GET"]
            names = sorted(p.field_alias for p in kwargs.expected_query_params)
            if names:
                out[route.path] = names
    return out


_PARAMETER = re.compile(r"{(\w+):\w+}")
# Which event a route's {event_id} or {slug} names, by what the path is about.
_CONFERENCE_PARTS = ("/meetings", "/schedule", "/mous", "/agendas", "/ceremony", "/sessions", "/matches",
                     "/meeting-requests", "/register", "/unregister", "/results", "/agenda.pdf")


def _event_key(path: str) -> str:
    if "/opening-hours" in path:
        return "showroom"
    return "conference" if any(part in path for part in _CONFERENCE_PARTS) else "fair"


def fill(path: str, ids: dict) -> str:
    """The path with its parameters replaced by the world's objects."""
    def value(match: re.Match) -> str:
        name = match.group(1)
        if name == "slug":
            head = path.split("/")[1]
            key = {"events": _event_key(path) + "_slug", "showrooms": "network_slug", "producers": "producer_slug",
                   "products": "product_slug"}[head]
        elif name == "event_id":
            key = "network_point" if path.startswith("/staff/networks/") else _event_key(path)
        elif name == "request_id" and "/schedule/" in path:
            key = "planned_request"
        elif name == "file_path":
            key = "static_file" if path.startswith("/static/") else "media_file"
        elif name in ("file_name", "filename", "token"):
            key = {"feeds": "feed_file", "reports": "report_file", "imports": "import_token",
                   "password": "password_token"}[path.split("/")[1 if path.startswith(("/feeds", "/password")) else 2]]
            if "/templates/" in path:
                key = "import_template"
        else:
            key = name
        return str(ids[key])

    return _PARAMETER.sub(value, path)


@dataclass
class World:
    ids: dict
    clients: dict  # role → signed-in client (the anonymous one signed in as no one)

    def __repr__(self) -> str:  # what Hypothesis prints of a failing case: the target says enough
        return "world"


async def make_world(app: Litestar, stack: AsyncExitStack, settings) -> World:
    """The world, its clients open on `stack` (and, on PostgreSQL, a worker making the printed
    catalogues while it is open, as `events-app serve` runs one)."""
    media_dir = settings.media_dir
    agenda = await make_agenda()
    cast = agenda.cast
    conference = cast.conference.event
    venue, halls = await make_venue()
    fair = await make_event(venue)
    booths = await add_booths(fair, halls[0], 1, 3, "A")
    showroom = await make_event(venue, kind="showroom", starts=today().replace(day=1),
                                ends=today().replace(day=1) + dt.timedelta(days=300), application_closes_at=None)
    network = ShowroomNetwork(name="Điểm OCOP du lịch Nghệ An", slug="diem-ocop-nghe-an")
    await network.save()
    await Event.update({Event.network: network.id}).where(Event.id == showroom["id"])

    staff, admin = cast.staff_user, await make_user("admin")
    someone = await make_user("staff")  # whose account the admin pages change
    product = await Product.objects().where(Product.producer == cast.producer.id).order_by(Product.id).first()
    application = await decisions.apply(fair, cast.producer.id, rules.ApplicationForm(product_ids=[product.id]))
    await decisions.approve(application, booths["A-02"], staff_id=staff.id)
    await decisions.confirm(application, producer_id=cast.producer.id)  # a confirmed booth has a letter
    notice = await ApplicationNotice.select(ApplicationNotice.id).where(
        ApplicationNotice.application == application).first()
    (media_dir / "products").mkdir(parents=True, exist_ok=True)
    (media_dir / "products" / "tra.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    image = ProductImage(product=product.id, file_name="products/tra.png", alt_text="Trà")
    await image.save()
    certification = Certification(product=product.id, kind="vietgap", number="VG-1", valid_from=dt.date(2025, 1, 1),
                                  valid_until=dt.date(2028, 1, 1))
    await certification.save()
    dossier = Dossier(product=product.id, submitted_by=cast.producer_user.id)
    await dossier.save()
    feature = PlanFeature(event=fair["id"], hall=halls[0].id, kind="stage", x=30, y=15, width=4, depth=3)
    await feature.save()
    interest = await SourcingInterest.select(SourcingInterest.id).where(
        SourcingInterest.distributor == cast.distributor.id).first()
    attendance = await Attendance.select(Attendance.id).where(
        (Attendance.event == conference.id) & (Attendance.producer == cast.producer.id)).first()
    meeting = await Meeting.select(Meeting.id, Meeting.request).where(Meeting.id == agenda.meetings["tra_coop"]).first()
    await ShortlistEntry(distributor=cast.distributor.id, product=product.id).save()
    b2b = cast.conference.b2b
    # In the staff's draft schedule, pinned: another meeting than the one unplaced from the published one.
    planned = await Meeting.select(Meeting.request, Meeting.starts_at, Meeting.ends_at).where(
        Meeting.id == agenda.meetings["tra_central"]).first()
    await PlannedMeeting(request=planned["request"], event=conference.id, session=b2b.id, producer=cast.producer.id,
                         distributor=cast.distributor2.id, starts_at=planned["starts_at"], ends_at=planned["ends_at"],
                         table_number=3, pinned=True).save()
    batch = ImportBatch(token=secrets.token_hex(16), kind="producers", owner=staff.id, filename="sx.csv",
                        headers='["Tên"]')
    await batch.save()
    job = CatalogueJob(key=secrets.token_hex(16), kind="event", subject=fair["slug"], language="vi", status="failed")
    await job.save()
    reset_token = secrets.token_urlsafe(16)
    await PasswordReset(user=someone.id, token_hash=hashlib.sha256(reset_token.encode()).hexdigest(),
                        created_by=admin.id, expires_at=dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)).save()
    feed_token = await accounts.new_feed_token(cast.producer_user.id)

    ids = {
        "fair": fair["id"], "fair_slug": fair["slug"], "conference": conference.id, "conference_slug": conference.slug,
        "showroom": showroom["id"], "showroom_slug": showroom["slug"], "network_id": network.id,
        "network_slug": network.slug, "network_point": showroom["id"], "venue_id": venue.id, "hall_id": halls[0].id,
        "booth_id": booths["A-01"], "feature_id": feature.id, "application_id": application,
        "notice_id": notice["id"], "product_id": product.id, "product_slug": product.slug, "image_id": image.id,
        "producer_id": cast.producer.id, "producer_slug": cast.producer.slug, "certification_id": certification.id,
        "dossier_id": dossier.id, "interest_id": interest["id"], "attendance_id": attendance["id"],
        "meeting_id": meeting["id"], "request_id": meeting["request"], "planned_request": planned["request"],
        "mou_id": agenda.mou,
        "session_id": cast.conference.b2b.id, "user_id": someone.id, "job_id": job.id, "import_token": batch.token,
        "import_template": "producers.csv", "report_file": "products-by-star", "password_token": reset_token,
        "feed_file": f"{feed_token}.ics", "static_file": "css/app.css", "media_file": "products/tra.png",
        "party": cast.producer.id,  # the party a distributor's MoU page names: producer A
    }
    users = {"producer_a": cast.producer_user, "producer_b": cast.producer2_user,
             "distributor": cast.distributor_user, "staff": staff, "admin": admin}
    clients = {}
    for role in ROLES:
        clients[role] = await stack.enter_async_context(SameLoopTestClient(app=app))
        clients[role].follow_redirects = False
        if role in users:
            await login(clients[role], users[role].email, PASSWORD)
    await stack.enter_async_context(catalogue_worker(settings))  # once the app has started
    return World(ids, clients)


# The database as a whole --------------------------------------------------------------------------

# Rows a refused request may still leave: the session, the record of a failed log-in, the audit.
NOT_DOMAIN_ROWS = {"web_session", "login_attempt", "audit_log"}


async def fingerprint() -> dict[str, tuple[int, str]]:
    """Of every table the application writes: its row count and a checksum of its rows, in one
    round trip, so that a refused request can be shown to have changed nothing at all."""
    names, query = _fingerprint_query(is_postgres())
    [row] = await engine().run_ddl(query)
    return {name: (row[name], hashlib.sha256((row[f"{name}__rows"] or "").encode()).hexdigest()[:16])
            for name in names}


@lru_cache(maxsize=2)
def _fingerprint_query(postgres: bool) -> tuple[list[str], str]:
    tables = sorted((t for t in Finder().get_table_classes() if t._meta.tablename not in NOT_DOMAIN_ROWS),
                    key=lambda t: t._meta.tablename)
    parts = []
    for table in tables:
        name = table._meta.tablename
        # Each row as text, in id order, joined: any changed value changes the sum.
        if postgres:
            rows = f"(SELECT string_agg(CAST(t.* AS text), '|' ORDER BY t.id) FROM \"{name}\" t)"
        else:
            row = " || ',' || ".join(f"coalesce(quote(\"{c._meta.db_column_name}\"), 'NULL')" for c in table._meta.columns)
            rows = f"(SELECT group_concat(r, '|') FROM (SELECT {row} AS r FROM \"{name}\" ORDER BY id))"
        parts.append(f'(SELECT count(*) FROM "{name}") AS "{name}", {rows} AS "{name}__rows"')
    return [t._meta.tablename for t in tables], "SELECT " + ", ".join(parts)


# Forms as the pages show them ---------------------------------------------------------------------

class _Forms(HTMLParser):
    """The POST forms of a page: action and fields with the value a browser would send untouched."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._fields: dict[str, str] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._fields = {}
            self.forms.append((a.get("action") or "", self._fields))
        elif self._fields is None or not a.get("name"):
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a or a["name"] not in self._fields:
                    self._fields[a["name"]] = a.get("value") or "on"
                return
            self._fields.setdefault(a["name"], a.get("value") or _typed_value(kind, a["name"]))
        elif tag == "textarea":
            self._fields.setdefault(a["name"], "")
        elif tag == "select":
            self._select = a["name"]
            self._fields.setdefault(a["name"], "")
        elif tag == "option" and self._select and not self._fields.get(self._select):
            self._fields[self._select] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._fields = None
        elif tag == "select":
            self._select = None


def _typed_value(kind: str, name: str) -> str:
    """What a person would type in an empty field of that type."""
    return {"number": "1", "date": "2027-01-10", "datetime-local": "2027-01-10T08:00", "time": "08:00",
            "month": "2027-01", "email": "ai@example.vn", "password": "mat-khau-dai", "url": "https://example.vn",
            "tel": "0238 3871 234", "hidden": "", "search": "trà"}.get(kind, "Thử nghiệm")


def page_forms(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Forms()
    parser.feed(html)
    return [(action.split("#")[0], fields) for action, fields in parser.forms]


def route_pattern(path: str) -> re.Pattern:
    """A regular expression matching the concrete paths of a declared route."""
    out, last = "", 0
    for match in re.finditer(r"{(\w+):(\w+)}", path):
        out += re.escape(path[last:match.start()]) + {"int": r"\d+", "path": r".+"}.get(match.group(2), r"[^/]+")
        last = match.end()
    return re.compile(out + re.escape(path[last:]) + "$")


# The fields a handler reads -----------------------------------------------------------------------

# FormReader's readers: each takes the field's name first (see core/forms.py).
_FORM_READS = {"text", "integer", "amount", "number", "date", "datetime", "month", "time", "choice", "choices", "ids",
               "flag", "file", "files", "email", "page", "search", "local_path", "_raw", "_all"}


def handler_fields(function, *, depth: int = 3, seen: set | None = None) -> set[str]:
    """The form fields a handler reads, from its source and that of the app's functions it calls:
    `form.text("name")` gives name; `form.time(f"opens_{day}")` gives the pattern `opens_*`."""
    import ast
    import inspect
    import textwrap

    seen = set() if seen is None else seen
    function = inspect.unwrap(function)
    if function in seen or not getattr(function, "__module__", "").startswith("events_app"):
        return set()
    seen.add(function)
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError, SyntaxError):
        return set()
    names, namespace = set(), getattr(function, "__globals__", {})
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Attribute) and node.func.attr in _FORM_READS and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                names.add(first.value)
            elif isinstance(first, ast.JoinedStr) and first.values and isinstance(first.values[0], ast.Constant):
                names.add(f"{first.values[0].value}*")
        if depth:  # what it calls of ours: a function of the module, or one of another module of the app
            called = None
            if isinstance(node.func, ast.Name):
                called = namespace.get(node.func.id)
            elif isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
                called = getattr(namespace.get(node.func.value.id), node.func.attr, None)
            if inspect.isfunction(called):
                names |= handler_fields(called, depth=depth - 1, seen=seen)
    return names


def post_handlers(app: Litestar) -> dict[str, object]:
    """{path: handler function} of the app's POST routes."""
    return {route.path: route.route_handler_map["POST"][0].fn for route in app.routes
            if isinstance(route, HTTPRoute) and "POST" in route.route_handler_map}
