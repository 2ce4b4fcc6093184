# `make run` opens the dashboard, `make test` runs the linter (ruff) and every test, `make bench` measures speed.
# Each sets itself up: a virtual environment with the pinned requirements, plotly.js's basic bundle
# from npm (the release the plotly package is built for; without npm the full bundle is served), and
# Debian's chromium, CJK fonts and postgresql (for the store tests) when they are missing and we are root.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
PORT ?= 8501

.PHONY: setup static fonts browser axe postgres run test bench docs pin clean

setup: $(STAMP) static

# plotly.js's "basic" bundle of the plotly package's release in static/, for server.py to serve and for
# Streamlit's static file serving under `streamlit run app.py` (ui/plotly_js.py); without npm, the full
# bundle of the plotly package is copied there instead.
static: $(STAMP)
	@v=$$($(PY) -c 'import plotly.offline; print(plotly.offline.get_plotlyjs_version())'); \
	file=static/plotly-basic-$$v.min.js; \
	mkdir -p static; if [ ! -f $$file ]; then \
		if command -v npm >/dev/null 2>&1 && mkdir -p static/tmp && \
			(cd static/tmp && npm pack --silent plotly.js-basic-dist-min@$$v >/dev/null && \
			 tar -xzf plotly.js-basic-dist-min-$$v.tgz package/plotly-basic.min.js) && \
			mv static/tmp/package/plotly-basic.min.js $$file; then echo "Fetched $$file"; \
		else echo "Could not fetch plotly.js-basic-dist-min@$$v with npm: the charts use plotly's full bundle (slower to load)"; \
			cp "$$($(PY) -c 'import plotly, pathlib; print(pathlib.Path(plotly.__file__).parent / "package_data" / "plotly.min.js")')" static/plotly-$$v.min.js; fi; \
		rm -rf static/tmp; \
	fi

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $@

# Noto Sans CJK: the Chinese pages' charts in the browser and the PDF handout, which embeds it (ui/exports.py).
fonts:
	@if ! fc-list :lang=zh 2>/dev/null | grep -q .; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing Debian's CJK fonts for the PDF handout"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null; \
		elif [ "$$CI" = true ]; then echo "fonts-noto-cjk is missing and cannot be installed (not root)" >&2; exit 1; \
		else echo "fonts-noto-cjk is missing: the PDF handout cannot be made"; fi; \
	fi

# Chromium for the browser tests, poppler-utils to open the PDF handout in the tests (pdftoppm, pdffonts).
browser: fonts
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing Debian's chromium and poppler-utils for the browser and export tests"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; \
		fi; \
	fi
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then \
		if [ "$$CI" = true ]; then echo "chromium or poppler-utils is missing and cannot be installed (not root)" >&2; exit 1; \
		else echo "chromium or poppler-utils is missing: the browser and PDF tests will be skipped"; fi; \
	fi

# axe-core for the accessibility test (tests/test_browser_a11y.py): the pinned release's tarball from the
# npm registry, checked against its published sha512, unpacked into vendor/ (ignored). Python fetches it,
# so npm itself is not needed.
AXE_VERSION := 4.14.1
AXE_SHA512 := FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==
AXE := vendor/axe-core-$(AXE_VERSION).min.js
axe: $(AXE)
$(AXE):
	@mkdir -p vendor && python3 -c 'import base64, hashlib, io, sys, tarfile, urllib.request; \
		blob = urllib.request.urlopen(sys.argv[1], timeout=60).read(); \
		assert base64.b64encode(hashlib.sha512(blob).digest()).decode() == sys.argv[2], "axe-core tarball: wrong sha512"; \
		open(sys.argv[3], "wb").write(tarfile.open(fileobj=io.BytesIO(blob)).extractfile("package/axe.min.js").read())' \
		https://registry.npmjs.org/axe-core/-/axe-core-$(AXE_VERSION).tgz '$(AXE_SHA512)' $@ \
	|| { rm -f $@; if [ "$$CI" = true ]; then echo "could not fetch axe-core $(AXE_VERSION)" >&2; exit 1; \
	     else echo "could not fetch axe-core $(AXE_VERSION): the accessibility test will be skipped"; fi; }

# The store tests start their own throwaway server with initdb; only the binaries are needed.
postgres:
	@if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing Debian's postgresql for the store tests"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
		elif [ "$$CI" = true ]; then echo "postgresql is missing and cannot be installed (not root)" >&2; exit 1; \
		else echo "postgresql is missing: the PostgreSQL store tests will be skipped"; fi; \
	fi

run: setup fonts
	$(PY) -m streamlit run server.py --server.port $(PORT)

test: setup browser axe postgres
	$(PY) -m ruff check .
	$(PY) -m pytest

bench: setup browser
	$(PY) -m bench

docs: setup
	$(PY) -m tools --write

pin: setup
	$(PY) -m tools.pin_headlines $(ARGS)

clean:
	rm -rf $(VENV) static vendor .pytest_cache .hypothesis test-artifacts
