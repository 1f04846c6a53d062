from pathlib import Path

from piccolo.conf.apps import AppConfig

from events_app.directory.tables import Agency, Certification, Distributor, Producer, Product, ProductImage, ProductListing, SourcingInterest, ShortlistEntry

APP_CONFIG = AppConfig(
    app_name="directory",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Producer, Product, ProductImage, ProductListing, Distributor, SourcingInterest, Certification, ShortlistEntry,
                   Agency],
    migration_dependencies=["events_app.reference.piccolo_app"],
    commands=[],
)
