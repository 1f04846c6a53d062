"""The application factory."""

from __future__ import annotations

import gc
import logging
from functools import partial
import re

from litestar import Litestar, Request
from litestar.config.allowed_hosts import AllowedHostsConfig
from litestar.config.compression import CompressionConfig
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import MutableScopeHeaders, ResponseHeader
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.plugins.flash import FlashConfig, FlashPlugin
from litestar.static_files import create_static_files_router
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from events_app import __version__
from events_app.core import db
from events_app.core.identity import CurrentUser
from events_app.accounts import controllers as accounts
from events_app.booths import controllers as booths
from events_app.booths import editor_controllers as booth_editor
from events_app.booths import staff_controllers as booth_staff
from events_app.calendars import controllers as calendars
from events_app.catalogue import controllers as catalogue
from events_app.catalogue import floor_plan_pdf
from events_app.catalogue import jobs as catalogue_jobs
from events_app.catalogue import conference_documents
from events_app.catalogue import letters as booth_letters
from events_app.directory import controllers as directory
from events_app.events import controllers as events
from events_app.imports import controllers as imports
from events_app.exports import controllers as exports
from events_app.matchmaking import controllers as matchmaking
from events_app.mou import controllers as mou
from events_app.recognition import controllers as recognition
from events_app.reminders import controllers as reminders
from events_app.reports import controllers as reports
from events_app.accounts.sessions import DatabaseSessionConfig, DatabaseStore
from events_app.core.settings import PROJECT_ROOT, Settings, get_settings
from events_app.web import pages, staff, wiring
from events_app.web.errors import EXCEPTION_HANDLERS
from events_app.web.middleware import RefuseNulMiddleware, RefuseUnreadableFormMiddleware, RequestContextMiddleware
from events_app.core.templating import template_config

SESSION_COOKIE = "ocop_session"
CSRF_COOKIE = "ocop_csrf"
STATIC_PATHS = ["^/static/", "^/media/", "^/healthz$"]


def _security_headers(settings: Settings) -> list[ResponseHeader]:
    headers = [
        ResponseHeader(name="X-Content-Type-Options", value="nosniff"),
        ResponseHeader(name="X-Frame-Options", value="DENY"),
        ResponseHeader(name="Referrer-Policy", value="same-origin"),
        ResponseHeader(
            name="Content-Security-Policy",
            value=(
                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                "script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
            ),
        ),
    ]
    if settings.secure_cookies:
        headers.append(ResponseHeader(name="Strict-Transport-Security", value="max-age=31536000"))
    return headers


# Uploaded files are shown, never run: no script, style, form or frame of theirs works, even
# when a browser is tricked into reading one as a page (an SVG, HTML under an image's name).
MEDIA_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'none'; sandbox",
    "Cross-Origin-Resource-Policy": "same-origin",
}
STATIC_HEADERS = {"X-Content-Type-Options": "nosniff"}


class FileHeadersMiddleware(ASGIMiddleware):
    """Headers for every answer of a files router (a file, 304, 404), which the app's own
    response headers do not reach."""

    scopes = (ScopeType.HTTP,)

    def __init__(self, headers: dict[str, str]) -> None:
        self.headers = headers

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableScopeHeaders.from_message(message)
                for name, value in self.headers.items():
                    headers[name] = value
            await send(message)

        await next_app(scope, receive, send_with_headers)


def _hosts_with_port(hosts: tuple[str, ...], port: int) -> list[str]:
    """Browsers send the port in the Host header: accept each allowed host with and without it."""
    out = []
    for host in hosts:
        out.append(host)
        if host != "*" and not re.search(r":\d+$", host):
            out.append(f"{host}:{port}")
    return out


def _current_user(request: Request) -> CurrentUser | None:
    """The signed-in user, loaded from the session by the request-context middleware."""
    return request.scope.get("user")


