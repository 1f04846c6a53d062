"""Web pages of the catalogue domain."""

from __future__ import annotations

ROUTES: list = []
