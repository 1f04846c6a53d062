"""The filters of a report, read from the query string once: values that name nothing are dropped
and said so in `notes`, never refused, so a report always answers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from events_app.catalogue.services import catalogue_choices, read_group, read_province, read_region
from events_app.core import bounds
from events_app.core.errors import DomainError
from events_app.core.i18n import LOCAL_TZ, N_
from events_app.events.tables import EventKind

UNITS = ("current", "former")  # provinces as they are now, or as they were before 1 July 2025
FIELDS = ("year", "kind", "region", "province", "group", "units")


@dataclass(frozen=True)
class ReportFilters:
    year: int | None = None
    kind: str = ""  # event kind
    region: str = ""  # slug
    province: str = ""  # slug
    group: str = ""  # product group code
    units: str = "current"
    region_id: int | None = None
    province_id: int | None = None
    group_id: int | None = None
    notes: tuple[DomainError, ...] = field(default=(), compare=False)

    def params(self) -> dict[str, Any]:
        return {
            "year": self.year or "",
            "kind": self.kind,
            "region": self.region,
            "province": self.province,
            "group": self.group,
            "units": "" if self.units == "current" else self.units,
        }

    def query(self, **changes: Any) -> str:
        params = {**self.params(), **changes}
        return urlencode({k: v for k, v in params.items() if v not in (None, "")})

    def only(self, names: tuple[str, ...]) -> "ReportFilters":
        """These filters with those a report does not take cleared, so they neither count nor show."""
        cleared = {name: ReportFilters.__dataclass_fields__[name].default for name in FIELDS if name not in names}
        if "region" in cleared:
            cleared["region_id"] = None
        if "province" in cleared:
            cleared["province_id"] = None
        if "group" in cleared:
            cleared["group_id"] = None
        return ReportFilters(**{**self.__dict__, **cleared})

    def year_bounds(self) -> tuple[dt.datetime, dt.datetime] | None:
        """The year as a UTC interval [start, end) of Vietnam's time."""
        if self.year is None:
            return None
        start, end = (dt.datetime(y, 1, 1, tzinfo=LOCAL_TZ).astimezone(dt.timezone.utc) for y in (self.year, self.year + 1))
        return start, end


async def parse_report_filters(
    year: str = "", kind: str = "", region: str = "", province: str = "", group: str = "", units: str = ""
) -> ReportFilters:
    choices = await catalogue_choices()
    notes: list[DomainError] = []
    values: dict[str, Any] = {}

    year = year.strip()[:12]
    if year:
        if year.isascii() and year.isdigit() and len(year) == 4 and bounds.within_years(int(year)):
            values["year"] = int(year)
        else:
            notes.append(DomainError(N_("“%(value)s” is not a year: every year is counted."), value=year))

    kind = kind.strip()[:20]
    if kind:
        if kind in {k.value for k in EventKind}:
            values["kind"] = kind
        else:
            notes.append(DomainError(N_("There is no event kind “%(value)s”: every kind is counted."), value=kind))

    for found, note in (
        read_region(choices, region, missing=N_("There is no region “%(value)s”: every region is counted.")),
        read_province(choices, province, missing=N_("There is no province “%(value)s”: every province is counted."),
                      merged=N_("%(former)s is now part of %(province)s: %(province)s is counted.")),
        read_group(choices, group, missing=N_("There is no product group “%(value)s”: every group is counted.")),
    ):
        values.update(found)
        notes.extend([note] if note else [])

    units = units.strip()[:20]
    if units in UNITS:
        values["units"] = units

    return ReportFilters(**values, notes=tuple(notes))
