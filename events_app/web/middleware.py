"""Per-request context: the signed-in user and the language, both taken from the session, and the
client's address for the audit trail."""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from litestar import Request
from litestar.enums import RequestEncodingType, ScopeType
from litestar.exceptions import ClientException, NotFoundException
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from events_app.accounts.services import load_user
from events_app.core.audit import set_origin
from events_app.core.i18n import set_language
from events_app.core.requests import client_ip


class RequestContextMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    @staticmethod
    def should_bypass_for_scope(scope: Scope) -> bool:  # files need no user or language
        return scope["path"].startswith(("/static/", "/media/"))

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        session = scope.get("session")
        session = session if isinstance(session, dict) else {}
        user = None
        if user_id := session.get("user_id"):
            user = await load_user(user_id)
            if user is None:  # deactivated or deleted since the session began
                session.pop("user_id", None)
        scope["user"] = user
        set_origin(user.id if user else None, client_ip(Request(scope)))  # who and where, for the audit trail
        set_language(session.get("lang") or (user.language if user else None))
        await next_app(scope, receive, send)


class RefuseNulMiddleware(ASGIMiddleware):
    """A NUL character has no place in a URL, and PostgreSQL refuses it in text: answer 404/400
    before any handler passes it to the database."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        if "\x00" in scope["path"]:
            raise NotFoundException()
        if b"\x00" in unquote_to_bytes(scope.get("query_string", b"")):
            raise ClientException("NUL in the query string")
        await next_app(scope, receive, send)


class RefuseUnreadableFormMiddleware(ASGIMiddleware):
    """A form is read once, here, before the CSRF check reads it: one whose fields are not text in
    the charset they name (bytes that are not UTF-8, a charset that does not exist) is a bad
    request, not a server error. The parsed form stays with the request for the handler."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        if scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            request: Request = Request(scope, receive=receive)
            if request.content_type[0] in (RequestEncodingType.MULTI_PART, RequestEncodingType.URL_ENCODED):
                try:
                    await request.form()
                except (UnicodeDecodeError, LookupError):
                    raise ClientException("A form field is not text in its charset") from None
        await next_app(scope, receive, send)
