"""`events-app check`: what a production deployment lacks, one finding a line.

FAIL is what makes the site unsafe or broken (a weak secret key, cookies sent over plain HTTP,
debug on, migrations not run, a folder the app cannot write); WARN is what it can run without
but should not for long or at scale (SQLite, one worker, no SMTP, no job worker seen).
The findings from the settings are pure (settings and environment in, findings out); those of
the database ask it, and are only made when it can be reached.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping
from urllib.parse import urlsplit

from events_app.core.settings import Settings

OK, WARN, FAIL = "OK", "WARN", "FAIL"
MIN_SECRET_LENGTH = 32
# Keys that are in this code base, its examples and the usual placeholders.
KNOWN_SECRETS = {
    "test-secret-key-not-for-production", "bench", "secret", "changeme", "change-me", "change-this",
    "dev", "development", "x", "k", "s3cret", "your-secret-key", "replace-me",
}
# A job worker heartbeats every few seconds; one not heard from for this long is gone.
WORKER_SILENCE_SECONDS = 60


@dataclass(frozen=True)
class Finding:
    level: str
    topic: str
    text: str

    def line(self) -> str:
        return f"{self.level:<4}  {self.topic}: {self.text}"


def _writable(folder: Path) -> str | None:
    """Why the app cannot write in `folder` (made when missing, as the app does), or None."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".check-"):
            pass
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def settings_findings(settings: Settings, environ: Mapping[str, str]) -> list[Finding]:
    found = []

    def say(level: str, topic: str, text: str) -> None:
        found.append(Finding(level, topic, text))

    if settings.is_postgres:
        parts = urlsplit(settings.database_url)
        say(OK, "Database", f"PostgreSQL at {parts.hostname or 'localhost'}:{parts.port or 5432}{parts.path}")
    else:
        say(WARN, "Database", "SQLite: fine on one machine with light use; production runs on PostgreSQL "
            "(DATABASE_URL=postgresql://user@host:5432/name)")

    secret = environ.get("SECRET_KEY", "")
    if not secret:
        say(WARN, "SECRET_KEY", f"not set: the key generated in {settings.data_dir / 'secret_key'} is used; set one "
            "in the environment so that every machine and a restored site keep the same")
    elif secret.strip().lower() in KNOWN_SECRETS:
        say(FAIL, "SECRET_KEY", "is a well-known placeholder: anyone could forge sessions; set a long random one "
            "(python -c 'import secrets; print(secrets.token_urlsafe(48))')")
    elif len(secret) < MIN_SECRET_LENGTH:
        say(FAIL, "SECRET_KEY", f"is {len(secret)} characters long: use at least {MIN_SECRET_LENGTH} random ones")
    else:
        say(OK, "SECRET_KEY", f"set, {len(secret)} characters")

    public = urlsplit(settings.public_url)
    if public.scheme == "https":
        say(OK, "PUBLIC_URL", settings.public_url)
    elif not environ.get("PUBLIC_URL"):
        say(FAIL, "PUBLIC_URL", f"not set (so {settings.public_url}): set the https:// address people use; links in "
            "e-mails, calendar feeds and QR codes are made from it")
    else:
        say(FAIL, "PUBLIC_URL", f"{settings.public_url} is not https: passwords and sessions would cross the network in clear")
    if settings.secure_cookies:
        say(OK, "Secure cookies", "on (PUBLIC_URL is https)")
    else:
        say(FAIL, "Secure cookies", "off: session and CSRF cookies are also sent over plain HTTP (they follow PUBLIC_URL)")

    host = public.hostname or ""
    allowed = settings.allowed_hosts
    if "*" in allowed:
        say(WARN, "ALLOWED_HOSTS", "* accepts any Host header: name the site's host names")
    elif host and host not in allowed and f"[{host}]" not in allowed:
        say(FAIL, "ALLOWED_HOSTS", f"{', '.join(allowed)} lacks {host}, the host of PUBLIC_URL: its requests are refused")
    else:
        say(OK, "ALLOWED_HOSTS", ", ".join(allowed))

    workers = environ.get("WEB_CONCURRENCY", "").strip()
    count = int(workers) if workers.isdigit() else 1
    if count <= 1:
        say(WARN, "Web workers", f"one process: start several with `events-app serve --workers {max(2, os.cpu_count() or 2)}` "
            "(or WEB_CONCURRENCY), about one a core")
    else:
        say(OK, "Web workers", f"{count} (WEB_CONCURRENCY)")

    proxies = settings.forwarded_allow_ips
    behind_proxy = public.scheme == "https"  # the app itself speaks plain HTTP: TLS ends at a proxy
    if "*" in proxies:
        say(WARN, "FORWARDED_ALLOW_IPS", "* believes X-Forwarded-For from anyone who reaches the port: name the proxy's address")
    elif proxies:
        say(OK, "FORWARDED_ALLOW_IPS", ", ".join(proxies))
    elif behind_proxy:
        say(WARN, "FORWARDED_ALLOW_IPS", "not set, and PUBLIC_URL is https so a reverse proxy is in front: every visitor "
            "then has the proxy's address (log-in throttling counts them as one); set it to the proxy's address")
    else:
        say(OK, "FORWARDED_ALLOW_IPS", "not set (no reverse proxy)")

    if settings.smtp_host and settings.mail_from.rstrip(">").endswith("@localhost"):
        say(WARN, "SMTP", f"{settings.smtp_host}:{settings.smtp_port}, but MAIL_FROM is {settings.mail_from}: "
            "set an address of the site's own domain, or mail servers refuse the messages")
    elif settings.smtp_host:
        say(OK, "SMTP", f"{settings.smtp_host}:{settings.smtp_port}, from {settings.mail_from}")
    else:
        say(WARN, "SMTP", "SMTP_HOST not set: reminder e-mails are written to the log instead of being sent")

    if settings.debug:
        say(FAIL, "DEBUG", "on: error pages show the code and its data; unset DEBUG")
    else:
        say(OK, "DEBUG", "off")
    if not settings.booking_locks:
        say(FAIL, "BOOKING_LOCKS", "off: a switch for tests; booths may be given twice")

    for topic, folder in (("Media folder", settings.media_dir), ("Data folder", settings.data_dir)):
        problem = _writable(folder)
        if problem:
            say(FAIL, topic, f"{folder} is not writable: {problem}")
        else:
            say(OK, topic, f"{folder} is writable")
    return found


