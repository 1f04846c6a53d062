"""Reading the cells of an import file: text, whole numbers, star ratings, dates, choices.

A cell comes as a spreadsheet gives it (text, a number, a date) or as CSV text; each reader
returns a plain value or raises `CellError` with a message id, translated when shown. The
readers know the ways Vietnamese files write things: 120.000 for a hundred and twenty thousand,
01/02/2024 for the first of February, dates as Excel's day numbers, "4 sao".
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from events_app.core import bounds
from events_app.core.i18n import LANGUAGES, N_, translations
from events_app.core.labels import LABELS
from events_app.core.text import fold


class CellError(ValueError):
    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


_FORMULA_STARTS = ("=", "+", "-", "@")


def text(value: object, max_length: int) -> str:
    """A cell as text, spaces trimmed; refused when longer than the column holds, or a formula."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number or a code typed into a number cell
    if isinstance(value, (dt.datetime, dt.date)):
        value = value.strftime("%d/%m/%Y")
    out = str(value).replace("\x00", "").strip()
    if out.startswith("'") and out[1:2] in _FORMULA_STARTS:
        # Exports (and Excel users) write text that would read as a formula after an apostrophe:
        # it is that text.
        out = out[1:]
    elif out.startswith("="):
        # A spreadsheet formula, as text: its value was not saved, and it would run again when
        # the data is exported to a spreadsheet.
        raise CellError(N_("Formulas are not imported: type the value itself."))
    if len(out) > max_length:
        raise CellError(N_("Use at most %(n)d characters."), n=max_length)
    return out


_CURRENCY = re.compile(r"(vn[dđ]|đồng|dong|đ|₫|d)$")
_GROUPED = re.compile(r"^\d{1,3}([.,  ]\d{3})+$")  # 120.000, 1,500,000, 1 500 000
_DECIMAL_ZEROS = re.compile(r"^(\d+|\d{1,3}([.,]\d{3})+)[.,]0{1,2}$")  # 120000.00, 120.000,00


def whole_number(value: object, *, minimum: int = 0, maximum: int = bounds.MAX_AMOUNT_VND) -> int | None:
    """A whole number such as a price; None for an empty cell."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CellError(N_("Enter a whole number."))
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (not math.isfinite(value) or not value.is_integer()):
            raise CellError(N_("Enter a whole number."))
        number = int(value)
    else:
        raw = str(value).strip().lower().replace(" ", "")
        raw = _CURRENCY.sub("", raw).strip()
        if not raw:
            return None
        if len(raw) > bounds.NUMBER_LENGTH:
            raise CellError(N_("Enter a whole number."))
        if _DECIMAL_ZEROS.match(raw):
            raw = raw[: max(raw.rfind("."), raw.rfind(","))]
        if _GROUPED.match(raw):
            raw = re.sub(r"[.,  ]", "", raw)
        if not (raw.isascii() and raw.isdigit()):
            raise CellError(N_("Enter a whole number."))
        number = int(raw)
    if number < minimum:
        raise CellError(N_("Enter a number of at least %(n)d."), n=minimum)
    if number > maximum:
        raise CellError(N_("Enter a number of at most %(n)d."), n=maximum)
    return number


_STARS = re.compile(r"^([1-9])(\s*(sao|stars?|\*|★))?$")


def stars(value: object) -> int | None:
    """A star rating: 4, "4", "4 sao", "4 stars", "★★★★"; None for an empty cell."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not value.is_integer():
            raise CellError(N_("Choose 3, 4 or 5 stars."))
        return int(value)
    raw = fold(str(value))
    if raw and set(raw) <= {"★", "☆"}:
        return raw.count("★")
    match = _STARS.match(raw)
    if not match:
        raise CellError(N_("Choose 3, 4 or 5 stars."))
    return int(match.group(1))


# Excel counts days from 30 December 1899 (its 1900 leap-year mistake included for later dates).
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIALS = range(36_526, 73_051)  # 2000-01-01 … 2099-12-31: day numbers that are plausibly dates
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y/%m/%d", "%d/%m/%y")


