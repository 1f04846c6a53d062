"""Product images: judged by what the file contains, re-encoded, stored under the media directory.

Re-encoding with Pillow keeps only the pixels: no metadata (GPS positions in phone photos), no
trailing payload, and a size fit for a catalogue. File names are random, so a replaced image
never lingers in a cache under the same address.
"""

from __future__ import annotations

import io
import os
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from events_app.core.errors import DomainError
from events_app.core.i18n import N_, format_number

# Pillow format → file extension.
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
FOLDER = "products"
MAX_SIDE = 2000  # pixels; larger images are scaled down
MAX_PIXELS = 50_000_000  # refuse "decompression bombs" before decoding them


class ImageRefused(DomainError):
    status_code = 400


@dataclass(frozen=True)
class PreparedImage:
    data: bytes
    extension: str


def size_text(n_bytes: int) -> str:
    if n_bytes >= 1024 * 1024:
        return f"{format_number(round(n_bytes / (1024 * 1024), 1))} MB"
    return f"{format_number(max(1, n_bytes // 1024))} KB"


def prepare_image(data: bytes, *, max_bytes: int) -> PreparedImage:
    """Check an upload is a JPEG, PNG or WebP image of acceptable size and re-encode it."""
    if not data:
        raise ImageRefused(N_("The file is empty. Choose a JPEG, PNG or WebP image."))
    if len(data) > max_bytes:
        raise ImageRefused(N_("The image is larger than %(size)s. Choose a smaller one."), size=size_text(max_bytes))
    try:
        with warnings.catch_warnings():  # the pixel count is checked below, with a message for the user
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data), formats=list(FORMATS))
        with probe:
            image_format = probe.format or ""
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise ImageRefused(N_("The image has too many pixels. Choose a smaller one."))
            probe.verify()
        with Image.open(io.BytesIO(data), formats=[image_format]) as source:
            source.load()
            image = ImageOps.exif_transpose(source)
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            return PreparedImage(_encode(image, image_format), FORMATS[image_format])
    except ImageRefused:
        raise
    except Image.DecompressionBombError:
        raise ImageRefused(N_("The image has too many pixels. Choose a smaller one.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, KeyError):
        raise ImageRefused(N_("This file is not a JPEG, PNG or WebP image.")) from None


def _encode(image: Image.Image, image_format: str) -> bytes:
    # Pillow writes some of what it read back out unless told otherwise (a JPEG's COM comment, a
    # PNG's text chunks): only the pixels go on.
    image.info.clear()
    out = io.BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    elif image_format == "PNG":
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        image.save(out, "PNG", optimize=True)
    else:
        image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB").save(out, "WEBP", quality=85)
    return out.getvalue()


@dataclass(frozen=True)
class ImageStore:
    """Where product images live (settings.media_dir) and how large an upload may be."""

    media_dir: Path
    max_bytes: int

    def prepare(self, data: bytes) -> PreparedImage:
        return prepare_image(data, max_bytes=self.max_bytes)

    def save(self, image: PreparedImage) -> str:
        """Write the image; returns its name relative to the media directory (products/<random>.<ext>)."""
        folder = self.media_dir / FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{secrets.token_hex(16)}.{image.extension}"
        partial = folder / f".{name}.part"
        partial.write_bytes(image.data)
        os.replace(partial, folder / name)
        return f"{FOLDER}/{name}"

    def delete(self, name: str) -> None:
        """Remove a stored image; names outside the products folder are ignored."""
        if not name:
            return
        folder = (self.media_dir / FOLDER).resolve()
        path = (self.media_dir / name).resolve()
        if path.parent == folder:
            path.unlink(missing_ok=True)
