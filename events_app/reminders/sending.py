"""The daily digest: each staff member one e-mail with the four lists, each producer one with its
own certificates ending soon, never twice the same day.

A recipient's day is claimed (a `ReminderSent` row, unique by address and day) before its message
goes, so two runs at once send it once; a message the server refuses gives its claim back, for
the next run to try again.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from events_app.accounts.tables import User
from events_app.core.clock import today
from events_app.core.db import is_integrity_error, write_transaction
from events_app.core.identity import Role
from events_app.core.settings import Settings
from events_app.recognition import services as recognition
from events_app.recognition.tables import ReminderSent
from events_app.reminders import mailer
from events_app.reminders.digest import Message, producer_message, staff_message
from events_app.reminders.lists import staff_lists

log = logging.getLogger("events_app.reminders")


@dataclass
class DigestRun:
    sent: list[str] = field(default_factory=list)  # addresses the server accepted a message for
    logged: list[str] = field(default_factory=list)  # no SMTP server: written to the log
    already: list[str] = field(default_factory=list)  # sent earlier today
    failed: list[str] = field(default_factory=list)


async def digest_messages(settings: Settings, on: dt.date) -> list[Message]:
    """Today's messages, to everyone who has something to be reminded of."""
    messages = []
    lists = await staff_lists(on)
    if any(item.count for item in lists):
        for user in await User.select(User.email, User.name).where(
            User.role.is_in([Role.staff.value, Role.admin.value]) & (User.is_active == True)  # noqa: E712
        ).order_by(User.id):
            messages.append(staff_message(user["email"], user["name"], lists, settings.public_url, on))
    for user in await User.select(User.email, User.name, User.producer).where(
        (User.role == Role.producer.value) & (User.is_active == True) & User.producer.is_not_null()  # noqa: E712
    ).order_by(User.id):
        certificates = [row for row in await recognition.producer_certificates(user["producer"], on)
                        if row["days_left"] >= 0 and row["dossier"] is None]
        if certificates:
            messages.append(producer_message(user["email"], user["name"], certificates, settings.public_url, on))
    return messages


async def _claim(message: Message, on: dt.date) -> bool:
    try:
        async with write_transaction():
            if await ReminderSent.exists().where((ReminderSent.recipient == message.to) & (ReminderSent.day == on)):
                return False
            await ReminderSent.insert(ReminderSent(recipient=message.to, day=on, items=message.items))
    except Exception as exc:
        if is_integrity_error(exc):  # another run claimed it at the same moment
            return False
        raise
    return True


async def _release(message: Message, on: dt.date) -> None:
    await ReminderSent.delete().where((ReminderSent.recipient == message.to) & (ReminderSent.day == on))


async def send_digest(settings: Settings, on: dt.date | None = None) -> DigestRun:
    on = on or today()
    run = DigestRun()
    messages = await digest_messages(settings, on)
    if not mailer.is_configured(settings):
        await mailer.send(messages, settings, lambda message, exc: None)
        run.logged = [message.to for message in messages]
        return run
    claimed = []
    for message in messages:
        if await _claim(message, on):
            claimed.append(message)
        else:
            run.already.append(message.to)
    refused: list[Message] = []

    def failed(message: Message, exc: Exception) -> None:
        log.warning("The reminder to %s was refused: %s", message.to, exc)
        refused.append(message)

    try:
        sent = await mailer.send(claimed, settings, failed)
    except Exception:
        for message in claimed:  # the server could not be reached: nothing went
            await _release(message, on)
        raise
    for message in refused:
        await _release(message, on)
    run.sent = [message.to for message in sent]
    run.failed = [message.to for message in refused]
    return run
