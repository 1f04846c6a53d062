"""The printed documents of a connection conference, laid out by the catalogue's PDF workers
(bundled fonts, restricted fetcher, cache keyed by content), from values the mou domain gathers:

- `/events/{slug}/agenda.pdf`: the programme, sessions by day with their rooms (public);
- a participant's agenda (`/my/agendas/{id}/agenda.pdf`; staff under the event): its meetings
  with table and the other party, the sessions, its signing slots;
- the table grid of a B2B session for staff to post at the venue, landscape (A4, or A3 when wide);
- an MoU document (`/my/mous/{id}/mou.pdf`; staff under the event), in the reader's language;
- the run of show of the signing ceremony (staff): each MoU in slot order, its time on stage,
  parties, title and value.

A party reads only its own agenda and MoUs (another's is not found); staff read any of the event.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from events_app.catalogue.assets import Assets
from events_app.catalogue.pdf import PdfJob
from events_app.catalogue.rendering import pdf_bytes
from events_app.core.bounds import RowId
from events_app.core.clock import today
from events_app.core.guards import participants_only, staff_only
from events_app.core.i18n import current_language
from events_app.core.settings import Settings
from events_app.core.templating import TEMPLATES_DIR
from events_app.events.services import get_event, get_event_by_id
from events_app.matchmaking.dependencies import PARTICIPANT
from events_app.matchmaking.parties import Participant
from events_app.mou import agenda, documents

TEMPLATE_DIR = "mou/pdf"
PROGRAMME, AGENDA, GRID, MOU, RUN_OF_SHOW = (
    f"{TEMPLATE_DIR}/{name}.html" for name in ("programme", "agenda", "grid", "mou", "run_of_show")
)


@lru_cache(maxsize=1)
def design_fingerprint() -> str:
    """A hash of these documents' templates: a new design is rendered afresh, not read from the cache."""
    digest = hashlib.sha256()
    for path in sorted((TEMPLATES_DIR / TEMPLATE_DIR).glob("*")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


async def _pdf(template: str, data: dict, settings: Settings, filename: str, *, private: bool = True) -> Response[bytes]:
    context = {**data, "issued_on": data.get("issued_on") or today(), "design": design_fingerprint()}
    job = PdfJob(template, context, current_language(), Assets.for_site(settings.public_url, settings.media_dir))
    content = await pdf_bytes(job, settings.data_dir / "cache" / "pdf")
    return Response(
        content=content,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            # A party's own document: no shared cache keeps it.
            "Cache-Control": "private, no-cache" if private else "no-cache",
        },
    )


async def _agenda_pdf(registration: dict, settings: Settings) -> Response[bytes]:
    data = await agenda.participant_agenda(registration, settings.public_url)
    return await _pdf(AGENDA, data, settings, f"chuong-trinh-{data['event']['slug']}-{registration['id']}.pdf")


async def _mou_pdf(data: dict, settings: Settings) -> Response[bytes]:
    return await _pdf(MOU, data, settings, f"{data['reference'].lower()}.pdf")


class ProgrammeController(Controller):
    @get("/events/{slug:str}/agenda.pdf", name="event_agenda_pdf", opt={"skip_compression": True})
    async def programme(self, slug: FromPath[str], settings: NamedDependency[Settings]) -> Response[bytes]:
        event = await get_event(slug)  # unknown and draft events have no programme
        data = await agenda.programme(event, settings.public_url)
        return await _pdf(PROGRAMME, data, settings, f"chuong-trinh-{event['slug']}.pdf", private=False)


class ParticipantDocumentsController(Controller):
    guards = [participants_only]
    dependencies = PARTICIPANT

    @get("/my/agendas/{attendance_id:int}/agenda.pdf", name="my_agenda_pdf", opt={"skip_compression": True})
    async def agenda_pdf(
        self, attendance_id: FromPath[RowId], participant: NamedDependency[Participant], settings: NamedDependency[Settings]
    ) -> Response[bytes]:
        return await _agenda_pdf(await agenda.attendance(attendance_id, participant=participant), settings)

    @get("/my/mous/{mou_id:int}/mou.pdf", name="my_mou_pdf", opt={"skip_compression": True})
    async def mou_pdf(
        self, mou_id: FromPath[RowId], participant: NamedDependency[Participant], settings: NamedDependency[Settings]
    ) -> Response[bytes]:
        return await _mou_pdf(await documents.mou_document(mou_id, settings.public_url, participant=participant), settings)


class StaffDocumentsController(Controller):
    path = "/staff/events/{event_id:int}"
    guards = [staff_only]

    @get("/agendas/{attendance_id:int}/agenda.pdf", name="staff_agenda_pdf", opt={"skip_compression": True})
    async def agenda_pdf(
        self, event_id: FromPath[RowId], attendance_id: FromPath[RowId], settings: NamedDependency[Settings]
    ) -> Response[bytes]:
        return await _agenda_pdf(await agenda.attendance(attendance_id, event_id=event_id), settings)

    @get("/sessions/{session_id:int}/tables.pdf", name="staff_table_grid_pdf", opt={"skip_compression": True})
    async def grid_pdf(
        self, event_id: FromPath[RowId], session_id: FromPath[RowId], settings: NamedDependency[Settings]
    ) -> Response[bytes]:
        event = await get_event_by_id(event_id)
        data = await agenda.table_grid(event, session_id, settings.public_url)
        return await _pdf(GRID, data, settings, f"ban-b2b-{event['slug']}-{session_id}.pdf")

    @get("/mous/{mou_id:int}/mou.pdf", name="staff_mou_pdf", opt={"skip_compression": True})
    async def mou_pdf(
        self, event_id: FromPath[RowId], mou_id: FromPath[RowId], settings: NamedDependency[Settings]
    ) -> Response[bytes]:
        return await _mou_pdf(await documents.mou_document(mou_id, settings.public_url, event_id=event_id), settings)

    @get("/ceremony/run-of-show.pdf", name="staff_run_of_show_pdf", opt={"skip_compression": True})
    async def run_of_show_pdf(self, event_id: FromPath[RowId], settings: NamedDependency[Settings]) -> Response[bytes]:
        event = await get_event_by_id(event_id)
        data = await agenda.run_of_show(event, settings.public_url)
        return await _pdf(RUN_OF_SHOW, data, settings, f"kich-ban-le-ky-{event['slug']}.pdf")


ROUTES = [ProgrammeController, ParticipantDocumentsController, StaffDocumentsController]
