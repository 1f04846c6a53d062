"""Indexes for the throttling queries, and the network of attempts recorded before it was kept."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

from events_app.core import constraints as sql

ID = "2026-12-01T09:30:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "login attempt indexes"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="accounts", description=DESCRIPTION)

    async def run():
        # Older rows were all failures (a success deleted them); their address stands for their network.
        await engine_finder().run_ddl("UPDATE login_attempt SET network = ip WHERE network = ''")
        await sql.index("login_attempt", "login_attempt_email_at_idx", "email, at")
        await sql.index("login_attempt", "login_attempt_network_at_idx", "network, at")

    manager.add_raw(run)
    return manager
