"""First-come fairs: producers hold a booth picked on the plan for a few minutes while they confirm."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import Boolean, ForeignKey, Integer, Serial, Timestamptz
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-01T13:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "booth holds of first-come fairs"


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
    for name, column_class, params in (
        ("first_come", Boolean, {"default": False}),
        ("hold_minutes", Integer, {"default": 15}),
    ):
        manager.add_column(
            table_class_name="AllocationPolicy", tablename="allocation_policy", column_name=name, db_column_name=name,
            column_class_name=column_class.__name__, column_class=column_class, params={**_COMMON, **params}, schema=None,
        )
    manager.add_table(class_name="BoothHold", tablename="booth_hold", schema=None, columns=None)
    for name, column_class, params in (
        ("event", *_fk("event")),
        ("booth", *_fk("booth", unique=True)),
        ("producer", *_fk("producer")),
        ("expires_at", Timestamptz, {"default": TimestamptzNow()}),
        ("created_at", Timestamptz, {"default": TimestamptzNow()}),
    ):
        manager.add_column(
            table_class_name="BoothHold", tablename="booth_hold", column_name=name, db_column_name=name,
            column_class_name=column_class.__name__, column_class=column_class, params={**_COMMON, **params}, schema=None,
        )
    return manager
