"""Where a PDF's relative links lead: shared by the PDF builder and its URL fetcher."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from events_app.core.settings import PROJECT_ROOT

STATIC_DIR = PROJECT_ROOT / "static"


@dataclass(frozen=True)
class Assets:
    """Where a PDF's relative links lead: the site's address, and the folders behind /static/ and /media/."""

    base_url: str  # e.g. "https://ocop.example/" (ends with a slash)
    static_dir: str = str(STATIC_DIR)
    media_dir: str = ""

    @classmethod
    def for_site(cls, public_url: str, media_dir: Path | str) -> "Assets":
        return cls(base_url=public_url.rstrip("/") + "/", media_dir=str(media_dir))
