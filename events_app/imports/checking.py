"""Checking the rows of an import, without the database: pure functions of plain values.

Two steps. `read_row` turns a row's cells into the values of a producer, product or distributor,
with a message per cell that cannot be used; it needs only the reference data (provinces, former
provinces, product groups), so a file is read once. The meaning is judged by the directory's own
rules (`product_rule_errors`, `profile_rule_errors`), the ones the forms use. `plan` then decides,
against what the database holds (`Existing`), which rows are new, which match a row there (to
update or to skip, as staff choose), which repeat an earlier row of the file, and which cannot be
imported; it runs again, on fresh `Existing`, in the transaction that writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable

from events_app.core.errors import DomainError
from events_app.core.i18n import N_
from events_app.core.text import fold
from events_app.directory.products import ProductInput, product_rule_errors
from events_app.directory.services import OrganisationProfile, profile_rule_errors
from events_app.directory.tables import EvaluationLevel
from events_app.imports import columns as c
from events_app.imports import values
from events_app.imports.columns import Kind
from events_app.reference.services import ProvinceNames

# Row actions.
NEW, UPDATE, SKIP, REPEAT, ERROR = "new", "update", "skip", "repeat", "error"
POLICIES = (UPDATE, SKIP)

PRODUCER_TYPE_NAMES = "Hợp tác xã, Tổ hợp tác, Doanh nghiệp, Hộ kinh doanh"
DISTRIBUTOR_TYPE_NAMES = "Chuỗi siêu thị, Nhà bán buôn, Sàn thương mại điện tử, Doanh nghiệp xuất khẩu"
LEVEL_NAMES = "Cấp tỉnh, Cấp quốc gia"


@dataclass
class Reference:
    """The reference data rows are read against, loaded once per file."""

    provinces: ProvinceNames
    province_ids: set[int]
    province_names: dict[int, str]
    groups: dict[str, int]  # folded code, Vietnamese and English name → id
    group_rows: dict[int, dict]

    @classmethod
    def of(cls, provinces: ProvinceNames, province_rows: list[dict], group_rows: list[dict]) -> Reference:
        groups: dict[str, int] = {}
        for row in group_rows:
            for name in (row["code"], row["name_vi"], row["name_en"]):
                groups.setdefault(fold(name), row["id"])
        return cls(provinces, {p["id"] for p in province_rows}, {p["id"]: p["name"] for p in province_rows},
                   groups, {g["id"]: g for g in group_rows})

    @property
    def group_ids(self) -> set[int]:
        return set(self.group_rows)


@dataclass
class Row:
    """One row of the file: its number there, its values, and what is wrong with it."""

    number: int
    values: dict[str, Any]
    errors: list[tuple[str, str, dict]] = field(default_factory=list)  # (column key, message id, params)

    def to_json(self) -> list:
        return [self.number, self.values, [list(e) for e in self.errors]]

    @classmethod
    def from_json(cls, data: list) -> Row:
        return cls(data[0], data[1], [(e[0], e[1], e[2]) for e in data[2]])


# Reading a row ----------------------------------------------------------------------------------

class _Cells:
    """A row's cells by column key, read one by one; what cannot be read is an error on its column."""

    def __init__(self, kind: Kind, cells: dict[str, object]) -> None:
        self.kind = kind
        self.cells = cells
        self.errors: dict[str, tuple[str, dict]] = {}

    def read(self, key: str, reader, *args) -> Any:
        try:
            return reader(self.cells.get(key), *args)
        except values.CellError as exc:
            self.errors.setdefault(key, (exc.message, exc.params))
            return None

    def text(self, key: str) -> str:
        return self.read(key, values.text, c.column(self.kind, key).max_length) or ""

    def error(self, key: str, message: str, **params: Any) -> None:
        self.errors.setdefault(key, (message, params))

    def choice(self, key: str, names: dict[str, str], shown: str) -> str:
        raw = self.text(key)
        if not raw and c.column(self.kind, key).required and key in self.cells:
            self.error(key, N_("This field is required."))
            return ""
        found = values.choice(raw, names)
        if found is None:
            self.error(key, N_("“%(value)s” is not one of: %(options)s."), value=raw, options=shown)
            return ""
        return found


