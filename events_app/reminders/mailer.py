"""Handing messages to the configured SMTP server, or to the log when there is none.

smtplib blocks: the batch is sent from a worker thread, over one connection (STARTTLS and a
log-in when the settings ask for them).
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Callable, Sequence

from events_app.core.settings import Settings
from events_app.reminders.digest import Message

log = logging.getLogger("events_app.reminders")


def email_of(message: Message, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1].strip("> ") or "localhost")
    email.set_content(message.text)
    email.add_alternative(message.html, subtype="html")
    return email


def is_configured(settings: Settings) -> bool:
    return bool(settings.smtp_host)


def _deliver(messages: Sequence[Message], settings: Settings, failed: Callable[[Message, Exception], None]) -> list[Message]:
    sent = []
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        for message in messages:
            try:
                smtp.send_message(email_of(message, settings.mail_from))
            except smtplib.SMTPException as exc:  # this recipient refused; the others still go
                failed(message, exc)
            else:
                sent.append(message)
    return sent


async def send(messages: Sequence[Message], settings: Settings,
               failed: Callable[[Message, Exception], None]) -> list[Message]:
    """The messages the server accepted. Without SMTP_HOST each is written to the log instead, and
    none counts as sent."""
    if not messages:
        return []
    if not is_configured(settings):
        for message in messages:
            log.info("No SMTP_HOST set: the reminder to %s is not sent.\nSubject: %s\n\n%s",
                     message.to, message.subject, message.text)
        return []
    return await asyncio.to_thread(_deliver, list(messages), settings, failed)
