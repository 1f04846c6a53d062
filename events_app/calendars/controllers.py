"""iCalendar feeds: all published events, one event's programme, a user's private feed."""

from __future__ import annotations

from collections import OrderedDict
from typing import Awaitable, Callable

import anyio
from litestar import Controller, Request, Response, get, head
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery

from events_app.calendars import ical, printed, services
from events_app.catalogue.assets import Assets
from events_app.catalogue.rendering import pdf_bytes
from events_app.core.i18n import current_language
from events_app.core.errors import NotFound
from events_app.core.clock import now
from events_app.core.settings import Settings
from events_app.events.dependencies import EVENT_FILTERS
from events_app.events.services import EventFilters

# Litestar adds "; charset=utf-8" to text types.
MEDIA_TYPE = "text/calendar"
FEED_SUFFIX = ".ics"


def provide_site(settings: NamedDependency[Settings]) -> ical.Site:
    """Where the feeds' links and UIDs point: the site's public address."""
    return ical.Site(settings.public_url)


# Bodies of the feeds last written, by ETag: an unchanged feed is not read, written and folded again.
_BODIES: OrderedDict[str, bytes] = OrderedDict()
BODIES_KEPT = 32

Build = Callable[[], Awaitable[ical.Feed]]


def _matches(if_none_match: str, etag: str) -> bool:
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return etag in tags or "*" in tags


async def _body(etag: str, build: Build) -> bytes:
    body = _BODIES.get(etag)
    if body is not None:
        _BODIES.move_to_end(etag)
        return body
    feed = await build()
    # Writing and folding a long feed takes a while: off the event loop, other requests go on.
    body = _BODIES[etag] = await anyio.to_thread.run_sync(ical.render, feed, now())
    while len(_BODIES) > BODIES_KEPT:
        _BODIES.popitem(last=False)
    return body


async def ics_answer(
    request: Request, version: str, filename: str, build: Build, *, private: bool = False, head: bool = False
) -> Response:
    """304 when the reader has this version of the feed; else the feed, from its kept body when
    this version was written before. HEAD answers the headers GET would send, without the body.
    Only a feed neither kept nor held by the reader is built, so an unknown one is still not found."""
    etag = f'"{version}"'
    headers = {"Content-Disposition": f'attachment; filename="{filename}"', "ETag": etag}
    if private:  # the address is a secret: no shared cache keeps it, no search engine lists it
        headers |= {"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex, nofollow"}
    if _matches(request.headers.get("if-none-match", ""), etag):
        return Response(None if head else b"", status_code=304, headers=headers)
    body = await _body(etag, build)
    return Response(None if head else body, media_type=MEDIA_TYPE, headers=headers)


