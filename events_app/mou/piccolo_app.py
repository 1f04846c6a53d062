from pathlib import Path

from piccolo.conf.apps import AppConfig

from events_app.mou.tables import Mou, MouNote, MouParty, MouProduct

APP_CONFIG = AppConfig(
    app_name="mou",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Mou, MouParty, MouProduct, MouNote],
    migration_dependencies=["events_app.events.piccolo_app", "events_app.accounts.piccolo_app"],
    commands=[],
)
