# Two commands: `make run` (set up + serve on SQLite) and `make test` (set up + the whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
ROUND ?= 2026
HOST ?= 127.0.0.1:8000

.PHONY: setup run test lint bench prod clean

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $@

setup: $(VENV)/.installed

run: setup
	mkdir -p var
	DEBUG=1 $(MANAGE) migrate --noinput
	DEBUG=1 $(MANAGE) load_standard
	DEBUG=1 $(MANAGE) open_round $(ROUND) --name $(ROUND)年度
	DEBUG=1 $(MANAGE) seed_demo
	DEBUG=1 $(MANAGE) runserver $(HOST)

lint: setup
	$(BIN)/ruff check .

test: setup lint
	DATABASE_URL=sqlite:///$(CURDIR)/var/check.sqlite3 DJANGO_SETTINGS_MODULE=smartsite.settings.test \
		$(MANAGE) makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var/*.sqlite3*
