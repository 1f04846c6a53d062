"""The only way WeasyPrint may read a file while rendering a catalogue."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Iterable
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

from events_app.catalogue.assets import Assets


class RestrictedFetcher(URLFetcher):
    """Serves /static/… and /media/… under the site's base URL from disk, and file:// inside those
    folders. (The print-size QR codes and thumbnails are drawn onto the pages after layout, from
    their cache folder: WeasyPrint never reads them.)

    Everything else (other hosts, other files, other schemes) is refused, so nothing a user typed
    can make the renderer read the server's files or reach into the network.
    """

    def __init__(self, assets: Assets) -> None:
        super().__init__(timeout=5, allow_redirects=False, fail_on_errors=False)
        self.base_url = assets.base_url
        self.roots = {"static/": Path(assets.static_dir).resolve()}
        if assets.media_dir:
            self.roots["media/"] = Path(assets.media_dir).resolve()
        self.file_roots = list(self.roots.values())

    def local_path(self, url: str) -> Path | None:
        """The file a URL may read, or None when it must be refused."""
        parts = urlsplit(url)
        if parts.scheme == "file":
            if parts.netloc not in ("", "localhost"):
                return None
            return _inside(Path(url2pathname(parts.path)), self.file_roots)
        if parts.scheme in ("http", "https") and url.startswith(self.base_url):
            relative = unquote(urlsplit(url[len(self.base_url):]).path)
            for prefix, root in self.roots.items():
                if relative.startswith(prefix):
                    return _inside(root / relative[len(prefix):], [root])
        return None

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        path = self.local_path(url)
        if path is None:
            raise ValueError(f"Not fetched: only the site's static and media files are ({url})")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), body=path.read_bytes(), headers={"Content-Type": mime})


def _inside(path: Path, roots: Iterable[Path]) -> Path | None:
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):
        return None
    if any(resolved.is_relative_to(root) for root in roots) and resolved.is_file():
        return resolved
    return None
