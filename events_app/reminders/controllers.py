"""The staff's reminders page: the four lists the daily digest sends, with their counts and links."""

from __future__ import annotations

from litestar import Controller, get
from litestar.response import Template

from events_app.core.guards import staff_only
from events_app.recognition.rules import STATUS_LABELS
from events_app.reminders.lists import staff_lists


class StaffRemindersController(Controller):
    path = "/staff/reminders"
    guards = [staff_only]

    @get("/", name="staff_reminders")
    async def index(self) -> Template:
        return Template("reminders/staff_reminders.html", context={
            "lists": await staff_lists(), "status_labels": STATUS_LABELS,
        })


ROUTES = [StaffRemindersController]
