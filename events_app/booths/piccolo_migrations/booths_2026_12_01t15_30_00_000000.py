"""Notices that tell a producer what changed in its booth application, until it reads them."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import JSON, ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-01T15:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "application notices"


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


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="booths", description=DESCRIPTION)
    manager.add_table(class_name="ApplicationNotice", tablename="application_notice", schema=None, columns=None)
    for name, column_class, params in (
        ("application", *_fk("booth_application")),
        ("producer", *_fk("producer")),
        ("kind", Varchar, {"length": 20, "default": ""}),
        ("params", JSON, {"default": "{}"}),
        ("created_at", Timestamptz, {"default": TimestamptzNow()}),
        ("read_at", Timestamptz, {"default": None, "null": True}),
    ):
        manager.add_column(
            table_class_name="ApplicationNotice", tablename="application_notice", column_name=name,
            db_column_name=name, column_class_name=column_class.__name__, column_class=column_class,
            params={**_COMMON, **params}, schema=None,
        )
    return manager
