"""What matching reads of products and distributors besides the OCOP certificate: certifications,
channels and monthly volumes, as stored (comma-separated codes) and as checked."""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from events_app.core.clock import today
from events_app.core.dates import is_valid
from events_app.directory.tables import CertificationKind, Channel, VolumeUnit

KINDS = tuple(kind.value for kind in CertificationKind)
CHANNELS = tuple(channel.value for channel in Channel)
UNITS = tuple(unit.value for unit in VolumeUnit)
MAX_MONTHLY_VOLUME = 1_000_000  # of any unit a month: more is a typing mistake
EXPIRES_SOON_DAYS = 90  # a certification this close to its end is shown as expiring


def parse_codes(text: str | None, allowed: Iterable[str]) -> frozenset[str]:
    """A set stored as comma-separated codes, keeping only the allowed ones."""
    allowed = set(allowed)
    return frozenset(code for code in (part.strip() for part in (text or "").split(",")) if code in allowed)


def join_codes(codes: Iterable[str]) -> str:
    return ",".join(sorted(set(codes)))


def validity(valid_from: dt.date, valid_until: dt.date | None, on: dt.date | None = None) -> str:
    """valid, expiring (within EXPIRES_SOON_DAYS), expired, or not_yet (begins later); one without
    an end date (a standards declaration) is valid from its first day on."""
    on = on or today()
    if valid_until is None:
        return "not_yet" if valid_from > on else "valid"
    if not is_valid(valid_until, on):
        return "expired"
    if valid_from > on:
        return "not_yet"
    if not is_valid(valid_until, on + dt.timedelta(days=EXPIRES_SOON_DAYS)):
        return "expiring"
    return "valid"
