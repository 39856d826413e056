# Quick start on a fresh machine: `make build`, then `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
KB := $(VENV)/bin/kb
INSTALLED := $(VENV)/.installed
TEST_INSTALLED := $(VENV)/.test-installed
# `make check CONTENT=… CHECK_FLAGS="--format github"`; both may also come from the environment.
CONTENT ?= content
CHECK_FLAGS ?=

.PHONY: build check serve test lint golden benchmark clean

$(INSTALLED): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(TEST_INSTALLED): $(INSTALLED) requirements-test.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

# Zensical, the engine tried beside mkdocs (`kb build --engine zensical`), in a venv of its own: its pins
# differ from the site build's. The tests build the sample site with it.
ZENSICAL := .zensical/.installed
$(ZENSICAL): requirements-zensical.txt
	$(PYTHON) -m venv .zensical
	.zensical/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-zensical.txt
	touch $@

# Browser tests drive Debian's Chromium through Playwright (Playwright's own browser download
# cannot work here); installed when missing.
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

# `make build BUILD_FLAGS=--strict` (the publishing workflow's) refuses template text left in an entry.
BUILD_FLAGS ?=

build: $(INSTALLED)  ## check the content and build site/
	$(KB) build $(BUILD_FLAGS)

check: $(INSTALLED)  ## check the content only
	$(KB) check --content $(CONTENT) $(CHECK_FLAGS)

serve: $(INSTALLED)  ## live preview on http://127.0.0.1:8000
	$(KB) serve

test: $(TEST_INSTALLED) $(CHROMIUM) $(ZENSICAL)  ## lint and run every test
	$(PY) -m ruff check generator tests benchmarks tools
	$(PY) -m pytest

golden: $(TEST_INSTALLED)  ## refresh the golden Markdown of the sample site after an intended change
	$(PY) -m tests.refresh_golden

benchmark: $(TEST_INSTALLED) $(CHROMIUM)  ## build time and size per entry; search recall against plain Pagefind
	$(PY) benchmarks/build_scale.py
	$(PY) benchmarks/search_quality.py

clean:
	rm -rf site dist .kb
