"""Web pages of the booths domain."""

from __future__ import annotations

ROUTES: list = []