def _province(cells: _Cells, ref: Reference) -> tuple[int | None, str]:
    """The current province's id and the name as written when it is a former one."""
    raw = cells.text(c.PROVINCE)
    if not raw:
        return None, ""
    match = ref.provinces.find(raw)
    if match is None:
        cells.error(c.PROVINCE, N_("“%(value)s” is not a province or city of Vietnam, by its current or former name."),
                    value=raw)
        return None, ""
    return match.province_id, (match.as_written if fold(match.as_written) != fold(match.name) else "")


# The fields of the directory's rules, as the columns of a file.
_PRODUCT_FIELDS = {"group_id": c.GROUP}
_PROFILE_FIELDS = {"organisation_type": c.PRODUCER_TYPE, "province_id": c.PROVINCE}


def _add_rule_errors(cells: _Cells, errors: dict[str, DomainError], fields: dict[str, str]) -> None:
    for name, error in errors.items():
        cells.error(fields.get(name, name), error.message, **error.params)


def read_row(kind: Kind, number: int, raw: dict[str, object], ref: Reference) -> Row:
    cells = _Cells(kind, raw)
    reader = {Kind.producers: _producer, Kind.products: _product, Kind.distributors: _distributor}[kind]
    found = reader(cells, ref)
    present = set(raw)
    for spec in c.COLUMNS[kind]:
        if spec.required and spec.key in present and found.get(spec.key) in (None, "") and spec.key not in cells.errors:
            cells.error(spec.key, N_("This field is required."))
    # Columns the file does not have are left out, so that an update leaves them as they are.
    found = {key: value for key, value in found.items() if key in present or key in _DERIVED}
    order = {spec.key: i for i, spec in enumerate(c.COLUMNS[kind])}
    errors = sorted(((key, message, params) for key, (message, params) in cells.errors.items()),
                    key=lambda e: order.get(e[0], 99))
    return Row(number, found, errors)


_DERIVED = {"province_as_written", c.LEVEL}


def _producer(cells: _Cells, ref: Reference) -> dict[str, Any]:
    name = cells.text(c.NAME)
    producer_type = cells.choice(c.PRODUCER_TYPE, values.PRODUCER_TYPES, PRODUCER_TYPE_NAMES) or (
        values.producer_type_of_name(name) if c.PRODUCER_TYPE not in cells.errors else "")
    if not producer_type and c.PRODUCER_TYPE not in cells.errors:
        cells.error(c.PRODUCER_TYPE, N_("Fill in the producer type, one of: %(options)s."), options=PRODUCER_TYPE_NAMES)
    province_id, written = _province(cells, ref)
    profile = OrganisationProfile(
        name=name, organisation_type=producer_type, province_id=province_id, address=cells.text(c.ADDRESS),
        website=cells.text(c.WEBSITE), description=cells.text(c.DESCRIPTION), phone=cells.text(c.PHONE),
        email=cells.text(c.EMAIL).lower(),
    )
    _add_rule_errors(cells, profile_rule_errors(profile, producer=True, province_ids=ref.province_ids), _PROFILE_FIELDS)
    return {
        c.NAME: name, c.PRODUCER_TYPE: producer_type, c.PROVINCE: province_id, "province_as_written": written,
        c.ADDRESS: profile.address, c.PHONE: profile.phone, c.EMAIL: profile.email, c.WEBSITE: profile.website,
        c.DESCRIPTION: profile.description,
    }


def _distributor(cells: _Cells, ref: Reference) -> dict[str, Any]:
    profile = OrganisationProfile(
        name=cells.text(c.NAME),
        organisation_type=cells.choice(c.DISTRIBUTOR_TYPE, values.DISTRIBUTOR_TYPES, DISTRIBUTOR_TYPE_NAMES),
        province_id=_province(cells, ref)[0], address=cells.text(c.ADDRESS), website=cells.text(c.WEBSITE),
        description=cells.text(c.DESCRIPTION),
    )
    _add_rule_errors(cells, profile_rule_errors(profile, producer=False, province_ids=ref.province_ids),
                     {"organisation_type": c.DISTRIBUTOR_TYPE, "province_id": c.PROVINCE})
    return {
        c.NAME: profile.name, c.DISTRIBUTOR_TYPE: profile.organisation_type, c.PROVINCE: profile.province_id,
        c.ADDRESS: profile.address, c.WEBSITE: profile.website, c.DESCRIPTION: profile.description,
    }


