"""A catalogue job remembers the network of the anonymous visitor who started it, so that one
network cannot keep the PDF workers busy with catalogues nobody printed before."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-03T12:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "catalogue job: the network that asked for it"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="catalogue", description=DESCRIPTION)
    manager.add_column(
        table_class_name="CatalogueJob", tablename="catalogue_job", column_name="requested_from",
        db_column_name="requested_from", column_class_name="Varchar", column_class=Varchar,
        params={"length": 64, "default": "", "null": False, "primary_key": False, "unique": False, "index": True,
                "index_method": IndexMethod.btree, "choices": None, "db_column_name": None, "secret": False},
        schema=None,
    )
    return manager
