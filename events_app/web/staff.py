"""The staff dashboard: what needs attention across events."""

from __future__ import annotations

from litestar import Controller, get
from litestar.response import Template

from events_app.core.guards import staff_only
from events_app.booths.tables import ApplicationStatus, BoothApplication
from events_app.directory.tables import Distributor, Producer, Product
from events_app.events.tables import Event, EventStatus


class StaffDashboardController(Controller):
    path = "/staff"
    guards = [staff_only]

    @get("/", name="staff_dashboard")
    async def dashboard(self) -> Template:
        counts = {
            "events_published": await Event.count().where(Event.status == EventStatus.published),
            "events_draft": await Event.count().where(Event.status == EventStatus.draft),
            "applications_waiting": await BoothApplication.count().where(
                BoothApplication.status == ApplicationStatus.submitted
            ),
            "producers": await Producer.count(),
            "products": await Product.count(),
            "distributors": await Distributor.count(),
        }
        return Template("staff/dashboard.html", context={"counts": counts})


ROUTES = [StaffDashboardController]
