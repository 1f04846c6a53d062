"""Panels that other domains add to an event's page.

The event page is the events domain's; what a fair, a showroom or a conference shows about
booths, matches or MoUs belongs to those domains. Each registers an async provider here that
returns the template to include and its context, or None when it has nothing to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Awaitable, Callable

from events_app.accounts.services import CurrentUser


@dataclass
class Panel:
    template: str
    context: dict[str, Any]


Provider = Callable[[dict[str, Any], CurrentUser | None], Awaitable[Panel | None]]

_providers: list[Provider] = []


def event_panel(provider: Provider) -> Provider:
    """Decorator: add a panel provider to every event page."""
    _providers.append(provider)
    return provider


async def panels_for(event: dict[str, Any], user: CurrentUser | None) -> list[Panel]:
    panels = []
    for provider in _providers:
        panel = await provider(event, user)
        if panel is not None:
            panels.append(panel)
    return panels
