"""`make eval`: every evaluation section on ../shared (or --shared DIR), each printed as one table."""

from __future__ import annotations

import sys

from evaluation.sections import run_sections

SECTIONS = (
    "summaries",
    "extraction",
    "figures",
    "speakers",
    "polnear",
    "attribution",
    "heldout",
    "gold_real",
    "figure_claims",
    "ask",
)

if __name__ == "__main__":
    sys.exit(run_sections("evaluation", SECTIONS))
