"""Run every evaluation section on ../shared (or --shared DIR) and print its tables.

Each section is a module of this package with `report(shared: Path) -> str`; a section whose data is
missing says so and is skipped, so the command never fails for want of ../shared.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path

SECTIONS = ("summaries", "extraction", "figures", "speakers", "ask")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation")
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("sections", nargs="*", default=list(SECTIONS))
    args = parser.parse_args(argv)
    if not args.shared.is_dir():
        print(
            f"skipped: no shared data at {args.shared} (evaluation needs ../shared/seed and ../shared/data)"
        )
        return 0
    for name in args.sections:
        try:
            module = importlib.import_module(f"evaluation.{name}")
        except ModuleNotFoundError as error:
            if error.name == f"evaluation.{name}":
                print(f"[{name}] not built yet\n")
                continue
            raise
        started = time.perf_counter()
        print(module.report(args.shared))
        print(f"[{name}: {time.perf_counter() - started:.1f} s]\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
