"""The columns of the import files, stated once: the Vietnamese headers of the downloadable
templates (which exports write too, so that an exported file can be imported again), the other
names a column is recognised by, and how long its text may be.

A header is recognised by its folded form (case, tone marks and đ ignored, spaces collapsed),
so "TÊN SẢN PHẨM", "ten san pham" and "Tên  sản phẩm" are the same column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from events_app.core.i18n import N_
from events_app.core.text import fold


class Kind(str, Enum):
    producers = "producers"
    products = "products"
    distributors = "distributors"


KIND_LABELS = {
    Kind.producers: N_("Producers"),
    Kind.products: N_("Products"),
    Kind.distributors: N_("Distributors"),
}


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # Vietnamese, as in the templates and the exports
    header_en: str
    synonyms: tuple[str, ...] = ()
    required: bool = False
    max_length: int = 300
    note: str = ""  # a message id: what to write, shown in the template's notes sheet

    def names(self) -> set[str]:
        return {header_key(name) for name in (self.header, self.header_en, *self.synonyms)}


NAME, PRODUCER, PROVINCE, PRODUCER_TYPE, DISTRIBUTOR_TYPE = "name", "producer", "province", "producer_type", "distributor_type"
ADDRESS, PHONE, EMAIL, WEBSITE, DESCRIPTION = "address", "phone", "email", "website", "description"
GROUP, STARS, CERTIFICATE, CERTIFIED_ON, LEVEL = "group", "stars", "certificate_number", "certified_on", "evaluation_level"
PRICE, UNIT, STORY, TRACEABILITY = "price", "unit", "story", "traceability_url"

_PROVINCE = Column(
    PROVINCE, "Tỉnh/thành", "Province", ("tỉnh", "tỉnh/thành phố", "tỉnh thành", "tỉnh, thành phố", "thành phố"),
    required=True, max_length=120,
    note=N_("One of the 34 provinces and cities, or its name before 1 July 2025: the former name is kept as written."),
)
_PRODUCER_TYPE = Column(
    PRODUCER_TYPE, "Loại hình chủ thể", "Producer type", ("loại hình", "loại chủ thể", "type"), max_length=60,
    note=N_("Hợp tác xã, Tổ hợp tác, Doanh nghiệp or Hộ kinh doanh; left empty, it is read from the start of the name (HTX…, Công ty…)."),
)
_ADDRESS = Column(ADDRESS, "Địa chỉ", "Address", ("địa chỉ liên hệ",), max_length=300)
_WEBSITE = Column(WEBSITE, "Trang web", "Website", ("website", "web", "trang thông tin điện tử"), max_length=300,
                  note=N_("A web address starting with http:// or https://."))
_DESCRIPTION = Column(DESCRIPTION, "Mô tả", "Description", ("giới thiệu", "mô tả ngắn"), max_length=5000)

COLUMNS: dict[Kind, tuple[Column, ...]] = {
    Kind.producers: (
        Column(NAME, "Tên chủ thể", "Producer", ("chủ thể", "tên", "tên đơn vị", "tên hợp tác xã", "producer name",
                                                "name", "đơn vị"), required=True, max_length=200),
        _PRODUCER_TYPE,
        _PROVINCE,
        _ADDRESS,
        Column(PHONE, "Điện thoại", "Phone", ("số điện thoại", "sđt", "đt", "phone number", "tel"), max_length=40),
        Column(EMAIL, "Email", "E-mail", ("thư điện tử", "địa chỉ email", "mail"), max_length=254),
        _WEBSITE,
        _DESCRIPTION,
    ),
    Kind.products: (
        Column(NAME, "Tên sản phẩm", "Product", ("sản phẩm", "tên", "product name", "name"), required=True,
               max_length=200),
        Column(PRODUCER, "Chủ thể", "Producer", ("tên chủ thể", "chủ thể sản xuất", "chủ thể ocop", "producer name",
                                                 "đơn vị sản xuất", "cơ sở sản xuất"), required=True, max_length=200,
               note=N_("The producer's name; with the province, it finds the producer, or adds it when there is none.")),
        _PROVINCE,
        _PRODUCER_TYPE,
        Column(GROUP, "Nhóm sản phẩm", "Product group", ("nhóm", "nhóm ngành", "ngành hàng", "group"), required=True,
               max_length=200, note=N_("The group's code or its name in Vietnamese or English.")),
        Column(STARS, "Số sao", "Stars", ("sao", "hạng sao", "xếp hạng", "star rating", "rating"), required=True,
               max_length=20, note=N_("3, 4 or 5.")),
        Column(CERTIFICATE, "Số giấy chứng nhận", "Certificate number",
               ("số gcn", "giấy chứng nhận", "số chứng nhận", "số quyết định", "certificate", "certificate no"),
               required=True, max_length=80),
        Column(CERTIFIED_ON, "Ngày cấp", "Certified on", ("ngày chứng nhận", "ngày công nhận", "ngày cấp giấy chứng nhận",
                                                          "ngày quyết định", "ngày", "date", "certificate date"), required=True,
               max_length=40, note=N_("A date as dd/mm/yyyy (day first), from 2018 to today.")),
        Column(LEVEL, "Cấp đánh giá", "Evaluation level", ("cấp công nhận", "cấp", "level"), max_length=40,
               note=N_("Cấp tỉnh or Cấp quốc gia; left empty: national for 5 stars, provincial for 3 and 4.")),
        Column(PRICE, "Giá (đồng)", "Price (VND)", ("giá", "giá bán", "đơn giá", "giá (vnđ)", "giá (vnd)", "price"),
               max_length=40, note=N_("A whole number of đồng; 120.000 and 120,000 are both read as 120000.")),
        Column(UNIT, "Đơn vị", "Unit", ("đơn vị tính", "đvt", "quy cách"), max_length=40),
        _DESCRIPTION,
        Column(STORY, "Câu chuyện sản phẩm", "Story", ("câu chuyện", "product story"), max_length=10000),
        Column(TRACEABILITY, "Truy xuất nguồn gốc", "Traceability link",
               ("link truy xuất", "mã truy xuất", "traceability", "traceability url"), max_length=300,
               note=N_("A web address starting with http:// or https://.")),
    ),
    Kind.distributors: (
        Column(NAME, "Tên nhà phân phối", "Distributor", ("nhà phân phối", "tên", "tên đơn vị", "đơn vị",
                                                          "distributor name", "name"), required=True, max_length=200),
        Column(DISTRIBUTOR_TYPE, "Loại hình", "Distributor type", ("loại hình nhà phân phối", "loại", "type"),
               required=True, max_length=60,
               note=N_("Chuỗi siêu thị, Nhà bán buôn, Sàn thương mại điện tử or Doanh nghiệp xuất khẩu.")),
        Column(PROVINCE, "Tỉnh/thành", "Province", _PROVINCE.synonyms, max_length=120, note=_PROVINCE.note),
        _ADDRESS,
        _WEBSITE,
        _DESCRIPTION,
    ),
}

# Columns with the same Vietnamese header in two kinds mean the same thing: exports can take them from here.
HEADERS: dict[Kind, dict[str, str]] = {kind: {c.key: c.header for c in columns} for kind, columns in COLUMNS.items()}

_PUNCTUATION = re.compile(r"[^a-z0-9/()]+")


def header_key(text: object) -> str:
    """A header as compared: folded, a trailing "*" or ":" and stray punctuation dropped."""
    return " ".join(_PUNCTUATION.sub(" ", fold(str(text or ""))).split())


def column(kind: Kind, key: str) -> Column:
    return next(c for c in COLUMNS[kind] if c.key == key)


def guess_mapping(kind: Kind, headers: list[str]) -> dict[int, str]:
    """Which column of the file holds which field, by header name: {position: key}.

    The template's own header wins over a synonym (a file may have "Tên sản phẩm" and "Tên"),
    and each field is taken by the first column that names it.
    """
    keys = [header_key(h) for h in headers]
    mapping: dict[int, str] = {}
    for exact in (True, False):
        for spec in COLUMNS[kind]:
            if spec.key in mapping.values():
                continue
            wanted = {header_key(spec.header)} if exact else spec.names()
            for position, key in enumerate(keys):
                if position not in mapping and key in wanted:
                    mapping[position] = spec.key
                    break
    return mapping


def is_template_layout(kind: Kind, headers: list[str], mapping: dict[int, str]) -> bool:
    """Every non-empty header is one of the template's own, so there is nothing to choose."""
    own = {header_key(c.header) for c in COLUMNS[kind]}
    named = [(i, header_key(h)) for i, h in enumerate(headers) if header_key(h)]
    return bool(named) and all(key in own and i in mapping for i, key in named)


def missing_required(kind: Kind, mapping: dict[int, str]) -> list[Column]:
    return [c for c in COLUMNS[kind] if c.required and c.key not in mapping.values()]
