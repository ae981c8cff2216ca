# Two commands for a fresh machine: `make demo` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PASSWORD ?= Demo-2026!
DEMO_DB := $(CURDIR)/instance/demo.db
STAMP := $(VENV)/.installed

.PHONY: demo test test-sqlite test-postgres install translations lint clean-demo fonts browser worker scheduler

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

translations: $(STAMP)
	@for dir in procuracy/translations procuracy/*/*translations; do \
		if ls $$dir/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
			$(BIN)/pybabel -q compile -d $$dir || exit 1; fi; done

demo: install translations fonts
	mkdir -p instance
	@if [ ! -f $(DEMO_DB) ]; then \
		DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/flask --app wsgi db upgrade && \
		DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/flask --app wsgi seed-demo --password '$(PASSWORD)' --cases 3000; \
	else echo "Using the existing $(DEMO_DB) (make clean-demo to start over)"; fi
	@echo "Demo accounts: ROLE1@CODE, e.g. prosecutor1@440105 chief1@440105 casemanager1@440100 inspector1@440000 admin1@440105; password: $(PASSWORD)"
	DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/flask --app wsgi run --host 127.0.0.1 --port 5000

clean-demo:
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm

# The suite runs on SQLite, then on PostgreSQL (when one answers), each spread over the
# machine's cores (pytest-xdist); the browser journeys (tests/e2e) run once, at the end.
PYTEST_WORKERS ?= auto
test: install translations fonts browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --ignore=tests/e2e
	@admin=$$(scripts/pg_admin_url.sh); \
	if [ -n "$$admin" ]; then \
		echo "== again on PostgreSQL ($$admin, throw-away database) =="; \
		TEST_DATABASE_URL=$$admin $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --ignore=tests/e2e; \
	else echo "== no PostgreSQL answers on localhost: SQLite only =="; fi
	@echo "== the journeys in a real browser (tests/e2e) =="
	$(BIN)/python -m pytest tests/e2e

# Debian's chromium for the browser journeys: installed when the machine allows (root and
# apt-get); otherwise the journeys are skipped with a message saying so.
browser:
	@bash scripts/ensure_chromium.sh

# PDFs need an embedded CJK font (and poppler-utils for their tests): install or stop.
fonts:
	@bash scripts/ensure_cjk_font.sh

# With REDIS_URL set (e.g. REDIS_URL=redis://localhost:6379/0 make worker): one worker
# for both queues; start more for more throughput. Run exactly one scheduler.
worker: install fonts
	@test -n "$(REDIS_URL)" || { echo "set REDIS_URL, e.g. REDIS_URL=redis://localhost:6379/0"; exit 1; }
	REDIS_URL=$(REDIS_URL) $(BIN)/rq worker -w jobs.runner.Worker --url $(REDIS_URL) default pdf

scheduler: install
	@test -n "$(REDIS_URL)" || { echo "set REDIS_URL, e.g. REDIS_URL=redis://localhost:6379/0"; exit 1; }
	TZ=Asia/Shanghai REDIS_URL=$(REDIS_URL) $(BIN)/rq cron --url $(REDIS_URL) jobs.cron_config

lint: install
	$(BIN)/ruff check .

# Generated API requests (tests/test_api_schemathesis.py) for longer than `make test` does:
# FUZZ_EXAMPLES per operation, a fresh seed each run (FUZZ_SEED=N to replay one), on
# SQLite, then on PostgreSQL when one answers.
FUZZ_EXAMPLES ?= 200
FUZZ_SEED ?= $(shell date +%s)
.PHONY: fuzz-api
fuzz-api: install translations
	@echo "== schemathesis: $(FUZZ_EXAMPLES) examples per operation, seed $(FUZZ_SEED) =="
	SCHEMATHESIS_EXAMPLES=$(FUZZ_EXAMPLES) SCHEMATHESIS_SEED=$(FUZZ_SEED) \
		$(BIN)/python -m pytest tests/test_api_schemathesis.py
	@admin=$$(scripts/pg_admin_url.sh); \
	if [ -n "$$admin" ]; then \
		TEST_DATABASE_URL=$$admin SCHEMATHESIS_EXAMPLES=$(FUZZ_EXAMPLES) \
		SCHEMATHESIS_SEED=$(FUZZ_SEED) $(BIN)/python -m pytest tests/test_api_schemathesis.py; \
	fi

# Every benchmark (bench/all.py) on a PostgreSQL bench database, figures as ratios to
# their baselines. Reuses procuracy_bench (1,000,000 cases) if it is there, else builds
# it; a quick run: make bench BENCH_SCALE=small (20,000 cases, few repetitions).
# BENCH_CASES=N picks another size, BENCH_URL=postgresql://SUPERUSER@HOST/DB the database,
# BENCH_ONLY=scope,case-listing,assignments,scoring,sampling,bulletin some of them.
.PHONY: bench
bench: install translations fonts
	BENCH_SCALE=$(BENCH_SCALE) BENCH_CASES=$(BENCH_CASES) BENCH_URL=$(BENCH_URL) \
		BENCH_ONLY=$(BENCH_ONLY) $(BIN)/python -m bench.all

# Load test (bench/load, docs/PERFORMANCE.md "Load"): Locust headless against gunicorn on a
# throw-away PostgreSQL database with the demo province; figures in bench/out/load/.
# LOAD_ARGS, e.g. "--users 40 --time 60 --cases 3000" (python -m bench.load.run --help).
.PHONY: load
load: install translations
	$(BIN)/pip install --quiet -e '.[load]'
	$(BIN)/python -m bench.load.run $(LOAD_ARGS)

# Fault tests (tests/faults): they kill workers and RESTART the machine's PostgreSQL and
# Redis (FAULTS_PG_ADMIN_URL, FAULTS_REDIS_URL choose others), then put them back.
.PHONY: faults
faults: install translations fonts
	FAULTS=1 $(BIN)/python -m pytest tests/faults -s

# Only the browser journeys, in Debian's chromium (screenshots in tests/e2e/screenshots/).
.PHONY: e2e
e2e: install translations browser
	$(BIN)/python -m pytest tests/e2e
