"""The `events-app` command line."""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import sys
from pathlib import Path
from typing import Awaitable, TypeVar

import click

T = TypeVar("T")


def _run(coroutine: Awaitable[T]) -> T:
    async def wrapped() -> T:
        from events_app.core import db
        from events_app.core.settings import get_settings
        from events_app.web.wiring import answer_usage_questions

        answer_usage_questions()  # commands change rows that higher domains use, as pages do
        await db.connect(get_settings().database_pool_size)
        try:
            return await coroutine
        finally:
            await db.disconnect()

    try:
        return asyncio.run(wrapped())
    finally:
        coroutine.close()  # not awaited when the database could not be opened: no warning for it


async def migrate_database(verbose: bool = False) -> None:
    """Run every Piccolo migration not yet run, then add missing reference data."""
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from events_app.core.db import prepare_database
    from events_app.core.settings import get_settings
    from events_app.reference.services import load_reference_data

    await prepare_database()
    output = contextlib.nullcontext() if verbose else contextlib.redirect_stdout(io.StringIO())
    with output:
        result = await run_forwards(app_name="all")
    if not result.success:
        raise click.ClickException(f"Migrations failed: {result.message}")
    await load_reference_data()
    settings = get_settings()
    if settings.is_postgres:  # the job queue's own tables, in the same database
        from events_app.catalogue.queue import apply_schema

        await apply_schema(settings.database_url)


async def _nothing() -> None:
    pass


def _print_logins() -> None:
    from events_app.demo.loader import demo_logins

    click.echo("Demo logins (password for all: {}):".format(demo_logins()[0][2]))
    for role, email, _ in demo_logins():
        click.echo(f"  {role:<12} {email}")


class _Commands(click.Group):
    """Settings that cannot be used and a database that cannot be opened are told in one line."""

    def invoke(self, ctx: click.Context):
        from events_app.core.db import DatabaseUnavailable
        from events_app.core.settings import SettingsError

        try:
            return super().invoke(ctx)
        except SettingsError as exc:
            raise click.ClickException(str(exc)) from None
        except DatabaseUnavailable as exc:
            raise click.ClickException(f"Database: {exc}") from None


@click.group(cls=_Commands)
def main() -> None:
    """OCOP Fair Manager."""
    os.environ.setdefault("PICCOLO_CONF", "piccolo_conf")


@main.command()
@click.option("-v", "--verbose", is_flag=True, help="Show each migration as it runs.")
def migrate(verbose: bool) -> None:
    """Bring the database schema up to date."""
    from events_app.core.settings import get_settings

    _run(migrate_database(verbose))
    click.echo(f"Database is up to date ({_describe(get_settings().database_url)}).")


@main.command()
@click.option("--if-empty", is_flag=True, help="Load only when the database holds no events, organisations or users.")
@click.option(
    "--size", type=click.Choice(["small", "large"]), default="small", show_default=True,
    help="large adds a national-scale set: 20,000 products of 1,000 producers in every province, 2,000 events, "
    "120 distributors and a national fair of 308 exhibitors.",
)
def demo(if_empty: bool, size: str) -> None:
    """Load the demo data set (idempotent: existing rows are kept)."""
    from events_app.core.settings import get_settings
    from events_app.demo.large import load_large
    from events_app.demo.loader import is_empty, load_demo

    async def load() -> tuple[bool, dict[str, int] | None]:
        await migrate_database()
        if if_empty and not await is_empty():
            return False, None
        await load_demo(media_dir=get_settings().media_dir)
        if size != "large":
            return True, None
        return True, await load_large()

    loaded, large = _run(load())
    click.echo("Demo data loaded." if loaded else "The database already holds data; demo data not loaded.")
    if large:
        click.echo(
            f"National-scale set: {large['products']:,} products of {large['producers']:,} producers, "
            f"{large['events']:,} events, {large['distributors']:,} distributors; the national fair: "
            f"{large['exhibitors']:,} exhibitors on {large['booths']:,} booths showing {large['products_shown']:,} products."
        )
    _print_logins()


@main.command()
@click.option("--host", default=None, help="Interface to listen on (default: $HOST or 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port (default: $PORT or 8000).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64), envvar="WEB_CONCURRENCY",
              help="Web worker processes (or WEB_CONCURRENCY); about one a core.")
