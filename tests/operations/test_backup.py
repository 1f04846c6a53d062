"""`events-app backup` and `events-app restore`: a round trip of the demo data through a backup,
compared table by table and row by row, with the media folder; and the files a restore refuses."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from events_app.core.settings import Settings
from events_app.operations.backup import (
    BackupError, check_restorable, find_pg_tool, make_backup, pg_connection, read_manifest,
)
from tests.databases import admin, create_database, database_name, drop_databases, maintenance_url

ROOT = Path(__file__).resolve().parents[2]
URL = os.environ["DATABASE_URL"]
ON_POSTGRES = URL.startswith("postgres")


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k != "PYTEST_XDIST_WORKER"} | env
    return subprocess.run([sys.executable, "-m", "events_app", *args], cwd=ROOT, env=full, capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL)


def _ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


# Every table, every row: read straight from the database with its own driver.

def _sqlite_rows(url: str) -> dict[str, list[str]]:
    connection = sqlite3.connect(url.removeprefix("sqlite:///"))
    try:
        names = [n for (n,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {name: sorted(repr(tuple(row)) for row in connection.execute(f'SELECT * FROM "{name}"')) for name in names}
    finally:
        connection.close()


async def _postgres_rows(url: str) -> dict[str, list[str]]:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        names = [r["tablename"] for r in await connection.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")]
        return {name: sorted(repr(tuple(r.values())) for r in await connection.fetch(f'SELECT * FROM "{name}"'))
                for name in names}
    finally:
        await connection.close()


def _rows(url: str) -> dict[str, list[str]]:
    return asyncio.run(_postgres_rows(url)) if url.startswith("postgres") else _sqlite_rows(url)


def _media(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _change_everything(url: str) -> None:
    """One row gone from every table that has rows, whatever the foreign keys say, and names changed."""
    if url.startswith("postgres"):
        async def change() -> None:
            import asyncpg

            connection = await asyncpg.connect(url)
            try:
                await connection.execute("SET session_replication_role = replica")  # no foreign-key triggers
                for row in await connection.fetch("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"):
                    name = row["tablename"]
                    await connection.execute(f'DELETE FROM "{name}" WHERE ctid IN (SELECT ctid FROM "{name}" LIMIT 1)')
                await connection.execute("UPDATE product SET name = name || ' (changed)'")
                await connection.execute("CREATE TABLE made_after_the_backup (id int)")  # as a later migration would
            finally:
                await connection.close()

        asyncio.run(change())
        return
    connection = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    try:
        virtual = [n for (n,) in connection.execute("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'")]
        for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchall():
            if any(name.startswith(f"{table}_") for table in virtual):
                continue  # a full-text index's own tables change with it
            keys = [row[1] for row in connection.execute(f'PRAGMA table_info("{name}")') if row[5]] or ["rowid"]
            columns = ", ".join(f'"{key}"' if key != "rowid" else key for key in keys)
            connection.execute(f'DELETE FROM "{name}" WHERE ({columns}) IN (SELECT {columns} FROM "{name}" LIMIT 1)')
        connection.execute("UPDATE product SET name = name || ' (changed)'")
        connection.execute("CREATE TABLE made_after_the_backup (id int)")  # as a later migration would
    finally:
        connection.close()


@pytest.fixture
def scratch_url(tmp_path: Path):
    """A database of the test's own engine, empty, for the commands to fill."""
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path / 'round-trip.sqlite3'}"
        return
    name = f"{database_name(URL)}_round_trip"
    yield asyncio.run(create_database(maintenance_url(URL), name))
    asyncio.run(drop_databases(maintenance_url(URL), name))


