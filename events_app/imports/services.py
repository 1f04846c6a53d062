"""Imports as staff run them: upload a file, say which column holds what, let the rows be checked
off the request, look at the preview, confirm. Only the staff member who uploaded a file sees it;
nothing is written until the confirmation, which writes every row in one transaction, and once.

The file and the rows read from it live under `<data_dir>/imports/<token>/`; the `ImportBatch`
row says whose it is and how far it has got. Uploads expire after `EXPIRY`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Coroutine

from events_app.core.clock import now
from events_app.core.db import for_update, is_integrity_error, write_transaction
from events_app.core.errors import Conflict, DomainError, NotFound, ValidationError
from events_app.core.i18n import N_
from events_app.core.pagination import Page
from events_app.imports import checking, reading, writing
from events_app.imports import columns as c
from events_app.imports.checking import ERROR, REPEAT, Plan, Row
from events_app.imports.columns import Kind
from events_app.imports.reading import FileRefused
from events_app.imports.tables import BatchStatus, ImportBatch

log = logging.getLogger("events_app.imports")

EXPIRY = dt.timedelta(hours=24)
# A check that has not reported for this long was interrupted (its server restarted).
STALLED = dt.timedelta(minutes=2)
PROGRESS_EVERY = 0.5  # seconds between two reports of the rows read
ISSUES_PER_PAGE = 50
GONE = N_("This import does not exist, or has expired. Please upload the file again.")


def batch_dir(data_dir: Path, token: str) -> Path:
    return data_dir / "imports" / token


def _source(data_dir: Path, batch: dict) -> Path:
    return batch_dir(data_dir, batch["token"]) / f"source.{batch['file_format']}"


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def mapping_of(batch: dict) -> dict[int, str]:
    return {int(position): key for position, key in json.loads(batch["mapping"]).items()}


def failure_of(batch: dict) -> DomainError | None:
    if batch["status"] == BatchStatus.checking and now() - batch["updated_at"] > STALLED:
        return DomainError(N_("The check of this file was interrupted. Please upload the file again."))
    if not batch["failure"]:
        return None
    message, params = json.loads(batch["failure"])
    return DomainError(message, **params)


# Uploading ----------------------------------------------------------------------------------------

async def upload(kind: Kind, filename: str, content: bytes, *, owner_id: int, data_dir: Path) -> dict:
    """Keep an uploaded file and read its header row; returns the new batch (token, mapping…)."""
    await remove_expired(data_dir)
    fmt = reading.file_format(filename)
    if not content:
        raise FileRefused(N_("The file is empty."))
    if len(content) > reading.MAX_BYTES:
        raise FileRefused(N_("The file is larger than %(n)d MB."), n=reading.MAX_BYTES // (1024 * 1024))
    token = secrets.token_urlsafe(24)
    folder = batch_dir(data_dir, token)
    folder.mkdir(parents=True)
    source = folder / f"source.{fmt}"
    try:
        source.write_bytes(content)
        headers = await asyncio.to_thread(reading.read_headers, source, fmt)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    mapping = c.guess_mapping(kind, headers)
    await ImportBatch.insert(ImportBatch(
        token=token, kind=kind.value, owner=owner_id, filename=Path(filename).name[:200], file_format=fmt,
        headers=_dumps(headers), mapping=_dumps(mapping),
    ))
    batch = await _batch(token, owner_id)
    if c.is_template_layout(kind, headers, mapping):
        await start_check(batch, mapping, data_dir)  # nothing to choose: straight to the check
    return await _batch(token, owner_id)


async def _batch(token: str, owner_id: int) -> dict:
    row = await ImportBatch.select().where((ImportBatch.token == token) & (ImportBatch.owner == owner_id)).first()
    if row is None or now() - row["created_at"] > EXPIRY:
        raise NotFound(GONE)
    return row


async def get_batch(token: str, owner_id: int) -> dict:
    """The batch of this token, if it is the staff member's own and not expired; NotFound otherwise."""
    batch = await _batch(token, owner_id)
    batch["kind"] = Kind(batch["kind"])
    return batch


async def remove_expired(data_dir: Path) -> int:
    """Forget uploads older than EXPIRY, with their files; and folders no batch names any more."""
    cutoff = now() - EXPIRY
    old = await ImportBatch.select(ImportBatch.token).where(ImportBatch.created_at < cutoff).output(as_list=True)
    if old:
        await ImportBatch.delete().where(ImportBatch.token.is_in(old))
    for token in old:
        shutil.rmtree(batch_dir(data_dir, token), ignore_errors=True)
    return len(old)


# Mapping and checking -----------------------------------------------------------------------------

def mapping_errors(kind: Kind, mapping: dict[int, str]) -> dict[str, DomainError]:
    errors: dict[str, DomainError] = {}
    keys = list(mapping.values())
    for key in dict.fromkeys(k for k in keys if keys.count(k) > 1):
        errors[key] = DomainError(N_("Only one column of the file can hold “%(column)s”."), column=c.column(kind, key).header)
    for spec in c.missing_required(kind, mapping):
        errors[spec.key] = DomainError(N_("Choose the column of the file that holds “%(column)s”."), column=spec.header)
    return errors


