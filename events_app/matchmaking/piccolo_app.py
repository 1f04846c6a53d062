from pathlib import Path

from piccolo.conf.apps import AppConfig

from events_app.matchmaking.tables import Meeting, MeetingRequest, MeetingTerms, PlannedMeeting

APP_CONFIG = AppConfig(
    app_name="matchmaking",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[MeetingRequest, Meeting, PlannedMeeting, MeetingTerms],
    migration_dependencies=["events_app.events.piccolo_app"],
    commands=[],
)
