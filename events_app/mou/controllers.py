"""Web pages of the mou domain."""

from __future__ import annotations

ROUTES: list = []
