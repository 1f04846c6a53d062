from pathlib import Path

from piccolo.conf.apps import AppConfig

from events_app.reference.tables import FormerProvince, ProductGroup, Province, Region

APP_CONFIG = AppConfig(
    app_name="reference",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Region, Province, FormerProvince, ProductGroup],
    migration_dependencies=[],
    commands=[],
)
