"""`events-app backup` and `events-app restore`: the database and the media folder in one file.

A backup is a tar archive (gzip-compressed when its name ends in .gz or .tgz) of:
- `manifest.json`: what it holds (engine, when, rows per table, migrations run, media files);
- `database.sqlite3`, a copy made with SQLite's online backup API (a consistent snapshot taken
  while the app serves; WAL readers and writers go on), or `database.pgdump`, made by
  `pg_dump -Fc` (`tar -xf FILE database.pgdump` gives a file pg_restore reads by itself);
- `media/…`, the uploaded and demo photos, unless made with --no-media.
The secret key is left out on purpose: a backup holds password hashes but no key to forge sessions.

A restore replaces the data: on SQLite through the backup API into the live file (other
connections see the new data at their next statement); on PostgreSQL with
`pg_restore --clean --if-exists --single-transaction` (all or nothing), after dropping the tables
the backup does not have (made by a later migration). A backup restores into the engine it was made from.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit, urlunsplit

from events_app import __version__
from events_app.core.clock import now
from events_app.core.settings import Settings

FORMAT = "ocop-fair-manager-backup"
VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PGDUMP_MEMBER = "database.pgdump"
MEDIA = "media"


class BackupError(Exception):
    """A backup that cannot be made or restored; the message says why, in one line."""


@dataclass
class Manifest:
    engine: str  # "sqlite" or "postgresql"
    created: str
    app_version: str
    tables: dict[str, int]
    migrations: list[tuple[str, str]]
    media: bool
    media_files: int = 0
    media_bytes: int = 0
    server_version: str = ""

    @property
    def rows(self) -> int:
        return sum(self.tables.values())

    def to_json(self) -> bytes:
        return json.dumps({
            "format": FORMAT, "version": VERSION, "engine": self.engine, "created": self.created,
            "app_version": self.app_version, "server_version": self.server_version, "tables": self.tables,
            "migrations": [list(item) for item in self.migrations], "media": self.media,
            "media_files": self.media_files, "media_bytes": self.media_bytes,
        }, ensure_ascii=False, indent=1).encode()


def engine_name(settings: Settings) -> str:
    return "postgresql" if settings.is_postgres else "sqlite"


def _engine_words(engine: str) -> str:
    return {"postgresql": "PostgreSQL", "sqlite": "SQLite"}.get(engine, engine)


# The tables and what every backup records about them, asked of the database itself, so that a
# table added by any domain is in the backup without being named here.

def sqlite_tables(connection: sqlite3.Connection) -> list[str]:
    rows = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    return [name for (name,) in rows]


def _sqlite_facts(path: Path) -> tuple[dict[str, int], list[tuple[str, str]]]:
    connection = sqlite3.connect(path)
    try:
        tables = {name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
                  for name in sqlite_tables(connection)}
        migrations = []
        if "migration" in tables:
            migrations = [tuple(row) for row in connection.execute("SELECT app_name, name FROM migration ORDER BY id")]
        return tables, migrations
    finally:
        connection.close()


async def _postgres_facts() -> tuple[dict[str, int], list[tuple[str, str]], int]:
    from piccolo.querystring import QueryString

    from events_app.core.db import engine

    db = engine()
    names = [row["tablename"] for row in await db.run_querystring(QueryString(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"))]
    tables = {}
    for name in names:
        tables[name] = (await db.run_querystring(QueryString(f'SELECT count(*) AS n FROM "{name}"')))[0]["n"]
    migrations = []
    if "migration" in tables:
        migrations = [(row["app_name"], row["name"]) for row in await db.run_querystring(
            QueryString("SELECT app_name, name FROM migration ORDER BY id"))]
    version = (await db.run_querystring(QueryString("SHOW server_version_num")))[0]["server_version_num"]
    return tables, migrations, int(version)


# PostgreSQL's own tools, of the server's major version (pg_dump refuses a newer server, and an
# archive of a newer pg_dump is refused by an older pg_restore).

def _tool_major(path: str) -> int | None:
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"PostgreSQL\)?\s+(\d+)", out)  # "pg_dump (PostgreSQL) 15.20 (Debian …)"
    return int(found.group(1)) if found else None


def find_pg_tool(name: str, server_major: int) -> str:
    """The path of `name` (pg_dump, pg_restore) for a server of `server_major`: the same major
    version if installed, else the nearest newer one."""
    candidates = []
    on_path = shutil.which(name)
    if on_path:
        candidates.append(on_path)
    candidates += sorted(str(p) for p in Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    candidates += sorted(str(p) for p in Path("/usr/local/pgsql/bin").glob(name))
    found: dict[int, str] = {}
    for candidate in dict.fromkeys(candidates):
        major = _tool_major(candidate)
        if major is not None:
            found.setdefault(major, candidate)
    usable = sorted(major for major in found if major >= server_major)
    if usable:
        return found[usable[0]]
    if not found:
        raise BackupError(f"{name} is not installed: install the PostgreSQL {server_major} client tools "
                          f"(Debian: apt-get install postgresql-client-{server_major})")
    have = ", ".join(str(major) for major in sorted(found))
    raise BackupError(f"{name} {have} cannot work with the PostgreSQL {server_major} server: install "
                      f"postgresql-client-{server_major}")


def pg_connection(database_url: str) -> tuple[str, dict[str, str]]:
    """(connection URI without its password, environment) for libpq tools: the password goes in
    PGPASSWORD, never on a command line that other users of the machine can read."""
    parts = urlsplit(database_url)
    netloc = parts.netloc
    password = None
    if "@" in netloc:
        credentials, hosts = netloc.rsplit("@", 1)
        user, _, secret = credentials.partition(":")
        password = unquote(secret) if secret else None
        netloc = f"{user}@{hosts}" if user else hosts
    uri = urlunsplit(("postgresql", netloc, parts.path, parts.query, ""))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    if password is not None:
        env["PGPASSWORD"] = password
    return uri, env


def _run_tool(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if result.returncode != 0:
        message = " ".join(line.strip() for line in result.stderr.strip().splitlines()[-3:]) or f"exit code {result.returncode}"
        raise BackupError(f"{what} failed: {message}")


# Media: every regular file under the media folder, by its relative path.

def _media_files(media_dir: Path) -> list[tuple[Path, int]]:
    """(path, size) of each file; one removed while the folder is walked is left out."""
    if not media_dir.is_dir():
        return []
    found = []
    for path in sorted(media_dir.rglob("*")):
        try:
            if path.is_file() and not path.is_symlink():
                found.append((path, path.stat().st_size))
        except OSError:
            continue
    return found


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(now().timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(content))


def _write_mode(path: Path) -> str:
    return "w:gz" if path.name.endswith((".gz", ".tgz")) else "w"


async def make_backup(settings: Settings, target: Path, *, media: bool = True) -> Manifest:
    """Write the backup of the database (and the media folder) to `target`, atomically: a
    half-written file never takes the name."""
    target = target.resolve()
    if not target.parent.is_dir():
        raise BackupError(f"the folder {target.parent} does not exist")
    engine = engine_name(settings)
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=target.parent) as work:
        work_dir = Path(work)
        if engine == "sqlite":
            dump, member = work_dir / SQLITE_MEMBER, SQLITE_MEMBER
            _sqlite_snapshot(Path(settings.database_url.removeprefix("sqlite:///")), dump)
            tables, migrations = _sqlite_facts(dump)
            server = sqlite3.sqlite_version
        else:
            dump, member = work_dir / PGDUMP_MEMBER, PGDUMP_MEMBER
            tables, migrations, version_num = await _postgres_facts()
            tool = find_pg_tool("pg_dump", version_num // 10000)
            uri, env = pg_connection(settings.database_url)
            _run_tool([tool, "--format=custom", f"--file={dump}", f"--dbname={uri}"], env, "pg_dump")
            server = f"{version_num // 10000}.{version_num % 10000}"
        files = _media_files(settings.media_dir) if media else []
        manifest = Manifest(
            engine=engine, created=now().isoformat(timespec="seconds"),
            app_version=__version__, tables=tables, migrations=migrations, media=media,
            media_files=len(files), media_bytes=sum(size for _, size in files), server_version=server,
        )
        partial = work_dir / "backup.partial"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # it holds password hashes
        with os.fdopen(fd, "wb") as handle:
            with tarfile.open(fileobj=handle, mode=_write_mode(target)) as archive:
                _add_bytes(archive, MANIFEST, manifest.to_json())
                archive.add(dump, arcname=member, recursive=False)
                for path, _ in files:
                    try:
                        archive.add(path, arcname=f"{MEDIA}/{path.relative_to(settings.media_dir).as_posix()}",
                                    recursive=False)
                    except FileNotFoundError:  # removed since the folder was walked
                        continue
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, target)
    return manifest


def _sqlite_snapshot(source: Path, copy: Path) -> None:
    """A consistent copy of a live SQLite database, taken in one step of the backup API."""
    if not source.exists():
        raise BackupError(f"the SQLite database {source} does not exist: nothing to back up")
    from events_app.core.db import SQLITE_BUSY_TIMEOUT_SECONDS

    src = sqlite3.connect(source, timeout=SQLITE_BUSY_TIMEOUT_SECONDS)
    dst = sqlite3.connect(copy)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # the copy is one self-contained file
        if dst.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(f"the copy of {source} failed SQLite's integrity check")
    finally:
        dst.close()
        src.close()


# Reading a backup back.

def read_manifest(path: Path) -> Manifest:
    """What the backup at `path` holds; BackupError, naming what the file is, when it is none."""
    with open(path, "rb") as handle:
        head = handle.read(16)
    if head.startswith(b"SQLite format 3\x00"):
        raise BackupError(f"{path} is a SQLite database file, not a backup made by `events-app backup`")
    if head.startswith(b"PGDMP"):
        raise BackupError(f"{path} is a pg_dump archive, not a backup made by `events-app backup` "
                          "(pg_restore reads it by itself)")
    try:
        with tarfile.open(path, mode="r:*") as archive:
            first = archive.next()  # the manifest comes first
            data = None
            if first is not None and first.name == MANIFEST and first.isfile():
                data = json.loads(archive.extractfile(first).read())  # type: ignore[union-attr]
    except (tarfile.TarError, OSError, ValueError, EOFError):
        data = None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(f"{path} is not a backup made by `events-app backup`")
    if not isinstance(data.get("version"), int) or data["version"] > VERSION:
        raise BackupError(f"{path} was made by a newer version of OCOP Fair Manager (backup format "
                          f"{data.get('version')}); this one reads format {VERSION}")
    try:
        return Manifest(
            engine=str(data["engine"]), created=str(data["created"]), app_version=str(data.get("app_version", "")),
            tables={str(k): int(v) for k, v in data["tables"].items()},
            migrations=[(str(app), str(name)) for app, name in data["migrations"]], media=bool(data["media"]),
            media_files=int(data.get("media_files", 0)), media_bytes=int(data.get("media_bytes", 0)),
            server_version=str(data.get("server_version", "")),
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        raise BackupError(f"{path} has a damaged manifest: it is not a backup that can be restored") from None


def check_restorable(manifest: Manifest, settings: Settings, path: Path) -> None:
    here = engine_name(settings)
    if manifest.engine != here:
        raise BackupError(
            f"{path} holds a {_engine_words(manifest.engine)} database, and this set-up uses "
            f"{_engine_words(here)} (DATABASE_URL): a backup restores into the engine it was made from")


async def known_migrations() -> set[tuple[str, str]]:
    from piccolo.apps.migrations.commands.base import BaseMigrationManager

    manager = BaseMigrationManager()
    known = set()
    for module in manager.get_app_modules():
        config = module.APP_CONFIG
        for migration_id in manager.get_migration_ids(manager.get_migration_modules(config.resolved_migrations_folder_path)):
            known.add((config.app_name, migration_id))
    return known


async def migrations_against_code(manifest: Manifest) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(migrations of the backup this code does not know, migrations of this code the backup lacks)."""
    known = await known_migrations()
    held = set(manifest.migrations)
    return sorted(held - known), sorted(known - held)


