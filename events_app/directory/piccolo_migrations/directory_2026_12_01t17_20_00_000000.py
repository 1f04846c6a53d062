"""Profiles for matching: certifications (VietGAP, HACCP…) of products and producers; channels and
monthly capacity of products; certifications, channels and volume a distributor's interest requires;
distributors' shortlists of products."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import Date, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.date import DateNow
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-01T17:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "certifications, channels and volumes for matching"


def _table(name: str) -> type[Table]:
    return type(name.title().replace("_", ""), (Table,), {
        "id": Serial(null=False, primary_key=True, unique=False, index=False, index_method=IndexMethod.btree,
                     choices=None, db_column_name="id", secret=False),
    }, tablename=name)


_COMMON = {"null": False, "primary_key": False, "unique": False, "index": False, "index_method": IndexMethod.btree,
           "choices": None, "db_column_name": None, "secret": False}


def _fk(table: str, **params) -> tuple[type, dict]:
    return ForeignKey, {"references": _table(table), "on_delete": OnDelete.cascade, "on_update": OnUpdate.cascade,
                        "target_column": None, **params}


def _add(manager: MigrationManager, class_name: str, tablename: str, columns) -> None:
    for name, column_class, params in columns:
        manager.add_column(
            table_class_name=class_name, tablename=tablename, column_name=name, db_column_name=name,
            column_class_name=column_class.__name__, column_class=column_class, params={**_COMMON, **params},
            schema=None,
        )


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="directory", description=DESCRIPTION)
    _add(manager, "Product", "product", (
        ("channels", Varchar, {"length": 100, "default": ""}),
        ("monthly_capacity", Integer, {"default": None, "null": True}),
        ("capacity_unit", Varchar, {"length": 10, "default": "kg"}),
    ))
    _add(manager, "SourcingInterest", "sourcing_interest", (
        ("certification_kinds", Varchar, {"length": 100, "default": ""}),
        ("channels", Varchar, {"length": 100, "default": ""}),
        ("min_monthly_volume", Integer, {"default": None, "null": True}),
        ("volume_unit", Varchar, {"length": 10, "default": "kg"}),
    ))
    manager.add_table(class_name="Certification", tablename="certification", schema=None, columns=None)
    _add(manager, "Certification", "certification", (
        ("product", *_fk("product", null=True, default=None)),
        ("producer", *_fk("producer", null=True, default=None)),
        ("kind", Varchar, {"length": 20, "default": ""}),
        ("number", Varchar, {"length": 80, "default": ""}),
        ("issuer", Varchar, {"length": 200, "default": ""}),
        ("valid_from", Date, {"default": DateNow()}),
        ("valid_until", Date, {"default": DateNow()}),
        ("created_at", Timestamptz, {"default": TimestamptzNow()}),
    ))
    manager.add_table(class_name="ShortlistEntry", tablename="shortlist_entry", schema=None, columns=None)
    _add(manager, "ShortlistEntry", "shortlist_entry", (
        ("distributor", *_fk("distributor")),
        ("product", *_fk("product")),
        ("created_at", Timestamptz, {"default": TimestamptzNow()}),
    ))
    return manager
