# The two commands: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Development mode for the embedded default; production sets DEBUG=false and a real SECRET_KEY.
DEV_ENV := DEBUG=$${DEBUG:-true}

.PHONY: run serve test lint format messages makemessages bench bench-scale bench-slow3g bench-room bench-ci demo clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# A stamp per extra, rebuilt when pyproject.toml changes.
$(VENV)/.installed-run: pyproject.toml | $(PY)
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PIP) install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed-run

# Compiled catalogues are built from the .po files, never committed or hand-edited.
messages: $(VENV)/.installed-run
	$(PY) tools/compile_messages.py

makemessages: $(VENV)/.installed-dev
	$(DEV_ENV) $(PY) manage.py makemessages -l vi -l en --no-obsolete --ignore=.venv --ignore=var

# Static files as in production: collected under hashed names, compressed, cached a year, served by
# WhiteNoise (runserver's own static handler is off; after editing static/, run `make run` again).
RUN_ENV := $(DEV_ENV) STATIC_MANIFEST=$${STATIC_MANIFEST:-true}
run: $(VENV)/.installed-run messages
	mkdir -p var
	$(RUN_ENV) $(PY) manage.py migrate --no-input
	$(RUN_ENV) $(PY) manage.py collectstatic --no-input --verbosity 0
	$(RUN_ENV) $(PY) manage.py load_demo
	@$(RUN_ENV) $(PY) manage.py demo_logins --url http://$(HOST):$(PORT)
	@echo "Try the API (docs/api.md; documentation at http://$(HOST):$(PORT)/api/v1/docs/): a read token for"
	@echo "a demo login, shown once, then one call with it (in another terminal, in this folder):"
	@echo "  TOKEN=\$$(DEBUG=true $(PY) manage.py create_api_token bithu --name demo --scope read --days 30)"
	@echo "  curl -H \"Authorization: Bearer \$$TOKEN\" http://$(HOST):$(PORT)/api/v1/me"
	@echo ""
	$(RUN_ENV) $(PY) manage.py runserver --nostatic $(HOST):$(PORT)

# One pytest process per core (pytest-xdist), each with its own test database (var/test.sqlite3_gw0...,
# test_<name>_gw0... on PostgreSQL), each taking whole modules (a module's shared data is built once);
# the 15 slowest tests are listed at the end. PYTEST_WORKERS=0 runs the suite in this process.
PYTEST_WORKERS ?= auto
test: $(VENV)/.installed-dev messages
	mkdir -p var
	$(DEV_ENV) $(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadscope --durations=15 $(PYTEST_ARGS)

# Benchmarks (BENCHMARKS.md); speed is measured here, never in the tests. `make bench` runs all three and
# fails when one misses a target (each runs even when one before it failed).
# bench-scale: the main pages at school and province scale on PostgreSQL (bench/scale.py; the data is
# generated once per scale and reused; BENCH_ARGS="--scales school --runs 20 --report-only...").
# bench-slow3g: first paint of the member pages on emulated slow 3G with a 4x slower CPU
# (bench/slow3g.py; its own demo server and data; SLOW3G_ARGS="--runs 3"); exits 1 over 2.5 s.
# bench-room: the meeting room's live updates, polling (gunicorn) against server-sent events (uvicorn,
# Redis pub/sub), 60 phones in one meeting and 300 meetings at once (bench/room_live.py; its own fresh
# database; ROOM_ARGS="--seconds 35 --mechanisms poll,stream --scenarios one,many --reuse..."); exits 1
# when neither mechanism meets the targets.
# bench-ci: the query count of every page at two small sizes, failing if one grows (CI runs it).
bench: $(VENV)/.installed-dev messages
	@status=0; \
	$(PY) bench/scale.py $(BENCH_ARGS) || status=1; \
	$(PY) bench/slow3g.py $(SLOW3G_ARGS) || status=1; \
	$(PY) bench/room_live.py $(ROOM_ARGS) || status=1; \
	exit $$status

bench-scale: $(VENV)/.installed-dev messages
	$(PY) bench/scale.py $(BENCH_ARGS)

bench-slow3g: $(VENV)/.installed-dev messages
	$(PY) bench/slow3g.py $(SLOW3G_ARGS)

bench-room: $(VENV)/.installed-dev messages
	$(PY) bench/room_live.py $(ROOM_ARGS)

bench-ci: $(VENV)/.installed-dev messages
	$(PY) bench/scale.py --ci $(BENCH_ARGS)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-logo
	@# The seams import-linter cannot see: no app imports another's private names, and only the
	@# lifecycle assigns a session's status (both read the source; no database needed). CI's guard that
	@# browser tests ran is for the suite, not for these two files.
	CI= $(DEV_ENV) $(PY) -m pytest -q -p no:cacheprovider --no-header tests/test_architecture.py \
		planning/tests/test_lifecycle.py -k "private or stray or no_module or guard"
	$(DEV_ENV) $(VENV)/bin/mypy .
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(DEV_ENV) $(PY) manage.py check

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) var/test.sqlite3*
