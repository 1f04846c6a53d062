"""Site-wide pages: home, health check, language switch."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template

from events_app import __version__
from events_app.accounts.tables import User
from events_app.core.db import ping
from events_app.events.services import upcoming_events
from events_app.core.i18n import LANGUAGES
from events_app.core.identity import CurrentUser
from events_app.core.requests import read_form


@get("/", name="home")
async def home() -> Template:
    return Template(template_name="home.html", context={"events": await upcoming_events()})


@get("/healthz", name="healthz", cache=False)
async def healthz() -> Response[dict[str, Any]]:
    reachable = await ping()
    return Response(
        {"status": "ok" if reachable else "unavailable", "database": reachable, "version": __version__},
        status_code=200 if reachable else 503,
    )


@post("/language", name="set_language")
async def set_language(request: Request, current_user: NamedDependency[CurrentUser | None]) -> Redirect:
    form = await read_form(request)
    language = form.choice("language", LANGUAGES, required=False)  # anything else changes nothing
    if language:
        request.session["lang"] = language
        if current_user is not None:
            await User.update({User.language: language}).where(User.id == current_user.id)
    return Redirect(form.local_path("next"))


ROUTES = [home, healthz, set_language]
