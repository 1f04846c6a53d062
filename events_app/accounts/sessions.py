"""Server-side sessions kept in the database, so every worker process sees the same sessions.

The backend writes a session only when its content changed, creates none for visitors who have
nothing to keep, and can rotate the session id (a new id on log-in, the old one deleted).

A session ends after `idle_timeout` seconds without a request (each request moves its end
forward, at most once a minute so that reading a page writes nothing) and, whatever its use, at
the deadline its log-in wrote into it (`DEADLINE`, by the account's role). A request that
brought the id of a session which has ended is marked, so the log-in page can say why.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.middleware.csrf import generate_csrf_token
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.stores.base import Store
from litestar.types import Empty, Message, ScopeSession

from events_app.core.clock import now
from events_app.core.identity import Role
from events_app.core.settings import Settings
from events_app.accounts.tables import WebSession

_ROTATE = "_rotate_session_id"
_NEW_ID = "_new_session_id"
_LOADED = "_session_loaded_bytes"
_ENDED = "_session_ended"
DEADLINE = "until"  # in a signed-in session's data: when it ends, in seconds since the epoch
RENEW_AFTER = 60  # seconds: how stale an idle deadline may get before a request moves it
_SESSION_ID = re.compile(r"[0-9a-f]{16,128}")  # what generate_session_id makes: hex, within WebSession.key


def _seconds(value: int | dt.timedelta | None) -> int | None:
    if value is None:
        return None
    return int(value.total_seconds()) if isinstance(value, dt.timedelta) else int(value)


def _user_of(data: bytes) -> int | None:
    """The signed-in user a session's data names (the backend keeps it as JSON), if any."""
    try:
        user_id = json.loads(data).get("user_id")
    except (ValueError, AttributeError):
        return None
    return user_id if isinstance(user_id, int) and not isinstance(user_id, bool) else None


async def end_sessions(user_id: int) -> int:
    """Log the user out everywhere: every session of the account ends; returns how many.

    Each is marked expired and no longer the account's, not deleted at once: a browser that
    brings its id later is told that its session has ended (and the row then goes)."""
    ended = await WebSession.update({WebSession.expires_at: now(), WebSession.user_id: None}).where(
        WebSession.user_id == user_id
    ).returning(WebSession.id)
    return len(ended)


async def open_sessions(user_id: int) -> int:
    """How many sessions of the account are open now (browsers and devices it is logged in on)."""
    return await WebSession.count().where(
        (WebSession.user_id == user_id) & (WebSession.expires_at.is_null() | (WebSession.expires_at > now()))
    )


def lifetime(role: str, settings: Settings) -> dt.timedelta:
    """How long a session lasts after log-in at most, whatever its use."""
    staff = role in (Role.staff.value, Role.admin.value)
    return dt.timedelta(hours=settings.session_staff_max_hours if staff else settings.session_max_hours)


def signed_in_session(user_id: int, role: str, settings: Settings, **kept: Any) -> dict[str, Any]:
    """The data of a session just logged in: who, until when, and what it kept from before."""
    deadline = int((now() + lifetime(role, settings)).timestamp())
    return {"user_id": user_id, DEADLINE: deadline, **kept}


def session_ended(connection: ASGIConnection) -> bool:
    """Whether the request brought the id of a session that has ended (timed out, or ended by a
    log-out elsewhere or an administrator)."""
    return bool(connection.scope.get(_ENDED))


def fresh_csrf_cookie(connection: ASGIConnection) -> Cookie:
    """A new CSRF token for the browser, set at log-in and log-out: a token read before (by a page
    left open, or planted) is worthless after. Made as Litestar's CSRF middleware makes its own."""
    config = connection.app.csrf_config
    assert config is not None
    return Cookie(
        key=config.cookie_name, value=generate_csrf_token(config.secret), path=config.cookie_path,
        secure=config.cookie_secure, httponly=config.cookie_httponly, samesite=config.cookie_samesite,
        domain=config.cookie_domain,
    )


def _past_deadline(data: dict[str, Any]) -> bool:
    """A signed-in session past the deadline its log-in wrote (or without one: begun before they were)."""
    if "user_id" not in data:
        return False
    deadline = data.get(DEADLINE)
    if not isinstance(deadline, int) or isinstance(deadline, bool):
        return True
    return deadline <= now().timestamp()


