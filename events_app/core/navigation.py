"""Safe redirects after a form."""

from __future__ import annotations


def safe_next(target: str | None, default: str = "/") -> str:
    """A local path to go back to; anything pointing off-site falls back to `default`."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target
