"""The life of a printed catalogue being prepared: queued → running → done, or failed and tried
again. A job nobody has moved for a while is taken as failed: its worker died or never came."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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


# Catalogues not printed before, started by visitors who are not logged in -----------------------

@dataclass(frozen=True)
class RenderAllowance:
    """What one network of anonymous visitors may start: `renders` in each `window`, `at_once` at a time."""

    renders: int
    window: dt.timedelta
    at_once: int


# How long a network that has `at_once` catalogues being printed is asked to wait: about a
# catalogue's printing time, after which its progress pages have usually turned into PDFs.
AT_ONCE_WAIT = dt.timedelta(seconds=30)


def cold_render_wait(started: list[tuple[dt.datetime, str, dt.datetime]], allowance: RenderAllowance,
                     now: dt.datetime) -> dt.timedelta | None:
    """How long a network waits before it may start another catalogue, given those it started
    (when, status, last moved); None when it may now."""
    recent = sorted(at for at, _, _ in started if at > now - allowance.window)
    going = [1 for _, status, moved in started if seen_status(status, moved, now) in (JobStatus.queued, JobStatus.running)]
    waits = []
    if len(recent) >= allowance.renders:
        waits.append(recent[len(recent) - allowance.renders] + allowance.window - now)
    if len(going) >= allowance.at_once:
        waits.append(AT_ONCE_WAIT)
    return max(waits) if waits else None