async def choose_mapping(token: str, owner_id: int, mapping: dict[int, str], data_dir: Path) -> None:
    batch = await get_batch(token, owner_id)
    if batch["status"] not in (BatchStatus.mapping, BatchStatus.ready):
        raise Conflict(N_("This file is being checked or has been imported already."))
    if errors := mapping_errors(batch["kind"], mapping):
        raise ValidationError(errors)
    await start_check(batch, mapping, data_dir)


_running: set[asyncio.Task] = set()


def _in_background(work: Coroutine) -> asyncio.Task:
    task = asyncio.get_running_loop().create_task(work)
    _running.add(task)
    task.add_done_callback(_running.discard)
    return task


async def settle() -> None:
    """Wait for the checks running in this process (tests; a shutdown)."""
    while _running:
        await asyncio.gather(*list(_running), return_exceptions=True)


async def start_check(batch: dict, mapping: dict[int, str], data_dir: Path) -> None:
    await ImportBatch.update({
        ImportBatch.status: BatchStatus.checking, ImportBatch.mapping: _dumps(mapping), ImportBatch.rows_read: 0,
        ImportBatch.failure: "", ImportBatch.updated_at: now(),
    }).where(ImportBatch.id == batch["id"])
    _in_background(_check(batch, mapping, data_dir))


class Progress:
    """Rows read so far, counted by the reading thread and reported by the loop."""

    def __init__(self) -> None:
        self.read = 0
        self.total: int | None = None


def read_file(kind: Kind, source: Path, fmt: str, mapping: dict[int, str], ref: checking.Reference,
              progress: Progress | None = None) -> list[Row]:
    """Every row of the file read and checked (in a thread: it takes seconds for a large file)."""
    progress = progress or Progress()
    sheet = reading.open_sheet(source, fmt)
    progress.total = sheet.total
    rows = []
    for row in checking.read_rows(kind, mapping, sheet.rows, ref):
        rows.append(row)
        progress.read += 1
    if not rows:
        raise FileRefused(N_("The file has a header row but no rows of data."))
    return rows


def _save_rows(folder: Path, rows: list[Row]) -> None:
    partial = folder / "rows.json.tmp"
    partial.write_text(json.dumps([row.to_json() for row in rows], ensure_ascii=False), encoding="utf-8")
    partial.replace(folder / "rows.json")


def _load_rows(folder: Path) -> list[Row]:
    return [Row.from_json(item) for item in json.loads((folder / "rows.json").read_text(encoding="utf-8"))]


def plan_issues(plan: Plan) -> list[list]:
    """What keeps rows out of the import: errors, and rows repeating an earlier one."""
    out = []
    for planned in plan.rows:
        if planned.action == ERROR:
            out += [[planned.row.number, key, message, params] for key, message, params in planned.row.errors]
        elif planned.action == REPEAT and planned.note:
            out.append([planned.row.number, "", planned.note[0], planned.note[1]])
    return out


async def _check(batch: dict, mapping: dict[int, str], data_dir: Path) -> None:
    kind = Kind(batch["kind"])
    folder = batch_dir(data_dir, batch["token"])
    progress = Progress()
    try:
        ref = await writing.load_reference()
        reader = asyncio.ensure_future(asyncio.to_thread(
            read_file, kind, _source(data_dir, batch), batch["file_format"], mapping, ref, progress))
        while not reader.done():
            await asyncio.wait({reader}, timeout=PROGRESS_EVERY)
            await ImportBatch.update({ImportBatch.rows_read: progress.read, ImportBatch.rows_total: progress.total,
                                      ImportBatch.updated_at: now()}).where(ImportBatch.id == batch["id"])
        rows = reader.result()
        existing = await writing.load_existing(kind)
        plan = checking.plan(kind, rows, existing, checking.UPDATE, ref)
        issues = plan_issues(plan)
        await asyncio.to_thread(_save_rows, folder, rows)
        (folder / "issues.json").write_text(_dumps(issues), encoding="utf-8")
        await ImportBatch.update({
            ImportBatch.status: BatchStatus.ready, ImportBatch.rows_read: len(rows), ImportBatch.rows_total: len(rows),
            ImportBatch.summary: _dumps(plan.counts()), ImportBatch.updated_at: now(),
        }).where(ImportBatch.id == batch["id"])
    except DomainError as exc:
        await _fail(batch["id"], exc)
    except Exception as exc:  # never a check that spins for ever: say it failed, and log why
        log.exception("Checking import %s failed", batch["token"], exc_info=exc)
        await _fail(batch["id"], DomainError(N_("This file could not be checked. Please check it opens in a "
                                                "spreadsheet, and upload it again.")))


