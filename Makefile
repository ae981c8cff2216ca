# Two commands for a fresh machine: `make demo` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PASSWORD ?= Demo-2026!
DEMO_DB := $(CURDIR)/instance/demo.db
STAMP := $(VENV)/.installed

.PHONY: demo test test-sqlite test-postgres install translations lint clean-demo fonts worker scheduler

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

test: install translations fonts
	$(BIN)/ruff check .
	$(BIN)/python -m pytest
	@admin=$$(scripts/pg_admin_url.sh); \
	if [ -n "$$admin" ]; then \
		echo "== again on PostgreSQL ($$admin, throw-away database) =="; \
		TEST_DATABASE_URL=$$admin $(BIN)/python -m pytest; \
	else echo "== no PostgreSQL answers on localhost: SQLite only =="; fi

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
