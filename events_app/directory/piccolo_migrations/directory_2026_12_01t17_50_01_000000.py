"""Every product's photo becomes the first of its images; the platforms a listing may name."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.querystring import QueryString

from events_app.core import constraints as sql

ID = "2026-12-01T17:50:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "product photos copied to product images; listing platforms"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="directory", description=DESCRIPTION)

    async def run():
        await sql.check("product_listing", "product_listing_platform",
                        "{row}platform IN ('shopee', 'lazada', 'tiki', 'tiktok_shop', 'sendo', 'postmart', 'voso', "
                        "'own_website', 'other')")
        await engine_finder().run_querystring(QueryString(
            "INSERT INTO product_image (product, file_name, position, alt_text, created_at) "
            "SELECT id, image, 0, '', created_at FROM product WHERE image <> ''"
        ))

    manager.add_raw(run)
    return manager