class DatabaseStore(Store):
    async def set(self, key: str, value: str | bytes, expires_in: int | dt.timedelta | None = None) -> None:
        data = value.encode() if isinstance(value, str) else value
        seconds = _seconds(expires_in)
        expires_at = now() + dt.timedelta(seconds=seconds) if seconds is not None else None
        await WebSession.insert(
            WebSession(key=key, data=data, expires_at=expires_at, user_id=_user_of(data))
        ).on_conflict(
            target=WebSession.key,
            action="DO UPDATE",
            values=[WebSession.data, WebSession.expires_at, WebSession.user_id],
            # A session that has ended stays ended: a request still under way when its account
            # logged out everywhere does not bring it back by writing it at its end.
            where=WebSession.expires_at.is_null() | (WebSession.expires_at > now()),
        )

    async def get(self, key: str, renew_for: int | dt.timedelta | None = None) -> bytes | None:
        row = await WebSession.select(WebSession.data, WebSession.expires_at).where(WebSession.key == key).first()
        if row is None:
            return None
        if row["expires_at"] is not None and row["expires_at"] <= now():
            return None  # left for the backend, which tells an ended session from none (see ended_data)
        seconds = _seconds(renew_for)
        if seconds is not None:
            renewed = now() + dt.timedelta(seconds=seconds)
            # Moved when it has gone a minute stale, not on every request: reading writes nothing.
            if row["expires_at"] is None or row["expires_at"] < renewed - dt.timedelta(seconds=RENEW_AFTER):
                await WebSession.update({WebSession.expires_at: renewed}).where(WebSession.key == key)
        return bytes(row["data"])

    async def ended_data(self, key: str) -> bytes | None:
        """The data of a session that has expired, until it is deleted."""
        row = await WebSession.select(WebSession.data).where(
            (WebSession.key == key) & (WebSession.expires_at <= now())
        ).first()
        return None if row is None else bytes(row["data"])

    async def delete(self, key: str) -> None:
        await WebSession.delete().where(WebSession.key == key)

    async def delete_all(self) -> None:
        await WebSession.delete(force=True)

    async def exists(self, key: str) -> bool:
        return await self.get(key) is not None

    async def expires_in(self, key: str) -> int | None:
        row = await WebSession.select(WebSession.expires_at).where(WebSession.key == key).first()
        if row is None or row["expires_at"] is None:
            return None
        return max(0, int((row["expires_at"] - now()).total_seconds()))

    async def delete_expired(self, before: dt.datetime | None = None) -> None:
        """Delete the sessions that have expired (`before` a moment, if given)."""
        await WebSession.delete().where(WebSession.expires_at <= (before or now()))


def rotate_session_id(connection: ASGIConnection) -> None:
    """Give this session a new id when the response is sent; the old id stops working."""
    connection.scope[_ROTATE] = True  # type: ignore[literal-required]


class DatabaseSessionBackend(ServerSideSessionBackend):
    config: "DatabaseSessionConfig"

    async def get(self, session_id: str, store: Store) -> bytes | None:
        """The session's data, its idle deadline moved forward."""
        return await store.get(session_id, renew_for=self.config.idle_timeout)

    async def set(self, session_id: str, data: bytes, store: Store) -> None:
        await store.set(session_id, data, expires_in=self.config.idle_timeout)

    def cookie_session_id(self, connection: ASGIConnection) -> str | None:
        """The session id the client sent, if it is one this backend could have made. Anything else
        (a NUL, junk, "null") is no session: it never reaches the database, and is never reused."""
        value = connection.cookies.get(self.config.key)
        return value if value and _SESSION_ID.fullmatch(value) else None

    def get_session_id(self, connection: ASGIConnection) -> str:
        return (
            connection.scope.get(_NEW_ID)  # type: ignore[return-value]
            or self.cookie_session_id(connection)
            or connection.get_session_id()
            or self.generate_session_id()
        )

    async def load_from_connection(self, connection: ASGIConnection) -> dict[str, Any]:
        if session_id := self.cookie_session_id(connection):
            store = self.config.get_store_from_app(connection.scope["app"])
            data = await self.get(session_id, store=store)
            if data is not None:
                session = self.deserialize_data(data)
                if not _past_deadline(session):
                    connection.scope[_LOADED] = data  # type: ignore[literal-required]
                    return session
            elif isinstance(store, DatabaseStore):
                data = await store.ended_data(session_id)
            if data is not None:
                return self._ended(connection, data)
        return {}

    @staticmethod
    def _ended(connection: ASGIConnection, data: bytes) -> dict[str, Any]:
        """A session that has ended: the request is marked when it was signed in; its id is
        replaced (the old row deleted), and the visitor's language goes on in the new one."""
        try:
            ended = json.loads(data)
        except ValueError:
            ended = None
        ended = ended if isinstance(ended, dict) else {}
        if "user_id" in ended:
            connection.scope[_ENDED] = True  # type: ignore[literal-required]
        rotate_session_id(connection)
        language = ended.get("lang")
        return {"lang": language} if isinstance(language, str) else {}

    async def store_in_message(self, scope_session: ScopeSession, message: Message, connection: ASGIConnection) -> None:
        scope = connection.scope
        cookie_id = self.cookie_session_id(connection)
        rotated = bool(scope.pop(_ROTATE, False))  # type: ignore[misc]
        if rotated:
            store = self.config.get_store_from_app(scope["app"])
            if cookie_id:
                await self.delete(cookie_id, store=store)
            if isinstance(store, DatabaseStore):  # housekeeping, at log-in and log-out: seldom, and indexed
                # Rows that ended are kept while a browser may still bring their id, to be told so.
                await store.delete_expired(before=now() - dt.timedelta(seconds=self.config.max_age))
            scope[_NEW_ID] = self.generate_session_id()  # type: ignore[literal-required]

        empty = scope_session is Empty or not scope_session
        if empty:
            if cookie_id or rotated:
                await super().store_in_message(Empty, message, connection)
            return
        if not rotated and self.serialize_data(scope_session, scope) == scope.get(_LOADED):
            return  # unchanged: nothing to write
        await super().store_in_message(scope_session, message, connection)


@dataclass
class DatabaseSessionConfig(ServerSideSessionConfig):
    """Litestar's server-side session config; `max_age` is the cookie's life (the longest a
    session may last), `idle_timeout` how long the session lasts unused."""

    _backend_class = DatabaseSessionBackend
    idle_timeout: int = 2 * 3600

    @classmethod
    def from_settings(cls, settings: Settings, **options: Any) -> "DatabaseSessionConfig":
        longest = max(settings.session_max_hours, settings.session_staff_max_hours) * 3600
        return cls(max_age=longest, idle_timeout=settings.session_idle_minutes * 60, secure=settings.secure_cookies,
                   **options)
