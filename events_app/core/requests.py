"""Small helpers controllers share: the client's address and the parsed form."""

from __future__ import annotations

from litestar import Request

from events_app.core.forms import FormReader


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


async def read_form(request: Request) -> FormReader:
    return FormReader(await request.form())
