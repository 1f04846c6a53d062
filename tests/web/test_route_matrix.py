"""Every route of the app × every role: who gets the page, who is sent to log in, who is refused,
and who is told that another owner's object does not exist.

The table below is the rule, route by route; the app's own route table is the list of routes, so a
route added without a row here, or a row left for a route taken away, fails the test. Each role
goes through every route in a world of its own (tests/web/world.py): producer A owns the
application, product, MoU… that the paths name, producer B asks for them too. Forms are posted
with their CSRF token, so what is tested is the role; the refused requests write nothing.
"""

from __future__ import annotations

import time
from urllib.parse import quote
from contextlib import AsyncExitStack

from tests.helpers import clear_database, post_form, text_of
from tests.web.world import ROLES, app_routes, fill, fingerprint, make_world

OK = "allowed"  # the page, the file, or the form's own answer (done, or refused for what it says)
LOGIN = "log in"  # a redirect to the log-in page, coming back here afterwards
DENY = "403"  # the role may not open it
GONE = "404"  # another owner's object: as if it did not exist

#            anonymous producer A producer B distributor staff admin
PUBLIC = (OK, OK, OK, OK, OK, OK)
SIGNED_IN = (LOGIN, OK, OK, OK, OK, OK)
PRODUCER = (LOGIN, OK, OK, DENY, DENY, DENY)
PRODUCER_A = (LOGIN, OK, GONE, DENY, DENY, DENY)  # producer A's own application, product, certification…
DISTRIBUTOR = (LOGIN, DENY, DENY, OK, DENY, DENY)
PARTICIPANT = (LOGIN, OK, OK, OK, DENY, DENY)  # producers and distributors
PARTIES = (LOGIN, OK, GONE, OK, DENY, DENY)  # a meeting request or MoU between producer A and the distributor
ATTENDEE_A = (LOGIN, OK, GONE, GONE, DENY, DENY)  # producer A's own agenda at the conference
STAFF = (LOGIN, DENY, DENY, DENY, OK, OK)
UPLOADER = (LOGIN, DENY, DENY, DENY, OK, GONE)  # an import is its uploader's (staff) until confirmed
ADMIN = (LOGIN, DENY, DENY, DENY, DENY, OK)

