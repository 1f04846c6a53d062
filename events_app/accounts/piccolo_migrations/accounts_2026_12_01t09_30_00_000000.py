"""Log-in attempts keep their outcome, the client's network and its trusted device."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Boolean, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-01T09:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "login attempts: succeeded, network, device"

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


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="accounts", description=DESCRIPTION)
    for name, column_class, params in (
        ("network", Varchar, {"length": 64, "default": ""}),
        ("device", Varchar, {"length": 16, "default": ""}),
        ("succeeded", Boolean, {"default": False}),
    ):
        manager.add_column(
            table_class_name="LoginAttempt",
            tablename="login_attempt",
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params={**_COMMON, **params},
            schema=None,
        )
    return manager
