"""The typical merchant and shopper in headless Chromium: a merchant entered on Explore shows the
model's number and goes into the link; the person slide fits a projector and a tablet. Fixtures as
in test_browser.py."""
import pytest
from playwright.sync_api import expect
from test_browser import browser, query_of, server  # noqa: F401 -- shared fixtures
from test_browser_present import settle

from model import engine, person
from model.data import default_data
from model.scenario import Scenario
from ui.i18n import rmb

pytestmark = pytest.mark.browser
DATA = default_data()
VIEW = "payment_interop=1.0&link_unblocking=1.0&data_sharing=0.5&safeguards=0.6&openness=all"
LEVERS = dict(DATA.status_quo_levers, payment_interop=1.0, link_unblocking=1.0, data_sharing=0.5, safeguards=0.6,
              openness="all")


def merchant_central(gmv: float, private_share: float, marketplaces: list[str]) -> str:
    rates = engine.run(Scenario(name="", levers=LEVERS), DATA).person
    return rmb(float(person.total(person.merchant_change(rates, gmv, private_share, marketplaces))[0]), "en", signed=True)


def test_a_merchant_entered_on_explore_shows_its_yearly_change_and_the_link_keeps_it(server, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(f"{server}/?{VIEW}&panel=person")
    total = page.locator(".person-merchant .person-total")
    expect(total).to_have_text(f"This merchant: {merchant_central(1e6, 0.0, ['alibaba'])} a year", timeout=90_000)
    gmv = page.get_by_role("spinbutton", name="Annual GMV (RMB)")
    gmv.fill("3000000")
    gmv.press("Enter")
    expected = merchant_central(3e6, 0.0, ["alibaba"])
    expect(total).to_have_text(f"This merchant: {expected} a year", timeout=30_000)
    expect(page.locator(".person-merchant .person-band")).to_contain_text("P10–P90")
    settle(page)
    assert query_of(page.url)["gmv"] == "3000000.0"
    fresh = context.new_page()
    fresh.goto(page.url)
    expect(fresh.locator(".person-merchant .person-total")).to_have_text(f"This merchant: {expected} a year",
                                                                         timeout=90_000)
    context.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_person_slide_fits_without_scrolling(server, browser, lang):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(f"{server}/present?{VIEW}&lang={lang}&slide=1&gmv=25000000&private=0.35&markets=alibaba,jd,pdd")
    expect(page.locator(".person-slide .person-total")).to_have_count(2, timeout=90_000)
    settle(page)
    for width, height in ((1280, 720), (1920, 1080), (820, 1180)):
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(800)
        assert page.evaluate("""() => { const m = document.querySelector('[data-testid=stMain]');
            return m.scrollHeight <= m.clientHeight + 1 && m.scrollWidth <= m.clientWidth + 1; }"""), (lang, width)
        box = page.locator(".person-slide").bounding_box()
        assert box["y"] + box["height"] <= height and box["x"] + box["width"] <= width
    context.close()
