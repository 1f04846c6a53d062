"""Revision counters, one row per scope (the next migration installs the triggers that move them)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import BigInt, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-01T12:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "revision counters"

_COMMON = {
    "null": False,
    "primary_key": False,
    "index": False,
    "index_method": IndexMethod.btree,
    "choices": None,
    "db_column_name": None,
    "secret": False,
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)
    manager.add_table(class_name="Revision", tablename="revision", schema=None, columns=None)
    for name, column_class, params in (
        ("scope", Varchar, {"length": 40, "default": "", "unique": True}),
        ("number", BigInt, {"default": 0, "unique": False}),
    ):
        manager.add_column(
            table_class_name="Revision",
            tablename="revision",
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params={**_COMMON, **params},
            schema=None,
        )
    return manager
