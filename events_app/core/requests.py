"""Small helpers controllers share: the client's address, the parsed form, what a form's action refused."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Awaitable, Iterable

from litestar import Request

from events_app.core.errors import Conflict, DomainError, NotFound
from events_app.core.forms import FormReader
from events_app.core.settings import get_settings


class TrustedProxies:
    """The reverse proxies named in FORWARDED_ALLOW_IPS: addresses, networks, or `*` for any peer."""

    def __init__(self, entries: Iterable[str]) -> None:
        entries = tuple(entries)
        self.everyone = "*" in entries
        self.networks = tuple(ipaddress.ip_network(entry, strict=False) for entry in entries if entry != "*")

    def __contains__(self, host: str) -> bool:
        if self.everyone:
            return True
        ip = _ip(host)
        return ip is not None and any(ip in network for network in self.networks)


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return None
    return (ip.ipv4_mapped or ip) if isinstance(ip, ipaddress.IPv6Address) else ip


def _host(hop: str) -> str:
    """An X-Forwarded-For entry without its port: `1.2.3.4:80` and `[::1]:80` as well as bare addresses."""
    hop = hop.strip()
    if hop.startswith("["):
        return hop[1:hop.find("]")] if "]" in hop else hop
    if hop.count(":") == 1:
        return hop.split(":", 1)[0]
    return hop


def forwarded_client(peer: str, forwarded_for: list[str], trusted: TrustedProxies) -> str:
    """The client's address: the peer's own, unless the peer is a trusted proxy; then the last
    address in X-Forwarded-For not itself a trusted proxy, as each proxy appends the one it saw
    (the same rule as uvicorn's, so applying it after uvicorn changes nothing)."""
    if not forwarded_for or peer not in trusted:
        return peer
    hops = [_host(hop) for value in forwarded_for for hop in value.split(",") if hop.strip()]
    for hop in reversed(hops):
        if hop not in trusted:
            return hop if _ip(hop) is not None else peer  # a proxy writes addresses; anything else is not one
    return hops[0] if hops else peer


@lru_cache(maxsize=4)
def _trusted(entries: tuple[str, ...]) -> TrustedProxies:
    return TrustedProxies(entries)


def client_ip(request: Request) -> str:
    peer = request.client.host if request.client else ""
    forwarded_for = request.headers.getall("x-forwarded-for", [])
    return forwarded_client(peer, forwarded_for, _trusted(get_settings().forwarded_allow_ips))[:64]


async def read_form(request: Request) -> FormReader:
    return FormReader(await request.form())


async def refusal(action: Awaitable[object]) -> DomainError | None:
    """Run a service call for a form; what the service refuses comes back, to be shown with the form.

    What does not exist for the user stays a 404 page, so nobody learns of others' data this way.
    """
    try:
        await action
    except NotFound:
        raise
    except DomainError as exc:
        return exc
    return None


def refusal_status(exc: DomainError) -> int:
    """The status of a form shown again with its refusal: 409 when it clashes with the current state
    (a slot taken, a request answered meanwhile), 400 for anything else asked that cannot be done."""
    return 409 if isinstance(exc, Conflict) else 400


def reader_has(request: Request, etag: str) -> bool:
    """Whether the client's If-None-Match names this ETag (weak or strong) or `*`: answer 304."""
    tags = {tag.strip().removeprefix("W/") for tag in request.headers.get("if-none-match", "").split(",")}
    return etag in tags or "*" in tags
