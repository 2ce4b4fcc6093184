# `make run` opens the dashboard, `make test` runs every test, `make bench` measures speed.
# Each sets itself up: a virtual environment with the pinned requirements, and Debian's chromium
# for the browser tests when it is missing and we are root.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
PORT ?= 8501

.PHONY: setup browser run test bench docs clean

setup: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $@

browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	elif [ "$$CI" = true ]; then echo "chromium is missing and cannot be installed" >&2; exit 1; \
	else echo "chromium is missing: browser tests will be skipped (install Debian's chromium)"; fi

run: setup
	$(PY) -m streamlit run app.py --server.port $(PORT)

test: setup browser
	$(PY) -m pytest

bench: setup browser
	$(PY) -m bench

docs: setup
	$(PY) -m model.docs

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis test-artifacts
