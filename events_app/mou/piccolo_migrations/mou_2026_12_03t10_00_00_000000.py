"""MoUs of two or more parties: each party (a producer, a distributor or a provincial agency) a row
of its own, in the document's order, with who signs for it."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import ForeignKey, Integer, Serial, Varchar
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-03T10:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "MoU parties"


def _table(name: str) -> type[Table]:
    return type(name.title().replace("_", ""), (Table,), {
        "id": Serial(null=False, primary_key=True, unique=False, index=False, index_method=IndexMethod.btree,
                     choices=None, db_column_name="id", secret=False),
    }, tablename=name)


_COMMON = {"null": False, "primary_key": False, "unique": False, "index": False, "index_method": IndexMethod.btree,
           "choices": None, "db_column_name": None, "secret": False}


def _fk(table: str, **params) -> tuple[type, dict]:
    return ForeignKey, {"references": _table(table), "on_delete": OnDelete.cascade, "on_update": OnUpdate.cascade,
                        "target_column": None, "index": True, **params}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="mou", description=DESCRIPTION)
    manager.add_table(class_name="MouParty", tablename="mou_party", schema=None, columns=None)
    for name, column_class, params in (
        ("mou", *_fk("mou")),
        ("position", Integer, {"default": 0}),
        ("kind", Varchar, {"default": "", "length": 20}),
        ("producer", *_fk("producer", null=True)),
        ("distributor", *_fk("distributor", null=True)),
        ("agency", *_fk("agency", null=True, on_delete=OnDelete.restrict)),
        ("representative", Varchar, {"default": "", "length": 200}),
        ("representative_title", Varchar, {"default": "", "length": 200}),
    ):
        manager.add_column(
            table_class_name="MouParty", tablename="mou_party", column_name=name, db_column_name=name,
            column_class_name=column_class.__name__, column_class=column_class, params={**_COMMON, **params},
            schema=None,
        )
    return manager
