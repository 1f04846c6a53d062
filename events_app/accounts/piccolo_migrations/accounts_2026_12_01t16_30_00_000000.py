"""The audit trail keeps each change's fields before and after; sessions know their user, so an
administrator can end them; sign-ins keep the browser that made them; one-time password reset links."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-01T16:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "audit before/after, session user, sign-in user agent, password reset links"


class User(Table, tablename="app_user", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False, index_method=IndexMethod.btree,
                choices=None, db_column_name="id", secret=False)


_COMMON = {"null": False, "primary_key": False, "unique": False, "index": False, "index_method": IndexMethod.btree,
           "choices": None, "db_column_name": None, "secret": False}


def _user_fk(on_delete: OnDelete, **params) -> tuple[type, dict]:
    return ForeignKey, {"references": User, "on_delete": on_delete, "on_update": OnUpdate.cascade,
                        "target_column": None, **params}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="accounts", description=DESCRIPTION)
    columns = (
        ("AuditLog", "audit_log", "before", Text, {"default": "{}"}),
        ("AuditLog", "audit_log", "after", Text, {"default": "{}"}),
        ("WebSession", "web_session", "user_id", Integer, {"default": None, "null": True, "index": True}),
        ("LoginAttempt", "login_attempt", "user_agent", Varchar, {"length": 300, "default": ""}),
    )
    for class_name, tablename, name, column_class, params in columns:
        manager.add_column(
            table_class_name=class_name, tablename=tablename, column_name=name, db_column_name=name,
            column_class_name=column_class.__name__, column_class=column_class, params={**_COMMON, **params}, schema=None,
        )

    manager.add_table(class_name="PasswordReset", tablename="password_reset", schema=None, columns=None)
    for name, column_class, params in (
        ("user", *_user_fk(OnDelete.cascade, index=True)),
        ("token_hash", Varchar, {"length": 64, "default": "", "unique": True}),
        ("created_by", *_user_fk(OnDelete.set_null, null=True, default=None)),
        ("created_at", Timestamptz, {"default": TimestamptzNow()}),
        ("expires_at", Timestamptz, {"default": TimestamptzNow()}),
        ("used_at", Timestamptz, {"default": None, "null": True}),
    ):
        manager.add_column(
            table_class_name="PasswordReset", tablename="password_reset", column_name=name, db_column_name=name,
            column_class_name=column_class.__name__, column_class=column_class, params={**_COMMON, **params}, schema=None,
        )
    return manager