def _constant(value: object) -> Provide:
    return Provide(lambda: value, use_cache=True, sync_to_thread=False)


def _settle_memory() -> None:
    """What start-up made (routes, templates, tables) stays for the life of the process: frozen,
    the cycle collector no longer walks it, and collects the requests' garbage less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


# Young objects between collections (CPython's default is 700): a page makes tens of thousands.
GC_THRESHOLDS = (20_000, 20, 20)


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or get_settings()
    if not settings.booking_locks:
        logging.getLogger(__name__).warning(
            "BOOKING_LOCKS=off: booth bookings and holds take no locks (a switch for the race tests only)")
    wiring.answer_usage_questions()
    templates = template_config()
    settings.media_dir.mkdir(parents=True, exist_ok=True)
    jobs_start, jobs_stop = catalogue_jobs.lifecycle(settings)
    sessions = DatabaseSessionConfig.from_settings(settings, key=SESSION_COOKIE, store="sessions", samesite="lax",
                                                   exclude=STATIC_PATHS)
    app = Litestar(
        route_handlers=[
            *pages.ROUTES,
            *accounts.ROUTES,
            *staff.ROUTES,
            *events.ROUTES,
            *booths.ROUTES,
            *booth_staff.ROUTES,
            *booth_editor.ROUTES,
            *directory.ROUTES,
            *catalogue.ROUTES,
            *floor_plan_pdf.ROUTES,
            *booth_letters.ROUTES,
            *conference_documents.ROUTES,
            *matchmaking.ROUTES,
            *mou.ROUTES,
            *calendars.ROUTES,
            *imports.ROUTES,
            *exports.ROUTES,
            *reports.ROUTES,
            *recognition.ROUTES,
            *reminders.ROUTES,
            create_static_files_router(path="/static", directories=[PROJECT_ROOT / "static"], name="static",
                                       middleware=[FileHeadersMiddleware(STATIC_HEADERS)]),
            create_static_files_router(path="/media", directories=[settings.media_dir], name="media",
                                       middleware=[FileHeadersMiddleware(MEDIA_HEADERS)]),
        ],
        template_config=templates,
        plugins=[FlashPlugin(FlashConfig(template_config=templates))],
        middleware=[RefuseNulMiddleware(), RefuseUnreadableFormMiddleware(), sessions.middleware, RequestContextMiddleware(),
                    booths.UnreadNoticesMiddleware()],
        stores={"sessions": DatabaseStore()},
        csrf_config=CSRFConfig(
            secret=settings.secret_key,
            cookie_name=CSRF_COOKIE,
            cookie_secure=settings.secure_cookies,
            cookie_httponly=True,
            exclude=STATIC_PATHS,
        ),
        allowed_hosts=AllowedHostsConfig(allowed_hosts=_hosts_with_port(settings.allowed_hosts, settings.port)),
        # PDFs are compressed inside already: gzipping a megabyte again would only cost time.
        compression_config=CompressionConfig(backend="gzip", minimum_size=1024, exclude_opt_key="skip_compression"),
        response_headers=_security_headers(settings),
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        dependencies={
            "settings": _constant(settings),
            "event_panels": _constant(wiring.event_panels()),
            "network_panels": _constant(wiring.network_panels()),
            "producer_panels": _constant(wiring.producer_panels()),
            "current_user": Provide(_current_user, sync_to_thread=False),
        },
        on_startup=[partial(db.connect, settings.database_pool_size), *jobs_start, _settle_memory],
        on_shutdown=[*jobs_stop, db.disconnect],
        request_max_body_size=settings.max_upload_bytes + 256 * 1024,
        # The schema lists every staff route: only for developers.
        openapi_config=OpenAPIConfig(title="OCOP Fair Manager", version=__version__) if settings.debug else None,
        debug=settings.debug,
    )
    return app


def create_app_from_env() -> Litestar:
    """Entry point for uvicorn workers, which each build their own app from the environment."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return create_app()
