"""Printed catalogues being prepared: one row per catalogue version, shared by everyone asking for it."""

from enum import Enum

from piccolo.columns import Bytea, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class JobStatus(str, Enum):
    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


class CatalogueJob(Table):
    """A printed catalogue (its kind, what it shows, its language) at one version of the data.

    Any web worker reads its progress here; the PDF is kept here once made, so a worker on
    another machine can serve it."""

    key = Varchar(length=64, unique=True)  # the version key, also the PDF's ETag
    kind = Varchar(length=20)
    subject = Text(default="")  # an event's slug, or the product filters as a query string
    language = Varchar(length=8)
    status = Varchar(length=20, choices=JobStatus, default=JobStatus.queued, index=True)
    done = Integer(default=0)  # sections laid out
    total = Integer(default=0)  # sections in all
    error = Text(default="")  # a message id, when it failed
    attempts = Integer(default=0)
    content = Bytea(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow(), index=True)
    # The network of the visitor who started it when nobody was logged in ("" otherwise): such
    # visitors may start only so many (see rules.cold_render_wait).
    requested_from = Varchar(length=64, default="", index=True)
