"""The scenario library end to end in Chromium: two app servers sharing one PostgreSQL database, and
sign-in through a real OpenID Connect provider (oidc-provider-mock) with owners enforced."""
import json
import os
import re
import subprocess
import sys
import time
import urllib.request

import pytest

from bench.appserver import free_port, streamlit_server
from pgserver import fresh_database
from store import ScenarioLibrary, database_url
from test_browser import browser  # noqa: F401 - a shared fixture (and the chromium check)

from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def open_library(page, url: str) -> None:
    page.goto(f"{url}/compare")
    page.get_by_role("tab", name="Library").wait_for(timeout=30_000)


def save(page, name: str) -> None:
    page.get_by_role("textbox", name="Scenario name").fill(name)
    page.get_by_role("button", name="Save scenario").click()


def test_two_app_servers_share_one_postgresql_database(postgres, browser, tmp_path):  # noqa: F811
    database = fresh_database(postgres)
    env = {"INTERCONNECT_DATABASE_URL": database, "INTERCONNECT_SAVED_DIR": str(tmp_path / "saved")}
    with streamlit_server(env=env) as first, streamlit_server(env=env) as second:
        one, two = browser.new_page(), browser.new_page()
        open_library(one, first)
        open_library(two, second)
        save(one, "Saved on server one")
        expect(one.get_by_text("Saved “Saved on server one”")).to_be_visible(timeout=15_000)
        two.reload()
        two.get_by_role("combobox", name="Scenarios to compare").click()
        expect(two.get_by_role("option", name="Saved on server one")).to_be_visible(timeout=15_000)
        one.close()
        two.close()


@pytest.fixture(scope="module")
def provider():
    """oidc-provider-mock on a free loopback port, in its own process."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("oidc-provider-mock did not start") from None
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def signed_in_server(provider, tmp_path_factory):
    """The app with [auth] pointing at the provider: a secrets file for this server only, never committed."""
    folder = tmp_path_factory.mktemp("auth")
    port = free_port()
    secrets = folder / "secrets.toml"
    secrets.write_text(f'''[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "{os.urandom(16).hex()}"
client_id = "interconnect-test"
client_secret = "not-a-secret"
server_metadata_url = "{provider}/.well-known/openid-configuration"
''', encoding="utf-8")
    env = {"INTERCONNECT_SAVED_DIR": str(folder / "saved"), "AUTHLIB_INSECURE_TRANSPORT": "1"}
    with streamlit_server(env=env, port=port, options=("--secrets.files", str(secrets))) as url:
        url.saved = folder / "saved"
        yield url


def as_shown(words: str) -> re.Pattern:
    """User text as the page shows it: a word joiner (invisible) may sit where a bare address would
    otherwise become a link (ui.i18n.escape_markdown)."""
    return re.compile("\u2060?".join(re.escape(ch) for ch in words))


def sign_in(browser, url: str, user: str):  # noqa: F811
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    open_library(page, url)
    expect(page.get_by_text("Sign in to save scenarios")).to_be_visible(timeout=15_000)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_placeholder("sub").fill(user)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{url}/**", timeout=30_000)
    open_library(page, url)
    expect(page.get_by_text(as_shown(f"Signed in as {user}"))).to_be_visible(timeout=30_000)
    return page


def test_sign_in_makes_scenarios_their_authors_own(signed_in_server, browser):  # noqa: F811
    alice = sign_in(browser, signed_in_server, "alice@example.org")
    save(alice, "Alice plan")
    expect(alice.get_by_text("Saved “Alice plan”")).to_be_visible(timeout=15_000)
    alice.get_by_role("tab", name="Library").click()
    expect(alice.get_by_role("button", name="Delete")).to_have_count(1)        # her own row offers delete

    mallory = sign_in(browser, signed_in_server, "mallory@example.org")
    mallory.get_by_role("tab", name="Library").click()
    expect(mallory.get_by_text("Read-only for you: open it or save a copy")).to_be_visible(timeout=15_000)
    expect(mallory.get_by_role("button", name="Delete")).to_have_count(0)      # and none for Mallory
    mallory.get_by_role("tab", name="Save current").click()
    save(mallory, "Alice plan")
    expect(mallory.get_by_text("belongs to another user")).to_be_visible(timeout=15_000)
    mallory.get_by_role("combobox", name="Scenarios to compare").click()
    expect(mallory.get_by_role("option", name="Alice plan")).to_be_visible()   # others can still open it
    alice.close()
    mallory.close()


def test_an_account_with_the_same_e_mail_or_named_admin_cannot_change_anothers_work(signed_in_server, provider,
                                                                                    browser):  # noqa: F811
    """N1: owners were keyed on the e-mail claim, so a second account carrying Alice's e-mail got her Delete
    button, and a user signing in as "(admin)" was the administrator and replaced her scenario."""
    alice = sign_in(browser, signed_in_server, "alice@example.org")
    save(alice, "Alice original")
    expect(alice.get_by_text("Saved “Alice original”")).to_be_visible(timeout=15_000)
    alice.close()
    owner = ScenarioLibrary(database_url(signed_in_server.saved)).get("alice-original").owner
    assert owner == f"{provider} alice@example.org"                      # issuer and subject, not the e-mail
    claims = json.dumps({"email": "alice@example.org"}).encode()
    urllib.request.urlopen(urllib.request.Request(f"{provider}/users/mallory-sub", data=claims, method="PUT",
                                                  headers={"Content-Type": "application/json"}), timeout=10).close()
    for impostor in ("mallory-sub", "(admin)"):
        page = sign_in(browser, signed_in_server, impostor)
        page.get_by_role("tab", name="Library").click()
        page.get_by_role("textbox", name="Search by name").fill("Alice original")
        page.get_by_role("textbox", name="Search by name").press("Enter")
        expect(page.get_by_text("Read-only for you: open it or save a copy")).to_have_count(1, timeout=15_000)
        expect(page.get_by_role("button", name="Delete")).to_have_count(0)
        page.get_by_role("tab", name="Save current").click()
        save(page, "Alice original")
        expect(page.get_by_text("belongs to another user")).to_be_visible(timeout=15_000)
        expect(page.get_by_role("button", name="Replace it")).to_have_count(0)
        page.close()
    entry = ScenarioLibrary(database_url(signed_in_server.saved)).get("alice-original")
    assert entry.version == 1 and entry.owner == owner
