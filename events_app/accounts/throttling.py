"""How long a log-in must wait after failed ones: pure rules over the attempts on record.

Guessing is slowed down, never locked out. A client gets a few failures free; after that each
attempt waits a delay that doubles with every further failure, up to a ceiling, counted from the
last failure. The delay expires by itself, and a refused attempt is not a failure, so hammering
a paused account does not lengthen the pause.

Failures are counted in buckets, and the longest wait of the buckets an attempt falls in wins:

- one account from one network (an IPv4 address or an IPv6 /64): the usual guesser;
- one account from every untrusted client: guessing spread over many addresses;
- one network over every account: one address trying many accounts;
- one account from one trusted device, a browser that has logged in to the account before and
  carries our signed cookie. It keeps a count of its own and is spared the three above, so a
  stranger slowing an account down does not shut its owner out.

For an account, failures count since its last successful log-in: whoever succeeded knew the
password. For a network they count over the whole window whatever succeeded, or a guesser could
wipe them by logging in to an account of their own.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import ipaddress
import secrets
from dataclasses import dataclass
from typing import Iterable, Sequence

ACCOUNT_MEMORY = dt.timedelta(hours=24)
NETWORK_WINDOW = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class Rule:
    free: int  # failures allowed before any wait
    window: dt.timedelta  # failures older than this are forgotten
    first_wait: dt.timedelta = dt.timedelta(minutes=1)
    longest_wait: dt.timedelta = dt.timedelta(minutes=15)

    def wait(self, failures: int) -> dt.timedelta:
        if failures < self.free:
            return dt.timedelta(0)
        return min(self.first_wait * 2 ** min(failures - self.free, 20), self.longest_wait)

    def open_at(self, failures: Sequence[dt.datetime]) -> dt.datetime | None:
        """From when the next attempt may go ahead; None when it need not wait."""
        if len(failures) < self.free:
            return None
        return max(failures) + self.wait(len(failures))


ACCOUNT_FROM_NETWORK = Rule(free=5, window=ACCOUNT_MEMORY)
ACCOUNT = Rule(free=10, window=ACCOUNT_MEMORY)
NETWORK = Rule(free=20, window=NETWORK_WINDOW)
TRUSTED_DEVICE = Rule(free=5, window=ACCOUNT_MEMORY)


@dataclass(frozen=True)
class Attempt:
    """One recorded log-in on an account. An attempt still being checked counts as failed."""

    at: dt.datetime
    network: str
    device: str = ""
    succeeded: bool = False


def retry_at(
    now: dt.datetime,
    account: Iterable[Attempt],
    network_failures: Iterable[dt.datetime],
    *,
    network: str,
    device: str = "",
) -> dt.datetime | None:
    """When an attempt on the account from `network` (and trusted `device`, if any) may go ahead,
    if that is later than `now`; None when it may go ahead at once.

    `account` holds the account's attempts, `network_failures` the times of untrusted failures
    from the network on any account.
    """
    account = [a for a in account if a.at > now - ACCOUNT_MEMORY]
    last_success = max((a.at for a in account if a.succeeded), default=None)
    failures = [a for a in account if not a.succeeded and (last_success is None or a.at > last_success)]
    if device:
        buckets = [(TRUSTED_DEVICE, [a.at for a in failures if a.device == device])]
    else:
        untrusted = [a for a in failures if not a.device]
        buckets = [
            (ACCOUNT_FROM_NETWORK, [a.at for a in untrusted if a.network == network]),
            (ACCOUNT, [a.at for a in untrusted]),
            (NETWORK, list(network_failures)),
        ]
    moments = [rule.open_at([at for at in times if at > now - rule.window]) for rule, times in buckets]
    latest = max((m for m in moments if m is not None), default=None)
    return latest if latest is not None and latest > now else None


def network_of(address: str) -> str:
    """The network a client address stands for: IPv4 as it is, IPv6 by its /64, which one
    subscriber usually holds whole."""
    try:
        ip = ipaddress.ip_address(address)
        if isinstance(ip, ipaddress.IPv6Address):
            if ip.ipv4_mapped:
                return str(ip.ipv4_mapped)
            return str(ipaddress.ip_network(f"{ip.exploded}/64", strict=False))
        return str(ip)
    except ValueError:
        return address[:64]


# Trusted devices ---------------------------------------------------------------------------

DEVICE_COOKIE = "ocop_device"
DEVICE_COOKIE_MAX_AGE = 180 * 24 * 3600


def _signature(secret_key: str, email: str, device: str) -> str:
    message = f"login-device\0{email}\0{device}".encode()
    digest = hmac.new(secret_key.encode(), message, hashlib.sha256).digest()[:18]
    return base64.urlsafe_b64encode(digest).decode()


def device_token(secret_key: str, email: str) -> str:
    """A new device cookie value: a random device id signed together with the account's e-mail."""
    device = secrets.token_urlsafe(12)
    return f"{device}.{_signature(secret_key, email, device)}"


def trusted_device(secret_key: str, email: str, token: str) -> str:
    """The device id of a cookie this site signed for this account, or "" for any other value."""
    device, _, signature = token.partition(".")
    if not device or len(device) > 16:
        return ""
    if not hmac.compare_digest(signature.encode(), _signature(secret_key, email, device).encode()):
        return ""
    return device
