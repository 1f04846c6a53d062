"""Small helpers controllers share: the client's address, the parsed form, a form's action."""

from __future__ import annotations

from typing import Awaitable

from litestar import Request
from litestar.plugins.flash import flash

from events_app.core.errors import DomainError
from events_app.core.forms import FormReader
from events_app.core.i18n import gettext


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


async def read_form(request: Request) -> FormReader:
    return FormReader(await request.form())


async def attempt(request: Request, action: Awaitable, success: str) -> bool:
    """Run a service call for a form: its refusal becomes an error message, its success `success`.

    What does not exist for the user stays a 404 page, so nobody learns of others' data this way.
    """
    try:
        await action
    except DomainError as exc:
        if exc.status_code == 404:
            raise
        flash(request, str(exc), "error")
        return False
    flash(request, gettext(success), "success")
    return True
