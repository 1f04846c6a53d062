"""An uploaded import file, from upload to import: whose it is, how its columns map, how far the
check has got and what it found. The file itself and the rows read from it are kept beside it,
under the data folder (`imports/<token>/`), and removed with it."""

from enum import Enum

from piccolo.columns import ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from events_app.accounts.tables import User
from events_app.imports.columns import Kind


class BatchStatus(str, Enum):
    mapping = "mapping"  # uploaded; staff say which column holds what
    checking = "checking"  # rows being read and checked, off the request
    ready = "ready"  # checked: the preview waits for staff to confirm
    done = "done"  # imported
    failed = "failed"  # the file could not be read as a whole


class ImportBatch(Table):
    token = Varchar(length=64, unique=True)
    kind = Varchar(length=20, choices=Kind)
    owner = ForeignKey(references=User, on_delete=OnDelete.cascade, null=False)
    filename = Varchar(length=200, default="")
    file_format = Varchar(length=10, default="csv")
    status = Varchar(length=20, choices=BatchStatus, default=BatchStatus.mapping)
    headers = Text(default="[]")  # JSON: the file's header row
    mapping = Text(default="{}")  # JSON: {position: column key}
    rows_read = Integer(default=0)
    rows_total = Integer(null=True, default=None)
    summary = Text(default="{}")  # JSON: the counts of the check, then of the import
    failure = Text(default="")  # JSON [message id, params]: why the file could not be read
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    updated_at = Timestamptz(default=TimestamptzNow())
