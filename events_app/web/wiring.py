"""Where the higher domains plug into the lower ones, in one place the app factory calls.

Lower domains ask questions (`events_app.core.usage.Question`) and show panels they know nothing
about; the answers and the panels come from the domains above them, listed here explicitly.
"""

from __future__ import annotations

from events_app.booths import uses as booth_uses
from events_app.booths.availability import network_availability_panel
from events_app.booths.panels import booth_panel
from events_app.catalogue.panels import exhibitors_panel
from events_app.core.panels import EventPanels, NetworkPanels, ProducerPanels
from events_app.directory.products import PRODUCT_SHOWN_IN
from events_app.events.planning import EVENT_USES
from events_app.events.venues import HALL_USES
from events_app.matchmaking.panels import matchmaking_panel
from events_app.mou.panels import mou_panel
from events_app.recognition.panels import certificate_panel


def answer_usage_questions() -> None:
    """Let the booths domain answer what events and directory ask before they delete or change a row.
    Idempotent: the app factory and the command line both call it."""
    HALL_USES.answer("booths", booth_uses.booths_in_halls)
    EVENT_USES.answer("booths", booth_uses.booth_market_of_events)
    PRODUCT_SHOWN_IN.answer("booths", booth_uses.products_shown)


def event_panels() -> EventPanels:
    """The panels of an event's page, in the order they are shown."""
    return EventPanels([booth_panel, exhibitors_panel, matchmaking_panel, mou_panel])


def network_panels() -> NetworkPanels:
    """The panels of a showroom network's page: the shelves free at each point, month by month."""
    return NetworkPanels([network_availability_panel])


def producer_panels() -> ProducerPanels:
    """The panels of a producer's own product pages: its OCOP certificates ending soon."""
    return ProducerPanels([certificate_panel])
