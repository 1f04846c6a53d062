"""The job queue in PostgreSQL (procrastinate), which workers on any machine share.

A web process defers a catalogue job here; `events-app worker`, or the worker `events-app serve`
runs beside the web app, takes it. The job row (catalogue_job) keeps the progress, so the queue's
own tables only carry "render job N". A queueing lock on the version key keeps one waiting
procrastinate job per catalogue version, whatever the number of requests.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued

from events_app.core.settings import Settings

logger = logging.getLogger(__name__)

QUEUE = "catalogue"
TASK = "render_catalogue"

_apps: dict[str, procrastinate.App] = {}


def queue_app(database_url: str) -> procrastinate.App:
    """This process's procrastinate app for a database, with the catalogue task."""
    app = _apps.get(database_url)
    if app is None:
        app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=database_url, min_size=1, max_size=4))

        @app.task(name=TASK, queue=QUEUE, pass_context=True)
        async def render_catalogue(context: procrastinate.JobContext, job_id: int) -> None:
            from events_app.catalogue.jobs import run_job

            await run_job(job_id, context.additional_context["settings"])

        _apps[database_url] = app
    return app


async def opened(settings: Settings) -> procrastinate.App:
    app = queue_app(settings.database_url)
    await app.open_async()  # once: a second call finds the pool open
    return app


async def close(settings: Settings) -> None:
    app = _apps.get(settings.database_url)
    if app is not None:
        await app.close_async()


async def defer(settings: Settings, job_id: int, key: str) -> None:
    app = await opened(settings)
    try:
        await app.configure_task(TASK, queueing_lock=key).defer_async(job_id=job_id)
    except AlreadyEnqueued:
        pass  # this version is waiting for a worker already


async def run_worker(settings: Settings, *, wait: bool = True, **options: Any) -> None:
    """Take catalogue jobs until stopped (or, with wait=False, until none is left)."""
    app = await opened(settings)
    await app.run_worker_async(
        queues=[QUEUE], wait=wait, name=f"catalogue-{settings.port}", additional_context={"settings": settings},
        delete_jobs="successful", **options,
    )


async def apply_schema(database_url: str) -> bool:
    """Create procrastinate's tables and functions in the database when they are missing; whether it did."""
    app = queue_app(database_url)
    async with app.open_async():
        row = await app.connector.execute_query_one_async("SELECT to_regclass('procrastinate_jobs') IS NOT NULL AS present")
        if row["present"]:
            return False
        await app.schema_manager.apply_schema_async()
        return True


class InProcessWorker:
    """The worker `events-app serve` runs in each web process, started and stopped with the app."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.task: asyncio.Task | None = None

    async def start(self) -> None:
        await opened(self.settings)
        self.task = asyncio.create_task(
            run_worker(self.settings, install_signal_handlers=False), name="catalogue queue worker"
        )

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            try:
                await self.task
            except asyncio.CancelledError:
                pass
            except Exception:  # already logged by procrastinate; the app is stopping anyway
                logger.exception("The catalogue queue worker stopped with an error")
        await close(self.settings)
