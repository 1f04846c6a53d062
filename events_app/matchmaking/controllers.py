"""Web pages of the matchmaking domain."""

from __future__ import annotations

ROUTES: list = []
