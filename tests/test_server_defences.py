"""The server defends itself (L3, M6) and starts the Streamlit way too: security headers on every answer,
Streamlit's metrics hidden, uploads bounded per session and per client address, and `streamlit run app.py`
draws its charts (plotly.js from static/)."""
import urllib.error
import urllib.request
from pathlib import Path

import pytest

import server
from bench.appserver import streamlit_server
from test_browser import browser, page  # noqa: F401 - shared fixtures (and the chromium check)
from test_browser_library import open_library

from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app_server(tmp_path_factory):
    with streamlit_server(env={"INTERCONNECT_SAVED_DIR": str(tmp_path_factory.mktemp("saved"))}) as url:
        yield url


def fetch(url: str):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


def test_every_answer_carries_the_security_headers_and_the_metrics_are_hidden(app_server):
    """L3: the server sent no security headers and served /_stcore/metrics to anyone."""
    for path in ("/", "/compare", "/_stcore/health", server.plotly_js_file.PLOTLY_JS_URL):
        status, headers = fetch(app_server + path)
        assert status == 200, path
        assert "frame-ancestors 'self'" in headers["Content-Security-Policy"], path
        assert headers["X-Frame-Options"] == "SAMEORIGIN" and headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["Referrer-Policy"] == "same-origin", path
    status, headers = fetch(app_server + "/_stcore/metrics")
    assert status == 404 and headers["X-Frame-Options"] == "SAMEORIGIN"


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def test_a_script_cannot_pile_uploads_into_server_memory(app_server, page, tmp_path):  # noqa: F811
    """M6: 100 x 1 MB PUTs to /_stcore/upload_file/<session>/<id> were all kept: RSS 233 -> 329 MB."""
    open_library(page, app_server)
    page.get_by_role("tab", name="Upload").click()
    file = tmp_path / "plan.yaml"
    file.write_text("schema_version: 1\nname: Upload probe\n", encoding="utf-8")
    with page.expect_request(lambda request: "/_stcore/upload_file/" in request.url and request.method == "PUT") as seen:
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(file))
    upload_url, xsrf = seen.value.url, seen.value.headers.get("x-xsrftoken", "")
    base = upload_url.rsplit("/", 1)[0]
    before = _rss_mb(app_server.pid)
    statuses = [page.request.put(f"{base}/flood-{number}", headers={"X-Xsrftoken": xsrf},
                                 multipart={"file": {"name": "big.yaml", "mimeType": "application/x-yaml",
                                                     "buffer": b"#" * 1_000_000}}).status
                for number in range(100)]
    grown = _rss_mb(app_server.pid) - before
    accepted = sum(status in (200, 204) for status in statuses)
    assert accepted <= server.UPLOADS_PER_MINUTE and statuses.count(429) >= 100 - server.UPLOADS_PER_MINUTE
    assert grown < 30, f"server memory grew {grown:.0f} MB"


def test_streamlit_run_app_py_draws_the_charts(page, tmp_path):  # noqa: F811
    """`streamlit run app.py` gave pages whose charts said their library did not load."""
    plotly_files = list((ROOT / "static").glob("plotly*.min.js"))
    assert plotly_files, "make setup puts plotly.js into static/"
    with streamlit_server(script=ROOT / "app.py", env={"INTERCONNECT_SAVED_DIR": str(tmp_path)}) as url:
        page.goto(url)
        expect(page.locator(".interconnect-chart.js-plotly-plot").first).to_be_visible(timeout=60_000)
        expect(page.get_by_text("The chart library did not load")).to_have_count(0)
