"""iCalendar feeds: all published events, one event's programme, a user's private feed."""

from __future__ import annotations

from collections import OrderedDict

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


# Bodies of the feeds last written, by version: an unchanged feed is not written and folded again.
_BODIES: OrderedDict[str, bytes] = OrderedDict()
BODIES_KEPT = 32


def _matches(if_none_match: str, etag: str) -> bool:
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return etag in tags or "*" in tags


def _conditional(request: Request, feed: ical.Feed, private: bool) -> tuple[str, dict[str, str], bool]:
    """The feed's ETag, the headers of any answer about it, and whether the reader has it already."""
    etag = f'"{ical.version(feed)}"'
    headers = {"Content-Disposition": f'attachment; filename="{feed.filename}"', "ETag": etag}
    if private:  # the address is a secret: no shared cache keeps it, no search engine lists it
        headers |= {"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex, nofollow"}
    return etag, headers, _matches(request.headers.get("if-none-match", ""), etag)


async def ics_response(request: Request, feed: ical.Feed, *, private: bool = False) -> Response[bytes]:
    """The feed, or 304 when the reader has this version already."""
    etag, headers, unchanged = _conditional(request, feed, private)
    if unchanged:
        return Response(b"", status_code=304, headers=headers)
    body = _BODIES.get(etag)
    if body is None:
        # Writing and folding a long feed takes a while: off the event loop, other requests go on.
        body = await anyio.to_thread.run_sync(ical.render, feed, now())
        _BODIES[etag] = body
        while len(_BODIES) > BODIES_KEPT:
            _BODIES.popitem(last=False)
    else:
        _BODIES.move_to_end(etag)
    return Response(body, media_type=MEDIA_TYPE, headers=headers)


def ics_head(request: Request, feed: ical.Feed, *, private: bool = False) -> Response[None]:
    """What GET would answer, without the body: a calendar app checking whether its copy is current."""
    _, headers, unchanged = _conditional(request, feed, private)
    return Response(None, status_code=304 if unchanged else 200, media_type=MEDIA_TYPE, headers=headers)


class CalendarFeedController(Controller):
    dependencies = {"site": Provide(provide_site, sync_to_thread=False), **EVENT_FILTERS}

    @get("/calendar.ics", name="calendar_feed")
    async def calendar_feed(self, request: Request, site: NamedDependency[ical.Site], filters: NamedDependency[EventFilters]) -> Response[bytes]:
        return await ics_response(request, await services.public_feed(filters, site))

    @head("/calendar.ics", name="calendar_feed_head")
    async def calendar_feed_head(
        self, request: Request, site: NamedDependency[ical.Site], filters: NamedDependency[EventFilters]
    ) -> Response[None]:
        return ics_head(request, await services.public_feed(filters, site))

    @get("/events/{slug:str}/calendar.ics", name="event_calendar_feed")
    async def event_feed(self, request: Request, slug: FromPath[str], site: NamedDependency[ical.Site]) -> Response[bytes]:
        return await ics_response(request, await services.event_feed(slug, site))

    @head("/events/{slug:str}/calendar.ics", name="event_calendar_feed_head")
    async def event_feed_head(self, request: Request, slug: FromPath[str], site: NamedDependency[ical.Site]) -> Response[None]:
        return ics_head(request, await services.event_feed(slug, site))

    # The token ends in ".ics" within one path segment, which a path parameter cannot express.
    # The parameter is not called `name`: url_for takes the route's name by that keyword.
    @get("/feeds/{file_name:str}", name="private_feed")
    async def private_feed(self, request: Request, file_name: FromPath[str], site: NamedDependency[ical.Site]) -> Response[bytes]:
        return await ics_response(request, await _private_feed(file_name, site), private=True)

    @head("/feeds/{file_name:str}", name="private_feed_head")
    async def private_feed_head(
        self, request: Request, file_name: FromPath[str], site: NamedDependency[ical.Site]
    ) -> Response[None]:
        return ics_head(request, await _private_feed(file_name, site), private=True)


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
