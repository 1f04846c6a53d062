"""Links, form actions and redirects go through route names, so a path is spelled in one place: its handler.

Templates call `url_for(name, **params)` (media and static files: `url_for('media' | 'static', file_path=…)`);
controllers redirect with `core.navigation.redirect_to` or `request.app.route_reverse`. These tests read
the sources of every domain with web pages (accounts, events, directory, booths, matchmaking, mou,
catalogue, calendars) and of `web/`.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from events_app.core.settings import PROJECT_ROOT
from events_app.core.templating import TEMPLATES_DIR

DOMAINS = ("accounts", "events", "directory", "booths", "matchmaking", "mou", "catalogue", "calendars", "web")
TEMPLATE_FOLDERS = ("accounts", "booths", "calendars", "catalogue", "directory", "errors", "events", "matchmaking",
                    "mou", "staff")
# The PDF templates are not served to a browser: WeasyPrint resolves their relative links against an explicit
# base and a fetcher that reads only our files.
NOT_SERVED = ("catalogue/pdf",)

# An attribute whose value starts with one "/" (two would lead to another host).
LITERAL_LINK = re.compile(r"""\b(href|action|src|formaction)\s*=\s*["']?/(?!/)""", re.IGNORECASE)
# A path spelled out inside a Jinja tag, such as {% set action = "/events" %}.
JINJA_TAG = re.compile(r"{{.*?}}|{%.*?%}", re.DOTALL)
PATH_LITERAL = re.compile(r"""(["'])/[\w.-]""")
URL_FOR = re.compile(r"""\burl_for\(\s*["']([\w.-]+)["']""")


def _templates() -> list[Path]:
    paths = sorted(TEMPLATES_DIR.glob("*.html"))
    for folder in TEMPLATE_FOLDERS:
        paths += sorted((TEMPLATES_DIR / folder).rglob("*.html"))
    return [p for p in paths if not any(p.relative_to(TEMPLATES_DIR).as_posix().startswith(n) for n in NOT_SERVED)]


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def test_the_walk_finds_the_templates():
    names = {p.relative_to(TEMPLATES_DIR).as_posix() for p in _templates()}
    assert {"base.html", "home.html", "accounts/login.html", "events/detail.html", "catalogue/products.html",
            "directory/products.html", "staff/dashboard.html", "errors/error.html", "booths/_panel.html",
            "booths/staff_applications.html", "matchmaking/matches.html", "mou/staff_mous.html",
            "catalogue/_event_panel.html"} <= names
    assert not any(name.startswith("catalogue/pdf/") for name in names)


def _spelled_paths(text: str) -> list[str]:
    found = [f"line {_line(text, m.start())}: {m.group(0)}…" for m in LITERAL_LINK.finditer(text)]
    for tag in JINJA_TAG.finditer(text):
        found += [f"line {_line(text, tag.start())}: {tag.group(0)[:80]}" for _ in PATH_LITERAL.finditer(tag.group(0))]
    return found


def test_the_check_catches_a_path_spelled_in_a_template():
    spelled = ['<a href="/events">', "<form action='/login'>", '<img src="/media/{{ p.image }}">',
               '{% set action = "/calendar" %}', '{{ "/products/" ~ slug }}']
    fine = ['<a href="{{ url_for(\'events\') }}">', '<a href="?page=2">', '<a href="#main">', '<a href="//example.org">',
            '<img src="media/{{ p.image }}">', '{{ url_for("products") }}?event={{ slug }}', '{{ x | replace("/", "-") }}']
    assert [bool(_spelled_paths(t)) for t in spelled + fine] == [True] * len(spelled) + [False] * len(fine)


@pytest.mark.parametrize("path", _templates(), ids=lambda p: p.relative_to(TEMPLATES_DIR).as_posix())
def test_templates_spell_no_internal_path(path: Path):
    found = _spelled_paths(path.read_text(encoding="utf-8"))
    assert not found, "use url_for(route_name, …) rather than a path:\n" + "\n".join(found)


def test_every_route_name_in_the_templates_exists(app):
    names = {handler.name for route in app.routes for handler in route.route_handlers if handler.name}
    used = {}
    for path in sorted(TEMPLATES_DIR.rglob("*.html")):
        for match in URL_FOR.finditer(path.read_text(encoding="utf-8")):
            used.setdefault(match.group(1), path.relative_to(TEMPLATES_DIR).as_posix())
    assert used, "no url_for found: the pattern is wrong"
    unknown = {name: where for name, where in used.items() if name not in names}
    assert not unknown, f"url_for of routes that do not exist: {unknown}"
    # url_for(route_name, **path_params) takes the route's name as `name`: no path parameter may be called so.
    clashing = [h.name for route in app.routes for h in route.route_handlers if "name" in getattr(route, "path_parameters", {})]
    assert not clashing, f"routes with a path parameter called `name`: {clashing}"


# Controllers ---------------------------------------------------------------------------------------

def _modules() -> list[Path]:
    return sorted(p for domain in DOMAINS for p in (PROJECT_ROOT / "events_app" / domain).glob("*.py"))


def _spelled_path(node: ast.expr | None) -> bool:
    """A path written in the source: "/…", f"/…{x}", or "/…" + x."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and node.value.startswith("/")
    if isinstance(node, ast.JoinedStr):
        return bool(node.values) and _spelled_path(node.values[0])
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return _spelled_path(node.left)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _spelled_path(node.func.value)
    return False


def _redirect_targets(tree: ast.AST):
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if name != "Redirect":
            continue
        yield node, node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "path"), None)


def test_the_check_catches_a_redirect_to_a_spelled_path():
    source = 'Redirect("/account")\nRedirect(f"/staff/events/{n}")\nRedirect(path="/x" + q)\nRedirect(url)\n'
    assert [_spelled_path(target) for _, target in _redirect_targets(ast.parse(source))] == [True, True, True, False]


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(PROJECT_ROOT).as_posix())
def test_controllers_redirect_to_named_routes(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = [f"line {node.lineno}: {ast.unparse(node)}" for node, target in _redirect_targets(tree) if _spelled_path(target)]
    assert not found, "redirect with redirect_to(request, route_name, …) rather than a path:\n" + "\n".join(found)


def test_the_signed_in_user_comes_as_the_current_user_dependency():
    found = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "user" and isinstance(node.value, ast.Name) \
                    and node.value.id in ("request", "connection"):
                found.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}")
    assert not found, "declare `current_user: NamedDependency[CurrentUser]` rather than reading request.user:\n" + \
        "\n".join(found)
