"""The bounds of every value read from a request, stated once.

Whatever a visitor sends must fit the columns it is stored in, or be compared with them, on both
engines: PostgreSQL's `integer` is 32 bits (ids, counts), `bigint` holds the amounts, and a date
far from today cannot be moved to UTC or shown. Forms (`core.forms.FormReader`), path parameters
(`RowId`) and query values (`core.pagination.page_number`, the filters) all read these.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from litestar.params import Parameter

INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1  # PostgreSQL `integer`: every id and count

# Amounts in đồng (prices, MoU values) are `bigint` columns; no price or contract of the
# programme comes near a million billion đồng.
MAX_AMOUNT_VND = 10**15

# Sizes and positions in metres (`real` columns, finite).
MAX_MEASURE = 100_000.0

# The calendar the programme lives in: earlier or later dates are typing mistakes.
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
EARLIEST_YEAR, LATEST_YEAR = EARLIEST_DATE.year, LATEST_DATE.year

EMAIL_LENGTH = 254  # as RFC 5321 allows, and the e-mail columns hold
NUMBER_LENGTH = 40  # characters of a typed number, separators and all
NEXT_LENGTH = 2000  # a local address to go back to
SEARCH_LENGTH = 200  # the words of a search box
MAX_CHOICES = 1000  # values of one field (ticked boxes); no form offers more
MAX_PAGE = INT32_MAX  # a page number beyond the last one shows the last

# An id in a path: anything else names no row, so the page is not found.
RowId = Annotated[int, Parameter(ge=1, le=INT32_MAX)]


def within_dates(day: dt.date) -> bool:
    return EARLIEST_DATE <= day <= LATEST_DATE


def within_years(year: int) -> bool:
    return EARLIEST_YEAR <= year <= LATEST_YEAR