def date(value: object) -> dt.date | None:
    """A date: a spreadsheet date, Excel's day number, or text with the day first (01/02/2024 is
    1 February, as Vietnam writes it); None for an empty cell."""
    if value is None or value == "":
        return None
    day: dt.date | None = None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if math.isfinite(value) and int(value) in _SERIALS:
            day = _EXCEL_EPOCH + dt.timedelta(days=int(value))
    else:
        raw = str(value).strip()
        raw = raw.split(" ")[0] if re.match(r"^\d{4}-\d{2}-\d{2}[ T]\d", raw) else raw  # a date and time
        if raw.isdigit() and int(raw) in _SERIALS:
            day = _EXCEL_EPOCH + dt.timedelta(days=int(raw))
        elif len(raw) <= bounds.NUMBER_LENGTH:
            for fmt in _DATE_FORMATS:
                try:
                    day = dt.datetime.strptime(raw, fmt).date()
                    break
                except ValueError:
                    continue
    if day is None:
        raise CellError(N_("Enter a date as dd/mm/yyyy."))
    if not bounds.within_dates(day):
        raise CellError(N_("Enter a date between %(first)s and %(last)s."),
                        first=bounds.EARLIEST_DATE.strftime("%d/%m/%Y"), last=bounds.LATEST_DATE.strftime("%d/%m/%Y"))
    return day


def _choices(*pairs: tuple[str, tuple[str, ...]], shown_as: str) -> dict[str, str]:
    """Every name of each value, folded; the names the app shows (`LABELS[shown_as]`, in each
    language) among them, so that a file the app exported imports again."""
    names = {fold(name): value for value, names in pairs for name in (value, *names)}
    for value, message in LABELS[shown_as].items():
        for lang in LANGUAGES:
            names.setdefault(fold(translations(lang).gettext(message)), value)
    return names


PRODUCER_TYPES = _choices(
    ("cooperative", ("hợp tác xã", "htx", "hop tac xa")),
    ("cooperative_group", ("tổ hợp tác", "tht", "cooperative group")),
    ("enterprise", ("doanh nghiệp", "dn", "công ty", "cty", "enterprise", "company")),
    ("household", ("hộ kinh doanh", "hộ sản xuất", "hộ gia đình", "cơ sở", "household", "household business")),
    shown_as="producer_type",
)
DISTRIBUTOR_TYPES = _choices(
    ("supermarket_chain", ("chuỗi siêu thị", "siêu thị", "supermarket", "supermarket chain")),
    ("wholesaler", ("nhà bán buôn", "bán buôn", "đại lý", "nhà phân phối", "wholesale")),
    ("ecommerce", ("sàn thương mại điện tử", "thương mại điện tử", "sàn tmđt", "tmđt", "e-commerce",
                   "e-commerce platform")),
    ("exporter", ("doanh nghiệp xuất khẩu", "xuất khẩu", "nhà xuất khẩu", "export")),
    shown_as="distributor_type",
)
EVALUATION_LEVELS = _choices(
    ("provincial", ("cấp tỉnh", "tỉnh", "provincial level")),
    ("national", ("cấp quốc gia", "quốc gia", "trung ương", "cấp trung ương", "national level")),
    shown_as="evaluation_level",
)
# Legal forms that open a producer's name, for a products file that names no type.
_NAME_PREFIXES = (("hop tac xa ", "cooperative"), ("htx ", "cooperative"), ("to hop tac ", "cooperative_group"),
                  ("tht ", "cooperative_group"), ("cong ty ", "enterprise"), ("cty ", "enterprise"),
                  ("doanh nghiep ", "enterprise"), ("ho kinh doanh ", "household"))


def choice(value: str, names: dict[str, str]) -> str | None:
    """The value a name stands for (any of its names, folded); "" for an empty cell, None when unknown."""
    if not value:
        return ""
    return names.get(fold(value))


def producer_type_of_name(name: str) -> str:
    folded = fold(name) + " "
    return next((kind for prefix, kind in _NAME_PREFIXES if folded.startswith(prefix)), "")
