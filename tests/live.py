"""A real server for tests that need true concurrency or a browser: `events-app serve` in a
subprocess, on the test database, with several worker processes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 60  # generous: two cores may be busy with a second test run
# Asks the server if it is up, past any proxy; urllib, as an httpx client loads the CA bundle each time.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """`events-app serve` on the test database (already migrated), with the environment of the
    moment it starts."""

    def __init__(self, workers: int = 2, environment: dict[str, str] | None = None) -> None:
        self.workers = workers
        self.environment = environment or {}  # over the defaults below: PUBLIC_URL shared by two servers
        self.url = ""
        self._process: subprocess.Popen | None = None
        self._log = None

    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def worker_ids(self) -> list[int]:
        """The process ids of the server's workers."""
        return worker_pids(self._process.pid) if self.running() else []

    def start(self) -> str:
        port = free_port()
        env = {
            **os.environ,
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "DATABASE_POOL_SIZE": "4",
            "PUBLIC_URL": f"http://127.0.0.1:{port}",
            **self.environment,
        }
        self._log = log = open(Path(os.environ.get("DATA_DIR", "/tmp")) / f"live-{port}.log", "w")
        self._process = process = subprocess.Popen(
            # No job worker: a test's own worker takes the catalogue jobs it makes, and a live
            # server kept for the session must not take the next tests' jobs.
            [sys.executable, "-m", "events_app", "serve", "--no-migrate", "--no-job-worker", "--workers", str(self.workers)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,  # a process group: stopping it stops the workers' own children too
        )
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                with _DIRECT.open(f"{self.url}/healthz", timeout=1) as response:
                    if response.status == 200:
                        return self.url
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                tail = "".join(Path(log.name).read_text(errors="replace").splitlines(keepends=True)[-30:])
                self.stop()
                raise RuntimeError(f"server did not start in {STARTUP_SECONDS} s ({log.name}):\n{tail}")
            time.sleep(0.1)

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            _signal_group(process, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
            _signal_group(process, signal.SIGKILL)  # whatever is left, such as PDF workers
            process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None


def children(pid: int) -> list[int]:
    """The processes `pid` started that still run (not yet reaped zombies left out)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except FileNotFoundError:
            pass
    return [child for child in found if _state(child) not in ("Z", "")]


def worker_pids(pid: int) -> list[int]:
    """The worker processes a server started as `events-app serve --workers N` (process `pid`)
    supervises: its children but multiprocessing's resource tracker."""
    workers = []
    for child in children(pid):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except FileNotFoundError:
            continue
        if b"resource_tracker" not in command:
            workers.append(child)
    return workers


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return ""


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass


@contextmanager
def live_server(workers: int = 2, environment: dict[str, str] | None = None) -> Iterator[str]:
    """Serve the app and yield its base URL; stop it afterwards."""
    server = LiveServer(workers, environment)
    try:
        yield server.start()
    finally:
        server.stop()


@contextmanager
def running_server(workers: int = 2, environment: dict[str, str] | None = None) -> Iterator[LiveServer]:
    """As live_server, yielding the running server itself (its `url`, its `worker_ids()`)."""
    server = LiveServer(workers, environment)
    try:
        server.start()
        yield server
    finally:
        server.stop()
