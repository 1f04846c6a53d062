"""The core's own table, the revision counters, whose triggers watch the domains' tables: its
migrations run after theirs."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from events_app.core.revisions import Revision

APP_CONFIG = AppConfig(
    app_name="core",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Revision],
    migration_dependencies=[
        "events_app.booths.piccolo_app",
        "events_app.matchmaking.piccolo_app",
        "events_app.mou.piccolo_app",
    ],
    commands=[],
)
