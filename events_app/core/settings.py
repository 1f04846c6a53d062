"""One settings object, read from the environment, with safe defaults for the embedded SQLite set-up."""

from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Mapping
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent

_TRUE = {"1", "true", "yes", "on"}


class SettingsError(ValueError):
    """A setting in the environment that cannot be used: the message names it and why."""


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in _TRUE


def _int(value: str | None, default: int, name: str) -> int:
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SettingsError(f"{name} must be a number, not {value!r}") from None


def _bounded(value: str | None, default: int, name: str, low: int, high: int) -> int:
    number = _int(value, default, name)
    if not low <= number <= high:
        raise SettingsError(f"{name} must be between {low} and {high}, not {number}")
    return number


def _port(value: str | None, default: int) -> int:
    port = _int(value, default, "PORT")
    if not 0 < port < 65536:
        raise SettingsError(f"PORT must be between 1 and 65535, not {port}")
    return port


def _smtp_port(value: str | None) -> int:
    port = _int(value, 587, "SMTP_PORT")
    if not 0 < port < 65536:
        raise SettingsError(f"SMTP_PORT must be between 1 and 65535, not {port}")
    return port


def _proxies(value: str | None) -> tuple[str, ...]:
    """FORWARDED_ALLOW_IPS: comma-separated addresses or networks of trusted reverse proxies, or `*`."""
    entries = tuple(dict.fromkeys(item.strip() for item in (value or "").split(",") if item.strip()))
    for entry in entries:
        if entry == "*":
            continue
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise SettingsError(f"FORWARDED_ALLOW_IPS must list IP addresses or networks, not {entry!r}") from None
    return entries


def _job_queue(value: str | None, database_url: str) -> str:
    """JOB_QUEUE: procrastinate needs PostgreSQL; SQLite runs jobs in the web process."""
    postgres = database_url.startswith(("postgres://", "postgresql://"))
    queue = (value or "").strip().lower() or ("procrastinate" if postgres else "local")
    if queue not in ("local", "procrastinate"):
        raise SettingsError(f"JOB_QUEUE must be local or procrastinate, not {value!r}")
    if queue == "procrastinate" and not postgres:
        raise SettingsError("JOB_QUEUE=procrastinate needs a PostgreSQL DATABASE_URL")
    return queue


def _booking_locks(value: str | None, public_url: str) -> bool:
    """BOOKING_LOCKS: `on` (the default) or `off`, a switch for tests only: the control run of the
    booth race tests shows what happens without the locks. Anything else, or `off` on a site
    served over HTTPS, is refused rather than guessed."""
    choice = (value or "").strip().lower() or "on"
    if choice not in ("on", "off"):
        raise SettingsError(f"BOOKING_LOCKS must be on or off, not {value!r}")
    if choice == "off" and public_url.startswith("https://"):
        raise SettingsError("BOOKING_LOCKS=off is for tests only and refused for an https:// PUBLIC_URL")
    return choice == "on"


def _database_url(value: str | None, data_dir: Path) -> str:
    """DATABASE_URL, or the embedded SQLite file in DATA_DIR (whose folder is made here: an
    explicit SQLite path must be in a folder that exists, so a mistyped one is not a new database)."""
    if not value:
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SettingsError(f"DATA_DIR {data_dir} cannot be created: {exc.strerror}") from None
        return f"sqlite:///{data_dir / 'events.sqlite3'}"
    scheme = value.split(":", 1)[0] + ":" if ":" in value else value[:20]
    if value.startswith("sqlite:///"):
        if not value.removeprefix("sqlite:///").strip():
            raise SettingsError("DATABASE_URL names no SQLite file: write sqlite:///path/to/events.sqlite3")
        return value
    if value.startswith("sqlite:"):
        raise SettingsError("DATABASE_URL for SQLite must start with sqlite:/// (three slashes), then the file's path")
    if not value.startswith(("postgres://", "postgresql://")):
        raise SettingsError(
            f"DATABASE_URL must start with sqlite:///, postgres:// or postgresql://, not {scheme!r}")
    parts = urlsplit(value)
    try:
        parts.port
    except ValueError:
        raise SettingsError("DATABASE_URL has a port that is not a number from 1 to 65535") from None
    return value