async def database_findings(settings: Settings) -> list[Finding]:
    """Migrations and, on PostgreSQL, the job queue and the backup tools; the database is open."""
    from piccolo.apps.migrations.commands.check import CheckMigrationManager
    from piccolo.querystring import QueryString

    from events_app.core.db import engine

    found = []
    statuses = await CheckMigrationManager(app_name="all").get_migration_statuses()
    waiting = [status for status in statuses if not status.has_ran]
    if waiting:
        found.append(Finding(FAIL, "Migrations", f"{len(waiting)} of {len(statuses)} not applied "
                             f"({waiting[0].app_name} {waiting[0].migration_id}…): run `events-app migrate`"))
    else:
        found.append(Finding(OK, "Migrations", f"all {len(statuses)} applied"))
    if not settings.is_postgres:
        found.append(Finding(OK, "Job queue", "local: the web process makes printed catalogues itself (SQLite)"))
        return found

    db = engine()
    present = (await db.run_querystring(QueryString(
        "SELECT to_regclass('procrastinate_jobs') IS NOT NULL AND to_regclass('procrastinate_workers') IS NOT NULL"
        " AS present")))[0]["present"]
    if not present:
        found.append(Finding(FAIL, "Job queue", "procrastinate's tables are missing: run `events-app migrate`"))
    else:
        rows = await db.run_querystring(QueryString(
            "SELECT count(*) AS n FROM procrastinate_workers WHERE last_heartbeat > now() - {} * interval '1 second'",
            WORKER_SILENCE_SECONDS))
        live = rows[0]["n"]
        if live:
            found.append(Finding(OK, "Job queue", f"{live} worker(s) heard from in the last {WORKER_SILENCE_SECONDS} s"))
        else:
            found.append(Finding(WARN, "Job queue", f"no worker heard from in the last {WORKER_SILENCE_SECONDS} s: printed "
                                 "catalogues wait until `events-app worker` (or `events-app serve`) runs"))
    version = int((await db.run_querystring(QueryString("SHOW server_version_num")))[0]["server_version_num"])
    from events_app.operations.backup import BackupError, find_pg_tool

    try:
        tools = [find_pg_tool(name, version // 10000) for name in ("pg_dump", "pg_restore")]
        found.append(Finding(OK, "Backup tools", f"{', '.join(tools)} (server {version // 10000})"))
    except BackupError as exc:
        found.append(Finding(WARN, "Backup tools", f"`events-app backup` cannot run: {exc}"))
    return found
