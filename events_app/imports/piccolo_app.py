from pathlib import Path

from piccolo.conf.apps import AppConfig

from events_app.imports.tables import ImportBatch

APP_CONFIG = AppConfig(
    app_name="imports",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[ImportBatch],
    migration_dependencies=["events_app.accounts.piccolo_app"],
    commands=[],
)
