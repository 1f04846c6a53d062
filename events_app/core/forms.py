"""Reading HTML forms: typed values out, a message per field in.

Controllers read fields through a `FormReader`; every problem becomes a translated message next
to its field, and the form is shown again with what the user typed.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Iterable

from litestar.datastructures import FormMultiDict, UploadFile

from events_app.core import bounds
from events_app.core.errors import DomainError, ValidationError
from events_app.core.i18n import LOCAL_TZ, N_, format_date
from events_app.core.navigation import safe_next
from events_app.core.pagination import page_number


def _parse_date(text: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _parse_local_datetime(text: str) -> dt.datetime:
    """A naive date and time as typed; it is moved to UTC once known to be within the calendar."""
    for fmt in ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"):
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ValueError(text)


def parse_id(text: str | None) -> int | None:
    """A row id as sent in a form or a query string; None for anything no row can have."""
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(bounds.INT32_MAX)):
        return None
    value = int(text)
    return value if 1 <= value <= bounds.INT32_MAX else None


def parse_month(text: str) -> dt.date | None:
    """The first day of a month typed as yyyy-mm, within the calendar's bounds; None otherwise."""
    try:
        day = dt.datetime.strptime(text.strip(), "%Y-%m").date()
    except (ValueError, AttributeError):
        return None
    return day if bounds.within_dates(day) else None


