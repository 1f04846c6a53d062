from pathlib import Path

from piccolo.conf.apps import AppConfig

from events_app.recognition.tables import Dossier, Recognition, ReminderSent

APP_CONFIG = AppConfig(
    app_name="recognition",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Dossier, Recognition, ReminderSent],
    migration_dependencies=["events_app.directory.piccolo_app", "events_app.accounts.piccolo_app"],
    commands=[],
)
