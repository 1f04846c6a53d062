"""Languages, message catalogues and the formats of dates and amounts.

Message ids are English; Vietnamese is the default language. The catalogues are plain
`.po` files, one per domain, under `events_app/locale/<lang>/`: the first time a language
is used they are compiled in memory to `.mo` and loaded as one `babel.support.Translations`,
which applies the catalogue's own `Plural-Forms`. Nothing compiled is stored, so a fresh
clone or an installed wheel (which carries the `.po` files) needs no build step.
The current language lives in a context variable set per request from the session.
"""

from __future__ import annotations

import datetime as dt
import threading
from contextlib import contextmanager
from contextvars import ContextVar
from io import BytesIO
from pathlib import Path
from typing import Iterator

from babel import dates
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal
from babel.support import NullTranslations, Translations

from events_app.core.clock import LOCAL_TZ

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
DEFAULT_LANGUAGE = "vi"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

# Babel's locale for each language, and the patterns of dates and times in it.
BABEL_LOCALES = {"vi": "vi_VN", "en": "en_US"}
DATE_PATTERN = "dd/MM/yyyy"
TIME_PATTERN = "HH:mm"

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


# Catalogues -----------------------------------------------------------------------------------

def compile_catalogue(po_file: Path, lang: str) -> Translations:
    """One domain's `.po` file as loaded translations; fuzzy entries are left out, as msgfmt does."""
    with po_file.open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=po_file.stem)
    mo = BytesIO()
    write_mo(mo, catalog)
    mo.seek(0)
    return Translations(mo, domain=po_file.stem)


def load_translations(lang: str) -> NullTranslations:
    """Every domain of a language merged into one catalogue; message ids alone where there is none.

    The first catalogue's headers, `Plural-Forms` among them, stand for all: every domain of a
    language shares them (`test_catalogue_complete` checks).
    """
    merged: Translations | None = None
    for po_file in sorted((LOCALE_DIR / lang).glob("*.po")):
        compiled = compile_catalogue(po_file, lang)
        if merged is None:
            merged = compiled
            merged.domain = Translations.DEFAULT_DOMAIN
        else:
            merged.merge(compiled)
    return merged if merged is not None else NullTranslations()


_loaded: dict[str, NullTranslations] = {}
_loading = threading.Lock()


def translations(lang: str) -> NullTranslations:
    """The compiled catalogue of a language, built once per process whichever thread asks first."""
    found = _loaded.get(lang)
    if found is None:
        with _loading:
            found = _loaded.get(lang)
            if found is None:
                found = _loaded[lang] = load_translations(lang)
    return found


def reload_translations() -> None:
    """Forget the compiled catalogues, after the `.po` files changed."""
    with _loading:
        _loaded.clear()


def gettext(message: str) -> str:
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).ngettext(singular, plural, n)


_ = gettext


# Formats --------------------------------------------------------------------------------------

def _babel_locale() -> str:
    return BABEL_LOCALES.get(_current.get(), BABEL_LOCALES[DEFAULT_LANGUAGE])


def to_local(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(LOCAL_TZ)


def format_date(value: dt.date | dt.datetime | None) -> str:
    """dd/mm/yyyy, in Vietnam's time for moments."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = to_local(value).date()
    return dates.format_date(value, DATE_PATTERN, locale=_babel_locale())


def format_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return dates.format_datetime(to_local(value), f"{DATE_PATTERN} {TIME_PATTERN}", locale=_babel_locale())


def format_time(value: dt.datetime | dt.time | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = to_local(value)
    return dates.format_time(value, TIME_PATTERN, locale=_babel_locale())


def format_vnd(amount: int | float | None) -> str:
    if amount is None:
        return ""
    if _current.get() == "vi":
        return format_currency(amount, "VND", locale=BABEL_LOCALES["vi"])
    return f"{format_decimal(amount, locale=BABEL_LOCALES['en'])} VND"


def format_number(value: int | float | None) -> str:
    if value is None:
        return ""
    return format_decimal(value, locale=_babel_locale())
