"""A booth offered from the waiting list carries the moment its offer lapses."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Timestamptz
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-01T13:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "booth offers from the waiting list"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="booths", description=DESCRIPTION)
    manager.add_column(
        table_class_name="BoothApplication", tablename="booth_application", column_name="offer_expires_at",
        db_column_name="offer_expires_at", column_class_name="Timestamptz", column_class=Timestamptz,
        params={"null": True, "default": None, "primary_key": False, "unique": False, "index": False,
                "index_method": IndexMethod.btree, "choices": None, "db_column_name": None, "secret": False},
        schema=None,
    )
    return manager
