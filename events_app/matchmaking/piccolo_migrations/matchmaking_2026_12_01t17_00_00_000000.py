"""Conference scheduling: requests that expire, are declined with a reason or asked for by both
parties; staff's working schedule (planned meetings, published into meetings); and each
participant's availability, meeting limit and fixed table.

Their constraints, and the copy of the meetings already placed, are the next migration's: a
migration's raw SQL runs before its tables are made.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import Boolean, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-01T17:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "meeting request expiry and answers, the working schedule, participants' terms"


def _table(name: str) -> type[Table]:
    return type(name.title().replace("_", ""), (Table,), {
        "id": Serial(null=False, primary_key=True, unique=False, index=False, index_method=IndexMethod.btree,
                     choices=None, db_column_name="id", secret=False),
    }, tablename=name)


_COMMON = {"null": False, "primary_key": False, "unique": False, "index": False, "index_method": IndexMethod.btree,
           "choices": None, "db_column_name": None, "secret": False}


def _fk(table: str, **params) -> tuple[type, dict]:
    return ForeignKey, {"references": _table(table), "on_delete": OnDelete.cascade, "on_update": OnUpdate.cascade,
                        "target_column": None, **params}


def _columns(manager: MigrationManager, class_name: str, tablename: str, columns) -> None:
    for name, column_class, params in columns:
        manager.add_column(
            table_class_name=class_name, tablename=tablename, column_name=name, db_column_name=name,
            column_class_name=column_class.__name__, column_class=column_class, params={**_COMMON, **params},
            schema=None,
        )


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="matchmaking", description=DESCRIPTION)
    _columns(manager, "MeetingRequest", "meeting_request", (
        ("expires_at", Timestamptz, {"default": None, "null": True}),
        ("decline_reason", Text, {"default": ""}),
        ("mutual", Boolean, {"default": False}),
        ("cancelled_by", Varchar, {"length": 20, "default": ""}),
    ))
    manager.add_table(class_name="PlannedMeeting", tablename="planned_meeting", schema=None, columns=None)
    _columns(manager, "PlannedMeeting", "planned_meeting", (
        ("request", *_fk("meeting_request", unique=True)),
        ("event", *_fk("event")),
        ("session", *_fk("event_session")),
        ("producer", *_fk("producer")),
        ("distributor", *_fk("distributor")),
        ("starts_at", Timestamptz, {"default": TimestamptzNow()}),
        ("ends_at", Timestamptz, {"default": TimestamptzNow()}),
        ("table_number", Integer, {"default": 0}),
        ("pinned", Boolean, {"default": False}),
    ))
    manager.add_table(class_name="MeetingTerms", tablename="meeting_terms", schema=None, columns=None)
    _columns(manager, "MeetingTerms", "meeting_terms", (
        ("event", *_fk("event")),
        ("producer", *_fk("producer", null=True)),
        ("distributor", *_fk("distributor", null=True)),
        ("available_from", Timestamptz, {"default": None, "null": True}),
        ("available_until", Timestamptz, {"default": None, "null": True}),
        ("max_meetings", Integer, {"default": None, "null": True}),
        ("fixed_table", Integer, {"default": None, "null": True}),
    ))

    return manager
