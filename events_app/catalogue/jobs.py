"""Printed catalogues as jobs, known by a cheap version key.

A catalogue's version is what it is (fair or product filters), its language, the catalogue's
`revision` (which moves with every write to what catalogues show) and the day (certificates
lapse at midnight). Reading it is one small query, so an unchanged catalogue is answered from
the PDF kept under its key, or with 304, without reading its data.

A catalogue not made yet is a job: one row per version, which everyone asking shares, with its
progress for any web worker to show. On PostgreSQL a procrastinate worker takes it, wherever it
runs (`events-app worker`, or the one `events-app serve` runs); on SQLite the web process that
was asked runs it itself. Either way the sections are laid out in the worker process pool.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import logging
import math
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl

from events_app.catalogue import documents, printing
from events_app.catalogue.assets import Assets, keep_file
from events_app.catalogue.pdf import FORMAT_VERSION, design_fingerprint
from events_app.catalogue.rendering import KEEP_FILES, Progress, build_catalogue
from events_app.catalogue.rules import JOBS, RenderAllowance, can_retry, cold_render_wait, seen_status
from events_app.catalogue.services import CatalogueFilters, parse_filters
from events_app.catalogue.tables import CatalogueJob, JobStatus
from events_app.core import i18n
from events_app.core.clock import now, today
from events_app.core.db import is_integrity_error, lock_names, write_transaction
from events_app.core.errors import DomainError, NotFound
from events_app.core.i18n import N_, format_time
from events_app.core.revisions import CATALOGUE, fair_scope, revision
from events_app.core.settings import Settings
from events_app.events.services import get_event

logger = logging.getLogger(__name__)

# A request waits this long for a job to finish before it answers with the progress page: a
# small catalogue comes back at once, a large one does not hold a browser's connection.
INLINE_WAIT_SECONDS = 8.0
POLL_SECONDS = 0.1
KEEP_JOBS = dt.timedelta(days=2)  # rows of older versions (and their PDFs) are deleted
LOCAL = "local"
PROCRASTINATE = "procrastinate"
FAILED = N_("The catalogue could not be laid out.")


@dataclass(frozen=True)
class CatalogueRequest:
    """Which catalogue: its kind, what it shows (a fair's slug, or the product filters as a query
    string), its language; and the fair whose exhibitors it shows, when it shows some (the fair
    printed, or the one the filters name), whose own revision its version follows."""

    kind: str
    subject: str
    language: str
    fair_id: int | None = field(default=None, compare=False)

    @classmethod
    def event(cls, event: dict, language: str) -> "CatalogueRequest":
        return cls(printing.EVENT, event["slug"], language, event["id"])

    @classmethod
    def products(cls, filters: CatalogueFilters, language: str) -> "CatalogueRequest":
        return cls(printing.PRODUCTS, filters.query(), language, filters.event_id)

    def key(self, revision_key: str, day: dt.date) -> str:
        payload = json.dumps(
            [FORMAT_VERSION, design_fingerprint(), self.kind, self.subject, self.language, revision_key, day.isoformat()],
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode()).hexdigest()[:40]


async def version_key(request: CatalogueRequest) -> str:
    """The catalogue's version now: one read of the catalogue's revision, with its fair's own, so
    that a booking at another fair leaves this catalogue as it is."""
    scopes = [CATALOGUE, *([fair_scope(request.fair_id)] if request.fair_id else [])]
    return request.key(await revision(*scopes), today())


# The PDFs kept ---------------------------------------------------------------------------------

def pdf_folder(settings: Settings) -> Path:
    return settings.data_dir / "cache" / "pdf" / "catalogues"


def assets_for(settings: Settings) -> Assets:
    return Assets.for_site(settings.public_url, settings.media_dir, settings.data_dir / "cache" / "pdf-assets")


async def kept_pdf(key: str, settings: Settings) -> bytes | None:
    """The PDF of this version when it was made: from this machine's disk, or from the database
    (made by a worker elsewhere), then kept on disk too."""
    path = pdf_folder(settings) / f"{key}.pdf"
    try:
        return await asyncio.to_thread(path.read_bytes)
    except FileNotFoundError:
        pass
    row = await CatalogueJob.select(CatalogueJob.content).where(
        (CatalogueJob.key == key) & (CatalogueJob.status == JobStatus.done)
    ).first()
    if row is None or row["content"] is None:
        return None
    content = bytes(row["content"])
    await asyncio.to_thread(keep_file, path, content, KEEP_FILES)
    return content


# Jobs -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class JobView:
    """What the progress page shows of a job."""

    id: int
    key: str
    kind: str
    subject: str
    status: str  # as seen: a job left alone too long shows as failed
    done: int
    total: int
    error: DomainError | None
    can_retry: bool


JOB_COLUMNS = (CatalogueJob.id, CatalogueJob.key, CatalogueJob.kind, CatalogueJob.subject, CatalogueJob.status, CatalogueJob.done, CatalogueJob.total,
               CatalogueJob.error, CatalogueJob.updated_at)


def _view(row: dict) -> JobView:
    at = now()
    status = seen_status(row["status"], row["updated_at"], at)
    error = None
    if status == JobStatus.failed:
        stored = json.loads(row["error"] or "{}")
        error = DomainError(stored.get("message") or N_("The catalogue was not prepared in time."), **stored.get("params", {}))
    return JobView(row["id"], row["key"], row["kind"], row["subject"], status, row["done"], row["total"], error,
                   can_retry(row["status"], row["updated_at"], at))


async def get_job(job_id: int) -> JobView:
    row = await CatalogueJob.select(*JOB_COLUMNS).where(CatalogueJob.id == job_id).first()
    if row is None:
        raise NotFound(N_("This catalogue is no longer being prepared. Ask for it again."))
    return _view(row)


class TooManyRenders(DomainError):
    """An anonymous network has started as many new catalogues as it may for now."""

    status_code = 429
    title = N_("Too many new catalogues at once")

    def __init__(self, wait: dt.timedelta) -> None:
        self.retry_after = max(1, math.ceil(wait.total_seconds()))
        super().__init__(
            N_("Catalogues not printed before take a while to make, and many were asked for from your network "
               "just now. Please try again in %(minutes)d min (at %(time)s); catalogues already printed open at "
               "once, and logging in lifts this limit."),
            minutes=max(1, math.ceil(self.retry_after / 60)),
            time=format_time(now() + dt.timedelta(seconds=self.retry_after)),
        )


def allowance(settings: Settings) -> RenderAllowance:
    return RenderAllowance(settings.anonymous_pdf_renders, dt.timedelta(minutes=settings.anonymous_pdf_window_minutes),
                           settings.anonymous_pdf_at_once)


async def request_job(request: CatalogueRequest, key: str, settings: Settings, network: str | None = None) -> JobView:
    """The job making this version, started if nobody asked for it before: two people asking at
    once share one job (the key is unique; the second insert fails and reads the first).

    `network` is that of a visitor who is not logged in: a new job is started for it only within
    its allowance (TooManyRenders otherwise), counted in a transaction that holds the network's
    lock, so that requests in parallel, on any worker, are counted one after another."""
    row = await CatalogueJob.select(*JOB_COLUMNS).where(CatalogueJob.key == key).first()
    if row is not None:
        return _view(row)
    await CatalogueJob.delete().where(CatalogueJob.updated_at < now() - KEEP_JOBS)
    job = CatalogueJob(key=key, kind=request.kind, subject=request.subject, language=request.language,
                       status=JobStatus.queued.value, created_at=now(), updated_at=now(), requested_from=network or "")
    try:
        if network is None:
            [created] = await CatalogueJob.insert(job).returning(CatalogueJob.id)
        else:
            async with write_transaction():
                await lock_names(f"catalogue-renders:{network}")
                row = await CatalogueJob.select(*JOB_COLUMNS).where(CatalogueJob.key == key).first()
                if row is not None:  # started by someone else while this one waited for the lock
                    return _view(row)
                await _within_allowance(network, allowance(settings))
                [created] = await CatalogueJob.insert(job).returning(CatalogueJob.id)
    except Exception as exc:
        if not is_integrity_error(exc):
            raise
        row = await CatalogueJob.select(*JOB_COLUMNS).where(CatalogueJob.key == key).first()
        return _view(row)
    await enqueue(created["id"], key, settings)
    return await get_job(created["id"])


async def _within_allowance(network: str, allowed: RenderAllowance) -> None:
    moment = now()
    started = await CatalogueJob.select(CatalogueJob.created_at, CatalogueJob.status, CatalogueJob.updated_at).where(
        (CatalogueJob.requested_from == network)
        & ((CatalogueJob.created_at > moment - allowed.window)
           | CatalogueJob.status.is_in([JobStatus.queued.value, JobStatus.running.value]))
    )
    wait = cold_render_wait([(r["created_at"], r["status"], r["updated_at"]) for r in started], allowed, moment)
    if wait is not None:
        raise TooManyRenders(wait)


async def retry(job_id: int, settings: Settings) -> JobView:
    """Try a failed job again (or one whose worker was lost); a job going on is left be. The
    row moves only if nobody moved it since it was read, so two retries start one job."""
    row = await CatalogueJob.select(*JOB_COLUMNS).where(CatalogueJob.id == job_id).first()
    if row is None:
        raise NotFound(N_("This catalogue is no longer being prepared. Ask for it again."))
    if can_retry(row["status"], row["updated_at"], now()):
        moved = await CatalogueJob.update({
            CatalogueJob.status: JOBS.after("retry", JobStatus.failed), CatalogueJob.error: "",
            CatalogueJob.done: 0, CatalogueJob.updated_at: now(),
        }).where(
            (CatalogueJob.id == job_id) & (CatalogueJob.status == row["status"])
            & (CatalogueJob.updated_at == row["updated_at"])
        ).returning(CatalogueJob.id)
        if moved:
            await enqueue(job_id, row["key"], settings)
    return await get_job(job_id)


async def wait_for(job: JobView, seconds: float) -> JobView:
    """The job once done or failed, or as it stands after `seconds`."""
    deadline = asyncio.get_running_loop().time() + seconds
    while job.status in (JobStatus.queued, JobStatus.running) and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(POLL_SECONDS)
        job = await get_job(job.id)
    return job


# Running jobs -----------------------------------------------------------------------------------

_local: set[asyncio.Task] = set()


async def enqueue(job_id: int, key: str, settings: Settings) -> None:
    if settings.job_queue == PROCRASTINATE:
        from events_app.catalogue import queue

        await queue.defer(settings, job_id, key)
        return
    task = asyncio.create_task(run_job(job_id, settings), name=f"catalogue job {job_id}")
    _local.add(task)
    task.add_done_callback(_local.discard)


async def run_job(job_id: int, settings: Settings) -> None:
    """Make a job's PDF, telling its row of each section; what a worker does with a job."""
    started = await CatalogueJob.update({
        CatalogueJob.status: JOBS.after("start", JobStatus.queued), CatalogueJob.updated_at: now(),
        CatalogueJob.attempts: CatalogueJob.attempts + 1,
    }).where((CatalogueJob.id == job_id) & (CatalogueJob.status == JobStatus.queued)).returning(
        CatalogueJob.key, CatalogueJob.kind, CatalogueJob.subject, CatalogueJob.language
    )
    if not started:
        return  # another worker took it, or it was answered already
    row = started[0]
    running = (CatalogueJob.id == job_id) & (CatalogueJob.status == JobStatus.running)

    async def progress(done: int, total: int) -> None:
        await CatalogueJob.update(
            {CatalogueJob.done: done, CatalogueJob.total: total, CatalogueJob.updated_at: now()}
        ).where(running)

    try:
        content = await build_pdf(CatalogueRequest(row["kind"], row["subject"], row["language"]), settings, progress)
    except BaseException as exc:
        error = exc if isinstance(exc, DomainError) else DomainError(FAILED)
        if not isinstance(exc, DomainError):
            logger.exception("Catalogue job %s failed", job_id)
        await CatalogueJob.update({
            CatalogueJob.status: JOBS.after("fail", JobStatus.running), CatalogueJob.updated_at: now(),
            CatalogueJob.error: json.dumps({"message": error.message, "params": error.params}, default=str),
        }).where(running)
        if not isinstance(exc, Exception):
            raise  # cancelled: the worker is stopping
        return
    await asyncio.to_thread(keep_file, pdf_folder(settings) / f"{row['key']}.pdf", content, KEEP_FILES)
    await CatalogueJob.update({
        CatalogueJob.status: JOBS.after("finish", JobStatus.running), CatalogueJob.content: content,
        CatalogueJob.updated_at: now(),
    }).where(running)


async def build_pdf(request: CatalogueRequest, settings: Settings, progress: Progress | None = None) -> bytes:
    """A catalogue's PDF from the data as it is now: what a job, and `events-app catalogue`, do."""
    with i18n.language(request.language):
        if request.kind == printing.EVENT:
            data = await documents.event_catalogue_data(await get_event(request.subject), settings.public_url)
        else:
            filters = await parse_filters(**dict(parse_qsl(request.subject)))
            data = await documents.product_catalogue_data(filters, settings.public_url)
    catalogue = printing.Catalogue(request.kind, data, request.language, assets_for(settings))
    return await build_catalogue(catalogue, progress)


def lifecycle(settings: Settings) -> tuple[list, list]:
    """What the web app runs at start and at stop for catalogue jobs: with the PostgreSQL queue,
    close its connections at the end, and run a worker in the process when asked to."""
    if settings.job_queue != PROCRASTINATE:
        return [], []
    from events_app.catalogue import queue

    if settings.job_worker:
        worker = queue.InProcessWorker(settings)
        return [worker.start], [worker.stop]

    async def close() -> None:
        await queue.close(settings)

    return [], [close]
