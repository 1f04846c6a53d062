"""Exception handlers: every error becomes a page in the site's layout, in the reader's language."""

from __future__ import annotations

import logging
import sqlite3
from urllib.parse import quote

from litestar import Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, PermissionDeniedException, ValidationException
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from events_app.accounts.sessions import session_ended
from events_app.core.errors import DomainError
from events_app.core.i18n import N_, gettext
from events_app.core.navigation import address_parts, safe_next

log = logging.getLogger("events_app")

_TITLES = {
    400: N_("The request could not be understood"),
    403: N_("You cannot open this page"),
    404: N_("Page not found"),
    405: N_("This action is not possible here"),
    409: N_("This clashes with something already booked"),
    413: N_("The file is too large"),
    429: N_("Too many attempts"),
    500: N_("Something went wrong on our side"),
    503: N_("The site is very busy"),
}

_TEXTS = {
    400: N_("Please check the address or the form and try again."),
    403: N_("Your account does not give access to this page. If you think it should, ask the trade-promotion staff."),
    404: N_("The page you asked for does not exist, or has been moved."),
    405: N_("Please go back and use the buttons on the page."),
    413: N_("Please choose a smaller file and try again."),
    429: N_("Please wait a few minutes and try again."),
    500: N_("The error has been logged. Please try again in a moment."),
    503: N_("Nothing was saved. Please send it again in a moment."),
}

CSRF_TEXT = N_(
    "This form has expired or was sent from another site. Go back, reload the page and send the form again."
)


def error_page(request: Request, status: int, message: str | None = None, title: str | None = None) -> Response:
    # Errors raised before the middleware ran (an unknown path) have no session or user yet.
    request.scope.setdefault("user", None)  # type: ignore[typeddict-unknown-key]
    request.scope.setdefault("session", {})  # type: ignore[typeddict-unknown-key]
    context = {
        "status": status,
        "title": gettext(title or _TITLES.get(status, _TITLES[400] if status < 500 else _TITLES[500])),
        "message": message or gettext(_TEXTS.get(status, _TEXTS[400] if status < 500 else _TEXTS[500])),
    }
    # An error page is a page too: the app's security headers, which exception answers miss.
    headers = {header.name: header.value for header in request.app.response_headers if header.value}
    return Template(template_name="errors/error.html", context=context, status_code=status, headers=headers)


def login_redirect(request: Request, _: NotAuthorizedException) -> Response:
    if request.method == "GET":
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    else:  # after logging in, go back to the page that held the form
        target = address_parts(request.headers.get("referer")).path or "/"
    # A session that timed out (or was ended elsewhere) says so on the log-in page.
    ended = "&ended=1" if session_ended(request) else ""
    return Redirect(f"{request.app.route_reverse('login')}?next={quote(safe_next(target), safe='/')}{ended}")


def _names_no_page(exc: HTTPException) -> bool:
    """A path parameter out of its bounds (an id no row can have): the address names no page."""
    problems = exc.extra if isinstance(exc, ValidationException) and isinstance(exc.extra, list) else []
    return bool(problems) and all(isinstance(p, dict) and p.get("source") == "path" for p in problems)


def http_error(request: Request, exc: HTTPException) -> Response:
    status = 404 if _names_no_page(exc) else exc.status_code
    message = None
    if isinstance(exc, PermissionDeniedException) and "CSRF" in str(exc.detail):
        message = gettext(CSRF_TEXT)
    if status >= 500:
        log.error("HTTP %s on %s %s: %s", status, request.method, request.url.path, exc.detail)
    response = error_page(request, status, message)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def domain_error(request: Request, exc: DomainError) -> Response:
    response = error_page(request, exc.status_code, str(exc), getattr(exc, "title", None))
    if retry_after := getattr(exc, "retry_after", None):
        response.headers["Retry-After"] = str(retry_after)
    return response


# How long a client is told to wait when the database stayed locked past its busy timeout.
BUSY_RETRY_SECONDS = 5


def database_busy(request: Request, exc: sqlite3.OperationalError) -> Response:
    """SQLite's write lock held by others past the busy timeout (a flood of writes on an
    embedded database): the transaction was rolled back whole, so the client may simply retry."""
    if "locked" not in str(exc) and "busy" not in str(exc):
        return server_error(request, exc)
    log.warning("Database busy on %s %s: %s", request.method, request.url.path, exc)
    response = error_page(request, 503)
    response.headers["Retry-After"] = str(BUSY_RETRY_SECONDS)
    return response


def server_error(request: Request, exc: Exception) -> Response:
    log.exception("Unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    try:
        return error_page(request, HTTP_500_INTERNAL_SERVER_ERROR)
    except Exception:  # the error page itself failed: answer in plain text
        return Response(gettext(_TITLES[500]), status_code=500, media_type="text/plain")


EXCEPTION_HANDLERS = {
    NotAuthorizedException: login_redirect,
    HTTPException: http_error,
    DomainError: domain_error,
    sqlite3.OperationalError: database_busy,
    Exception: server_error,
}
