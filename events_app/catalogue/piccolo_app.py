from pathlib import Path

from piccolo.conf.apps import AppConfig

from events_app.catalogue.tables import CatalogueJob

APP_CONFIG = AppConfig(
    app_name="catalogue",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[CatalogueJob],
    migration_dependencies=[],
    commands=[],
)
