"""Run the whole test suite on SQLite, then on PostgreSQL, and say which database each run used.

PostgreSQL comes from TEST_DATABASE_URL when set; otherwise the local server is used, started
first when it is installed but not running (and installed with apt-get under CI). A throw-away
database is created for the run and dropped afterwards. Browser tests need Debian's Chromium,
which is installed with apt-get when possible.

Outside CI a PostgreSQL run or browser tests that cannot be had are reported as not run; with
CI=true they are required, and their absence fails the run.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
LOCAL_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
CHROMIUM = "/usr/bin/chromium"


@dataclass
class Outcome:
    name: str
    detail: str
    status: str  # passed, failed, not run


def _say(message: str) -> None:
    print(f"\n=== {message}", flush=True)


def _apt_install(*packages: str) -> bool:
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return False
    _say(f"Installing {' '.join(packages)} with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *packages]):
        if subprocess.run(command, env=env, stdout=subprocess.DEVNULL).returncode != 0:
            return False
    return True


def chromium_available() -> bool:
    if Path(CHROMIUM).exists():
        return True
    return _apt_install("chromium") and Path(CHROMIUM).exists()


async def _can_connect(url: str) -> bool:
    import asyncpg

    try:
        connection = await asyncpg.connect(url, timeout=5)
    except Exception:
        return False
    await connection.close()
    return True


def _start_local_postgres() -> bool:
    if not Path("/etc/postgresql").exists() and not (CI and _apt_install("postgresql")):
        return False
    for version in sorted(os.listdir("/etc/postgresql")):
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    for _ in range(30):
        if asyncio.run(_can_connect(LOCAL_SERVER)):
            return True
        time.sleep(1)
    return False


def postgres_server() -> tuple[str | None, str]:
    """The URL of a PostgreSQL database to create test databases from, or why there is none."""
    given = os.environ.get("TEST_DATABASE_URL")
    if given:
        return (given, "TEST_DATABASE_URL") if asyncio.run(_can_connect(given)) else (None, f"cannot connect to {given}")
    if asyncio.run(_can_connect(LOCAL_SERVER)) or _start_local_postgres():
        return LOCAL_SERVER, "local server"
    return None, "no PostgreSQL server reachable or installable"


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


async def _admin(url: str, statement: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def run_pytest(database_url: str, extra_env: dict[str, str], args: list[str]) -> bool:
    env = {**os.environ, "DATABASE_URL": database_url, **extra_env}
    return subprocess.run([sys.executable, "-m", "pytest", *args], cwd=ROOT, env=env).returncode == 0


def main(args: list[str]) -> int:
    outcomes: list[Outcome] = []
    browser = chromium_available()
    pytest_args = list(args) if browser else [*args, "-m", "not browser"]
    browser_note = "with browser tests" if browser else "browser tests not run: Chromium not available"

    with tempfile.TemporaryDirectory(prefix="ocop-sqlite-") as tmp:
        url = f"sqlite:///{tmp}/test.sqlite3"
        _say(f"SQLite run ({url}, {browser_note})")
        ok = run_pytest(url, {"DATA_DIR": tmp}, pytest_args)
        outcomes.append(Outcome("SQLite", url, "passed" if ok else "failed"))

    server, how = postgres_server()
    if server is None:
        outcomes.append(Outcome("PostgreSQL", how, "not run"))
    else:
        name = f"ocop_test_{secrets.token_hex(4)}"
        url = _with_database(server, name)
        try:
            asyncio.run(_admin(server, f'CREATE DATABASE "{name}"'))
        except Exception as exc:  # no right to create databases: use the given one as it is
            print(f"Cannot create a test database ({exc}); using {server} itself.")
            url, name = server, None
        _say(f"PostgreSQL run ({url}, {how}, {browser_note})")
        with tempfile.TemporaryDirectory(prefix="ocop-pg-") as tmp:
            ok = run_pytest(url, {"DATA_DIR": tmp}, pytest_args)
        outcomes.append(Outcome("PostgreSQL", url, "passed" if ok else "failed"))
        if name:
            asyncio.run(_admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    print("\n=== Test summary")
    for outcome in outcomes:
        print(f"  {outcome.name:<11} {outcome.status:<8} {outcome.detail}")
    print(f"  {'Browser':<11} {'run' if browser else 'not run':<8} {'Chromium ' + CHROMIUM if browser else browser_note}")

    failed = any(o.status == "failed" for o in outcomes)
    missing = [o.name for o in outcomes if o.status == "not run"] + ([] if browser else ["browser tests"])
    if CI and missing:
        print(f"CI=true: {', '.join(missing)} must run; failing.")
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
