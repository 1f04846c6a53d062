"""Languages, message catalogues and the formats of dates and amounts.

Message ids are English; Vietnamese is the default language. The catalogues are plain
`.po` files, one per domain, under `events_app/locale/<lang>/`, merged when first used.
The current language lives in a context variable set per request from the session.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal

from events_app.core.clock import LOCAL_TZ

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
DEFAULT_LANGUAGE = "vi"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

_current: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated later, when shown."""
    return message


def current_language() -> str:
    return _current.get()


def set_language(language: str | None) -> str:
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    _current.set(language)
    return language


@contextmanager
def language(code: str) -> Iterator[None]:
    token = _current.set(code if code in LANGUAGES else DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _current.reset(token)


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str | tuple[str, str], str | tuple[str, ...]]:
    messages: dict = {}
    for path in sorted((LOCALE_DIR / lang).glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=lang):
                if message.id and message.string and not message.fuzzy:
                    messages[message.id] = message.string
    return messages


def gettext(message: str) -> str:
    translated = catalogue(_current.get()).get(message)
    return translated if isinstance(translated, str) and translated else message


def ngettext(singular: str, plural: str, n: int) -> str:
    translated = catalogue(_current.get()).get((singular, plural))
    if isinstance(translated, tuple) and translated and translated[0]:
        # Vietnamese has a single plural form; English catalogues are the message ids themselves.
        return translated[0] if len(translated) == 1 else translated[0 if n == 1 else 1]
    return singular if n == 1 else plural


_ = gettext


# Formats --------------------------------------------------------------------------------------

def to_local(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(LOCAL_TZ)


def format_date(value: dt.date | dt.datetime | None) -> str:
    """dd/mm/yyyy, in Vietnam's time for moments."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = to_local(value)
    return value.strftime("%d/%m/%Y")


def format_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return to_local(value).strftime("%d/%m/%Y %H:%M")


def format_time(value: dt.datetime | dt.time | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = to_local(value)
    return value.strftime("%H:%M")


def format_vnd(amount: int | float | None) -> str:
    if amount is None:
        return ""
    if _current.get() == "vi":
        return format_currency(amount, "VND", locale="vi_VN")
    return f"{format_decimal(amount, locale='en_US')} VND"


def format_number(value: int | float | None) -> str:
    if value is None:
        return ""
    return format_decimal(value, locale="vi_VN" if _current.get() == "vi" else "en_US")
