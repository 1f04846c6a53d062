"""Richer records: several photos and the online listings of a product, its traceability stamp code
and barcode, and the producer attributes the programme reports on."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import Boolean, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-01T17:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "product images and listings, traceability code and barcode, producer attributes"


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


def _columns(manager: MigrationManager, class_name: str, tablename: str, columns) -> None:
    for name, column_class, params in columns:
        manager.add_column(
            table_class_name=class_name, tablename=tablename, column_name=name, db_column_name=name,
            column_class_name=column_class.__name__, column_class=column_class, params={**_COMMON, **params},
            schema=None,
        )


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="directory", description=DESCRIPTION)
    _columns(manager, "Producer", "producer", [
        (name, Boolean, {"default": False})
        for name in ("women_led", "ethnic_minority", "craft_village", "youth_startup", "cooperative_group")
    ])
    _columns(manager, "Product", "product", [
        ("traceability_code", Varchar, {"default": "", "length": 80}),
        ("barcode", Varchar, {"default": "", "length": 14}),
    ])
    manager.add_table(class_name="ProductImage", tablename="product_image", schema=None, columns=None)
    _columns(manager, "ProductImage", "product_image", [
        ("product", *_fk("product")),
        ("file_name", Varchar, {"default": "", "length": 200}),
        ("position", Integer, {"default": 0}),
        ("alt_text", Varchar, {"default": "", "length": 200}),
        ("created_at", Timestamptz, {"default": TimestamptzNow()}),
    ])
    manager.add_table(class_name="ProductListing", tablename="product_listing", schema=None, columns=None)
    _columns(manager, "ProductListing", "product_listing", [
        ("product", *_fk("product")),
        ("platform", Varchar, {"default": "", "length": 20}),
        ("url", Varchar, {"default": "", "length": 500}),
        ("position", Integer, {"default": 0}),
    ])
    return manager
