"""`events-app import`: a file checked, its errors listed row by row, a summary, then the import."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from events_app.core.errors import DomainError
from events_app.core.i18n import gettext, ngettext
from events_app.imports import checking, services
from events_app.imports import columns as c
from events_app.imports.columns import Kind


async def import_file(kind: str, path: Path, *, update: bool, dry_run: bool, valid_only: bool,
                      echo: Callable[[str], None]) -> bool:
    """Print each row's errors and a summary; True when the file was imported (or, in a dry run, could be)."""
    report = await services.import_path(
        Kind(kind), path, policy=checking.UPDATE if update else checking.SKIP, dry_run=dry_run, valid_only=valid_only)
    if report.missing:
        names = ", ".join(f"“{spec.header}”" for spec in report.missing)
        echo(gettext("The file has no column for: %(columns)s.") % {"columns": names})
        return False
    headers = {spec.key: spec.header for spec in c.COLUMNS[Kind(kind)]}
    for row, key, message, params in services.plan_issues(report.plan):
        where = gettext("row %(row)d") % {"row": row} + (f", {headers.get(key, key)}" if key else "")
        echo(f"{where}: {DomainError(message, **params)}")
    counts = report.counts
    echo(gettext("%(rows)d rows: %(new)d new, %(existing)d already in the directory (%(action)s), "
                 "%(repeat)d repeated in the file, %(error)d with errors.") % {
        **counts, "action": gettext("updated") if update else gettext("skipped")})
    if counts.get("new_producers"):
        echo(ngettext("%(num)d producer named in the file is added.", "%(num)d producers named in the file are added.",
                      counts["new_producers"]) % {"num": counts["new_producers"]})
    if report.written:
        echo(gettext("Imported: %(created)d added, %(updated)d updated.") % counts)
        return counts[checking.ERROR] == 0
    if counts[checking.ERROR] and not valid_only:
        echo(gettext("Nothing was written: correct the rows above, or run again with --valid-only to import the "
                     "other rows."))
        return False
    echo(gettext("Dry run: nothing was written."))
    return counts[checking.ERROR] == 0
