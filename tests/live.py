"""A real server for tests that need true concurrency or a browser: `events-app serve` in a
subprocess, on the test database, with several worker processes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def live_server(workers: int = 2) -> Iterator[str]:
    """Serve the app (already migrated) and yield its base URL; stop it afterwards."""
    port = free_port()
    env = {
        **os.environ,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "DATABASE_POOL_SIZE": "4",
        "PUBLIC_URL": f"http://127.0.0.1:{port}",
    }
    log = open(Path(os.environ.get("DATA_DIR", "/tmp")) / f"live-{port}.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "events_app", "serve", "--no-migrate", "--workers", str(workers)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start: see {log.name}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
