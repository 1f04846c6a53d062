"""The floor-plan editor: what a plan shows but nobody rents (PlanFeature), and a fair's price
for each type of booth (BoothTypePrice)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import BigInt, ForeignKey, Real, Serial, Varchar
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-01T15:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "floor plan features and booth type prices"


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


COLUMNS = {
    ("PlanFeature", "plan_feature"): [
        ("event", *_fk("event")),
        ("hall", *_fk("hall")),
        ("kind", Varchar, {"length": 20, "default": ""}),
        ("label", Varchar, {"length": 60, "default": ""}),
        ("x", Real, {"default": 0.0}),
        ("y", Real, {"default": 0.0}),
        ("width", Real, {"default": 1.0}),
        ("depth", Real, {"default": 1.0}),
    ],
    ("BoothTypePrice", "booth_type_price"): [
        ("event", *_fk("event")),
        ("booth_type", Varchar, {"length": 20, "default": ""}),
        ("price", BigInt, {"default": 0}),
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
    return manager
