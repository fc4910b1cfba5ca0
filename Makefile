# baodao: `make demo` sets up and runs the main job on the bundled sample data; `make serve` starts the
# workbench with that data; `make test` sets up and runs the tests.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup system demo serve test test-scale lint gallery templates bench-generate bench-intake bench-scan bench-tally bench-web bench-scale fuzz clean

setup: system $(STAMP)

system:
	@bash scripts/setup-system.sh

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@$(BIN)/pip install -q -e '.[dev]'
	@touch $(STAMP)

demo: setup
	@bash scripts/demo.sh

# The workbench (`baodao serve`) on SQLite with the demo's data; prints the URL and the admin's password.
serve: setup
	@bash scripts/serve.sh

test: setup
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest -q

# City scale on PostgreSQL at full size: 2,000 issued forms with PDF and 2,000 returns, two workers, one killed
# (`make test` runs the same test with 200 of each).
test-scale: setup
	BAODAO_CITY_N=2000 BAODAO_REQUIRE_POSTGRES=1 $(BIN)/pytest -q -s -p no:cacheprovider tests/jobs/test_city.py

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

gallery: setup
	$(BIN)/baodao forms gallery --out output/gallery

templates: setup
	$(BIN)/python -m baodao.form_templates.builder
	$(BIN)/python -m baodao.jobs.layouts

bench-generate: setup
	$(BIN)/python -m bench.generate

bench-intake: setup
	$(BIN)/python -m bench.intake

bench-scan: setup
	$(BIN)/python -m bench.scan

# 100,000 members × 12 activities: fill (~10 s), derive facts (~35 s), then the timed tally.
bench-tally: setup
	$(BIN)/python -m bench.tally

# 20 clerks for 60 s against one `baodao serve` with 100,000 members, on SQLite and on PostgreSQL (a
# throwaway server, as the tests start one): p50/p95 per page kind, errors, lost uploads. Not part of `test`.
bench-web: setup
	$(BIN)/python -m bench.web

# Throughput with 1 and 2 worker processes (photo intake, issuing with PDF, DOCX intake), warm vs cold PDF.
bench-scale: setup
	$(BIN)/python -m bench.scale

# Long hypothesis campaigns (FUZZ_EXAMPLES each; minutes, not seconds): mutated DOCX and XLSX through
# intake, and file names and roster cell text (control, surrogate, right-to-left, very long) through
# generate, intake and export.
fuzz: setup
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-1500} $(BIN)/pytest -q -p no:cacheprovider --hypothesis-show-statistics \
		tests/intake/test_hostile.py tests/intake/test_fuzz.py -k "mutated or fuzz"

clean:
	rm -rf output/gallery output/demo