def _product(cells: _Cells, ref: Reference) -> dict[str, Any]:
    group_text = cells.text(c.GROUP)
    group_id = ref.groups.get(fold(group_text)) if group_text else None
    if group_text and group_id is None:
        cells.error(c.GROUP, N_("“%(value)s” is not a product group: write its code or its name."), value=group_text)
    stars = cells.read(c.STARS, values.stars)
    level = cells.choice(c.LEVEL, values.EVALUATION_LEVELS, LEVEL_NAMES)
    if not level and c.LEVEL not in cells.errors and stars in (3, 4, 5):
        level = EvaluationLevel.national.value if stars == 5 else EvaluationLevel.provincial.value
    certified_on: dt.date | None = cells.read(c.CERTIFIED_ON, values.date)
    data = ProductInput(
        name=cells.text(c.NAME), group_id=group_id, stars=stars, certificate_number=cells.text(c.CERTIFICATE),
        certified_on=certified_on, evaluation_level=level, price=cells.read(c.PRICE, values.whole_number),
        unit=cells.text(c.UNIT), description=cells.text(c.DESCRIPTION), story=cells.text(c.STORY),
        traceability_url=cells.text(c.TRACEABILITY),
    )
    rule_errors = product_rule_errors(data, ref.group_ids)
    if not group_text or group_id is None:
        rule_errors.pop("group_id", None)  # said already: the cell is empty (required) or names no group
    if c.LEVEL not in cells.cells or (not level and c.STARS in cells.errors) or "stars" in rule_errors:
        # The level follows the stars when the file does not say it: nothing to say of it then.
        rule_errors.pop("evaluation_level", None)
    _add_rule_errors(cells, rule_errors, _PRODUCT_FIELDS)
    producer = cells.text(c.PRODUCER)
    province_id, written = _province(cells, ref)
    producer_type = cells.choice(c.PRODUCER_TYPE, values.PRODUCER_TYPES, PRODUCER_TYPE_NAMES)
    return {
        c.NAME: data.name, c.PRODUCER: producer, c.PROVINCE: province_id, "province_as_written": written,
        c.PRODUCER_TYPE: producer_type or values.producer_type_of_name(producer),
        c.GROUP: group_id, c.STARS: stars, c.CERTIFICATE: data.certificate_number,
        c.CERTIFIED_ON: certified_on.isoformat() if certified_on else None, c.LEVEL: level, c.PRICE: data.price,
        c.UNIT: data.unit, c.DESCRIPTION: data.description, c.STORY: data.story, c.TRACEABILITY: data.traceability_url,
    }


def read_rows(kind: Kind, mapping: dict[int, str], rows: Iterable[tuple[int, list]], ref: Reference) -> Iterable[Row]:
    for number, cells in rows:
        yield read_row(kind, number, {key: cells[i] if i < len(cells) else None for i, key in mapping.items()}, ref)


# Planning against the database -------------------------------------------------------------------

def name_key(name: str) -> str:
    return fold(name)


def certificate_key(number: str) -> str:
    return "".join(fold(number).split())


@dataclass
class Existing:
    """What the database holds that rows may match, as plain keys."""

    producers: dict[tuple[str, int], int] = field(default_factory=dict)  # (folded name, province id) → id
    products_by_certificate: dict[str, int] = field(default_factory=dict)
    products_by_name: dict[tuple[int, str], int] = field(default_factory=dict)  # (producer id, folded name) → id
    distributors: dict[tuple[str, int], int] = field(default_factory=dict)  # (folded name, province id or 0) → id


@dataclass
class Planned:
    row: Row
    action: str
    target_id: int | None = None  # the row it updates or skips
    # Products: the producer's id, or the key of the producer this import adds.
    producer_id: int | None = None
    producer_key: tuple[str, int] | None = None
    note: tuple[str, dict] | None = None  # why a row repeats or is skipped


