# The two commands of the README:  `make run`  and  `make test`.
# Both create the virtual environment (.venv) from the lock file first; nothing is installed by hand.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
PORT ?= 8000

.PHONY: run test venv lint format bench clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

.venv/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --quiet
	touch $@

venv: .venv/.synced

## Run the app on http://127.0.0.1:$(PORT) with the embedded SQLite database, reference and demo data loaded.
run: venv
	.venv/bin/reseau-emploi load-reference
	.venv/bin/reseau-emploi load-demo
	.venv/bin/reseau-emploi runserver 127.0.0.1:$(PORT) --noreload

## Run the whole test suite: lint, then pytest on SQLite and on a throwaway PostgreSQL, browser tests included.
test: venv
	scripts/test

lint: venv
	.venv/bin/ruff check src tests bench
	.venv/bin/ruff format --check src tests bench

format: venv
	.venv/bin/ruff check --fix src tests bench
	.venv/bin/ruff format src tests bench

clean:
	rm -rf .venv .tools var/static
