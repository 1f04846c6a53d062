"""Web pages of the directory domain."""

from __future__ import annotations

ROUTES: list = []
