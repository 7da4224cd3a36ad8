"""`make bench`: every benchmark, each section printing its figures (medians and ratios from one run)."""
