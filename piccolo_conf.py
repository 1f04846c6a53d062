"""Piccolo configuration: the engine comes from DATABASE_URL (SQLite by default), one app per domain."""

from piccolo.conf.apps import AppRegistry

from events_app.core.db import engine_from_url
from events_app.core.settings import get_settings

DB = engine_from_url(get_settings().database_url)

APP_REGISTRY = AppRegistry(
    apps=[
        "events_app.reference.piccolo_app",
        "events_app.directory.piccolo_app",
        "events_app.accounts.piccolo_app",
        "events_app.recognition.piccolo_app",
        "events_app.events.piccolo_app",
        "events_app.booths.piccolo_app",
        "events_app.matchmaking.piccolo_app",
        "events_app.mou.piccolo_app",
        "events_app.catalogue.piccolo_app",
        "events_app.imports.piccolo_app",
        "events_app.core.piccolo_app",
    ]
)
