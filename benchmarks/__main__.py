"""`make bench`: every benchmark section on ../shared (or --shared DIR), medians and ratios from one run."""

from __future__ import annotations

import sys

from evaluation.sections import run_sections

SECTIONS = ("brief", "scaling", "fairness", "storage", "bot", "ask", "feeds", "scale")

if __name__ == "__main__":
    sys.exit(run_sections("benchmarks", SECTIONS))
