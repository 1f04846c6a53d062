"""`python -m bench`: run every benchmark module (bench_*.py), or those named on the command line
(`bench_search` or `search`); one named with options gets them: `python -m bench http --engine sqlite`."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import bench
from bench.common import run


def main(names: list[str]) -> None:
    modules = sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_"))
    if names and any(name.startswith("-") for name in names):  # one benchmark and its options: http --engine sqlite
        name, *options = names
        run(importlib.import_module(f"bench.{_module(name)}").main(options))
        return
    for name in names or modules:
        module = importlib.import_module(f"bench.{_module(name)}")
        run(module.main())


def _module(name: str) -> str:
    """`http` is bench_http."""
    return name if name.startswith("bench_") else f"bench_{name}"


if __name__ == "__main__":
    main(sys.argv[1:])
