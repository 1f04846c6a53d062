"""`make fuzz`: the hostile-input fuzzing of tests/web/test_hostile_fuzz.py at length, at random,
a thousand examples a form (or `--examples N`), on SQLite or on the PostgreSQL of DATABASE_URL.

Every form and query string the app has is fuzzed unless `--only` names some (a piece of the
method and path, as pytest shows them: `--only "POST /my/products/new" --only /staff/events`).
It fails on a server error or on a refused request that wrote anything, with Hypothesis's
smallest example; then it prints the cases run and the time taken.

    .venv/bin/python -m bench.fuzz_forms --examples 1000 --only "POST /signup"
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST = "tests/web/test_hostile_fuzz.py::test_hostile_values_never_answer_500_nor_write_half"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fuzz_forms", description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=int(os.environ.get("FUZZ_EXAMPLES", "1000")),
                        help="examples a form (default 1000)")
    parser.add_argument("--only", action="append", default=[], help="forms whose 'METHOD /path' contains this")
    args = parser.parse_args(argv)
    if args.examples < 1:
        parser.error("--examples must be at least 1")
    env = {**os.environ, "FUZZ_EXAMPLES": str(args.examples), "FUZZ_ONLY": "\n".join(args.only)}
    started = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "pytest", TEST, "-q", "-n", "0", "-p", "no:cacheprovider",
                          "-p", "no:logging"], cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - started
    sys.stdout.write(run.stdout[-20_000:])
    sys.stderr.write(run.stderr[-5_000:])
    counts = dict((kind, int(n)) for n, kind in re.findall(r"(\d+) (passed|failed|error)", run.stdout))
    forms = sum(counts.values())
    engine = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    print(f"\n{forms} forms × {args.examples} examples = {forms * args.examples:,} cases on {engine} in {seconds:.0f} s: "
          f"{counts.get('passed', 0)} passed, {counts.get('failed', 0) + counts.get('error', 0)} failed")
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
