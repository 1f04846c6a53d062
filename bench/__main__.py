"""`python -m bench`: run every benchmark module (bench_*.py), or those named on the command line."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import bench
from bench.common import run


def main(names: list[str]) -> None:
    modules = sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_"))
    for name in names or modules:
        module = importlib.import_module(f"bench.{name}")
        run(module.main())


if __name__ == "__main__":
    main(sys.argv[1:])
