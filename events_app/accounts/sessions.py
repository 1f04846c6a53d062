"""Server-side sessions kept in the database, so every worker process sees the same sessions.

The backend writes a session only when its content changed, creates none for visitors who have
nothing to keep, and can rotate the session id (a new id on log-in, the old one deleted).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from litestar.connection import ASGIConnection
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.stores.base import Store
from litestar.types import Empty, Message, ScopeSession

from events_app.core.clock import now
from events_app.accounts.tables import WebSession

_ROTATE = "_rotate_session_id"
_NEW_ID = "_new_session_id"
_LOADED = "_session_loaded_bytes"
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
    """Log the user out everywhere: every session of the account is deleted; returns how many."""
    ended = await WebSession.delete().where(WebSession.user_id == user_id).returning(WebSession.id)
    return len(ended)


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
        )

    async def get(self, key: str, renew_for: int | dt.timedelta | None = None) -> bytes | None:
        row = await WebSession.select(WebSession.data, WebSession.expires_at).where(WebSession.key == key).first()
        if row is None:
            return None
        if row["expires_at"] is not None and row["expires_at"] <= now():
            await self.delete(key)
            return None
        seconds = _seconds(renew_for)
        if seconds is not None:
            await WebSession.update({WebSession.expires_at: now() + dt.timedelta(seconds=seconds)}).where(
                WebSession.key == key
            )
        return bytes(row["data"])

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

    async def delete_expired(self) -> None:
        await WebSession.delete().where(WebSession.expires_at <= now())


def rotate_session_id(connection: ASGIConnection) -> None:
    """Give this session a new id when the response is sent; the old id stops working."""
    connection.scope[_ROTATE] = True  # type: ignore[literal-required]


class DatabaseSessionBackend(ServerSideSessionBackend):
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
                connection.scope[_LOADED] = data  # type: ignore[literal-required]
                return self.deserialize_data(data)
        return {}

    async def store_in_message(self, scope_session: ScopeSession, message: Message, connection: ASGIConnection) -> None:
        scope = connection.scope
        cookie_id = self.cookie_session_id(connection)
        rotated = bool(scope.pop(_ROTATE, False))  # type: ignore[misc]
        if rotated:
            if cookie_id:
                await self.delete(cookie_id, store=self.config.get_store_from_app(scope["app"]))
            scope[_NEW_ID] = self.generate_session_id()  # type: ignore[literal-required]

        empty = scope_session is Empty or not scope_session
        if empty:
            if cookie_id or rotated:
                await super().store_in_message(Empty, message, connection)
            return
        if not rotated and self.serialize_data(scope_session, scope) == scope.get(_LOADED):
            return  # unchanged: nothing to write
        await super().store_in_message(scope_session, message, connection)


class DatabaseSessionConfig(ServerSideSessionConfig):
    _backend_class = DatabaseSessionBackend