MATRIX = [
    ("GET", "/", PUBLIC),
    ("GET", "/account", SIGNED_IN),
    ("POST", "/account/feed-token", SIGNED_IN),
    ("POST", "/account/feed-token/revoke", SIGNED_IN),
    ("POST", "/account/sessions/end", SIGNED_IN),
    ("GET", "/calendar", PUBLIC),
    ("GET", "/calendar.ics", PUBLIC),
    ("HEAD", "/calendar.ics", PUBLIC),
    ("GET", "/calendar.pdf", PUBLIC),
    ("POST", "/catalogue-jobs/{job_id:int}/retry", PUBLIC),  # a public catalogue that failed, made again
    ("GET", "/catalogue.csv", PUBLIC),
    ("GET", "/catalogue.pdf", PUBLIC),
    ("GET", "/catalogue.xlsx", PUBLIC),
    ("GET", "/events", PUBLIC),
    ("GET", "/events/{slug:str}", PUBLIC),
    ("GET", "/events/{slug:str}/agenda.pdf", PUBLIC),
    ("GET", "/events/{slug:str}/apply", PRODUCER),
    ("POST", "/events/{slug:str}/apply", PRODUCER),
    ("GET", "/events/{slug:str}/calendar.ics", PUBLIC),
    ("HEAD", "/events/{slug:str}/calendar.ics", PUBLIC),
    ("GET", "/events/{slug:str}/catalogue.pdf", PUBLIC),
    ("GET", "/events/{slug:str}/floor-plan", PUBLIC),
    ("GET", "/events/{slug:str}/floor-plan.pdf", PUBLIC),
    ("POST", "/events/{slug:str}/hold", PRODUCER),
    ("POST", "/events/{slug:str}/hold/release", PRODUCER),
    ("GET", "/events/{slug:str}/matches", PARTICIPANT),
    ("POST", "/events/{slug:str}/meeting-requests", PARTICIPANT),
    ("POST", "/events/{slug:str}/register", PARTICIPANT),
    ("GET", "/events/{slug:str}/results", PUBLIC),
    ("POST", "/events/{slug:str}/unregister", PARTICIPANT),
    ("GET", "/feeds/{file_name:str}", PUBLIC),  # producer A's private feed: its token is the key
    ("HEAD", "/feeds/{file_name:str}", PUBLIC),
    ("GET", "/healthz", PUBLIC),
    ("POST", "/language", PUBLIC),
    ("GET", "/login", PUBLIC),
    ("POST", "/login", PUBLIC),
    ("POST", "/logout", PUBLIC),
    ("GET", "/media/{file_path:path}", PUBLIC),
    ("HEAD", "/media/{file_path:path}", PUBLIC),
    ("GET", "/my/agendas", PARTICIPANT),
    ("GET", "/my/agendas/{attendance_id:int}", ATTENDEE_A),
    ("GET", "/my/agendas/{attendance_id:int}/agenda.pdf", ATTENDEE_A),
    ("GET", "/my/applications", PRODUCER),
    ("POST", "/my/applications/notices/read", PRODUCER),
    ("POST", "/my/applications/notices/{notice_id:int}/read", PRODUCER_A),
    ("POST", "/my/applications/{application_id:int}/cancel", PRODUCER_A),
    ("POST", "/my/applications/{application_id:int}/confirm", PRODUCER_A),
    ("GET", "/my/applications/{application_id:int}/letter.pdf", PRODUCER_A),
    ("GET", "/my/certifications/new", PRODUCER),
    ("POST", "/my/certifications/new", PRODUCER),
    ("POST", "/my/certifications/{certification_id:int}/delete", PRODUCER_A),
    ("GET", "/my/interests", DISTRIBUTOR),
    ("GET", "/my/interests/new", DISTRIBUTOR),
    ("POST", "/my/interests/new", DISTRIBUTOR),
    ("POST", "/my/interests/{interest_id:int}/delete", DISTRIBUTOR),
    ("GET", "/my/interests/{interest_id:int}/edit", DISTRIBUTOR),
    ("POST", "/my/interests/{interest_id:int}/edit", DISTRIBUTOR),
    ("GET", "/my/meetings", PARTICIPANT),
    ("POST", "/my/meetings/{request_id:int}/accept", PARTIES),
    ("POST", "/my/meetings/{request_id:int}/cancel", PARTIES),
    ("POST", "/my/meetings/{request_id:int}/decline", PARTIES),
    ("GET", "/my/mous", PARTICIPANT),
    ("GET", "/my/mous/new", PARTICIPANT),
    ("POST", "/my/mous/new", PARTICIPANT),
    ("GET", "/my/mous/{mou_id:int}", PARTIES),
    ("POST", "/my/mous/{mou_id:int}/agree", PARTIES),
    ("POST", "/my/mous/{mou_id:int}/decline", PARTIES),
    ("GET", "/my/mous/{mou_id:int}/mou.pdf", PARTIES),
    ("POST", "/my/mous/{mou_id:int}/notes", PARTIES),
    ("POST", "/my/mous/{mou_id:int}/withdraw", PARTIES),
    ("GET", "/my/organisation", PARTICIPANT),
    ("POST", "/my/organisation", PARTICIPANT),
    ("GET", "/my/products", PRODUCER),
    ("GET", "/my/products/new", PRODUCER),
    ("POST", "/my/products/new", PRODUCER),
    ("POST", "/my/products/{product_id:int}/delete", PRODUCER_A),
    ("GET", "/my/products/{product_id:int}/edit", PRODUCER_A),
    ("POST", "/my/products/{product_id:int}/edit", PRODUCER_A),
    ("POST", "/my/products/{product_id:int}/images/{image_id:int}", PRODUCER_A),
    ("POST", "/my/products/{product_id:int}/images/{image_id:int}/delete", PRODUCER_A),
    ("GET", "/my/recognition", PRODUCER),
    ("POST", "/my/recognition/{product_id:int}", PRODUCER_A),
    ("GET", "/my/shortlist", DISTRIBUTOR),
    ("POST", "/my/shortlist/add", DISTRIBUTOR),
    ("POST", "/my/shortlist/remove", DISTRIBUTOR),
    ("POST", "/my/shortlist/{product_id:int}/request", DISTRIBUTOR),
    ("GET", "/password/{token:str}", PUBLIC),  # whoever holds the link
    ("POST", "/password/{token:str}", PUBLIC),
    ("GET", "/producers/{slug:str}", PUBLIC),
    ("GET", "/products", PUBLIC),
    ("GET", "/products/{slug:str}", PUBLIC),
    ("GET", "/showrooms", PUBLIC),
    ("GET", "/showrooms/{slug:str}", PUBLIC),
    ("GET", "/showrooms/{slug:str}/calendar.ics", PUBLIC),
    ("HEAD", "/showrooms/{slug:str}/calendar.ics", PUBLIC),
    ("GET", "/signup", PUBLIC),
    ("POST", "/signup", PUBLIC),
    ("GET", "/staff", STAFF),
    ("GET", "/staff/applications", STAFF),
    ("GET", "/staff/audit", STAFF),
    ("GET", "/staff/events", STAFF),
    ("GET", "/staff/events/new", STAFF),
    ("POST", "/staff/events/new", STAFF),
    ("GET", "/staff/events/{event_id:int}", STAFF),
    ("POST", "/staff/events/{event_id:int}", STAFF),
    ("GET", "/staff/events/{event_id:int}/agendas", STAFF),
    ("GET", "/staff/events/{event_id:int}/agendas/{attendance_id:int}/agenda.pdf", STAFF),
    ("GET", "/staff/events/{event_id:int}/allocation", STAFF),
    ("POST", "/staff/events/{event_id:int}/allocation/applications/{application_id:int}", STAFF),
    ("POST", "/staff/events/{event_id:int}/allocation/commit", STAFF),
    ("POST", "/staff/events/{event_id:int}/allocation/rules", STAFF),
    ("GET", "/staff/events/{event_id:int}/applications", STAFF),
    ("POST", "/staff/events/{event_id:int}/applications/{application_id:int}", STAFF),
    ("GET", "/staff/events/{event_id:int}/applications/{application_id:int}/letter.pdf", STAFF),
    ("GET", "/staff/events/{event_id:int}/booths/{booth_id:int}", STAFF),
    ("POST", "/staff/events/{event_id:int}/booths/{booth_id:int}", STAFF),
    ("POST", "/staff/events/{event_id:int}/booths/{booth_id:int}/delete", STAFF),
    ("GET", "/staff/events/{event_id:int}/ceremony/run-of-show", STAFF),
    ("GET", "/staff/events/{event_id:int}/ceremony/run-of-show.pdf", STAFF),
    ("GET", "/staff/events/{event_id:int}/dashboard", STAFF),
    ("GET", "/staff/events/{event_id:int}/dashboard.xlsx", STAFF),
    ("GET", "/staff/events/{event_id:int}/exhibitors.csv", STAFF),
    ("GET", "/staff/events/{event_id:int}/exhibitors.xlsx", STAFF),
    ("GET", "/staff/events/{event_id:int}/floor-plan", STAFF),
    ("POST", "/staff/events/{event_id:int}/floor-plan", STAFF),
    ("POST", "/staff/events/{event_id:int}/floor-plan/booths", STAFF),
    ("POST", "/staff/events/{event_id:int}/floor-plan/booths/{booth_id:int}/move", STAFF),
    ("POST", "/staff/events/{event_id:int}/floor-plan/booths/{booth_id:int}/place", STAFF),
    ("POST", "/staff/events/{event_id:int}/floor-plan/booths/{booth_id:int}/split", STAFF),
    ("POST", "/staff/events/{event_id:int}/floor-plan/features", STAFF),
    ("POST", "/staff/events/{event_id:int}/floor-plan/features/{feature_id:int}/delete", STAFF),
    ("POST", "/staff/events/{event_id:int}/floor-plan/merge", STAFF),
    ("POST", "/staff/events/{event_id:int}/floor-plan/prices", STAFF),
    ("GET", "/staff/events/{event_id:int}/meetings", STAFF),
    ("POST", "/staff/events/{event_id:int}/meetings/place", STAFF),
    ("POST", "/staff/events/{event_id:int}/meetings/place-all", STAFF),
    ("POST", "/staff/events/{event_id:int}/meetings/{meeting_id:int}/unplace", STAFF),
    ("GET", "/staff/events/{event_id:int}/mous", STAFF),
    ("GET", "/staff/events/{event_id:int}/mous/new", STAFF),
    ("POST", "/staff/events/{event_id:int}/mous/new", STAFF),
    ("POST", "/staff/events/{event_id:int}/mous/order", STAFF),
    ("GET", "/staff/events/{event_id:int}/mous/{mou_id:int}", STAFF),
    ("GET", "/staff/events/{event_id:int}/mous/{mou_id:int}/edit", STAFF),
    ("POST", "/staff/events/{event_id:int}/mous/{mou_id:int}/edit", STAFF),
    ("GET", "/staff/events/{event_id:int}/mous/{mou_id:int}/mou.pdf", STAFF),
    ("POST", "/staff/events/{event_id:int}/mous/{mou_id:int}/notes", STAFF),
    ("POST", "/staff/events/{event_id:int}/mous/{mou_id:int}/sign", STAFF),
    ("POST", "/staff/events/{event_id:int}/mous/{mou_id:int}/slot", STAFF),
    ("POST", "/staff/events/{event_id:int}/mous/{mou_id:int}/unslot", STAFF),
    ("GET", "/staff/events/{event_id:int}/opening-hours", STAFF),
    ("POST", "/staff/events/{event_id:int}/opening-hours", STAFF),
    ("GET", "/staff/events/{event_id:int}/schedule", STAFF),
    ("POST", "/staff/events/{event_id:int}/schedule/pin", STAFF),
    ("POST", "/staff/events/{event_id:int}/schedule/preview", STAFF),
    ("POST", "/staff/events/{event_id:int}/schedule/publish", STAFF),
    ("POST", "/staff/events/{event_id:int}/schedule/terms", STAFF),
    ("POST", "/staff/events/{event_id:int}/schedule/{request_id:int}/leave-out", STAFF),
    ("POST", "/staff/events/{event_id:int}/schedule/{request_id:int}/unpin", STAFF),
    ("GET", "/staff/events/{event_id:int}/sessions", STAFF),
    ("POST", "/staff/events/{event_id:int}/sessions", STAFF),
    ("POST", "/staff/events/{event_id:int}/sessions/{session_id:int}", STAFF),
    ("POST", "/staff/events/{event_id:int}/sessions/{session_id:int}/delete", STAFF),
    ("GET", "/staff/events/{event_id:int}/sessions/{session_id:int}/tables.pdf", STAFF),
    ("POST", "/staff/events/{event_id:int}/status", STAFF),
    ("GET", "/staff/exports", STAFF),
    ("GET", "/staff/exports/distributors.csv", STAFF),
    ("GET", "/staff/exports/distributors.xlsx", STAFF),
    ("GET", "/staff/exports/producers.csv", STAFF),
    ("GET", "/staff/exports/producers.xlsx", STAFF),
    ("GET", "/staff/imports", STAFF),
    ("POST", "/staff/imports", STAFF),
    ("GET", "/staff/imports/templates/{filename:str}", STAFF),
    ("GET", "/staff/imports/{token:str}", UPLOADER),
    ("POST", "/staff/imports/{token:str}/confirm", UPLOADER),
    ("POST", "/staff/imports/{token:str}/mapping", UPLOADER),
    ("GET", "/staff/networks", STAFF),
    ("GET", "/staff/networks/new", STAFF),
    ("POST", "/staff/networks/new", STAFF),
    ("GET", "/staff/networks/{network_id:int}", STAFF),
    ("POST", "/staff/networks/{network_id:int}", STAFF),
    ("POST", "/staff/networks/{network_id:int}/points", STAFF),
    ("POST", "/staff/networks/{network_id:int}/points/{event_id:int}/detach", STAFF),
    ("GET", "/staff/producers/{producer_id:int}/certifications/new", STAFF),
    ("POST", "/staff/producers/{producer_id:int}/certifications/new", STAFF),
    ("POST", "/staff/producers/{producer_id:int}/certifications/{certification_id:int}/delete", STAFF),
    ("GET", "/staff/producers/{producer_id:int}/edit", STAFF),
    ("POST", "/staff/producers/{producer_id:int}/edit", STAFF),
    ("GET", "/staff/products/{product_id:int}/edit", STAFF),
    ("POST", "/staff/products/{product_id:int}/edit", STAFF),
    ("POST", "/staff/products/{product_id:int}/images/{image_id:int}", STAFF),
    ("POST", "/staff/products/{product_id:int}/images/{image_id:int}/delete", STAFF),
    ("GET", "/staff/recognition", STAFF),
    ("GET", "/staff/recognition/dossiers/{dossier_id:int}", STAFF),
    ("POST", "/staff/recognition/dossiers/{dossier_id:int}/evaluate", STAFF),
    ("POST", "/staff/recognition/dossiers/{dossier_id:int}/recognise", STAFF),
    ("POST", "/staff/recognition/dossiers/{dossier_id:int}/refuse", STAFF),
    ("GET", "/staff/reminders", STAFF),
    ("GET", "/staff/reports", STAFF),
    ("GET", "/staff/reports/{file_name:str}", STAFF),
    ("GET", "/staff/sign-ins", ADMIN),
    ("GET", "/staff/users", ADMIN),
    ("GET", "/staff/users/new", ADMIN),
    ("POST", "/staff/users/new", ADMIN),
    ("GET", "/staff/users/{user_id:int}", ADMIN),
    ("POST", "/staff/users/{user_id:int}", ADMIN),
    ("POST", "/staff/users/{user_id:int}/reset-link", ADMIN),
    ("POST", "/staff/users/{user_id:int}/role", ADMIN),
    ("POST", "/staff/users/{user_id:int}/sessions/end", ADMIN),
    ("GET", "/staff/venues", STAFF),
    ("GET", "/staff/venues/new", STAFF),
    ("POST", "/staff/venues/new", STAFF),
    ("GET", "/staff/venues/{venue_id:int}", STAFF),
    ("POST", "/staff/venues/{venue_id:int}", STAFF),
    ("POST", "/staff/venues/{venue_id:int}/halls", STAFF),
    ("POST", "/staff/venues/{venue_id:int}/halls/{hall_id:int}", STAFF),
    ("POST", "/staff/venues/{venue_id:int}/halls/{hall_id:int}/delete", STAFF),
    ("GET", "/static/{file_path:path}", PUBLIC),
    ("HEAD", "/static/{file_path:path}", PUBLIC),
]

