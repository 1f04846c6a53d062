from pathlib import Path

from piccolo.conf.apps import AppConfig

from events_app.directory.tables import Distributor, Producer, Product, SourcingInterest
from events_app.directory.tables import ProductImage, ProductListing

APP_CONFIG = AppConfig(
    app_name="directory",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Producer, Product, Distributor, SourcingInterest, ProductImage, ProductListing],
    migration_dependencies=["events_app.reference.piccolo_app"],
    commands=[],
)