def test_round_trip_restores_every_table_row_by_row_and_the_media_folder(tmp_path: Path, scratch_url: str):
    from piccolo.conf.apps import Finder

    data_dir = tmp_path / "site"
    env = {"DATABASE_URL": scratch_url, "DATA_DIR": str(data_dir), "SECRET_KEY": "round-trip"}
    _ok(_cli(env, "demo"))
    before, media_before = _rows(scratch_url), _media(data_dir / "media")
    app_tables = {table._meta.tablename for table in Finder().get_table_classes()}
    assert app_tables <= set(before) and sum(map(len, before.values())) > 300
    assert len(media_before) >= 3  # the demo's product photos

    backup = tmp_path / "ocop.tar.gz"
    said = _ok(_cli(env, "backup", str(backup)))
    assert f"{len(before)} tables, {sum(map(len, before.values())):,} rows; {len(media_before)} media files" in said
    assert backup.stat().st_mode & 0o777 == 0o600  # it holds password hashes
    manifest = read_manifest(backup)
    assert manifest.engine == ("postgresql" if ON_POSTGRES else "sqlite")
    assert manifest.tables == {name: len(rows) for name, rows in before.items()}

    _change_everything(scratch_url)
    photo = sorted(media_before)[0]
    (data_dir / "media" / photo).unlink()
    (data_dir / "media" / "products" / "stray.jpg").write_bytes(b"not in the backup")
    changed = _rows(scratch_url)
    assert "made_after_the_backup" in changed
    unchanged = [name for name, rows in before.items() if rows and changed[name] == rows]
    assert len(unchanged) <= 5, unchanged  # at most a full-text index's own tables, which change with it

    refused = _cli(env, "restore", str(backup))  # no --yes, nobody to say yes
    assert refused.returncode == 1 and "Replace the data?" in refused.stdout and "Aborted" in refused.stderr
    assert _rows(scratch_url) == changed

    said = _ok(_cli(env, "restore", "--yes", str(backup)))
    assert f"Restored {backup}." in said
    after = _rows(scratch_url)
    for name in before:
        assert after[name] == before[name], name
    assert set(after) == set(before)
    assert _media(data_dir / "media") == media_before

    # Without the media folder: a restore leaves the folder as it is.
    slim = tmp_path / "ocop.tar"
    assert "no media files (--no-media)" in _ok(_cli(env, "backup", "--no-media", str(slim)))
    with tarfile.open(slim) as archive:
        assert not [name for name in archive.getnames() if name.startswith("media/")]
    (data_dir / "media" / "kept.jpg").write_bytes(b"kept")
    assert "the backup holds no media" in _ok(_cli(env, "restore", "--yes", str(slim)))
    assert (data_dir / "media" / "kept.jpg").read_bytes() == b"kept"
    assert _rows(scratch_url) == before


def test_a_sqlite_backup_taken_while_another_process_writes_is_a_consistent_snapshot(tmp_path: Path):
    """Rows go in two at a time, in one transaction; every backup holds whole transactions only."""
    database = tmp_path / "busy.sqlite3"
    setup = sqlite3.connect(database)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE pair (id INTEGER PRIMARY KEY, half INTEGER NOT NULL)")
    setup.close()
    writer = subprocess.Popen([sys.executable, "-c", (
        "import sqlite3, sys, time\n"
        f"c = sqlite3.connect({str(database)!r}, timeout=30, isolation_level=None)\n"
        "end = time.monotonic() + 3\n"
        "while time.monotonic() < end:\n"
        "    c.execute('BEGIN IMMEDIATE'); c.execute('INSERT INTO pair (half) VALUES (0)')\n"
        "    c.execute('INSERT INTO pair (half) VALUES (1)'); c.execute('COMMIT')\n"
    )])
    settings = _settings(tmp_path, f"sqlite:///{database}")
    counts = []
    try:
        reader = sqlite3.connect(database)
        while not reader.execute("SELECT count(*) FROM pair").fetchone()[0] and writer.poll() is None:
            time.sleep(0.02)  # the writer has started
        reader.close()
        for attempt in range(5):
            time.sleep(0.1)
            backup = tmp_path / f"busy-{attempt}.tar"
            manifest = asyncio.run(make_backup(settings, backup, media=False))
            with tarfile.open(backup) as archive:
                archive.extract("database.sqlite3", tmp_path / f"copy-{attempt}", filter="data")
            copy = sqlite3.connect(tmp_path / f"copy-{attempt}" / "database.sqlite3")
            assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            rows = copy.execute("SELECT count(*), coalesce(sum(half), 0) FROM pair").fetchone()
            copy.close()
            assert rows[0] % 2 == 0 and rows[1] * 2 == rows[0] == manifest.tables["pair"]
            counts.append(rows[0])
    finally:
        writer.wait(timeout=30)
    assert writer.returncode == 0 and counts == sorted(counts) and len(set(counts)) > 1, counts  # taken as it wrote