def _load_or_create_secret(data_dir: Path) -> str:
    """The embedded set-up keeps a generated key in data/, so sessions survive a restart."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: str
    data_dir: Path
    host: str = "127.0.0.1"
    port: int = 8000
    debug: bool = False
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost", "[::1]")
    public_url: str = ""
    media_dir: Path = field(default=Path("media"))
    max_upload_bytes: int = 5 * 1024 * 1024
    # PostgreSQL connections kept open per process; 0 opens one per query.
    database_pool_size: int = 10
    # Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto headers are believed; none by default,
    # so a client cannot pose as another address to dodge log-in throttling.
    forwarded_allow_ips: tuple[str, ...] = ()
    # Where printed catalogues are made: "procrastinate" (a queue in PostgreSQL that workers on any
    # machine take jobs from) or "local" (the web process asked runs the job); by the database.
    job_queue: str = "local"
    # Whether this process runs a queue worker too (`events-app serve` does unless told not to).
    job_worker: bool = False
    # Booth bookings and holds take their locks (see core.db.write_transaction); only the race
    # tests' control run turns them off, with BOOKING_LOCKS=off, to show the race they prevent.
    booking_locks: bool = True
    # Where the reminder digest is sent from (see reminders.mailer); with no SMTP_HOST the
    # messages are written to the log instead.
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = field(default="", repr=False)
    smtp_starttls: bool = True
    mail_from: str = "OCOP Fair Manager <no-reply@localhost>"
    # A signed-in session ends after this long without a request (it is renewed as it is used)…
    session_idle_minutes: int = 120
    # …and this long after its log-in, however busy: a week for producers and distributors, a
    # working day for staff and administrators, whose accounts can change everything.
    session_max_hours: int = 7 * 24
    session_staff_max_hours: int = 12
    # Anonymous visitors of one network may start this many catalogue PDFs not printed before
    # in the window of minutes after it, and this many at once; printed ones stay unlimited.
    anonymous_pdf_renders: int = 6
    anonymous_pdf_window_minutes: int = 10
    anonymous_pdf_at_once: int = 2

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgres://", "postgresql://"))

    @property
    def secure_cookies(self) -> bool:
        """Cookies get the Secure flag when the site is served over HTTPS."""
        return self.public_url.startswith("https://")

    def with_overrides(self, **changes) -> Settings:
        return replace(self, **changes)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("DATA_DIR") or PROJECT_ROOT / "data")
        database_url = _database_url(env.get("DATABASE_URL"), data_dir)
        host = env.get("HOST") or "127.0.0.1"
        port = _port(env.get("PORT"), 8000)
        allowed = tuple(h.strip() for h in (env.get("ALLOWED_HOSTS") or "").split(",") if h.strip())
        public_url = (env.get("PUBLIC_URL") or f"http://{host}:{port}").rstrip("/")
        if not allowed:
            allowed = tuple(dict.fromkeys(("127.0.0.1", "localhost", "[::1]", host)))
        return cls(
            database_url=database_url,
            secret_key=env.get("SECRET_KEY") or _load_or_create_secret(data_dir),
            data_dir=data_dir,
            host=host,
            port=port,
            debug=_bool(env.get("DEBUG"), False),
            allowed_hosts=allowed,
            public_url=public_url,
            media_dir=Path(env.get("MEDIA_DIR") or data_dir / "media"),
            database_pool_size=_int(env.get("DATABASE_POOL_SIZE"), 10, "DATABASE_POOL_SIZE"),
            forwarded_allow_ips=_proxies(env.get("FORWARDED_ALLOW_IPS")),
            job_queue=_job_queue(env.get("JOB_QUEUE"), database_url),
            job_worker=_bool(env.get("JOB_WORKER"), False),
            booking_locks=_booking_locks(env.get("BOOKING_LOCKS"), public_url),
            smtp_host=(env.get("SMTP_HOST") or "").strip(),
            smtp_port=_smtp_port(env.get("SMTP_PORT")),
            smtp_user=env.get("SMTP_USER") or "",
            smtp_password=env.get("SMTP_PASSWORD") or "",
            smtp_starttls=_bool(env.get("SMTP_STARTTLS"), True),
            mail_from=(env.get("MAIL_FROM") or "").strip() or cls.mail_from,
            session_idle_minutes=_bounded(env.get("SESSION_IDLE_MINUTES"), cls.session_idle_minutes,
                                          "SESSION_IDLE_MINUTES", 5, 30 * 24 * 60),
            session_max_hours=_bounded(env.get("SESSION_MAX_HOURS"), cls.session_max_hours, "SESSION_MAX_HOURS", 1, 366 * 24),
            session_staff_max_hours=_bounded(env.get("SESSION_STAFF_MAX_HOURS"), cls.session_staff_max_hours,
                                             "SESSION_STAFF_MAX_HOURS", 1, 366 * 24),
            anonymous_pdf_renders=_bounded(env.get("ANONYMOUS_PDF_RENDERS"), cls.anonymous_pdf_renders,
                                           "ANONYMOUS_PDF_RENDERS", 1, 10_000),
            anonymous_pdf_window_minutes=_bounded(env.get("ANONYMOUS_PDF_WINDOW_MINUTES"), cls.anonymous_pdf_window_minutes,
                                                  "ANONYMOUS_PDF_WINDOW_MINUTES", 1, 24 * 60),
            anonymous_pdf_at_once=_bounded(env.get("ANONYMOUS_PDF_AT_ONCE"), cls.anonymous_pdf_at_once,
                                           "ANONYMOUS_PDF_AT_ONCE", 1, 1000),
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_env()