EXPECTED = {(method, path): dict(zip(ROLES, answers, strict=True)) for method, path, answers in MATRIX}
# Posts that change who is signed in or the language the pages speak: each role's pass ends with them.
SESSION_POSTS = ("/login", "/logout", "/language", "/signup", "/account/sessions/end")
# Posts that take something away (or end it): after the others, the deepest path first, so that
# one does not remove what another still names (an image before its product).
ENDINGS = ("/delete", "/cancel", "/decline", "/withdraw", "/unregister", "/revoke", "/detach", "/unplace",
           "/leave-out", "/unslot", "/refuse")

FORBIDDEN_PAGE = "Bạn không thể mở trang này"
NOT_FOUND_PAGE = "Không tìm thấy trang"


def test_every_route_of_the_app_has_a_row_and_every_row_a_route(app):
    routes = {(route.method, route.path) for route in app_routes(app)}
    assert len(EXPECTED) == len(MATRIX), "a route is in the table twice"
    missing = sorted(routes - set(EXPECTED))
    assert not missing, f"routes with no row in the role × route table (add what each role gets): {missing}"
    stale = sorted(set(EXPECTED) - routes)
    assert not stale, f"rows of the role × route table for routes the app no longer has: {stale}"


def _order(method: str, path: str, answer: str) -> tuple:
    """Of the posts: first those the role may not send (checked together to have written nothing);
    then those it may, those that take something away, and those that change the session."""
    if answer != OK:
        return (1, path)
    if path in SESSION_POSTS:
        return (4, path)
    if path.endswith(ENDINGS):
        return (3, -path.count("/"), path)
    return (2, path)


