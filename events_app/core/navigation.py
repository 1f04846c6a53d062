"""Where a handler sends the browser next: a named route, or a safe page to go back to."""

from __future__ import annotations

from typing import Any, Mapping
from urllib.parse import SplitResult, urlencode, urlsplit

from litestar import Request
from litestar.response import Redirect

from events_app.core.bounds import NEXT_LENGTH


def address_parts(url: str | None) -> SplitResult:
    """The parts of an address a client sent (a Referer header, a website typed in a form); one it
    cannot read, such as `http://[::1`, has no parts instead of raising."""
    try:
        return urlsplit(url or "")
    except ValueError:
        return urlsplit("")


def safe_next(target: str | None, default: str = "/") -> str:
    """A local path to go back to; anything pointing off-site, too long for a `Location` header, or
    with characters a header cannot carry falls back to `default`."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    if len(target) > NEXT_LENGTH or not target.isascii() or not target.isprintable() or " " in target:
        return default
    return target


def url_to(request: Request, route_name: str, query: Mapping[str, Any] | None = None, **path_params: Any) -> str:
    """The path of a named route, with a query string when one is given; empty values are left out."""
    path = request.app.route_reverse(route_name, **path_params)
    params = {key: value for key, value in (query or {}).items() if value not in (None, "")}
    return f"{path}?{urlencode(params, doseq=True)}" if params else path


def redirect_to(request: Request, route_name: str, query: Mapping[str, Any] | None = None, **path_params: Any) -> Redirect:
    """After a form: on to a named route, never to a path spelled out by hand."""
    return Redirect(url_to(request, route_name, query, **path_params))
