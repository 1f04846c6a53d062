"""Layers import downwards only: a module may import its own package and the layers below it.

core → reference → directory → accounts → recognition → events → booths → matchmaking → mou
→ reminders → catalogue → imports → exports → reports → calendars → web → demo → operations → cli. A lower domain that needs something
from a higher one gets it as an argument, or through a hook the higher one registers in the app
factory (web/wiring.py).
Controllers are the web layer's business: no other domain imports them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "events_app"
ORDER = [
    "core", "reference", "directory", "accounts", "recognition", "events", "booths", "matchmaking", "mou",
    "reminders", "catalogue", "imports", "exports", "reports", "calendars", "web", "demo", "operations", "cli", "__main__",
]
LAYER = {name: rank for rank, name in enumerate(ORDER)} | {"__init__": 0}  # the package itself: its version


def _modules() -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py")) if "piccolo_migrations" not in p.parts]


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every events_app import in the file, at any depth (lazy ones count too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "events_app":
            if node.module == "events_app":
                found += [(node.lineno, f"events_app.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("events_app.")]
    return found


def _layer_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def back_edges() -> list[str]:
    edges = []
    for path in _modules():
        here = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        if here not in LAYER:
            edges.append(f"{path.relative_to(PACKAGE)}: package {here!r} has no place in the layer order")
            continue
        for line, module in _imports(path):
            there = _layer_of(module)
            if there is None or there == here or there not in LAYER:
                continue
            if LAYER[there] > LAYER[here]:
                edges.append(f"{path.relative_to(PACKAGE)}:{line} ({here}) imports {module} ({there}, above)")
            elif module.endswith(".controllers") and here != "web":
                edges.append(f"{path.relative_to(PACKAGE)}:{line} imports another domain's controllers: {module}")
    return edges


def package_cycles() -> list[str]:
    """Modules of one package that import each other, directly or through others of that package."""
    graph: dict[str, set[str]] = {}
    for path in _modules():
        name = ".".join(("events_app", *path.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(".__init__")
        graph[name] = {m for _, m in _imports(path)}
    cycles = []
    for start in graph:
        stack, seen = [start], set()
        while stack:
            for nxt in graph.get(stack.pop(), ()):
                if nxt == start:
                    cycles.append(start)
                    stack = []
                    break
                if nxt not in seen and nxt.rsplit(".", 1)[0] == start.rsplit(".", 1)[0]:
                    seen.add(nxt)
                    stack.append(nxt)
    return sorted(set(cycles))


def test_no_module_imports_a_layer_above_its_own():
    assert back_edges() == []


def test_no_import_cycles_inside_a_package():
    assert package_cycles() == []


@pytest.mark.parametrize("source, expected", [
    ("from events_app.booths.tables import Booth\n", "imports events_app.booths.tables (booths, above)"),
    ("def f():\n    from events_app.web.app import create_app\n", "imports events_app.web.app (web, above)"),
])
def test_the_check_sees_an_upward_import(tmp_path, monkeypatch, source, expected):
    fake = tmp_path / "events_app"
    (fake / "events").mkdir(parents=True)
    (fake / "events" / "bad.py").write_text(source)
    monkeypatch.setattr(__import__(__name__, fromlist=["PACKAGE"]), "PACKAGE", fake)
    assert any(expected in edge for edge in back_edges())


def test_the_check_sees_a_cycle_inside_a_package(tmp_path, monkeypatch):
    fake = tmp_path / "events_app"
    (fake / "catalogue").mkdir(parents=True)
    (fake / "catalogue" / "pdf.py").write_text("def render():\n    from events_app.catalogue.fetcher import F\n")
    (fake / "catalogue" / "fetcher.py").write_text("from events_app.catalogue.pdf import render\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["PACKAGE"]), "PACKAGE", fake)
    assert package_cycles() == ["events_app.catalogue.fetcher", "events_app.catalogue.pdf"]