@click.option("--migrate/--no-migrate", "run_migrations", default=True, show_default=True, help="Migrate first.")
@click.option(
    "--job-worker/--no-job-worker", default=True, show_default=True,
    help="On PostgreSQL, also take printed-catalogue jobs in each web process (else run `events-app worker`).",
)
def serve(host: str | None, port: int | None, workers: int, run_migrations: bool, job_worker: bool) -> None:
    """Serve the web application with uvicorn."""
    import uvicorn

    from events_app.core.settings import get_settings

    settings = get_settings()
    host = host or settings.host
    port = port or settings.port
    # Workers build their own settings from the environment: keep them in step with the flags.
    os.environ["HOST"], os.environ["PORT"] = host, str(port)
    os.environ["JOB_WORKER"] = "1" if job_worker else "0"
    get_settings.cache_clear()
    _run(migrate_database() if run_migrations else _nothing())  # either way, the database is reachable
    click.echo(f"Serving OCOP Fair Manager on http://{host}:{port} ({_describe(settings.database_url)})")
    proxies = settings.forwarded_allow_ips
    uvicorn.run(
        "events_app.web.app:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        # Forwarded headers only from the proxies named in FORWARDED_ALLOW_IPS: left to itself,
        # uvicorn believes them from any local process.
        proxy_headers=bool(proxies),
        forwarded_allow_ips=list(proxies) or None,
        log_level="info",
    )


@main.command("create-user")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(["staff", "admin"]), help="Account role.")
@click.option("--name", default="", help="Display name.")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    envvar="EVENTS_APP_PASSWORD",
    help="Password (asked for when not given; or set EVENTS_APP_PASSWORD).",
)
def create_user(email: str, role: str, name: str, password: str) -> None:
    """Create a staff or admin account."""
    from events_app.accounts.services import create_user as create, normalise_email
    from events_app.core.errors import ValidationError

    async def run() -> int:
        await migrate_database()
        return await create(email, role, password, name)

    try:
        user_id = _run(run())
    except ValidationError as exc:
        for field, message in exc.field_messages().items():
            click.echo(f"{field}: {message}", err=True)
        sys.exit(1)
    click.echo(f"Created {role} account {normalise_email(email)} (id {user_id}).")


@main.command()
@click.argument("event")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True), help="PDF file to write.")
@click.option("--language", default="vi", show_default=True, type=click.Choice(["vi", "en"]))
def catalogue(event: str, output: str, language: str) -> None:
    """Write the exhibitor catalogue of a fair (by its slug) to a PDF file."""
    from pathlib import Path

    from events_app.catalogue import printing, rendering
    from events_app.catalogue.jobs import CatalogueRequest, build_pdf
    from events_app.core.errors import DomainError
    from events_app.core.settings import get_settings

    async def progress(done: int, total: int) -> None:
        click.echo(f"  {done}/{total} sections laid out", err=True)

    async def build() -> bytes:
        try:
            return await build_pdf(CatalogueRequest(printing.EVENT, event, language), get_settings(), progress)
        finally:
            rendering.close_pool()

    try:
        content = _run(build())
    except DomainError as exc:
        raise click.ClickException(str(exc)) from exc
    Path(output).write_bytes(content)
    click.echo(f"Wrote {output} ({len(content) // 1024} KiB).")


@main.command()
@click.option("--once", is_flag=True, help="Stop when no job is left, instead of waiting for more.")
def worker(once: bool) -> None:
    """Take printed-catalogue jobs from the PostgreSQL queue (several machines may run one)."""
    from events_app.catalogue import queue
    from events_app.core.settings import get_settings

    settings = get_settings()
    if settings.job_queue != "procrastinate":
        raise click.ClickException("The job queue needs PostgreSQL: on SQLite the web process makes catalogues itself.")
    click.echo(f"Taking catalogue jobs from {_describe(settings.database_url)}")

    async def work() -> None:
        try:
            await queue.run_worker(settings, wait=not once)
        finally:
            await queue.close(settings)

    _run(work())


@main.command()
@click.option("--send", is_flag=True, help="Send today's digest (else only say what it holds).")
def reminders(send: bool) -> None:
    """The daily reminders: certificates ending, applications waiting, stale meeting requests, MoUs to
    follow up. With --send each staff member (and each producer, of its certificates) gets one
    e-mail through SMTP_HOST, never twice a day; with no SMTP_HOST the messages go to the log."""
    import logging

    from events_app.core.clock import today
    from events_app.core.settings import get_settings
    from events_app.reminders.lists import staff_lists
    from events_app.reminders.sending import send_digest

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    async def run():
        await migrate_database()
        if send:
            return await send_digest(get_settings())
        return await staff_lists()

    result = _run(run())
    if not send:
        for item in result:
            click.echo(f"{item.kind}: {item.count}")
        return
    day = today().isoformat()
    click.echo(f"Reminders of {day}: {len(result.sent)} sent, {len(result.already)} already sent today, "
               f"{len(result.logged)} written to the log (no SMTP_HOST), {len(result.failed)} refused.")
    if result.failed:
        sys.exit(1)


@main.command("import")
@click.argument("kind", type=click.Choice(["producers", "products", "distributors"]))
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--update/--skip", "update", default=True, show_default=True,
              help="Rows already in the directory (same name and province; for products, same certificate "
              "number or same producer and name) are updated, or left as they are.")
