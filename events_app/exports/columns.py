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
from events_app.imports.columns import COLUMNS, Kind as ListKind, column


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


def _template(kind: ListKind, key: str, cells: Kind = Kind.text) -> Field:
    spec = column(kind, key)
    return Field(key, cells, template=(spec.header, spec.header_en))


def _template_fields(kind: ListKind, cells: dict[str, Kind] | None = None) -> tuple[Field, ...]:
    """Every column of an import template, in its order."""
    return tuple(_template(kind, spec.key, (cells or {}).get(spec.key, Kind.text)) for spec in COLUMNS[kind])


# The producer attributes the programme reports on, a column each ("yes" or blank).
ATTRIBUTES: tuple[Field, ...] = (
    Field("women_led", message=N_("Women-led")),
    Field("ethnic_minority", message=N_("Ethnic-minority producer")),
    Field("craft_village", message=N_("Craft village")),
    Field("youth_startup", message=N_("Youth start-up")),
    Field("cooperative_group", message=N_("Member of a cooperative group")),
)

PRODUCERS: tuple[Field, ...] = (
    *_template_fields(ListKind.producers),
    Field("region", message=N_("Region")),
    Field("province_as_written", message=N_("Province on the certificate")),
    Field("products", Kind.integer, message=N_("Products")),
    Field("joined_on", Kind.date, message=N_("Listed on")),
    *ATTRIBUTES,
)

PRODUCTS: tuple[Field, ...] = (
    *_template_fields(
        ListKind.products, {"stars": Kind.integer, "certified_on": Kind.date, "price": Kind.amount}
    ),
    Field("valid_until", Kind.date, message=N_("Certificate valid until")),
    Field("region", message=N_("Region")),
    Field("page", message=N_("Product page")),
    Field("traceability_code", message=N_("Traceability stamp code")),
    Field("barcode", message=N_("Barcode (GTIN)")),
    Field("listings", message=N_("Sold online")),
    *ATTRIBUTES,
)

DISTRIBUTORS: tuple[Field, ...] = (
    *_template_fields(ListKind.distributors),
    Field("region", message=N_("Region")),
    Field("accounts", message=N_("Account e-mails")),
    Field("joined_on", Kind.date, message=N_("Listed on")),
)

EXHIBITORS: tuple[Field, ...] = (
    Field("hall", message=N_("Hall")),
    Field("booths", message=N_("Booths")),
    _template(ListKind.producers, "name"),
    _template(ListKind.producers, "producer_type"),
    _template(ListKind.producers, "province"),
    _template(ListKind.producers, "address"),
    _template(ListKind.producers, "phone"),
    _template(ListKind.producers, "email"),
    _template(ListKind.producers, "website"),
    Field("products", message=N_("Products shown")),
    Field("product_count", Kind.integer, message=N_("Number of products")),
)


def sheet_columns(fields: tuple[Field, ...]) -> list[Column]:
    """The headers of these fields in the current language, for the sheet builder."""
    return [Column(field.header(), field.kind) for field in fields]


def sheet_rows(fields: tuple[Field, ...], rows: list[dict]) -> list[tuple]:
    keys = [field.key for field in fields]
    return [tuple(row.get(key) for key in keys) for row in rows]
