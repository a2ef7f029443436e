# Newsmag: `make run` sets everything up and serves the demo site; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1:8000

.PHONY: run test install lint format migrate demo clean-data bench backup restore fonts

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
# DATABASE_URL if set, else the embedded server of `make run` (asked for: outside DEBUG it never starts alone).
backup: install
	NEWSMAG_EMBEDDED_DB=1 $(BIN)/python manage.py backup_site
restore: install
	@test -n "$(BACKUP)" || (echo "usage: make restore BACKUP=backups/<time>" && exit 2)
	NEWSMAG_EMBEDDED_DB=1 $(BIN)/python manage.py restore_site $(BACKUP)

clean-data:
	rm -rf .data media

# The headline web font (README: "Web font"): Source Serif 4 Bold from its npm package, subset to Latin with
# the curly quotes, dashes and ellipsis, as WOFF2, with its licence. Run it only to change the font.
FONT_PACKAGE := @fontsource/source-serif-4@5.3.1
FONT_UNICODES := U+0020-007E,U+00A0-00FF,U+0131,U+0152-0153,U+2013-2014,U+2018-2019,U+201C-201E,U+2022,U+2026,U+2039-203A,U+20AC
fonts: install
	rm -rf .font-source && mkdir .font-source
	cd .font-source && npm pack --silent $(FONT_PACKAGE) >/dev/null && tar xzf *.tgz
	$(BIN)/pyftsubset .font-source/package/files/source-serif-4-latin-700-normal.woff2 \
		--unicodes="$(FONT_UNICODES)" --layout-features="kern,liga,clig,calt,ccmp,locl,mark,mkmk,onum,lnum,pnum,tnum" \
		--flavor=woff2 --output-file=static/fonts/source-serif-4-latin-700.woff2
	cp .font-source/package/LICENSE static/fonts/SourceSerif4-LICENSE.txt
	rm -rf .font-source