@click.option("--dry-run", is_flag=True, help="Check the file and say what would be imported; write nothing.")
@click.option("--valid-only", is_flag=True, help="Import the rows without errors even when other rows have some.")
@click.option("--language", default="vi", show_default=True, type=click.Choice(["vi", "en"]), help="Of the messages.")
def import_command(kind: str, file: str, update: bool, dry_run: bool, valid_only: bool, language: str) -> None:
    """Import producers, products or distributors from a CSV or XLSX file (the columns of the templates
    on the staff import page). Nothing is written when a row has an error, unless --valid-only."""
    from pathlib import Path

    from events_app.core.errors import DomainError
    from events_app.core.i18n import language as in_language
    from events_app.imports.report import import_file

    async def run() -> bool:
        await migrate_database()
        return await import_file(kind, Path(file), update=update, dry_run=dry_run, valid_only=valid_only, echo=click.echo)

    with in_language(language):
        try:
            ok = _run(run())
        except DomainError as exc:
            raise click.ClickException(str(exc)) from exc
    if not ok:
        sys.exit(1)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--media/--no-media", default=True, show_default=True,
              help="Put the media folder (product photos, uploads) in the backup too.")
def backup(file: Path, media: bool) -> None:
    """Write a backup of the database and the media folder to FILE (a tar archive, gzip-compressed when
    FILE ends in .gz). Safe while the app serves: SQLite's online backup API, or pg_dump on PostgreSQL."""
    from events_app.core.settings import get_settings
    from events_app.operations.backup import BackupError, make_backup

    settings = get_settings()
    try:
        manifest = _run(make_backup(settings, file, media=media))
    except BackupError as exc:
        raise click.ClickException(f"Backup: {exc}") from None
    media_words = (f"{manifest.media_files:,} media files ({manifest.media_bytes // 1024:,} KiB)" if media
                   else "no media files (--no-media)")
    click.echo(f"Wrote {file}: {_describe(settings.database_url)}, {len(manifest.tables)} tables, "
               f"{manifest.rows:,} rows; {media_words}.")


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the data without asking first.")
def restore(file: Path, yes: bool) -> None:
    """Replace the database (and the media folder, when the backup holds it) with a backup made by
    `events-app backup`. On PostgreSQL stop the web processes and workers first."""
    from events_app.core.settings import get_settings
    from events_app.operations.backup import BackupError, check_restorable, migrations_against_code, read_manifest, restore_backup

    settings = get_settings()
    try:
        manifest = read_manifest(file)
        check_restorable(manifest, settings, file)
        unknown, missing = _run(migrations_against_code(manifest))
    except BackupError as exc:
        raise click.ClickException(f"Restore: {exc}") from None
    if unknown:
        raise click.ClickException(
            f"Restore: {file} was made by a newer version of OCOP Fair Manager: its database has "
            f"{len(unknown)} migrations this version lacks ({', '.join(name for _, name in unknown[:3])}…)")
    media_words = (f"the files in {settings.media_dir} with its {manifest.media_files:,} media files" if manifest.media
                   else f"nothing in {settings.media_dir} (the backup holds no media)")
    click.echo(f"{file}: a backup of {manifest.created}, {len(manifest.tables)} tables, {manifest.rows:,} rows.")
    click.echo(f"Restoring replaces every row in {_describe(settings.database_url)}, and {media_words}.")
    if not yes:
        click.confirm("Replace the data?", abort=True)
    try:
        _run(restore_backup(settings, file, manifest))
    except BackupError as exc:
        raise click.ClickException(f"Restore: {exc}") from None
    click.echo(f"Restored {file}.")
    if missing:
        click.echo(f"The backup predates {len(missing)} migrations of this version: run `events-app migrate` "
                   "(`events-app serve` does it first).")


@main.command()
def check() -> None:
    """Say what this deployment lacks for production, a line a setting: OK, WARN or FAIL (exit code 1
    when anything FAILs). Reads the same environment as `events-app serve`."""
    from events_app.core.db import DatabaseUnavailable
    from events_app.core.settings import get_settings
    from events_app.operations.checks import FAIL, WARN, Finding, database_findings, settings_findings

    settings = get_settings()
    findings = settings_findings(settings, os.environ)
    try:
        findings += _run(database_findings(settings))
    except DatabaseUnavailable as exc:
        findings.append(Finding(FAIL, "Database", f"{exc} (migrations and the job queue not checked)"))
    for finding in findings:
        click.echo(finding.line())
    fails = sum(f.level == FAIL for f in findings)
    warns = sum(f.level == WARN for f in findings)
    click.echo(f"{fails} FAIL, {warns} WARN, {len(findings) - fails - warns} OK.")
    if fails:
        sys.exit(1)


def _describe(url: str) -> str:
    if url.startswith("sqlite:///"):
        return "SQLite " + url.removeprefix("sqlite:///")
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"PostgreSQL {parts.hostname}:{parts.port or 5432}{parts.path}"
