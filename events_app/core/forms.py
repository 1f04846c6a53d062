"""Reading HTML forms: typed values out, a message per field in.

Controllers read fields through a `FormReader`; every problem becomes a translated message next
to its field, and the form is shown again with what the user typed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from litestar.datastructures import FormMultiDict, UploadFile

from events_app.core.errors import DomainError, ValidationError
from events_app.core.i18n import LOCAL_TZ, N_


def _parse_date(text: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _parse_local_datetime(text: str) -> dt.datetime:
    for fmt in ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"):
        try:
            return dt.datetime.strptime(text, fmt).replace(tzinfo=LOCAL_TZ).astimezone(dt.timezone.utc)
        except ValueError:
            continue
    raise ValueError(text)


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
        value = self._raw(name)
        if required and not value:
            self.error(name, N_("This field is required."))
        elif len(value) > max_length:
            self.error(name, N_("Use at most %(n)d characters."), n=max_length)
        return value

    def integer(
        self, name: str, *, required: bool = False, minimum: int | None = None, maximum: int | None = None
    ) -> int | None:
        # Thousands separators as typed in Vietnam (1.500.000) or elsewhere (1,500,000) are dropped.
        value = self._parsed(
            name, required, lambda raw: int(raw.replace(".", "").replace(",", "").replace(" ", "")),
            N_("Enter a whole number."),
        )
        if value is None:
            return None
        if minimum is not None and value < minimum:
            self.error(name, N_("Enter a number of at least %(n)d."), n=minimum)
        elif maximum is not None and value > maximum:
            self.error(name, N_("Enter a number of at most %(n)d."), n=maximum)
        return value

    def number(self, name: str, *, required: bool = False, minimum: float | None = None) -> float | None:
        value = self._parsed(name, required, lambda raw: float(raw.replace(",", ".")), N_("Enter a number."))
        if value is not None and minimum is not None and value < minimum:
            self.error(name, N_("Enter a number of at least %(n)s."), n=minimum)
        return value

    def _parsed(self, name: str, required: bool, parse, message: str):
        """The field read by `parse`; empty gives None (or "required"), unreadable gives `message`."""
        raw = self._raw(name)
        if not raw:
            if required:
                self.error(name, N_("This field is required."))
            return None
        try:
            return parse(raw)
        except ValueError:
            self.error(name, message)
            return None

    def date(self, name: str, *, required: bool = False) -> dt.date | None:
        return self._parsed(name, required, _parse_date, N_("Enter a date as dd/mm/yyyy."))

    def datetime(self, name: str, *, required: bool = False) -> dt.datetime | None:
        """A local (Vietnam) date and time from a datetime-local input, returned in UTC."""
        return self._parsed(name, required, _parse_local_datetime, N_("Enter a date and time as dd/mm/yyyy hh:mm."))

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
        out = []
        for raw in self._all(name):
            if not raw:
                continue
            try:
                out.append(int(raw))
            except ValueError:
                self.error(name, N_("Choose among the options shown."))
        return list(dict.fromkeys(out))

    def flag(self, name: str) -> bool:
        return self._raw(name) in ("1", "on", "true", "yes")

    def file(self, name: str) -> UploadFile | None:
        value = self.data.get(name)
        if isinstance(value, UploadFile) and value.filename:
            return value
        return None

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