# Files a restore refuses, before it asks anything.

def _settings(tmp_path: Path, url: str) -> Settings:
    return Settings.from_env({"DATABASE_URL": url, "DATA_DIR": str(tmp_path), "SECRET_KEY": "x"})


def _archive(path: Path, manifest: dict | None, *members: tuple[str, bytes]) -> Path:
    with tarfile.open(path, "w") as archive:
        entries = ([("manifest.json", json.dumps(manifest).encode())] if manifest is not None else []) + list(members)
        for name, content in entries:
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return path


MANIFEST = {"format": "ocop-fair-manager-backup", "version": 1, "engine": "sqlite", "created": "2026-12-01T08:00:00+00:00",
            "tables": {"product": 3}, "migrations": [], "media": False}


def test_a_backup_of_the_other_engine_is_refused_by_name(tmp_path: Path):
    sqlite_backup = _archive(tmp_path / "a.tar", MANIFEST, ("database.sqlite3", b""))
    postgres_backup = _archive(tmp_path / "b.tar", MANIFEST | {"engine": "postgresql"}, ("database.pgdump", b""))
    with pytest.raises(BackupError, match="holds a SQLite database, and this set-up uses PostgreSQL"):
        check_restorable(read_manifest(sqlite_backup), _settings(tmp_path, "postgresql://app@db/ocop"), sqlite_backup)
    with pytest.raises(BackupError, match="holds a PostgreSQL database, and this set-up uses SQLite"):
        check_restorable(read_manifest(postgres_backup), _settings(tmp_path, f"sqlite:///{tmp_path}/x.sqlite3"),
                         postgres_backup)


def test_files_that_are_no_backup_are_named_for_what_they_are(tmp_path: Path):
    database = tmp_path / "events.sqlite3"
    sqlite3.connect(database).execute("CREATE TABLE t (a)").connection.close()
    dump = tmp_path / "ocop.dump"
    dump.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 64)
    text = tmp_path / "notes.txt"
    text.write_text("not a backup")
    cases = [
        (database, "is a SQLite database file, not a backup made by `events-app backup`"),
        (dump, "is a pg_dump archive, not a backup made by `events-app backup`"),
        (text, "is not a backup made by `events-app backup`"),
        (_archive(tmp_path / "plain.tar", None, ("database.sqlite3", b"")), "is not a backup made by"),
        (_archive(tmp_path / "other.tar", {"format": "something-else"}), "is not a backup made by"),
        (_archive(tmp_path / "newer.tar", MANIFEST | {"version": 2}), "made by a newer version of OCOP Fair Manager"),
        (_archive(tmp_path / "damaged.tar", MANIFEST | {"tables": "many"}), "has a damaged manifest"),
    ]
    for path, message in cases:
        with pytest.raises(BackupError, match=message.replace("`", ".").replace("(", ".")):
            read_manifest(path)


def test_restore_names_a_file_of_the_other_engine_in_one_line(tmp_path: Path):
    other = MANIFEST | {"engine": "sqlite" if ON_POSTGRES else "postgresql"}
    backup = _archive(tmp_path / "other.tar", other, ("database.pgdump", b""))
    result = _cli({"DATA_DIR": str(tmp_path)}, "restore", "--yes", str(backup))
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert "a backup restores into the engine it was made from" in result.stderr


def test_the_password_goes_to_the_environment_not_the_command_line():
    uri, env = pg_connection("postgresql://ocop:p%40ss%3Aw0rd@db.example:6543/ocop?sslmode=require")
    assert uri == "postgresql://ocop@db.example:6543/ocop?sslmode=require"
    assert env["PGPASSWORD"] == "p@ss:w0rd"
    assert pg_connection("postgres://db.example/ocop") [0] == "postgresql://db.example/ocop"


def test_client_tools_of_the_server_version_or_a_clear_message():
    with pytest.raises(BackupError, match="postgresql-client-99"):
        find_pg_tool("pg_dump", 99)
    if ON_POSTGRES:
        version = asyncio.run(admin(URL, "SHOW server_version_num"))[0][0][0]
        tool = find_pg_tool("pg_dump", int(version) // 10000)
        out = subprocess.run([tool, "--version"], capture_output=True, text=True).stdout
        assert f" {int(version) // 10000}." in out
