"""The life of a printed catalogue being prepared: queued → running → done, or failed and tried
again. A job nobody has moved for a while is taken as failed: its worker died or never came."""

from __future__ import annotations

import datetime as dt

from events_app.catalogue.tables import JobStatus
from events_app.core.i18n import N_
from events_app.core.transitions import StatusMachine, transition

JOBS = StatusMachine({
    "start": transition([JobStatus.queued], JobStatus.running, N_("This catalogue is already being prepared.")),
    "progress": transition([JobStatus.running], JobStatus.running, N_("This catalogue is not being prepared.")),
    "finish": transition([JobStatus.running], JobStatus.done, N_("This catalogue is not being prepared.")),
    "fail": transition([JobStatus.queued, JobStatus.running], JobStatus.failed, N_("This catalogue is not being prepared.")),
    "retry": transition([JobStatus.failed], JobStatus.queued, N_("This catalogue is not waiting to be tried again.")),
})

# A running job is told of each section it lays out; one quiet for this long has lost its worker.
STALE_AFTER = dt.timedelta(minutes=6)
# A queued job no worker has taken for this long will not be taken (no worker is running).
UNCLAIMED_AFTER = dt.timedelta(minutes=10)


def seen_status(status: str, updated_at: dt.datetime, now: dt.datetime) -> str:
    """The status to show and act on: a queued or running job left alone too long is failed."""
    if status == JobStatus.running and now - updated_at > STALE_AFTER:
        return JobStatus.failed.value
    if status == JobStatus.queued and now - updated_at > UNCLAIMED_AFTER:
        return JobStatus.failed.value
    return status


def can_retry(status: str, updated_at: dt.datetime, now: dt.datetime) -> bool:
    return JOBS.allows("retry", seen_status(status, updated_at, now))
