"""Role guards for controllers. Every rule is checked on the server, per request."""

from __future__ import annotations

from typing import Any, Callable

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from events_app.core.identity import Role

Guard = Callable[[ASGIConnection, BaseRouteHandler], None]


def role_guard(*roles: Role) -> Guard:
    allowed = frozenset(role.value for role in roles)

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        user = connection.scope.get("user")
        if user is None:
            raise NotAuthorizedException("Log in to continue.")
        if user.role not in allowed:
            raise PermissionDeniedException("This page is not open to your account.")

    guard.__name__ = f"requires_{'_or_'.join(sorted(allowed))}"
    return guard


signed_in = role_guard(*Role)
staff_only = role_guard(Role.staff, Role.admin)
admin_only = role_guard(Role.admin)
producers_only = role_guard(Role.producer)
distributors_only = role_guard(Role.distributor)
participants_only = role_guard(Role.producer, Role.distributor)
