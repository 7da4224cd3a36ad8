"""The runner `make eval` and `make bench` share: import each section module and print its report.

Each section is a module with `report(shared: Path) -> str`; a section whose data is missing says so and is
skipped, so neither command fails for want of ../shared.
"""

from __future__ import annotations

import argparse
import importlib
import time
from pathlib import Path


def run_sections(package: str, sections: tuple[str, ...], argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=f"python -m {package}")
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("sections", nargs="*", default=list(sections))
    args = parser.parse_args(argv)
    if not args.shared.is_dir():
        print(f"skipped: no shared data at {args.shared} ({package} reads ../shared/seed and ../shared/data)")
        return 0
    for name in args.sections:
        module = importlib.import_module(f"{package}.{name}")
        started = time.perf_counter()
        print(module.report(args.shared))
        print(f"[{name}: {time.perf_counter() - started:.1f} s]\n", flush=True)
    return 0