@dataclass
class Plan:
    kind: Kind
    rows: list[Planned]
    # Products: producers to add, by key, with the row that first named each.
    new_producers: dict[tuple[str, int], dict] = field(default_factory=dict)

    def count(self, action: str) -> int:
        return sum(1 for planned in self.rows if planned.action == action)

    def counts(self) -> dict[str, int]:
        out = {action: self.count(action) for action in (NEW, UPDATE, SKIP, REPEAT, ERROR)}
        out["existing"] = out[UPDATE] + out[SKIP]
        out["new_producers"] = len(self.new_producers)
        out["rows"] = len(self.rows)
        return out

    def to_write(self) -> list[Planned]:
        return [p for p in self.rows if p.action in (NEW, UPDATE)]


def plan(kind: Kind, rows: Iterable[Row], existing: Existing, policy: str, ref: Reference) -> Plan:
    assert policy in POLICIES
    planner = {Kind.producers: _plan_organisation, Kind.distributors: _plan_organisation,
               Kind.products: _plan_product}[kind]
    out = Plan(kind, [])
    seen: dict[object, int] = {}
    for row in rows:
        if row.errors:
            out.rows.append(Planned(row, ERROR))
            continue
        planned = planner(kind, row, existing, seen, out, ref)
        if planned.action == UPDATE and policy == SKIP:
            planned.action = SKIP
        out.rows.append(planned)
    return out


def _repeat(row: Row, first: int) -> Planned:
    return Planned(row, REPEAT, note=(N_("Repeats row %(row)d, which is imported instead."), {"row": first}))


def _plan_organisation(kind: Kind, row: Row, existing: Existing, seen: dict, out: Plan, ref: Reference) -> Planned:
    v = row.values
    key = (name_key(v[c.NAME]), v.get(c.PROVINCE) or 0)
    if key in seen:
        return _repeat(row, seen[key])
    seen[key] = row.number
    found = (existing.producers if kind == Kind.producers else existing.distributors).get(key)
    return Planned(row, UPDATE if found else NEW, target_id=found)


def _plan_product(kind: Kind, row: Row, existing: Existing, seen: dict, out: Plan, ref: Reference) -> Planned:
    v = row.values
    producer_key = (name_key(v[c.PRODUCER]), v[c.PROVINCE])
    producer_id = existing.producers.get(producer_key)
    if producer_id is None and producer_key not in out.new_producers:
        profile = OrganisationProfile(name=v[c.PRODUCER], organisation_type=v.get(c.PRODUCER_TYPE) or "",
                                      province_id=v[c.PROVINCE])
        errors = profile_rule_errors(profile, producer=True, province_ids=ref.province_ids)
        if "organisation_type" in errors:
            row.errors.append((c.PRODUCER_TYPE, N_(
                "No producer “%(name)s” in %(province)s: import the producers first, or fill in the producer "
                "type so that this import adds it."), {"name": v[c.PRODUCER], "province": ref.province_names[v[c.PROVINCE]]}))
            return Planned(row, ERROR)
        out.new_producers[producer_key] = {"name": v[c.PRODUCER].strip(), "producer_type": v[c.PRODUCER_TYPE],
                                           "province": v[c.PROVINCE], "province_as_written": v["province_as_written"],
                                           "row": row.number}
    certificate = ("certificate", certificate_key(v[c.CERTIFICATE]))
    named = ("name", producer_key, name_key(v[c.NAME]))
    for key in (certificate, named):
        if key in seen:
            return _repeat(row, seen[key])
    seen[certificate] = seen[named] = row.number
    by_certificate = existing.products_by_certificate.get(certificate[1])
    by_name = existing.products_by_name.get((producer_id, named[2])) if producer_id else None
    if by_certificate and by_name and by_certificate != by_name:
        row.errors.append((c.CERTIFICATE, N_(
            "The certificate number is another product's than the one this producer has under this name."), {}))
        return Planned(row, ERROR)
    found = by_certificate or by_name
    return Planned(row, UPDATE if found else NEW, target_id=found, producer_id=producer_id,
                   producer_key=None if producer_id else producer_key)
