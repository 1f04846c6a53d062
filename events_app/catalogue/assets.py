"""Where a PDF's relative links lead, and the small files it embeds: QR codes and product photos
made once, at print size, and kept in a cache folder keyed by what they show.

Shared by the PDF builders and their URL fetcher. A 2,000-pixel photo costs far more to decode
and embed than the 20 mm thumbnail the page shows; a QR code as a 1-bit PNG with one pixel per
module is a few hundred bytes, where an inline SVG of it is thousands of path segments to draw on
every page. Both are drawn onto the laid-out pages (see pdf.Stamps), not by WeasyPrint.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from events_app.core.settings import PROJECT_ROOT

STATIC_DIR = PROJECT_ROOT / "static"
# Thumbnails: 22 × 16 mm at about 280 dpi.
THUMBNAIL_SIZE = (240, 176)


@dataclass(frozen=True)
class Assets:
    """Where a PDF's relative links lead: the site's address, the folders behind /static/ and
    /media/, and the folder where print-size QR codes and thumbnails are kept."""

    base_url: str  # e.g. "https://ocop.example/" (ends with a slash)
    static_dir: str = str(STATIC_DIR)
    media_dir: str = ""
    cache_dir: str = ""

    @classmethod
    def for_site(cls, public_url: str, media_dir: Path | str, cache_dir: Path | str = "") -> "Assets":
        return cls(base_url=public_url.rstrip("/") + "/", media_dir=str(media_dir), cache_dir=str(cache_dir))

    def qr_code(self, url: str) -> str:
        """The file of the QR code of `url` (a 1-bit PNG), made the first time it is asked for."""
        if not self.cache_dir:
            raise ValueError("QR code files need a cache folder")
        path = Path(self.cache_dir) / "qr" / f"{_digest(url)}.png"
        if not path.exists():
            from events_app.catalogue.qr import make

            qr = make(url)
            _write(path, lambda handle: qr.save(handle, kind="png", scale=1, border=0))
        return str(path)

    def thumbnail(self, image: str) -> str:
        """The file of a product photo (a name under the media folder) at print size (a JPEG), or ""
        when there is no such photo. Made once per version of the photo."""
        if not image or not self.media_dir or not self.cache_dir:
            return ""
        media = Path(self.media_dir).resolve()
        source = (media / image).resolve()
        if not source.is_relative_to(media) or not source.is_file():
            return ""
        stat = source.stat()
        path = Path(self.cache_dir) / "img" / f"{_digest(f'{image}:{stat.st_mtime_ns}:{stat.st_size}')}.jpg"
        if not path.exists():
            from PIL import Image, ImageOps

            try:
                with Image.open(source) as opened:
                    picture = ImageOps.exif_transpose(opened)
                    picture.thumbnail(THUMBNAIL_SIZE)
                    picture = picture.convert("RGB")
            except (OSError, ValueError, Image.DecompressionBombError):
                return ""  # not an image after all: the entry prints without its photo
            _write(path, lambda handle: picture.save(handle, "JPEG", quality=80, optimize=True))
        return str(path)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _write(path: Path, write) -> None:
    """Write a cache file whole: two workers making the same file at once both leave a full one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    with open(partial, "wb") as handle:
        write(handle)
    os.replace(partial, path)


def keep_file(path: Path, content: bytes, keep: int) -> None:
    """Write a cache file whole, then keep the `keep` newest files of its kind (its suffix) in its
    folder; the oldest go first."""
    _write(path, lambda handle: handle.write(content))

    def modified(other: Path) -> float:
        try:
            return other.stat().st_mtime
        except FileNotFoundError:  # pruned by another worker meanwhile
            return 0.0

    for old in sorted(path.parent.glob(f"*{path.suffix}"), key=modified, reverse=True)[keep:]:
        old.unlink(missing_ok=True)
