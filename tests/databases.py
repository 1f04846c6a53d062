"""Throw-away test databases: where SQLite files go, and PostgreSQL databases made, copied and dropped."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def scratch_dir() -> str | None:
    """Where throw-away SQLite files go: memory when the machine has a tmpfs, so commits skip the disk."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


async def admin(url: str, *statements: str) -> list[list]:
    """Run statements, one after the other, on the database of `url`; the rows of each."""
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        return [await connection.fetch(statement) for statement in statements]
    finally:
        await connection.close()


def maintenance_url(url: str) -> str:
    """The server's own database, for creating and dropping others beside the one in `url`."""
    return with_database(url, "postgres")


async def create_database(server_url: str, name: str, template: str | None = None) -> str:
    """A new, empty or copied, database `name` on the server of `server_url`; its URL.

    Commits there need not wait for the disk: it is thrown away after the run.
    """
    import asyncpg

    copy = f' TEMPLATE "{template}"' if template else ""
    for attempt in range(50):
        try:
            await admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"{copy}')
            break
        except asyncpg.ObjectInUseError:  # the template's last connection is still closing
            if attempt == 49:
                raise
            await asyncio.sleep(0.1)
    await admin(server_url, f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    return with_database(server_url, name)


async def drop_databases(server_url: str, name: str) -> None:
    """Database `name` and the copies of it named `name_…`."""
    pattern = name.replace("_", r"\_") + r"\_%"
    rows = (await admin(server_url, f"SELECT datname FROM pg_database WHERE datname = '{name}' OR datname LIKE '{pattern}'"))[0]
    await admin(server_url, *(f'DROP DATABASE IF EXISTS "{row["datname"]}" WITH (FORCE)' for row in rows))
