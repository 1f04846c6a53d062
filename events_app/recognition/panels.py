"""The notice on a producer's own product pages: its OCOP certificates ending soon or ended."""

from __future__ import annotations

from events_app.core.panels import Panel
from events_app.recognition import services
from events_app.recognition.rules import STATUS_LABELS


async def certificate_panel(producer_id: int) -> Panel | None:
    certificates = await services.producer_certificates(producer_id)
    if not certificates:
        return None
    return Panel("recognition/_producer_notice.html", {"certificates": certificates, "status_labels": STATUS_LABELS})
