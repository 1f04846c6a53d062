"""PDF catalogues: pure builders, data in and bytes out, from Jinja templates through WeasyPrint.

A `PdfJob` carries only plain values, so it can cross to a worker process and be hashed into a
cache key. WeasyPrint fetches nothing but our own files (see fetcher.py). WeasyPrint itself is
imported only where a PDF is rendered, in the worker process.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from events_app.core import i18n
from events_app.catalogue.assets import STATIC_DIR, Assets
from events_app.catalogue.qr import qr_svg

# Bump when the look of the PDFs changes in a way the templates' text does not show.
FORMAT_VERSION = 1
TEMPLATE_DIR = "catalogue/pdf"
EVENT_CATALOGUE = f"{TEMPLATE_DIR}/event.html"
PRODUCT_CATALOGUE = f"{TEMPLATE_DIR}/products.html"


@dataclass(frozen=True)
class PdfJob:
    template: str
    context: dict[str, Any] = field(hash=False)
    language: str
    assets: Assets

    def cache_key(self) -> str:
        """A hash of everything the PDF shows: its data, language, templates and fonts."""
        payload = json.dumps(
            {
                "version": FORMAT_VERSION,
                "template": self.template,
                "language": self.language,
                "base_url": self.assets.base_url,
                "design": design_fingerprint(),
                "context": self.context,
            },
            sort_keys=True,
            default=str,
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode()).hexdigest()


@lru_cache(maxsize=1)
def design_fingerprint() -> str:
    """A hash of the PDF templates and the bundled fonts, so a new design is rendered afresh."""
    from events_app.core.templating import TEMPLATES_DIR

    digest = hashlib.sha256()
    files = sorted((TEMPLATES_DIR / TEMPLATE_DIR).glob("*")) + sorted((STATIC_DIR / "fonts").glob("*.ttf"))
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def event_catalogue(data: dict[str, Any], assets: Assets, language: str) -> PdfJob:
    """An exhibitor catalogue: cover, contents, exhibitors by hall and booth, indexes."""
    return PdfJob(EVENT_CATALOGUE, data, language, assets)


def product_catalogue(data: dict[str, Any], assets: Assets, language: str) -> PdfJob:
    """A catalogue of certified products, by product group."""
    return PdfJob(PRODUCT_CATALOGUE, data, language, assets)


# Rendering ------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _environment():
    from events_app.core.templating import build_environment

    env = build_environment()
    env.globals["qr_svg"] = qr_svg
    return env


def render_html(job: PdfJob) -> str:
    with i18n.language(job.language):
        return _environment().get_template(job.template).render(**job.context)


def render(job: PdfJob) -> bytes:
    """The PDF of a job. Blocking and CPU-bound: run it in a worker process (see rendering.py)."""
    from weasyprint import HTML

    from events_app.catalogue.fetcher import RestrictedFetcher

    html = render_html(job)
    fetcher = RestrictedFetcher(job.assets)
    return HTML(string=html, base_url=job.assets.base_url, url_fetcher=fetcher).write_pdf()
