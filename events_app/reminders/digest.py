"""The reminder e-mails as plain values: text and simple HTML, in Vietnamese, built from the lists.

Pure builders: the lists and the site's address in, the message out; nothing is read or sent here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from jinja2 import Environment

from events_app.core.i18n import format_date, gettext, language
from events_app.core.templating import build_environment
from events_app.reminders.lists import ReminderList

DIGEST_LANGUAGE = "vi"
# Where the messages link to, on the site (`tests/recognition` checks them against the routes).
PATHS = {
    "reminders": "/staff/reminders",
    "recognition": "/staff/recognition",
    "applications": "/staff/applications",
    "my_recognition": "/my/recognition",
}


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    text: str
    html: str
    items: int  # reminders it holds


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return build_environment()


def _render(template: str, **context) -> str:
    return _environment().get_template(f"reminders/{template}").render(**context)


def staff_message(to: str, name: str, lists: list[ReminderList], site_url: str, day: dt.date) -> Message:
    """One staff member's digest: the four lists, their counts and first rows, linked to the site."""
    with language(DIGEST_LANGUAGE):
        total = sum(item.count for item in lists)
        subject = gettext("Reminders of %(day)s: %(n)d things to look at") % {"day": format_date(day), "n": total}
        context = {"name": name, "lists": lists, "site_url": site_url.rstrip("/"), "day": day, "paths": PATHS}
        return Message(to, subject, _render("staff_digest.txt", **context), _render("staff_digest.html", **context), total)


def producer_message(to: str, name: str, certificates: list[dict], site_url: str, day: dt.date) -> Message:
    """A producer's reminder of its own certificates ending soon, with where to send the dossier."""
    with language(DIGEST_LANGUAGE):
        subject = gettext("Your OCOP certificates ending soon (%(day)s)") % {"day": format_date(day)}
        context = {"name": name, "certificates": certificates, "site_url": site_url.rstrip("/"), "day": day, "paths": PATHS}
        return Message(to, subject, _render("producer_digest.txt", **context),
                       _render("producer_digest.html", **context), len(certificates))
