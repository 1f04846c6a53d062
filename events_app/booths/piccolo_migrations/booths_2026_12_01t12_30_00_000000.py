"""Allocation: a fair's rules (AllocationPolicy), staff's pins and forbidden booths
(AllocationMark), and each waiting application's place in line."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import JSON, Boolean, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-01T12:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "allocation rules, pins and the waiting list"


class Event(Table, tablename="event", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False, index_method=IndexMethod.btree,
                choices=None, db_column_name="id", secret=False)


class Booth(Table, tablename="booth", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False, index_method=IndexMethod.btree,
                choices=None, db_column_name="id", secret=False)


class BoothApplication(Table, tablename="booth_application", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False, index_method=IndexMethod.btree,
                choices=None, db_column_name="id", secret=False)


_COMMON = {
    "null": False,
    "primary_key": False,
    "unique": False,
    "index": False,
    "index_method": IndexMethod.btree,
    "choices": None,
    "db_column_name": None,
    "secret": False,
}


def _foreign_key(references: type[Table], **params) -> tuple[type, dict]:
    return ForeignKey, {"references": references, "on_delete": OnDelete.cascade, "on_update": OnUpdate.cascade,
                        "target_column": None, **params}


COLUMNS = {
    ("AllocationPolicy", "allocation_policy"): [
        ("event", *_foreign_key(Event, unique=True)),
        ("per_star", Integer, {"default": 10}),
        ("first_time", Integer, {"default": 5}),
        ("cooperative", Integer, {"default": 0}),
        ("reserved_types", Varchar, {"length": 100, "default": ""}),
        ("reserved_min_stars", Integer, {"default": 4}),
        ("separate_groups", Boolean, {"default": False}),
        ("quotas", JSON, {"default": "[]"}),
        ("updated_at", Timestamptz, {"default": TimestamptzNow()}),
    ],
    ("AllocationMark", "allocation_mark"): [
        ("event", *_foreign_key(Event)),
        ("application", *_foreign_key(BoothApplication)),
        ("booth", *_foreign_key(Booth)),
        ("kind", Varchar, {"length": 10, "default": ""}),
    ],
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="booths", description=DESCRIPTION)
    for (class_name, tablename), columns in COLUMNS.items():
        manager.add_table(class_name=class_name, tablename=tablename, schema=None, columns=None)
        for name, column_class, params in columns:
            manager.add_column(
                table_class_name=class_name, tablename=tablename, column_name=name, db_column_name=name,
                column_class_name=column_class.__name__, column_class=column_class,
                params={**_COMMON, **params}, schema=None,
            )
    manager.add_column(
        table_class_name="BoothApplication", tablename="booth_application", column_name="waiting_place",
        db_column_name="waiting_place", column_class_name="Integer", column_class=Integer,
        params={**_COMMON, "null": True, "default": None}, schema=None,
    )
    return manager
