"""Presenting in headless Chromium: the keyboard on a lever, the policy slide, sharing and the
exports (issue 25). Fixtures and helpers as in test_browser.py."""
import re

import pytest
from playwright.sync_api import expect
from test_browser import browser, hhi_value, open_app, query_of, server  # noqa: F401 -- shared fixtures

from model import engine
from model.data import default_data
from model.scenario import Scenario
from ui.i18n import amount

pytestmark = pytest.mark.browser
DATA = default_data()


def hhi_at(**levers) -> str:
    scenario = Scenario(name="", levers=dict(DATA.status_quo_levers, **levers))
    return amount(engine.run(scenario, DATA).final.loc["concentration.hhi", "value"], "hhi", "en")


def settle(page) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_function("""() => !document.querySelector('[data-testid=stStatusWidget]')""", timeout=30_000)
    page.wait_for_timeout(1500)


@pytest.mark.parametrize("key, presses, gap_ms, expected", [("PageUp", 8, 0, 80), ("ArrowRight", 15, 60, 15)])
def test_quick_key_presses_on_a_lever_end_with_slider_url_and_numbers_agreeing(server, browser, key, presses,  # noqa: F811
                                                                               gap_ms, expected):
    """Each press moves the lever one step (PageUp: ten), and none is lost: the slider, the link and
    the cards all show where the presses ended. Three tries: the race this guards against (a script-
    written picker value echoed back as a choice, reloading the status quo) did not happen every time."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    for _ in range(3):
        open_app(page, server)
        settle(page)
        page.get_by_role("slider", name="Payment interoperability").focus()
        for _ in range(presses):
            page.keyboard.press(key)
            if gap_ms:
                page.wait_for_timeout(gap_ms)
        expect(page).to_have_url(re.compile(rf"payment_interop=0\.{expected // 10}{expected % 10 or ''}\b"),
                                 timeout=20_000)
        settle(page)
        thumb = page.locator('[data-testid="stSliderThumbValue"]').first
        assert thumb.inner_text() == f"{expected}%"
        assert query_of(page.url)["payment_interop"] == str(expected / 100)
        assert hhi_value(page) == hhi_at(payment_interop=expected / 100)
    context.close()
