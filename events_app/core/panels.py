"""Panels that other domains add to an event's page.

The event page is the events domain's; what a fair, a showroom or a conference shows about
booths, matches or MoUs belongs to those domains. Each offers an async provider that returns
the template to include and its context, or None when it has nothing to show. The app factory
lists the providers in an `EventPanels` and hands it to the event page as a dependency.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Sequence

from events_app.core.identity import CurrentUser


@dataclass
class Panel:
    template: str
    context: dict[str, Any]


Provider = Callable[[dict[str, Any], CurrentUser | None], Awaitable[Panel | None]]


class EventPanels:
    """The panels shown on every event page, in the order given."""

    def __init__(self, providers: Sequence[Provider] = ()) -> None:
        self.providers = tuple(providers)

    async def for_event(self, event: dict[str, Any], user: CurrentUser | None) -> list[Panel]:
        panels = []
        for provider in self.providers:
            panel = await provider(event, user)
            if panel is not None:
                panels.append(panel)
        return panels


NetworkProvider = Callable[[dict[str, Any], list[dict[str, Any]], CurrentUser | None], Awaitable[Panel | None]]


class NetworkPanels:
    """The panels of a showroom network's page (its points given), in the order given: the
    shelves free at each point come from the booths domain, which the events domain is below."""

    def __init__(self, providers: Sequence[NetworkProvider] = ()) -> None:
        self.providers = tuple(providers)

    async def for_network(self, network: dict[str, Any], points: list[dict[str, Any]], user: CurrentUser | None) -> list[Panel]:
        panels = []
        for provider in self.providers:
            panel = await provider(network, points, user)
            if panel is not None:
                panels.append(panel)
        return panels


ProducerProvider = Callable[[int], Awaitable[Panel | None]]


class ProducerPanels:
    """The panels of a producer's own pages (its products), given its id, in the order given: its
    certificates' renewal is the recognition domain's, which the directory is below."""

    def __init__(self, providers: Sequence[ProducerProvider] = ()) -> None:
        self.providers = tuple(providers)

    async def for_producer(self, producer_id: int) -> list[Panel]:
        panels = []
        for provider in self.providers:
            panel = await provider(producer_id)
            if panel is not None:
                panels.append(panel)
        return panels