async def _fail(batch_id: int, exc: DomainError) -> None:
    await ImportBatch.update({
        ImportBatch.status: BatchStatus.failed, ImportBatch.failure: _dumps([exc.message, exc.params]),
        ImportBatch.updated_at: now(),
    }).where(ImportBatch.id == batch_id)


# Preview and confirmation ---------------------------------------------------------------------------

@dataclass
class Issue:
    row: int
    column: str  # the column's header, "" for the row as a whole
    message: str  # translated when shown
    params: dict

    def text(self) -> str:
        return str(DomainError(self.message, **self.params))


def issues_page(batch: dict, data_dir: Path, number: int) -> Page:
    path = batch_dir(data_dir, batch["token"]) / "issues.json"
    issues = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
    total = len(issues)
    last = max(1, -(-total // ISSUES_PER_PAGE))
    number = min(max(1, number), last)
    headers = {spec.key: spec.header for spec in c.COLUMNS[Kind(batch["kind"])]}
    shown = issues[(number - 1) * ISSUES_PER_PAGE: number * ISSUES_PER_PAGE]
    items = [Issue(row, headers.get(key, ""), message, params) for row, key, message, params in shown]
    return Page(items=items, number=number, per_page=ISSUES_PER_PAGE, total=total)


async def confirm(token: str, owner_id: int, policy: str, *, valid_only: bool, data_dir: Path, ip: str = "") -> dict:
    """Import the checked rows, once: the batch is locked and marked done in the same transaction as
    the rows, so a second confirmation (a double click, another tab) finds it done and writes nothing.
    Returns the counts of what was imported."""
    batch = await get_batch(token, owner_id)
    if policy not in checking.POLICIES:
        raise DomainError(N_("Choose whether rows already in the directory are updated or skipped."))
    try:
        counts = await _confirm_once(batch, policy, valid_only, data_dir, ip)
    except Exception as exc:
        if not is_integrity_error(exc):
            raise
        # A row another request saved meanwhile clashes with one of the file's (the same slug, say):
        # the whole import was rolled back.
        raise Conflict(N_("Another change to the directory was saved while importing, so nothing was imported. "
                          "Please confirm again.")) from exc
    shutil.rmtree(batch_dir(data_dir, token), ignore_errors=True)  # the rows are in the directory now
    return counts


async def _confirm_once(batch: dict, policy: str, valid_only: bool, data_dir: Path, ip: str) -> dict:
    token, owner_id = batch["token"], batch["owner"]
    async with write_transaction():
        row = await for_update(ImportBatch.select().where(ImportBatch.id == batch["id"])).first()
        if row is None:
            raise NotFound(GONE)
        if row["status"] == BatchStatus.done:
            return json.loads(row["summary"])
        if row["status"] != BatchStatus.ready:
            raise Conflict(N_("This file has not been checked yet."))
        rows = await asyncio.to_thread(_load_rows, batch_dir(data_dir, token))
        ref = await writing.load_reference()
        plan = checking.plan(batch["kind"], rows, await writing.load_existing(batch["kind"]), policy, ref)
        errors = plan.count(ERROR)
        if errors and not valid_only:
            raise Conflict(N_("%(n)d rows have errors. Correct the file and upload it again, or choose to import "
                              "only the rows without errors."), n=errors)
        counts = await writing.write(plan, ref, actor_id=owner_id, ip=ip, source=batch["filename"])
        await ImportBatch.update({ImportBatch.status: BatchStatus.done, ImportBatch.summary: _dumps(counts),
                                  ImportBatch.updated_at: now()}).where(ImportBatch.id == batch["id"])
    return counts


# The command line -----------------------------------------------------------------------------------

@dataclass
class FileReport:
    plan: Plan
    counts: dict[str, int]
    written: bool
    missing: list[c.Column]


async def import_path(kind: Kind, path: Path, *, policy: str, dry_run: bool, valid_only: bool,
                      actor_id: int | None = None) -> FileReport:
    """Check a file and, unless it is a dry run or has errors (and not only valid rows are wanted),
    import it in one transaction: what `events-app import` does."""
    fmt = reading.file_format(path.name)
    headers = await asyncio.to_thread(reading.read_headers, path, fmt)
    mapping = c.guess_mapping(kind, headers)
    missing = c.missing_required(kind, mapping)
    if missing:
        return FileReport(Plan(kind, []), {}, False, missing)
    ref = await writing.load_reference()
    rows = await asyncio.to_thread(read_file, kind, path, fmt, mapping, ref)
    plan = checking.plan(kind, rows, await writing.load_existing(kind), policy, ref)
    if dry_run or (plan.count(ERROR) and not valid_only):
        return FileReport(plan, plan.counts(), False, [])
    async with write_transaction():
        plan = checking.plan(kind, rows, await writing.load_existing(kind), policy, ref)
        counts = await writing.write(plan, ref, actor_id=actor_id, source=path.name)
    return FileReport(plan, counts, True, [])
