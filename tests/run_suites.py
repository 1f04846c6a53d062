"""Run the whole test suite on SQLite and on PostgreSQL, side by side, and say which database
each run used and how long it took.

The cores are shared out among the runs: where there are more cores than runs, a run spreads its
tests over pytest-xdist workers (TEST_WORKERS sets how many), each with a database of its own.

PostgreSQL comes from TEST_DATABASE_URL when set; otherwise the local server is used, started
first when it is installed but not running (and installed with apt-get under CI). A throw-away
database is created for the run and dropped afterwards. Browser tests need Debian's Chromium,
which is installed with apt-get when possible.

Outside CI a PostgreSQL run or browser tests that cannot be had are reported as not run; with
CI=true they are required, and their absence fails the run.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.databases import create_database, drop_databases, scratch_dir  # noqa: E402

CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
LOCAL_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
CHROMIUM = "/usr/bin/chromium"


@dataclass
class Outcome:
    name: str
    detail: str
    status: str  # passed, failed, not run
    seconds: float = 0.0


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


def _workers(args: list[str], runs_at_once: int) -> list[str]:
    """pytest-xdist arguments for a run: TEST_WORKERS workers, by default the cores shared out
    among the runs going at once (every extra worker starts its own interpreter, live server and
    PDF workers: on two cores, two runs side by side in one process each beat two workers each).
    -n or -p no:xdist in the arguments wins."""
    if any(a == "no:xdist" or a.startswith(("-n", "--numprocesses")) for a in args):
        return []
    count = int(os.environ.get("TEST_WORKERS") or max(1, (os.cpu_count() or 1) // runs_at_once))
    # worksteal: a worker that runs out takes tests queued for another, so no long tail on one.
    return ["-n", str(count), "--dist", "worksteal"] if count > 1 else []


@dataclass
class Run:
    """One pytest run on one database, its output kept apart while runs overlap."""

    name: str
    url: str
    note: str
    data_dir: str
    args: list[str]
    can_split: bool = True  # into xdist workers, each with a copy of the database
    process: subprocess.Popen | None = None
    started: float = 0.0
    seconds: float = 0.0

    def start(self, overlapped: bool, workers: list[str]) -> None:
        env = {**os.environ, "DATABASE_URL": self.url, "DATA_DIR": self.data_dir}
        self.log = open(Path(self.data_dir) / "pytest.log", "w+") if overlapped else None
        if not overlapped:
            _say(f"{self.name} run ({self.url}, {self.note})")
        self.started = time.monotonic()
        workers = workers if self.can_split else []
        self.process = subprocess.Popen([sys.executable, "-m", "pytest", *workers, *self.args], cwd=ROOT, env=env,
                                        stdout=self.log, stderr=subprocess.STDOUT if self.log else None)

    def wait(self) -> bool:
        assert self.process is not None
        code = self.process.wait()
        self.seconds = time.monotonic() - self.started
        if self.log:
            _say(f"{self.name} run ({self.url}, {self.note})")
            self.log.seek(0)
            shutil.copyfileobj(self.log, sys.stdout)
            sys.stdout.flush()
            self.log.close()
        return code == 0


def _minutes(seconds: float) -> str:
    return f"{int(seconds // 60)}:{seconds % 60:04.1f}"


def main(args: list[str]) -> int:
    begun = time.monotonic()
    outcomes: list[Outcome] = []
    browser = chromium_available()
    pytest_args = list(args) if browser else [*args, "-m", "not browser"]
    browser_note = "with browser tests" if browser else "browser tests not run: Chromium not available"
    # Both runs at once keep both cores busy through each run's slow tail (browser and live-server
    # tests, the last few files). On two cores, one process each: 1:54 and 1:58, against 2:12 and
    # 2:03 one after the other (OVERLAP=0) with two xdist workers each.
    overlapped = os.environ.get("OVERLAP", "1") != "0"

    with contextlib.ExitStack() as cleanup:
        runs: list[Run] = []
        tmp = cleanup.enter_context(tempfile.TemporaryDirectory(prefix="ocop-sqlite-", dir=scratch_dir()))
        runs.append(Run("SQLite", f"sqlite:///{tmp}/test.sqlite3", browser_note, tmp, pytest_args))

        server, how = postgres_server()
        if server is None:
            outcomes.append(Outcome("PostgreSQL", how, "not run"))
        else:
            name = f"ocop_test_{secrets.token_hex(4)}"
            can_split = True
            try:
                url = asyncio.run(create_database(server, name))
                cleanup.callback(lambda: asyncio.run(drop_databases(server, name)))
            except Exception as exc:  # no right to create databases: use the given one as it is, in one process
                print(f"Cannot create a test database ({exc}); using {server} itself.")
                url, can_split = server, False
            tmp = cleanup.enter_context(tempfile.TemporaryDirectory(prefix="ocop-pg-"))
            runs.append(Run("PostgreSQL", url, f"{how}, {browser_note}", tmp, pytest_args, can_split))

        overlapped = overlapped and len(runs) > 1
        if overlapped:
            _say(f"{' and '.join(run.name for run in runs)} runs side by side; the output of each follows when it ends")
            for run in runs:
                run.start(overlapped=True, workers=_workers(args, len(runs)))
            results = [run.wait() for run in runs]
        else:
            results = []
            for run in runs:
                run.start(overlapped=False, workers=_workers(args, 1))
                results.append(run.wait())
        ran = [Outcome(run.name, run.url, "passed" if ok else "failed", run.seconds) for run, ok in zip(runs, results)]
        outcomes = ran + outcomes

    print("\n=== Test summary")
    for outcome in outcomes:
        took = _minutes(outcome.seconds) if outcome.status != "not run" else ""
        print(f"  {outcome.name:<11} {outcome.status:<8} {took:>7}  {outcome.detail}")
    print(f"  {'Browser':<11} {'run' if browser else 'not run':<8} {'':>7}  "
          f"{'Chromium ' + CHROMIUM if browser else browser_note}")
    how_run = "side by side" if overlapped else "one after the other" if len(runs) > 1 else ""
    print(f"  {'Total':<11} {'':<8} {_minutes(time.monotonic() - begun):>7}  {how_run}".rstrip())

    failed = any(o.status == "failed" for o in outcomes)
    missing = [o.name for o in outcomes if o.status == "not run"] + ([] if browser else ["browser tests"])
    if CI and missing:
        print(f"CI=true: {', '.join(missing)} must run; failing.")
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
