"""Reference data: regions, the 34 provinces with the former ones merged into them, product groups."""

from enum import Enum

from piccolo.columns import ForeignKey, Integer, OnDelete, Varchar
from piccolo.table import Table


class ProvinceKind(str, Enum):
    city = "city"
    province = "province"


class Region(Table):
    """A socio-economic region; editable data, since fairs are often organised per region."""

    name = Varchar(length=120, unique=True)
    slug = Varchar(length=120, unique=True)
    position = Integer(default=0)


class Province(Table):
    name = Varchar(length=120, unique=True)
    slug = Varchar(length=120, unique=True)
    kind = Varchar(length=20, choices=ProvinceKind)
    region = ForeignKey(references=Region, on_delete=OnDelete.restrict, null=False)


class FormerProvince(Table):
    """A province as named before the merger of 1 July 2025, and the unit it belongs to now."""

    name = Varchar(length=120, unique=True)
    slug = Varchar(length=120, unique=True)
    province = ForeignKey(references=Province, on_delete=OnDelete.cascade, null=False)


class ProductGroup(Table):
    code = Varchar(length=40, unique=True)
    name_vi = Varchar(length=200)
    name_en = Varchar(length=200)
    position = Integer(default=0)
