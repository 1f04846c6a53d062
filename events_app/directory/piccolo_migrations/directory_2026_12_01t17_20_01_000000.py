"""The rules of certifications the columns cannot state, and distributors' certification notes read.

A certification belongs to a product or to its producer, never both nor neither, and ends after it
begins; a distributor shortlists a product once. Sourcing interests kept their required certifications as free text; the kinds it names
(VietGAP, HACCP…) become the structured requirement, and the text stays as the note it was.
"""

import re

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.querystring import QueryString

from events_app.core import constraints as sql

ID = "2026-12-01T17:20:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "certification rules; required certifications read from their notes"

# How the kinds are written in notes, folded to lower case without spaces, dashes or dots.
NAMED = (
    ("globalgap", ("globalgap", "globalg.a.p")),
    ("vietgap", ("vietgap",)),
    ("haccp", ("haccp",)),
    ("iso22000", ("iso22000",)),
    ("organic", ("organic", "hữucơ", "huuco")),
    ("food_safety", ("attp", "antoànthựcphẩm", "antoanthucpham", "foodsafety")),
)


def kinds_named(note: str) -> str:
    folded = re.sub(r"[\s\-_.:]", "", note.lower())
    found = []
    for kind, spellings in NAMED:
        hits = [s.replace(".", "") for s in spellings]
        if any(h in folded for h in hits):
            found.append(kind)
    return ",".join(sorted(found))


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="directory", description=DESCRIPTION)

    async def run():
        await sql.check("certification", "certification_one_holder",
                        "({row}product IS NULL) <> ({row}producer IS NULL)")
        await sql.check("certification", "certification_period", "{row}valid_until >= {row}valid_from")
        await sql.check("certification", "certification_kind",
                        "{row}kind IN ('vietgap', 'globalgap', 'haccp', 'iso22000', 'organic', 'food_safety')")
        await sql.index("certification", "certification_product_idx", "product")
        await sql.index("certification", "certification_producer_idx", "producer")
        await sql.unique_index("shortlist_entry", "shortlist_entry_key", "distributor, product")
        await sql.index("shortlist_entry", "shortlist_entry_product_idx", "product")
        engine = engine_finder()
        rows = await engine.run_querystring(QueryString(
            "SELECT id, required_certifications FROM sourcing_interest WHERE required_certifications <> ''"
        ))
        for row in rows:
            if kinds := kinds_named(row["required_certifications"]):
                await engine.run_querystring(QueryString(
                    "UPDATE sourcing_interest SET certification_kinds = {} WHERE id = {}", kinds, row["id"]
                ))

    manager.add_raw(run)
    return manager
