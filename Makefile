# Two commands: `make run` (set up + serve on SQLite) and `make test` (set up + the whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
ROUND ?= 2026
# The suite runs in two pytest-xdist workers (README "Tests and CI"); `make test PYTEST_ARGS=` runs it serially.
# worksteal keeps pytest-django's order (transactional tests, which flush the tables, last on each worker).
PYTEST_ARGS ?= -n 2 --dist worksteal
HOST ?= 127.0.0.1:8000

.PHONY: setup run test lint messages bench bench-phone bench-uploads bench-intake bench-shandong prod loadtest clean

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $@

# The translation catalogs are compiled here, so `make run`, `make test` and `make prod` all have them
# (msgfmt when GNU gettext is installed, else polib: site/smartsite/catalogs.py); .mo files are build output.
setup: $(VENV)/.installed
	$(BIN)/python site/smartsite/catalogs.py locale

# Gather the product's strings into locale/en and locale/zh_Hans (both domains), sorted and without locations so
# branches merge (locale/README.md). Needs GNU gettext (apt-get install gettext).
messages: setup
	DEBUG=1 $(MANAGE) makemessages -l en -l zh_Hans
	DEBUG=1 $(MANAGE) makemessages -d djangojs -l en -l zh_Hans
	$(BIN)/python site/smartsite/catalogs.py locale

# `make run HOST=0.0.0.0:8080` serves on another address or port. The background worker (exports, QR batches)
# runs beside the dev server and stops with it; both write to var/log/, so the console ends with the address and
# the six demo logins (devtools' demo_logins, printed once the server answers).
run: setup
	mkdir -p var/log
	DEBUG=1 $(MANAGE) migrate --noinput
	DEBUG=1 $(MANAGE) load_standard
	DEBUG=1 $(MANAGE) open_round $(ROUND) --name $(ROUND)年度
	DEBUG=1 $(MANAGE) seed_demo
	DEBUG=1 $(MANAGE) seed_demo_results
	DEBUG=1 $(MANAGE) seed_demo_pilots
	DEBUG=1 $(MANAGE) db_worker --no-reload >>var/log/db_worker.log 2>&1 & worker=$$!; \
		trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
		(DEBUG=1 $(MANAGE) demo_logins --host $(HOST) --wait 60 &); \
		DEBUG=1 $(MANAGE) runserver $(HOST) >>var/log/runserver.log 2>&1 || { tail -n 5 var/log/runserver.log; exit 1; }

lint: setup
	$(BIN)/ruff check .

test: setup lint
	DATABASE_URL=sqlite:///$(CURDIR)/var/check.sqlite3 DJANGO_SETTINGS_MODULE=smartsite.settings.test \
		$(MANAGE) makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Benchmarks (issue 6): SQLite by default, `make bench DATABASE_URL=postgres://…` for PostgreSQL (own databases).
bench: setup
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# The phone on emulated slow 3G against gunicorn + production settings (issue 10): bench/results-phone.json.
bench-phone: setup
	$(BIN)/python -m bench.phone $(BENCH_ARGS)

# Another community's save while five 49 MP PNGs are processed (issue 11): bench/results-uploads.json.
bench-uploads: setup
	$(BIN)/python -m bench.uploads $(BENCH_ARGS)

# Time and peak memory of hostile and large inputs on the path that takes each (issue 19): bench/results-intake.json.
bench-intake: setup
	$(BIN)/python -m bench.intake

# The views at Shandong's size, timed as their users open them (issue 17): bench/results-shandong.json. The imported
# and filled database is kept under var/ (BENCH_ARGS=--rebuild builds it again); DATABASE_URL=postgres://… as above.
bench-shandong: setup
	$(BIN)/python -m bench.shandong_views $(BENCH_ARGS)

# Production-style serving: static files collected for WhiteNoise, migrations, gunicorn on $(HOST).
# Needs SECRET_KEY (and usually DATABASE_URL, ALLOWED_HOSTS) in the environment; see README.md, "Production".
prod: setup
	DJANGO_SETTINGS_MODULE=smartsite.settings.production $(MANAGE) collectstatic --noinput -v 0
	DJANGO_SETTINGS_MODULE=smartsite.settings.production $(MANAGE) migrate --noinput
	DJANGO_SETTINGS_MODULE=smartsite.settings.production GUNICORN_BIND=$(HOST) \
		$(BIN)/gunicorn -c deploy/gunicorn.conf.py smartsite.wsgi

# 50 simulated workers for 60 s against gunicorn + PostgreSQL on 127.0.0.1 (README.md, "Load test"): on
# LOADTEST_DATABASE_URL, or else on a throwaway PostgreSQL cluster it starts and removes itself.
loadtest: setup
	$(BIN)/python -m bench.loadtest.run $(LOADTEST_ARGS)

clean:
	rm -rf $(VENV) var/*.sqlite3*
