# Newsmag: `make run` sets everything up and serves the demo site; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1:8000

.PHONY: run test install lint format migrate demo clean-data bench backup restore

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Newsmag needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# Development server with the demo newsroom (embedded PostgreSQL unless DATABASE_URL is set).
run: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_demo
	@echo "Serving Newsmag at http://$(HOST)/ (admin: http://$(HOST)/admin/)"
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Lint (ruff; the import contracts in pyproject.toml), migration check and the pytest suite on PostgreSQL
# (DATABASE_URL if set, else the embedded server).
test: lint
	DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Benchmark: a large generated newsroom under gunicorn with production settings (see tests/bench/__main__.py).
# Smaller: make bench ARTICLES=10000 COMMENTS=100000
ARTICLES ?= 100000
COMMENTS ?= 1000000
bench: install
	$(BIN)/python -m tests.bench --articles $(ARTICLES) --comments $(COMMENTS) $(BENCH_ARGS)

# Backups: database (pg_dump custom format) + media into backups/<time>/; restore into an empty database.
backup: install
	$(BIN)/python manage.py backup_site
restore: install
	@test -n "$(BACKUP)" || (echo "usage: make restore BACKUP=backups/<time>" && exit 2)
	$(BIN)/python manage.py restore_site $(BACKUP)

clean-data:
	rm -rf .data media
