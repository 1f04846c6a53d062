"""Loading and looking up reference data."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from events_app.core.clock import now
from events_app.core.i18n import current_language
from events_app.core.kept import Kept
from events_app.reference.tables import FormerProvince, ProductGroup, Province, Region
from events_app.core.text import fold, slugify

PROVINCES_CSV = Path(__file__).parent / "data" / "provinces.csv"

# The six OCOP product groups used since 2023: (code, Vietnamese name, English name).
PRODUCT_GROUPS = (
    ("food", "Thực phẩm", "Food"),
    ("beverages", "Đồ uống", "Beverages"),
    ("herbal", "Thảo dược", "Herbal and medicinal products"),
    ("textiles", "Vải và may mặc", "Fabric and garments"),
    ("souvenirs", "Lưu niệm – nội thất – trang trí", "Souvenirs, furniture and decoration"),
    (
        "tourism",
        "Dịch vụ du lịch cộng đồng, du lịch nông nghiệp và điểm du lịch",
        "Community and agricultural tourism, tourist points",
    ),
)


async def load_reference_data() -> None:
    """Insert what is missing of regions, provinces, former provinces and product groups.

    Existing rows are left alone, so edited region assignments survive a re-run.
    """
    with PROVINCES_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))

    regions = {r["name"]: r["id"] for r in await Region.select(Region.id, Region.name)}
    for position, name in enumerate(dict.fromkeys(row["region"] for row in rows)):
        if name not in regions:
            region = Region(name=name, slug=slugify(name), position=position)
            await region.save()
            regions[name] = region.id

    provinces = {p["name"]: p["id"] for p in await Province.select(Province.id, Province.name)}
    for row in rows:
        if row["province"] not in provinces:
            province = Province(
                name=row["province"], slug=slugify(row["province"]), kind=row["kind"], region=regions[row["region"]]
            )
            await province.save()
            provinces[row["province"]] = province.id

    former = set(await FormerProvince.select(FormerProvince.name).output(as_list=True))
    for row in rows:
        for name in filter(None, (n.strip() for n in row["merged_from"].split(";"))):
            if name not in former:
                await FormerProvince(name=name, slug=slugify(name), province=provinces[row["province"]]).save()
                former.add(name)

    groups = set(await ProductGroup.select(ProductGroup.code).output(as_list=True))
    for position, (code, name_vi, name_en) in enumerate(PRODUCT_GROUPS):
        if code not in groups:
            await ProductGroup(code=code, name_vi=name_vi, name_en=name_en, position=position).save()


@dataclass(frozen=True)
class ProvinceMatch:
    province_id: int
    name: str
    as_written: str


class ProvinceNames:
    """The current and former province names, folded, to find many names with one read of the tables."""

    def __init__(self, current: list[dict], former: list[dict]) -> None:
        self._current = {fold(row["name"]): (row["id"], row["name"]) for row in current}
        self._former = {fold(row["name"]): row for row in former}

    def find(self, name: str) -> ProvinceMatch | None:
        key = fold(name)
        if not key:
            return None
        if key in self._current:
            province_id, current = self._current[key]
            return ProvinceMatch(province_id, current, name.strip())
        if key in self._former:
            row = self._former[key]
            return ProvinceMatch(row["pid"], row["pname"], row["name"])
        return None


async def province_names() -> ProvinceNames:
    return ProvinceNames(
        await Province.select(Province.id, Province.name),
        await FormerProvince.select(
            FormerProvince.name, FormerProvince.province.id.as_alias("pid"),
            FormerProvince.province.name.as_alias("pname"),
        ),
    )


async def resolve_province(name: str) -> ProvinceMatch | None:
    """Find the current province for a name as written: current, or former (merged) name.

    Matching ignores case and tone marks, so "bac lieu" finds Bạc Liêu, now part of Cà Mau.
    """
    if not fold(name):
        return None
    return (await province_names()).find(name)


def group_name(group: dict) -> str:
    """A product group's name in the reader's language."""
    return group["name_en"] if current_language() == "en" else group["name_vi"]


# Regions and provinces change only when the reference data is loaded again, which no page does:
# the lists every filter form shows are kept a minute at a time instead of read on every request.
_lists: Kept[tuple[dict, ...]] = Kept(4)


def _this_minute() -> dt.datetime:
    return now().replace(second=0, microsecond=0)


async def list_regions() -> list[dict]:
    async def read() -> tuple[dict, ...]:
        return tuple(await Region.select(Region.id, Region.name, Region.slug).order_by(Region.position))

    return [dict(row) for row in await _lists.get(("regions", _this_minute()), read)]


async def list_provinces() -> list[dict]:
    async def read() -> tuple[dict, ...]:
        rows = await Province.select(Province.id, Province.name, Province.slug, Province.region.id.as_alias("region_id"))
        # Sorted here, not in SQL: the engines' collations disagree on where Đ goes.
        return tuple(sorted(rows, key=lambda row: fold(row["name"])))

    return [dict(row) for row in await _lists.get(("provinces", _this_minute()), read)]


async def list_groups() -> list[dict]:
    return await ProductGroup.select().order_by(ProductGroup.position)