def _outcome(response) -> str:
    """What the role was answered, in the table's words (or the status when it is none of them)."""
    status, text = response.status_code, text_of(response.text) if "html" in response.headers.get(
        "content-type", "") else ""
    if status in (302, 303) and response.headers["location"].startswith("/login?next="):
        return LOGIN
    if status == 403 and FORBIDDEN_PAGE in text:
        return DENY
    if status == 404 and NOT_FOUND_PAGE in text:
        return GONE
    if status < 400 or status in (400, 409):
        return OK if status < 500 else str(status)  # 400/409: the form read and refused for what it says
    return f"{status}: {text[:120]}"


async def test_each_role_gets_what_the_table_says_on_every_route(app, settings):
    """Pages and files first, every role in one world (a PDF is made once, then served from the
    cache to the next role); then the forms, each role in a world of its own, so that what one role
    changes is not what the next one finds."""
    started = time.monotonic()
    wrong, requests = [], 0

    def check(role: str, method: str, path: str, url: str, response) -> None:
        expected, got = EXPECTED[method, path][role], _outcome(response)
        if got != expected:
            wrong.append(f"{role:11} {method:4} {path}: expected {expected}, got {got}")
        elif expected == LOGIN and method == "GET":
            assert response.headers["location"] == f"/login?next={quote(url)}", url

    async with AsyncExitStack() as stack:
        world = await make_world(app, stack, settings)
        for method, path in sorted(key for key in EXPECTED if key[0] != "POST"):
            url = fill(path, world.ids)
            for role in ROLES:
                check(role, method, path, url, await world.clients[role].request(method, url))
                requests += 1

    for role in ROLES:
        await clear_database()
        async with AsyncExitStack() as stack:
            world = await make_world(app, stack, settings)
            rows = sorted((key for key in EXPECTED if key[0] == "POST"), key=lambda key: _order(*key, EXPECTED[key][role]))
            refused = [key for key in rows if _order(*key, EXPECTED[key][role])[0] == 1]
            before = await fingerprint()
            for method, path in rows:
                url = fill(path, world.ids)
                check(role, method, path, url, await post_form(world.clients[role], url, {}, page="/"))
                requests += 1
                if refused and (method, path) == refused[-1]:
                    after = await fingerprint()
                    changed = sorted(name for name in after if after[name] != before[name])
                    assert not changed, f"{role}: posts it may not send changed the tables {changed}"
    assert not wrong, f"{len(wrong)} answers differ from the table:\n" + "\n".join(wrong)
    assert requests == len(MATRIX) * len(ROLES)
    print(f"{len(MATRIX)} routes × {len(ROLES)} roles in {time.monotonic() - started:.1f} s")
