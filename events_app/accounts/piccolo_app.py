from pathlib import Path

from piccolo.conf.apps import AppConfig

from events_app.core.audit import AuditLog

from events_app.accounts.tables import LoginAttempt, PasswordReset, User, WebSession

APP_CONFIG = AppConfig(
    app_name="accounts",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[User, WebSession, LoginAttempt, PasswordReset, AuditLog],
    migration_dependencies=["events_app.directory.piccolo_app"],
    commands=[],
)