def _safe_member(name: str) -> PurePosixPath | None:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        return None
    return path


async def restore_backup(settings: Settings, path: Path, manifest: Manifest) -> None:
    """Replace the database (and the media folder, when the backup holds it) with the backup's."""
    check_restorable(manifest, settings, path)
    media_dir = settings.media_dir.resolve()
    if settings.is_postgres:
        scratch_parent = None
    else:
        scratch_parent = Path(settings.database_url.removeprefix("sqlite:///")).resolve().parent
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=scratch_parent) as work:
        work_dir = Path(work)
        with tarfile.open(path, mode="r:*") as archive:
            member = SQLITE_MEMBER if manifest.engine == "sqlite" else PGDUMP_MEMBER
            try:
                archive.extract(member, work_dir, filter="data")
            except KeyError:
                raise BackupError(f"{path} lacks its database ({member})") from None
            media_new = None
            if manifest.media:
                media_dir.parent.mkdir(parents=True, exist_ok=True)
                media_new = Path(tempfile.mkdtemp(prefix=f".{media_dir.name}-restore-", dir=media_dir.parent))
                media_new.chmod(media_dir.stat().st_mode & 0o7777 if media_dir.exists() else 0o755)
                for info in archive:
                    if not info.name.startswith(f"{MEDIA}/") or not info.isfile():
                        continue
                    relative = _safe_member(info.name.removeprefix(f"{MEDIA}/"))
                    if relative is None:
                        continue
                    target = media_new / relative
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with archive.extractfile(info) as source, open(target, "wb") as out:  # type: ignore[union-attr]
                        shutil.copyfileobj(source, out)
        try:
            if manifest.engine == "sqlite":
                _sqlite_restore(work_dir / SQLITE_MEMBER, Path(settings.database_url.removeprefix("sqlite:///")))
            else:
                await _postgres_restore(work_dir / PGDUMP_MEMBER, settings, manifest)
        except BaseException:
            if media_new is not None:
                shutil.rmtree(media_new, ignore_errors=True)
            raise
        if media_new is not None:
            _swap_folder(media_new, media_dir)