class FormReader:
    def __init__(self, data: FormMultiDict | dict[str, Any]) -> None:
        self.data = data
        self.errors: dict[str, DomainError] = {}

    def _raw(self, name: str) -> str:
        value = self.data.get(name)
        # NUL characters are dropped: PostgreSQL refuses them in text, and no one types them.
        return value.replace("\x00", "").strip() if isinstance(value, str) else ""

    def values(self) -> dict[str, Any]:
        """What the user typed, to fill the form again."""
        out: dict[str, Any] = {}
        items = self.data.multi_items() if hasattr(self.data, "multi_items") else self.data.items()
        for key, value in items:
            if key == "_csrf_token" or isinstance(value, UploadFile):
                continue
            if key in out:
                out[key] = (out[key] if isinstance(out[key], list) else [out[key]]) + [value]
            else:
                out[key] = value
        return out

    def error(self, name: str, message: str, **params: Any) -> None:
        self.errors.setdefault(name, DomainError(message, **params))

    def text(self, name: str, *, required: bool = False, max_length: int = 300) -> str:
        """The field's text, never longer than `max_length` (what was cut is an error on the field;
        `values()` keeps what was typed, to show it again)."""
        value = self._raw(name)
        if required and not value:
            self.error(name, N_("This field is required."))
        elif len(value) > max_length:
            self.error(name, N_("Use at most %(n)d characters."), n=max_length)
            return value[:max_length]
        return value

    def page(self, name: str = "page") -> int:
        """A page number to go back to (see `page_number`); never an error."""
        return page_number(self._raw(name))

    def search(self, name: str = "q") -> str:
        """Words of a search box, spaces collapsed and cut at `bounds.SEARCH_LENGTH`; never an error."""
        return " ".join(self._raw(name).split())[: bounds.SEARCH_LENGTH]

    def local_path(self, name: str, default: str = "/") -> str:
        """A local address to go back to (see `safe_next`); anything else is `default`, never an error."""
        return safe_next(self._raw(name), default)

    def email(self, name: str, *, required: bool = False) -> str:
        """An e-mail address as typed, no longer than an address can be (its shape is the service's to judge)."""
        return self.text(name, required=required, max_length=bounds.EMAIL_LENGTH)

    def integer(
        self, name: str, *, required: bool = False, minimum: int | None = None, maximum: int | None = None
    ) -> int | None:
        """A whole number that fits an `integer` column (ids, counts), within the bounds given."""
        low = bounds.INT32_MIN if minimum is None else max(minimum, bounds.INT32_MIN)
        high = bounds.INT32_MAX if maximum is None else min(maximum, bounds.INT32_MAX)
        return self._whole(name, required, low, high)

    def amount(self, name: str, *, required: bool = False) -> int | None:
        """An amount in đồng, from 0 to `bounds.MAX_AMOUNT_VND` (a `bigint` column)."""
        return self._whole(name, required, 0, bounds.MAX_AMOUNT_VND)

    def _whole(self, name: str, required: bool, minimum: int, maximum: int) -> int | None:
        # Thousands separators as typed in Vietnam (1.500.000) or elsewhere (1,500,000) are dropped.
        value = self._parsed(
            name, required, lambda raw: int(raw.replace(".", "").replace(",", "").replace(" ", "")),
            N_("Enter a whole number."),
        )
        if value is None:
            return None
        if value < minimum:
            self.error(name, N_("Enter a number of at least %(n)d."), n=minimum)
            return None
        if value > maximum:
            self.error(name, N_("Enter a number of at most %(n)d."), n=maximum)
            return None
        return value

    def number(
        self, name: str, *, required: bool = False, minimum: float | None = None, maximum: float = bounds.MAX_MEASURE
    ) -> float | None:
        """A finite number (a size or a position), within the bounds given."""
        value = self._parsed(name, required, lambda raw: float(raw.replace(",", ".")), N_("Enter a number."))
        if value is None:
            return None
        if not math.isfinite(value):
            self.error(name, N_("Enter a number."))
            return None
        if minimum is not None and value < minimum:
            self.error(name, N_("Enter a number of at least %(n)s."), n=minimum)
            return None
        if value > maximum:
            self.error(name, N_("Enter a number of at most %(n)s."), n=maximum)
            return None
        return value

    def _parsed(self, name: str, required: bool, parse, message: str):
        """The field read by `parse`; empty gives None (or "required"), unreadable gives `message`."""
        raw = self._raw(name)
        if not raw:
            if required:
                self.error(name, N_("This field is required."))
            return None
        if len(raw) > bounds.NUMBER_LENGTH:  # no number, date or time is typed that long
            self.error(name, message)
            return None
        try:
            return parse(raw)
        except ValueError:
            self.error(name, message)
            return None

    def _in_calendar(self, name: str, day: dt.date | None) -> bool:
        """Whether `day` is within the calendar's bounds; an error on the field if not."""
        if day is None:
            return False
        if not bounds.within_dates(day):
            self.error(name, N_("Enter a date between %(first)s and %(last)s."),
                       first=format_date(bounds.EARLIEST_DATE), last=format_date(bounds.LATEST_DATE))
            return False
        return True

    def date(self, name: str, *, required: bool = False) -> dt.date | None:
        day = self._parsed(name, required, _parse_date, N_("Enter a date as dd/mm/yyyy."))
        return day if self._in_calendar(name, day) else None

    def datetime(self, name: str, *, required: bool = False) -> dt.datetime | None:
        """A local (Vietnam) date and time from a datetime-local input, returned in UTC."""
        local = self._parsed(name, required, _parse_local_datetime, N_("Enter a date and time as dd/mm/yyyy hh:mm."))
        if not self._in_calendar(name, local.date() if local else None):
            return None
        return local.replace(tzinfo=LOCAL_TZ).astimezone(dt.timezone.utc)

    def month(self, name: str, *, required: bool = False) -> dt.date | None:
        """The first day of a month from a month input (yyyy-mm)."""
        raw = self._raw(name)
        if not raw:
            if required:
                self.error(name, N_("This field is required."))
            return None
        first = parse_month(raw)
        if first is None:
            self.error(name, N_("Choose a month."))
        return first

    def time(self, name: str, *, required: bool = False) -> dt.time | None:
        return self._parsed(
            name, required, lambda raw: dt.datetime.strptime(raw, "%H:%M").time(), N_("Enter a time as hh:mm.")
        )

    def choice(self, name: str, choices: Iterable[str], *, required: bool = True) -> str:
        value = self._raw(name)
        allowed = set(choices)
        if not value:
            if required:
                self.error(name, N_("Choose one of the options."))
            return ""
        if value not in allowed:
            self.error(name, N_("Choose one of the options."))
            return ""
        return value

    def choices(self, name: str, choices: Iterable[str]) -> list[str]:
        allowed = set(choices)
        picked = [v for v in self._all(name) if v]
        if any(v not in allowed for v in picked):
            self.error(name, N_("Choose among the options shown."))
        return [v for v in dict.fromkeys(picked) if v in allowed]

    def ids(self, name: str) -> list[int]:
        """Ids of ticked boxes: each one an id a row can have, and no more than a form offers."""
        out = []
        values = [raw for raw in self._all(name) if raw]
        if len(values) > bounds.MAX_CHOICES:
            self.error(name, N_("Choose among the options shown."))
            return []
        for raw in values:
            value = parse_id(raw)
            if value is None:
                self.error(name, N_("Choose among the options shown."))
            else:
                out.append(value)
        return list(dict.fromkeys(out))

    def flag(self, name: str) -> bool:
        return self._raw(name) in ("1", "on", "true", "yes")

    def file(self, name: str) -> UploadFile | None:
        value = self.data.get(name)
        if isinstance(value, UploadFile) and value.filename:
            return value
        return None

    def files(self, name: str, *, limit: int) -> list[UploadFile]:
        """The files chosen in a multiple file field, at most `limit` of them (more are cut off:
        the caller's rule on how many there may be sees the count reach the limit)."""
        values = self.data.getall(name, []) if hasattr(self.data, "getall") else [self.data.get(name)]
        return [v for v in values if isinstance(v, UploadFile) and v.filename][:limit]

    def _all(self, name: str) -> list[str]:
        if hasattr(self.data, "getall"):
            values = self.data.getall(name, [])
        else:
            value = self.data.get(name)
            values = value if isinstance(value, list) else ([value] if value is not None else [])
        return [v.replace("\x00", "").strip() for v in values if isinstance(v, str)]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise ValidationError(dict(self.errors))
