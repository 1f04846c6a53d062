"""Booth confirmation letters as PDFs: the booths domain gathers what a letter says
(`booths.letters`), the catalogue's renderer lays it out in its worker processes, with the
bundled fonts, the restricted fetcher and the cache keyed by content.

A producer downloads the letter of its own confirmed booth (another producer's is not found);
staff download any from the fair's applications page.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from events_app.booths import letters
from events_app.booths.dependencies import PRODUCER
from events_app.catalogue.assets import Assets
from events_app.catalogue.pdf import PdfJob
from events_app.catalogue.rendering import pdf_bytes
from events_app.core.bounds import RowId
from events_app.core.guards import producers_only, staff_only
from events_app.core.i18n import current_language
from events_app.core.settings import Settings
from events_app.core.templating import TEMPLATES_DIR

TEMPLATE_DIR = "booths/pdf"
LETTER = f"{TEMPLATE_DIR}/letter.html"


@lru_cache(maxsize=1)
def design_fingerprint() -> str:
    """A hash of the letter's templates: a new design is rendered afresh, not read from the cache."""
    digest = hashlib.sha256()
    for path in sorted((TEMPLATES_DIR / TEMPLATE_DIR).glob("*")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def letter_job(data: dict, assets: Assets, language: str) -> PdfJob:
    return PdfJob(LETTER, {**data, "design": design_fingerprint()}, language, assets)


async def _letter(data: dict, settings: Settings) -> Response[bytes]:
    job = letter_job(data, Assets.for_site(settings.public_url, settings.media_dir), current_language())
    content = await pdf_bytes(job, settings.data_dir / "cache" / "pdf")
    return Response(
        content=content,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="thu-xac-nhan-{data["reference"].lower()}.pdf"',
            "Cache-Control": "private, no-cache",  # the producer's own: no shared cache keeps it
        },
    )


class ProducerLetterController(Controller):
    guards = [producers_only]
    dependencies = PRODUCER

    @get("/my/applications/{application_id:int}/letter.pdf", name="my_application_letter", opt={"skip_compression": True})
    async def letter(
        self, application_id: FromPath[RowId], producer_id: NamedDependency[int], settings: NamedDependency[Settings]
    ) -> Response[bytes]:
        data = await letters.letter_data(application_id, settings.public_url, producer_id=producer_id)
        return await _letter(data, settings)


class StaffLetterController(Controller):
    guards = [staff_only]

    @get("/staff/events/{event_id:int}/applications/{application_id:int}/letter.pdf", name="staff_application_letter",
         opt={"skip_compression": True})
    async def letter(
        self, event_id: FromPath[RowId], application_id: FromPath[RowId], settings: NamedDependency[Settings]
    ) -> Response[bytes]:
        data = await letters.letter_data(application_id, settings.public_url, event_id=event_id)
        return await _letter(data, settings)


ROUTES = [ProducerLetterController, StaffLetterController]
