"""The one clock: moments in UTC, days in Vietnam's time.

Everything that asks "what time is it" asks here, so tests and rules agree on one answer.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> dt.datetime:
    """This moment, in UTC."""
    return dt.datetime.now(dt.timezone.utc)


def today() -> dt.date:
    """Today in Vietnam: a certificate runs out, and a window closes, at the end of a Vietnamese day."""
    return dt.datetime.now(LOCAL_TZ).date()
