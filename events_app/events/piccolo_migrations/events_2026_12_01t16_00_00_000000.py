"""Showroom networks: several showroom points at tourist sites under one programme."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import ForeignKey, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-01T16:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "showroom networks and the tourist site of a showroom point"


class ShowroomNetwork(Table, tablename="showroom_network", schema=None):
    id = Serial(null=False, primary_key=True, unique=False, index=False, index_method=IndexMethod.btree,
                choices=None, db_column_name="id", secret=False)


_COMMON = {"null": False, "primary_key": False, "unique": False, "index": False, "index_method": IndexMethod.btree,
           "choices": None, "db_column_name": None, "secret": False}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="events", description=DESCRIPTION)
    manager.add_table(class_name="ShowroomNetwork", tablename="showroom_network", schema=None, columns=None)
    for name, column_class, params in (
        ("name", Varchar, {"length": 300, "default": ""}),
        ("slug", Varchar, {"length": 220, "default": "", "unique": True}),
        ("organiser", Varchar, {"length": 300, "default": ""}),
        ("description", Text, {"default": ""}),
        ("created_at", Timestamptz, {"default": TimestamptzNow()}),
    ):
        manager.add_column(
            table_class_name="ShowroomNetwork", tablename="showroom_network", column_name=name, db_column_name=name,
            column_class_name=column_class.__name__, column_class=column_class, params={**_COMMON, **params},
            schema=None,
        )
    for name, column_class, params in (
        ("network", ForeignKey, {"references": ShowroomNetwork, "on_delete": OnDelete.set_null,
                                 "on_update": OnUpdate.cascade, "target_column": None, "null": True, "default": None}),
        ("tourist_site", Varchar, {"length": 200, "default": ""}),
    ):
        manager.add_column(
            table_class_name="Event", tablename="event", column_name=name, db_column_name=name,
            column_class_name=column_class.__name__, column_class=column_class, params={**_COMMON, **params},
            schema=None,
        )
    return manager
