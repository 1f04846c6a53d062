"""A DATABASE_URL that cannot be used, or a database that cannot be opened, stops every command
with one line naming the cause (no traceback, no warning), and a non-zero exit code."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.databases import with_database

ROOT = Path(__file__).resolve().parents[2]
URL = os.environ["DATABASE_URL"]
ON_POSTGRES = URL.startswith("postgres")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _cli(database_url: str, *args: str, data_dir: Path, read_only: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_XDIST_WORKER", "PYTHONWARNINGS")}
    env.update(DATABASE_URL=database_url, DATA_DIR=str(data_dir), SECRET_KEY="startup-test", PYTHONWARNINGS="default")
    command = [sys.executable, "-m", "events_app", *args]
    if read_only and os.geteuid() == 0:
        # Root writes into any folder whatever its mode: the folder is mounted read-only instead,
        # in a mount namespace of the command's own.
        mount = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'
        command = ["unshare", "--mount", "sh", "-c", mount, str(read_only), *command]
    elif read_only:
        read_only.chmod(0o555)
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def _assert_one_line(result: subprocess.CompletedProcess, *words: str) -> None:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode != 0, result
    assert len(lines) <= 2, result.stderr
    assert "Traceback" not in result.stderr and "never awaited" not in result.stderr, result.stderr
    for word in words:
        assert word in lines[-1], lines


def _as_user(url: str, user: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"{user}@{parts.netloc.rsplit('@', 1)[-1]}"))


BAD_URLS = [
    ("mysql://app:secret@db/ocop", ["DATABASE_URL must start with sqlite:///, postgres:// or postgresql://", "'mysql:'"]),
    ("sqlite://events.sqlite3", ["sqlite:/// (three slashes)"]),
    ("postgresql://app@127.0.0.1:port/ocop", ["port that is not a number"]),
    ("postgresql://app@127.0.0.1:{free}/ocop", ["not accepting connections at 127.0.0.1:{free}", "connection refused"]),
    ("sqlite:///{tmp}/missing/events.sqlite3", ["its folder {tmp}/missing does not exist"]),
    ("sqlite:////proc/ocop-events.sqlite3", ["cannot open the SQLite database /proc/ocop-events.sqlite3"]),
]
if ON_POSTGRES:
    BAD_URLS += [
        (with_database(URL, "no_such_ocop_db"), ['has no database "no_such_ocop_db"']),
        (_as_user(URL, "no_such_ocop_user"), ['refused user "no_such_ocop_user"']),
    ]


@pytest.mark.parametrize("url, words", BAD_URLS, ids=[u.split(":")[0] + str(i) for i, (u, _) in enumerate(BAD_URLS)])
def test_migrate_names_the_cause_in_one_line(tmp_path: Path, url: str, words: list[str]):
    free = _free_port()
    fill = {"free": free, "tmp": tmp_path}
    result = _cli(url.format(**fill), "migrate", data_dir=tmp_path)
    _assert_one_line(result, *(word.format(**fill) for word in words))
    assert "secret" not in result.stderr  # a password in the URL is not echoed


@pytest.mark.parametrize("command", [["serve", "--port", "1"], ["serve", "--no-migrate"], ["demo"], ["worker", "--once"],
                                     ["reminders"], ["backup", "/tmp/ocop-unreachable.tar"]])
def test_every_command_names_an_unreachable_database(tmp_path: Path, command: list[str]):
    free = _free_port()
    url = f"postgresql://postgres@127.0.0.1:{free}/ocop"
    _assert_one_line(_cli(url, *command, data_dir=tmp_path), f"127.0.0.1:{free}")


def test_a_read_only_folder_is_named(tmp_path: Path):
    folder = tmp_path / "read-only"
    folder.mkdir()
    result = _cli(f"sqlite:///{folder}/events.sqlite3", "migrate", data_dir=tmp_path, read_only=folder)
    folder.chmod(0o755)
    _assert_one_line(result, f"its folder {folder} is read-only")
    assert not (folder / "events.sqlite3").exists()


def test_a_missing_sqlite_folder_is_not_made(tmp_path: Path):
    """A mistyped path would otherwise start an empty database; the default data folder is made."""
    result = _cli(f"sqlite:///{tmp_path}/typo/events.sqlite3", "demo", data_dir=tmp_path)
    _assert_one_line(result, "does not exist")
    assert not (tmp_path / "typo").exists()
