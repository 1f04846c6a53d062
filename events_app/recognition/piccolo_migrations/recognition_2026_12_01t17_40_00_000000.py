"""Re-recognition: dossiers, each product's history of recognitions, the reminder e-mails sent."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import Date, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.date import DateNow
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-01T17:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "re-recognition dossiers, recognition history, reminders sent"


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


def _user() -> tuple[type, dict]:
    return _fk("app_user", null=True, on_delete=OnDelete.set_null, default=None)


def _optional(column_class: type) -> tuple[type, dict]:
    return column_class, {"null": True, "default": None}


TABLES = {
    ("Dossier", "dossier"): (
        ("product", *_fk("product")),
        ("status", Varchar, {"length": 20, "default": "submitted", "index": True}),
        ("note", Text, {"default": ""}),
        ("submitted_at", Timestamptz, {"default": TimestamptzNow()}),
        ("submitted_by", *_user()),
        ("new_stars", *_optional(Integer)),
        ("evaluation_notes", Text, {"default": ""}),
        ("evaluated_at", *_optional(Timestamptz)),
        ("evaluated_by", *_user()),
        ("new_certificate_number", Varchar, {"length": 80, "default": ""}),
        ("new_certified_on", *_optional(Date)),
        ("new_valid_until", *_optional(Date)),
        ("decision_notes", Text, {"default": ""}),
        ("decided_at", *_optional(Timestamptz)),
        ("decided_by", *_user()),
    ),
    ("Recognition", "recognition"): (
        ("product", *_fk("product")),
        ("stars", Integer, {"default": 0}),
        ("certificate_number", Varchar, {"length": 80, "default": ""}),
        ("certified_on", Date, {"default": DateNow()}),
        ("valid_until", Date, {"default": DateNow()}),
        ("dossier", *_fk("dossier", null=True, on_delete=OnDelete.set_null, default=None)),
        ("decided_by", *_user()),
        ("created_at", Timestamptz, {"default": TimestamptzNow()}),
    ),
    ("ReminderSent", "reminder_sent"): (
        ("recipient", Varchar, {"length": 254, "default": ""}),
        ("day", Date, {"default": DateNow()}),
        ("items", Integer, {"default": 0}),
        ("sent_at", Timestamptz, {"default": TimestamptzNow()}),
    ),
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="recognition", description=DESCRIPTION)
    for (class_name, tablename), columns in TABLES.items():
        manager.add_table(class_name=class_name, tablename=tablename, schema=None, columns=None)
        for name, column_class, params in columns:
            manager.add_column(
                table_class_name=class_name, tablename=tablename, column_name=name, db_column_name=name,
                column_class_name=column_class.__name__, column_class=column_class, params={**_COMMON, **params},
                schema=None,
            )
    return manager
