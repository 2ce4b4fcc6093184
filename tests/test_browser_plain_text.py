"""Plain text everywhere (N4, N7): URLs, e-mail addresses, Markdown and HTML put into every place user text
appears (link notices, Compare's reference caption, names in the library's rows, expanders, warnings and
messages, descriptions on Present) come out as typed: no link, no image, no markup, no script."""
import pytest

from bench.appserver import streamlit_server
from model.data import default_data
from model.scenario import Scenario
from store import ScenarioLibrary, database_url
from test_browser import browser, page  # noqa: F401 - shared fixtures (and the chromium check)

from playwright.sync_api import expect

pytestmark = pytest.mark.browser
HOSTILE_NAMES = {"https-evil-example-login": "https://evil.example/login", "www-evil-example": "www.evil.example",
                 "evil-example-org": "evil@example.org"}
DESCRIPTION = ("<img src=x onerror=window.__pwned=1> **bold** _em_ [link](https://evil.example/d) "
               "www.evil.example/d a@evil.example <b>b</b> :red[red] $x^2$")
LINK = ("compare=" + ",".join(HOSTILE_NAMES) + "&ref=https-evil-example-login&payment_interop=https://evil.example/p"
        "&page=www.evil.example&junk=a@evil.example&%5BSign%20in%5D(https%3A%2F%2Fev.il)=1&data_sharing=0.2")
# Present shows a scenario equal to the status quo or to another one once: these all differ
SHARING = {"https-evil-example-login": 0.3, "www-evil-example": 0.4, "evil-example-org": 0.5}
HOSTILE_LINKS = "a[href*='evil'], a[href*='ev.il'], a[href^='mailto:']"


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("saved")
    data = default_data()
    store = ScenarioLibrary(database_url(folder), data=data)
    for stem, name in HOSTILE_NAMES.items():
        store.save(Scenario(name=name, levers=dict(data.status_quo_levers, data_sharing=SHARING[stem]), description=DESCRIPTION,
                            description_zh=DESCRIPTION))
    with streamlit_server(env={"INTERCONNECT_SAVED_DIR": str(folder)}) as url:
        yield url


def assert_plain(page) -> None:  # noqa: F811
    assert page.locator(HOSTILE_LINKS).count() == 0, page.locator(HOSTILE_LINKS).first.evaluate("a => a.outerHTML")
    assert page.locator("main img[src='x'], main b, main [data-testid=stMarkdownContainer] strong").count() == 0
    assert page.evaluate("window.__pwned") is None


def test_user_text_never_becomes_a_link_or_markup_anywhere(hostile_server, page):  # noqa: F811
    page.goto(f"{hostile_server}/compare?{LINK}")
    expect(page.get_by_text("Link parameter ignored").first).to_be_visible(timeout=30_000)
    expect(page.get_by_text("reference", exact=False).first).to_be_visible(timeout=30_000)
    page.get_by_role("tab", name="Library").click()
    page.get_by_role("textbox", name="Search by name").fill("evil")
    page.get_by_role("textbox", name="Search by name").press("Enter")
    page.get_by_role("button", name="Delete").first.click()
    expect(page.get_by_text("to the trash?").first).to_be_visible(timeout=15_000)
    page.get_by_text("History of").first.click()
    expect(page.get_by_text("v1 · create").first).to_be_visible(timeout=15_000)
    assert_plain(page)
    page.get_by_role("tab", name="Save current").click()
    page.get_by_role("textbox", name="Scenario name").fill("https://evil.example/login")
    page.get_by_role("button", name="Save scenario").click()
    expect(page.get_by_text("already exists. Replace it").first).to_be_visible(timeout=15_000)
    page.get_by_role("button", name="Replace it").click()
    expect(page.get_by_text("Saved “https").first).to_be_visible(timeout=15_000)
    assert_plain(page)
    page.goto(f"{hostile_server}/present?compare={','.join(HOSTILE_NAMES)}&data_sharing=0.9")
    # Each scenario's slide, then its typical merchant and shopper under the same (escaped) name; the
    # deck opens on the levers on screen.
    page.get_by_role("button", name="Next ▶").click()
    expect(page.locator(".person-slide")).to_be_visible(timeout=30_000)
    for name in ("https://evil.example/login", "www.evil.example"):
        for kind in ("policy", "person"):
            page.get_by_role("button", name="Next ▶").click()
            expect(page.get_by_role("heading", name=name)).to_be_visible(timeout=30_000)
            if kind == "person":
                expect(page.locator(".person-slide")).to_be_visible(timeout=30_000)
            assert_plain(page)
