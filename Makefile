# Every target sets itself up: a fresh clone needs only `make run` or `make test`.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
SHARED ?= ../shared

.PHONY: install run console test test-backends fuzz eval bench train lint fmt clean

$(PY):
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) -m bot

console: $(STAMP)
	$(PY) -m bot --console

# The suite in TEST_WORKERS processes (pytest-xdist), one test file per process: most of its time is spent
# waiting (kills, restarts, timeouts), so four processes halve it even on two cores. TEST_WORKERS=0 runs it
# in one process.
TEST_WORKERS ?= 4
test: $(STAMP)
	$(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadfile

# The same suite with PostgreSQL and Redis started on loopback first (what .ci/run does).
test-backends: $(STAMP)
	eval "$$(bash .ci/services)" && $(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadfile

# The fuzz suite with a larger budget (FUZZ_UPDATES updates through the real Application; make test runs 2,000).
FUZZ_UPDATES ?= 20000
fuzz: $(STAMP)
	FUZZ_UPDATES=$(FUZZ_UPDATES) $(PY) -m pytest -q -s tests/test_fuzz_bot.py --timeout=3600

eval: $(STAMP)
	$(PY) -m evaluation --shared $(SHARED)

bench: $(STAMP)
	$(PY) -m benchmarks --shared $(SHARED)

# the attribution tagger (summarize/data/attribution.crfsuite) from PolNeAR train; CPU, about 10 minutes
train: $(STAMP)
	$(PY) -m training.attribution --shared $(SHARED)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

fmt: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
