"""The columns of each exported list, in order, with their headers in the reader's language.

Producers, products and distributors come back in through the imports, so their first columns
are the import template's own, with its headers: an exported file is imported again as it is.
The columns after them say what only an export knows (region, validity, links); the imports
leave columns they do not know aside.
"""

from __future__ import annotations

from dataclasses import dataclass

from events_app.core.i18n import N_, current_language, gettext
from events_app.exports.sheets import Column, Kind

# The import template's headers, Vietnamese and English, by list and field: the same text as the
# templates the imports hand out.
TEMPLATE_HEADERS: dict[str, dict[str, tuple[str, str]]] = {
    "producers": {
        "name": ("Tên chủ thể", "Producer"),
        "producer_type": ("Loại hình chủ thể", "Producer type"),
        "province": ("Tỉnh/thành", "Province"),
        "address": ("Địa chỉ", "Address"),
        "phone": ("Điện thoại", "Phone"),
        "email": ("Email", "E-mail"),
        "website": ("Trang web", "Website"),
        "description": ("Mô tả", "Description"),
    },
    "products": {
        "name": ("Tên sản phẩm", "Product"),
        "producer": ("Chủ thể", "Producer"),
        "province": ("Tỉnh/thành", "Province"),
        "producer_type": ("Loại hình chủ thể", "Producer type"),
        "group": ("Nhóm sản phẩm", "Product group"),
        "stars": ("Số sao", "Stars"),
        "certificate_number": ("Số giấy chứng nhận", "Certificate number"),
        "certified_on": ("Ngày cấp", "Certified on"),
        "evaluation_level": ("Cấp đánh giá", "Evaluation level"),
        "price": ("Giá (đồng)", "Price (VND)"),
        "unit": ("Đơn vị", "Unit"),
        "description": ("Mô tả", "Description"),
        "story": ("Câu chuyện sản phẩm", "Story"),
        "traceability_url": ("Truy xuất nguồn gốc", "Traceability link"),
    },
    "distributors": {
        "name": ("Tên nhà phân phối", "Distributor"),
        "distributor_type": ("Loại hình", "Distributor type"),
        "province": ("Tỉnh/thành", "Province"),
        "address": ("Địa chỉ", "Address"),
        "website": ("Trang web", "Website"),
        "description": ("Mô tả", "Description"),
    },
}


@dataclass(frozen=True)
class Field:
    """A column of an export: the row key it shows, its header, the kind of its cells."""

    key: str
    kind: Kind = Kind.text
    template: tuple[str, str] | None = None  # the import template's header (vi, en)
    message: str = ""  # else a message id, translated from exports.po

    def header(self) -> str:
        if self.template:
            return self.template[0] if current_language() == "vi" else self.template[1]
        return gettext(self.message)


def _template(list_name: str, key: str, kind: Kind = Kind.text) -> Field:
    return Field(key, kind, template=TEMPLATE_HEADERS[list_name][key])


def _template_fields(list_name: str, kinds: dict[str, Kind] | None = None) -> tuple[Field, ...]:
    return tuple(_template(list_name, key, (kinds or {}).get(key, Kind.text)) for key in TEMPLATE_HEADERS[list_name])


PRODUCERS: tuple[Field, ...] = (
    *_template_fields("producers"),
    Field("region", message=N_("Region")),
    Field("province_as_written", message=N_("Province on the certificate")),
    Field("products", Kind.integer, message=N_("Products")),
    Field("joined_on", Kind.date, message=N_("Listed on")),
)

PRODUCTS: tuple[Field, ...] = (
    *_template_fields(
        "products", {"stars": Kind.integer, "certified_on": Kind.date, "price": Kind.amount}
    ),
    Field("valid_until", Kind.date, message=N_("Certificate valid until")),
    Field("region", message=N_("Region")),
    Field("page", message=N_("Product page")),
)

DISTRIBUTORS: tuple[Field, ...] = (
    *_template_fields("distributors"),
    Field("region", message=N_("Region")),
    Field("accounts", message=N_("Account e-mails")),
    Field("joined_on", Kind.date, message=N_("Listed on")),
)

EXHIBITORS: tuple[Field, ...] = (
    Field("hall", message=N_("Hall")),
    Field("booths", message=N_("Booths")),
    _template("producers", "name"),
    _template("producers", "producer_type"),
    _template("producers", "province"),
    _template("producers", "address"),
    _template("producers", "phone"),
    _template("producers", "email"),
    _template("producers", "website"),
    Field("products", message=N_("Products shown")),
    Field("product_count", Kind.integer, message=N_("Number of products")),
)


def sheet_columns(fields: tuple[Field, ...]) -> list[Column]:
    """The headers of these fields in the current language, for the sheet builder."""
    return [Column(field.header(), field.kind) for field in fields]


def sheet_rows(fields: tuple[Field, ...], rows: list[dict]) -> list[tuple]:
    keys = [field.key for field in fields]
    return [tuple(row.get(key) for key in keys) for row in rows]
