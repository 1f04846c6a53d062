"""MoU follow-up: a due date for the first delivery or order, when it was fulfilled, the reason a
proposal was declined, and progress notes."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import Date, ForeignKey, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-01T17:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "MoU due dates, declines and progress notes"


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
    manager = MigrationManager(migration_id=ID, app_name="mou", description=DESCRIPTION)
    for name, column_class, params in (
        ("due_on", Date, {"default": None, "null": True}),
        ("fulfilled_at", Timestamptz, {"default": None, "null": True}),
        ("closed_at", Timestamptz, {"default": None, "null": True}),
        ("decline_reason", Text, {"default": ""}),
    ):
        manager.add_column(
            table_class_name="Mou", tablename="mou", column_name=name, db_column_name=name,
            column_class_name=column_class.__name__, column_class=column_class, params={**_COMMON, **params}, schema=None,
        )
    manager.add_table(class_name="MouNote", tablename="mou_note", schema=None, columns=None)
    for name, column_class, params in (
        ("mou", *_fk("mou")),
        ("author", *_fk("app_user", null=True, on_delete=OnDelete.set_null)),
        ("author_name", Varchar, {"length": 200, "default": ""}),
        ("body", Text, {"default": ""}),
        ("created_at", Timestamptz, {"default": TimestamptzNow()}),
    ):
        manager.add_column(
            table_class_name="MouNote", tablename="mou_note", column_name=name, db_column_name=name,
            column_class_name=column_class.__name__, column_class=column_class, params={**_COMMON, **params}, schema=None,
        )
    return manager
