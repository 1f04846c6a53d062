"""Provincial agencies (Sở Công Thương, trade-promotion centres): organisations that sign MoUs."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-03T10:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "provincial agencies"


def _table(name: str) -> type[Table]:
    return type(name.title().replace("_", ""), (Table,), {
        "id": Serial(null=False, primary_key=True, unique=False, index=False, index_method=IndexMethod.btree,
                     choices=None, db_column_name="id", secret=False),
    }, tablename=name)


_COMMON = {"null": False, "primary_key": False, "unique": False, "index": False, "index_method": IndexMethod.btree,
           "choices": None, "db_column_name": None, "secret": False}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="directory", description=DESCRIPTION)
    manager.add_table(class_name="Agency", tablename="agency", schema=None, columns=None)
    for name, column_class, params in (
        ("name", Varchar, {"default": "", "length": 200}),
        ("slug", Varchar, {"default": "", "length": 220, "unique": True}),
        ("agency_kind", Varchar, {"default": "industry_trade_department", "length": 30}),
        ("province", ForeignKey, {"references": _table("province"), "on_delete": OnDelete.restrict,
                                  "on_update": OnUpdate.cascade, "target_column": None, "index": True}),
        ("representative", Varchar, {"default": "", "length": 200}),
        ("representative_title", Varchar, {"default": "", "length": 200}),
        ("address", Varchar, {"default": "", "length": 300}),
        ("phone", Varchar, {"default": "", "length": 40}),
        ("email", Varchar, {"default": "", "length": 254}),
        ("created_at", Timestamptz, {"default": TimestamptzNow()}),
    ):
        manager.add_column(
            table_class_name="Agency", tablename="agency", column_name=name, db_column_name=name,
            column_class_name=column_class.__name__, column_class=column_class, params={**_COMMON, **params},
            schema=None,
        )
    return manager
