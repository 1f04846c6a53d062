"""Products whose certificates end a given number of days from today, and signed-in clients."""

from __future__ import annotations

import datetime as dt

from events_app.core.clock import today
from events_app.core.dates import add_months, certificate_valid_until
from tests.factories import PASSWORD, make_product
from tests.helpers import login


async def product_ending_in(producer, days: int, **fields):
    """A product whose certificate's last day is `days` from today (negative: ended)."""
    last_day = today() + dt.timedelta(days=days)
    certified_on = add_months(last_day, -36)
    assert certificate_valid_until(certified_on) == last_day  # no 29 February in the way
    return await make_product(producer, certified_on=certified_on, **fields)


async def signed_in(client, user):
    client.cookies.clear()
    await login(client, user.email, PASSWORD)
    return client
