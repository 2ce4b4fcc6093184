"""The charts' plumbing: which plotly.js the server sends and how, and what a failing page shows."""
import asyncio
import gzip
import re
from pathlib import Path

import plotly
from starlette.requests import Request
from streamlit.testing.v1 import AppTest

import server
from ui import plotly_js


def test_the_basic_bundle_of_the_plotly_release_is_served_when_fetched(tmp_path):
    basic = tmp_path / f"plotly-basic-{plotly_js.PLOTLY_JS_VERSION}.min.js"
    basic.write_text("/* basic */")
    assert plotly_js.plotly_js(tmp_path) == (basic, basic.name)


def test_without_it_the_full_bundle_of_the_plotly_package_is_served_under_its_release(tmp_path):
    (tmp_path / "plotly-basic-0.0.1.min.js").write_text("/* another release: never served */")
    path, name = plotly_js.plotly_js(tmp_path)
    assert path.is_relative_to(Path(plotly.__file__).parent)
    assert path.name == "plotly.min.js" and name == f"plotly-{plotly_js.PLOTLY_JS_VERSION}.min.js"


def _get(accept_encoding: str):
    scope = {"type": "http", "method": "GET", "path": plotly_js.PLOTLY_JS_URL,
             "headers": [(b"accept-encoding", accept_encoding.encode())]}
    return asyncio.run(server.plotly_js(Request(scope)))


def test_plotly_js_is_sent_compressed_to_browsers_that_accept_it_and_kept_for_good():
    response = _get("gzip, deflate, br")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/javascript")
    assert response.headers["content-encoding"] == "gzip" and response.headers["vary"] == "Accept-Encoding"
    assert "immutable" in response.headers["cache-control"] and "max-age=31536000" in response.headers["cache-control"]
    assert gzip.decompress(response.body) == plotly_js.PLOTLY_JS.read_bytes()


def test_plotly_js_is_sent_as_it_is_to_browsers_that_do_not_accept_gzip():
    response = _get("identity")
    assert response.status_code == 200 and "content-encoding" not in response.headers
    assert response.body == plotly_js.PLOTLY_JS.read_bytes()


def test_the_url_names_the_file_and_the_release():
    assert re.fullmatch(r"/vendor/plotly(-basic)?-\d+\.\d+\.\d+\.min\.js", plotly_js.PLOTLY_JS_URL)
    assert plotly_js.PLOTLY_JS_VERSION in plotly_js.PLOTLY_JS_URL


def _failing_page():
    import streamlit as st

    from ui.widgets import reported_errors

    @st.fragment
    def view():
        with reported_errors("en"):
            raise ValueError("boom")

    with reported_errors("en"):
        view()


def test_a_failure_shows_one_error_id_and_logs_the_traceback_under_it(caplog):
    at = AppTest.from_function(_failing_page).run()
    shown = [element.value for element in at.error]
    assert len(shown) == 1, shown
    error_id = re.search(r"Error id ([0-9a-f]{12})", shown[0]).group(1)
    assert f"page error {error_id}" in caplog.text and "ValueError: boom" in caplog.text
