"""The Jinja environment: templates from templates/, gettext from our catalogues, display filters."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from events_app.core import i18n
from events_app.core.kept import KeptFragments
from events_app.core.labels import label, options
from events_app.core.navigation import address_parts
from events_app.core.settings import PROJECT_ROOT

TEMPLATES_DIR = PROJECT_ROOT / "templates"


def stars(n: int | None) -> str:
    """Star rating as text, e.g. ★★★★☆ for 4 of 5."""
    if not n:
        return ""
    return "★" * n + "☆" * (5 - n)


def datetime_input(value) -> str:
    """A moment as the value of a datetime-local input, in Vietnam's time."""
    return i18n.to_local(value).strftime("%Y-%m-%dT%H:%M") if value else ""


def localized(row: dict, field: str = "title") -> str:
    """The English text of a field when reading in English and one exists, else the Vietnamese."""
    if i18n.current_language() == "en" and row.get(f"{field}_en"):
        return row[f"{field}_en"]
    return row[f"{field}_vi"]


def choice_list(rows: list[dict], value: str = "id", text: str = "name") -> list[tuple[str, str]]:
    """(value, text) pairs of rows, for selects and checkboxes."""
    return [(str(row[value]), row[text]) for row in rows]


def return_path(request) -> str:
    """Where the language switch sends the reader back: this page, or, when this page is the answer
    to a form (a POST, which cannot be opened again), the page that form was on."""
    if request.method == "GET":
        query = request.url.query
        return request.url.path + (f"?{query}" if query else "")
    referer = address_parts(request.headers.get("referer"))
    if referer.netloc and referer.netloc == request.headers.get("host") and referer.path.startswith("/"):
        return referer.path + (f"?{referer.query}" if referer.query else "")
    return "/"


def build_environment(directory: Path = TEMPLATES_DIR) -> Environment:
    env = Environment(
        loader=FileSystemLoader(directory),
        autoescape=select_autoescape(["html", "xml", "svg"]),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n", KeptFragments],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(gettext=i18n.gettext, ngettext=i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        date=i18n.format_date,
        datetime=i18n.format_datetime,
        time=i18n.format_time,
        vnd=i18n.format_vnd,
        number=i18n.format_number,
        stars=stars,
        datetime_input=datetime_input,
    )
    env.globals.update(
        LANGUAGES=i18n.LANGUAGES,
        current_language=i18n.current_language,
        label=label,
        localized=localized,
        choice_list=choice_list,
        options=options,
        return_path=return_path,
    )
    return env


def template_config(env: Environment | None = None) -> TemplateConfig:
    engine = JinjaTemplateEngine.from_environment(env or build_environment())
    engine.register_template_callable("url_for", kept_url_for)
    return TemplateConfig(engine=engine)


@lru_cache(maxsize=8192)
def _reverse(app: Any, name: str, parameters: tuple) -> str:
    return app.route_reverse(name, **dict(parameters))


def kept_url_for(context: Mapping[str, Any], /, route_name: str, **path_parameters: Any) -> str:
    """Litestar's `url_for`, remembered: the routes do not change while the app runs, and every
    page asks for the same dozen links of its navigation."""
    app = context["request"].app
    try:
        return _reverse(app, route_name, tuple(sorted(path_parameters.items())))
    except TypeError:  # a parameter that cannot be a key
        return app.route_reverse(route_name, **path_parameters)
