"""Every existing MoU's two parties moved into mou_party — the producer first (Party A), the
distributor second (Party B), as the document always listed them — with the rules of a party row;
then the MoU's own producer and distributor columns are dropped (after the raw step, as Piccolo
runs a migration's raw steps first)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

from events_app.core import constraints as sql

ID = "2026-12-03T10:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "MoU parties from the producer and distributor of each MoU"


async def parties_from_columns() -> None:
    """Party A and Party B of every MoU, from its producer and distributor columns."""
    engine = engine_finder()
    for position, kind in ((0, "producer"), (1, "distributor")):
        await engine.run_ddl(
            f"INSERT INTO mou_party (mou, position, kind, {kind}, representative, representative_title) "
            f"SELECT id, {position}, '{kind}', {kind}, '', '' FROM mou WHERE {kind} IS NOT NULL ORDER BY id"
        )


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="mou", description=DESCRIPTION)

    async def run():
        await parties_from_columns()
        await sql.unique_index("mou_party", "mou_party_position_key", "mou, position")
        # A party signs an MoU once: no organisation twice among its parties.
        await sql.unique_index("mou_party", "mou_party_producer_key", "mou, producer", where="producer IS NOT NULL")
        await sql.unique_index("mou_party", "mou_party_distributor_key", "mou, distributor", where="distributor IS NOT NULL")
        await sql.unique_index("mou_party", "mou_party_agency_key", "mou, agency", where="agency IS NOT NULL")
        await sql.check("mou_party", "mou_party_one_organisation", (
            "({row}kind = 'producer' AND {row}producer IS NOT NULL AND {row}distributor IS NULL AND {row}agency IS NULL)"
            " OR ({row}kind = 'distributor' AND {row}distributor IS NOT NULL AND {row}producer IS NULL AND {row}agency IS NULL)"
            " OR ({row}kind = 'agency' AND {row}agency IS NOT NULL AND {row}producer IS NULL AND {row}distributor IS NULL)"
        ))

    manager.add_raw(run)
    for column in ("producer", "distributor"):
        manager.drop_column(table_class_name="Mou", tablename="mou", column_name=column, db_column_name=column,
                            schema=None)
    return manager
