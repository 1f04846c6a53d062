from pathlib import Path

from piccolo.conf.apps import AppConfig

from events_app.booths.tables import (
    AllocationMark, AllocationPolicy, ApplicationProduct, BoothHold, Booth, BoothApplication, BoothPreference, BoothRental,
    BoothTypePrice, PlanFeature, ApplicationNotice,
)

APP_CONFIG = AppConfig(
    app_name="booths",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Booth, BoothApplication, ApplicationProduct, BoothPreference, BoothRental, AllocationPolicy, AllocationMark, BoothHold,
                   PlanFeature, BoothTypePrice, ApplicationNotice],
    migration_dependencies=["events_app.events.piccolo_app", "events_app.accounts.piccolo_app"],
    commands=[],
)