class CalendarFeedController(Controller):
    """Public feeds are versioned by the calendar's revision, read before anything else: an
    unchanged feed is answered without reading its events. A private feed is a user's few rows,
    in the language saved with the account (which the calendar's revision does not follow): it is
    read, and versioned by what it says."""

    dependencies = {"site": Provide(provide_site, sync_to_thread=False), **EVENT_FILTERS}

    async def _calendar(self, request: Request, site: ical.Site, filters: EventFilters, head: bool) -> Response:
        version = await services.public_version(site, "calendar", *filters.params().values())
        return await ics_answer(
            request, version, services.EVENTS_FILENAME, lambda: services.public_feed(filters, site), head=head
        )

    async def _event(self, request: Request, slug: str, site: ical.Site, head: bool) -> Response:
        version = await services.public_version(site, "event", slug)
        return await ics_answer(
            request, version, services.event_feed_filename(slug), lambda: services.event_feed(slug, site), head=head
        )

    async def _network(self, request: Request, slug: str, site: ical.Site, head: bool) -> Response:
        version = await services.network_version(slug, site)
        return await ics_answer(
            request, version, services.event_feed_filename(slug), lambda: services.network_feed(slug, site), head=head
        )

    async def _private(self, request: Request, file_name: str, site: ical.Site, head: bool) -> Response:
        feed = await _private_feed(file_name, site)

        async def built() -> ical.Feed:
            return feed

        return await ics_answer(request, ical.version(feed), feed.filename, built, private=True, head=head)

    @get("/calendar.ics", name="calendar_feed")
    async def calendar_feed(self, request: Request, site: NamedDependency[ical.Site], filters: NamedDependency[EventFilters]) -> Response[bytes]:
        return await self._calendar(request, site, filters, head=False)

    @head("/calendar.ics", name="calendar_feed_head")
    async def calendar_feed_head(
        self, request: Request, site: NamedDependency[ical.Site], filters: NamedDependency[EventFilters]
    ) -> Response[None]:
        return await self._calendar(request, site, filters, head=True)

    @get("/events/{slug:str}/calendar.ics", name="event_calendar_feed")
    async def event_feed(self, request: Request, slug: FromPath[str], site: NamedDependency[ical.Site]) -> Response[bytes]:
        return await self._event(request, slug, site, head=False)

    @head("/events/{slug:str}/calendar.ics", name="event_calendar_feed_head")
    async def event_feed_head(self, request: Request, slug: FromPath[str], site: NamedDependency[ical.Site]) -> Response[None]:
        return await self._event(request, slug, site, head=True)

    @get("/showrooms/{slug:str}/calendar.ics", name="network_calendar_feed")
    async def network_feed(self, request: Request, slug: FromPath[str], site: NamedDependency[ical.Site]) -> Response[bytes]:
        return await self._network(request, slug, site, head=False)

    @head("/showrooms/{slug:str}/calendar.ics", name="network_calendar_feed_head")
    async def network_feed_head(self, request: Request, slug: FromPath[str], site: NamedDependency[ical.Site]) -> Response[None]:
        return await self._network(request, slug, site, head=True)

    # The token ends in ".ics" within one path segment, which a path parameter cannot express.
    # The parameter is not called `name`: url_for takes the route's name by that keyword.
    @get("/feeds/{file_name:str}", name="private_feed")
    async def private_feed(self, request: Request, file_name: FromPath[str], site: NamedDependency[ical.Site]) -> Response[bytes]:
        return await self._private(request, file_name, site, head=False)

    @head("/feeds/{file_name:str}", name="private_feed_head")
    async def private_feed_head(
        self, request: Request, file_name: FromPath[str], site: NamedDependency[ical.Site]
    ) -> Response[None]:
        return await self._private(request, file_name, site, head=True)


async def _private_feed(file_name: str, site: ical.Site) -> ical.Feed:
    if not file_name.endswith(FEED_SUFFIX):
        raise NotFound(services.UNKNOWN_FEED)
    return await services.private_feed(file_name.removesuffix(FEED_SUFFIX), site)


def provide_period(year: FromQuery[str] = "", month: FromQuery[str] = "") -> printed.Period:
    return printed.period_from_query(year, month)


class PrintedCalendarController(Controller):
    dependencies = {"period": Provide(provide_period, sync_to_thread=False), **EVENT_FILTERS}

    @get("/calendar.pdf", name="calendar_pdf")
    async def calendar_pdf(
        self,
        settings: NamedDependency[Settings],
        filters: NamedDependency[EventFilters],
        period: NamedDependency[printed.Period],
    ) -> Response[bytes]:
        """The events of a month or a year as a printed calendar, in the reader's language."""
        data = await printed.calendar_data(filters, period)
        job = printed.calendar_job(data, Assets.for_site(settings.public_url, settings.media_dir), current_language())
        content = await pdf_bytes(job, settings.data_dir / "cache" / "pdf")
        return Response(
            content=content,
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{period.filename()}"', "Cache-Control": "no-cache"},
        )


ROUTES = [CalendarFeedController, PrintedCalendarController]