def _sqlite_restore(copy: Path, database: Path) -> None:
    from events_app.core.db import SQLITE_BUSY_TIMEOUT_SECONDS

    src = sqlite3.connect(copy)
    try:
        if src.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError("the database in the backup failed SQLite's integrity check")
        dst = sqlite3.connect(database, timeout=SQLITE_BUSY_TIMEOUT_SECONDS)
        try:
            dst.execute("PRAGMA journal_mode=WAL")
            src.backup(dst)  # under the destination's write lock: readers see the old data, then the new
        except sqlite3.Error as exc:
            raise BackupError(f"restoring into {database} failed: {exc}") from exc
        finally:
            dst.close()
    finally:
        src.close()


async def _postgres_restore(dump: Path, settings: Settings, manifest: Manifest) -> None:
    from piccolo.querystring import QueryString

    from events_app.core.db import engine

    db = engine()
    version_num = int((await db.run_querystring(QueryString("SHOW server_version_num")))[0]["server_version_num"])
    tool = find_pg_tool("pg_restore", version_num // 10000)
    uri, env = pg_connection(settings.database_url)
    # pg_restore --clean drops what the dump holds; a table made since (by a later migration) would
    # stay, and the migrations run after the restore would then stumble on it.
    live = [row["tablename"] for row in await db.run_querystring(QueryString(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"))]
    extra = [name for name in live if name not in manifest.tables]
    if extra:
        await db.run_ddl("DROP TABLE IF EXISTS " + ", ".join(f'"{name}"' for name in extra) + " CASCADE")
    _run_tool([tool, "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
               f"--dbname={uri}", str(dump)], env, "pg_restore")


def _swap_folder(new: Path, current: Path) -> None:
    """Put the restored media folder in place of the current one."""
    if not current.exists():
        new.rename(current)
        return
    old = current.with_name(f".{current.name}-replaced-{os.getpid()}")
    try:
        current.rename(old)
    except OSError:  # a mount point, say: empty it and move the restored files in
        for entry in current.iterdir():
            shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
        for entry in new.iterdir():
            shutil.move(str(entry), current / entry.name)
        new.rmdir()
        return
    new.rename(current)
    shutil.rmtree(old, ignore_errors=True)
