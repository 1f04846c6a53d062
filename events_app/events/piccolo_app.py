from pathlib import Path

from piccolo.conf.apps import AppConfig

from events_app.events.tables import Attendance, Event, Hall, OpeningHours, Session, ShowroomNetwork, Venue

APP_CONFIG = AppConfig(
    app_name="events",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Venue, Hall, ShowroomNetwork, Event, Session, OpeningHours, Attendance],
    migration_dependencies=["events_app.reference.piccolo_app", "events_app.directory.piccolo_app"],
    commands=[],
)
