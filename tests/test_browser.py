"""End to end in headless Chromium (Playwright on the system browser). Under CI=true a missing
browser is a failure, never a skip."""
import csv
import os
import re
from pathlib import Path

import pytest

from bench.appserver import chromium_path, launch_chromium, streamlit_server
from model import engine
from model.scenario import load_scenario
from ui.i18n import amount, with_unit

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
HHI_LABEL = "Concentration (HHI)"
STREAMLIT_BASE_PROBE = re.compile(r"/[a-z]+/_stcore/(host-config|health)$")

if chromium_path() is None:
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI=true but chromium is missing: `make test` installs Debian's chromium as root")
    pytest.skip("chromium is not installed (make test installs it as root)", allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    saved = tmp_path_factory.mktemp("saved")
    with streamlit_server(env={"INTERCONNECT_SAVED_DIR": str(saved)}) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: page.console_errors.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource") else None)
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    # Failed requests are checked by URL instead of by console message: on a deep link such as
    # /compare, Streamlit's client first probes /compare/_stcore/… and falls back to the root.
    page.on("response", lambda response: page.console_errors.append(f"{response.status} {response.url}")
            if response.status >= 400 and not STREAMLIT_BASE_PROBE.search(response.url) else None)
    yield page
    context.close()


def hhi_value(page) -> str:
    card = page.locator('[data-testid="stMetric"]').filter(has_text=HHI_LABEL).first
    return card.locator('[data-testid="stMetricValue"]').inner_text()


def open_app(page, url: str, query: str = "") -> None:
    page.goto(url + query)
    page.locator('[data-testid="stMetric"]').filter(has_text=HHI_LABEL).first.wait_for(timeout=30_000)


def test_loads_without_errors_and_slider_moves_hhi(server, page):
    open_app(page, server)
    assert page.locator('[data-testid="stException"]').count() == 0
    before = hhi_value(page)
    slider = page.get_by_role("slider", name="External-link unblocking")
    slider.focus()
    page.keyboard.press("End")
    expect(page.locator('[data-testid="stMetric"]').filter(has_text=HHI_LABEL).first
           .locator('[data-testid="stMetricValue"]')).not_to_have_text(before, timeout=15_000)
    assert page.console_errors == []


def test_language_switch_and_why_cards(server, page):
    open_app(page, server, "/?link_unblocking=1")
    original = page.locator("blockquote.passage p[lang=zh]")
    expect(original.first).to_be_visible(timeout=15_000)
    assert re.search(r"[\u4e00-\u9fff]", original.first.inner_text())
    assert page.locator("blockquote.passage p[lang=en]").count() > 0
    page.get_by_text("中文", exact=True).first.click()
    expect(page.get_by_role("heading", name="互联互通的影响")).to_be_visible(timeout=15_000)
    expect(page.locator("blockquote.passage p[lang=en]")).to_have_count(0, timeout=15_000)
    assert page.console_errors == []


@pytest.mark.parametrize("path", ["explore", "compare", "assumptions", "method", "present"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_screenshot_of_every_page(server, page, path, lang):
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1440, "height": 2400})  # Streamlit scrolls inside its main pane
    route = "" if path == "explore" else path
    page.goto(f"{server}/{route}?lang={lang}&link_unblocking=1&compare=payment-first,bilateral-opening")
    page.wait_for_load_state("networkidle")
    page.locator('[data-testid="stMain"]').wait_for()
    page.wait_for_timeout(2500)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(ARTIFACTS / f"{path}-{lang}.png"), full_page=True)
    assert page.console_errors == []


def test_save_from_the_page_then_compare(server, page):
    page.goto(f"{server}/compare")
    page.get_by_role("textbox", name="Scenario name").fill("Browser saved scenario")
    page.get_by_role("button", name="Save scenario").click()
    expect(page.get_by_text("Saved “Browser saved scenario”")).to_be_visible(timeout=15_000)
    page.get_by_role("combobox", name="Scenarios to compare").click()
    expect(page.get_by_role("option", name="Browser saved scenario")).to_be_visible(timeout=10_000)
    assert page.console_errors == []


def test_share_link_restores_levers_and_hhi(server, page, browser):
    open_app(page, server)
    before = hhi_value(page)
    page.get_by_role("slider", name="External-link unblocking").focus()
    page.keyboard.press("End")
    hhi = page.locator('[data-testid="stMetric"]').filter(has_text=HHI_LABEL).first.locator(
        '[data-testid="stMetricValue"]')
    expect(hhi).not_to_have_text(before, timeout=15_000)
    expect(page).to_have_url(re.compile(r"link_unblocking=1"), timeout=10_000)
    link, moved = page.url, hhi.inner_text()
    fresh = browser.new_context().new_page()
    open_app(fresh, link)
    assert fresh.get_by_role("slider", name="External-link unblocking").input_value() == "100"
    assert hhi_value(fresh) == moved
    fresh.context.close()


def test_report_opens_offline_with_names_and_numbers(server, page, browser, tmp_path):
    page.goto(f"{server}/compare?compare=payment-first,bilateral-opening")
    button = page.get_by_role("button", name="Download HTML report")
    expect(button).to_be_visible(timeout=30_000)
    with page.expect_download(timeout=60_000) as download:
        button.click()
    path = tmp_path / "report.html"
    download.value.save_as(path)
    offline = browser.new_context(offline=True)
    report = offline.new_page()
    errors = []
    report.on("pageerror", lambda error: errors.append(str(error)))
    report.goto(path.as_uri())
    body = report.locator("body").inner_text()
    assert "Payment first" in body and "Bilateral Alibaba–Tencent opening" in body
    for stem in ("payment-first", "bilateral-opening"):  # final-year HHI as the model computes it
        hhi = engine.run(load_scenario(ROOT / "scenarios" / f"{stem}.yaml")).final.loc["concentration.hhi", "value"]
        assert amount(hhi, "hhi", "en") in body
    expect(report.locator(".plotly-graph-div").first).to_be_visible(timeout=10_000)
    assert errors == []
    offline.close()


def test_presentation_steps_with_arrow_keys(server, page):
    page.goto(f"{server}/present?payment_interop=0.5&compare=payment-first,bilateral-opening")
    # The deck: the levers on screen, then the compared scenarios (never the whole library).
    expect(page.get_by_role("heading", name="Current levers (unsaved)")).to_be_visible(timeout=30_000)
    # Each scenario's slide is followed by its typical merchant and shopper.
    expect(page.get_by_text("Slide 1 of 6", exact=False)).to_be_visible(timeout=30_000)
    page.wait_for_timeout(500)  # let the page finish wiring its shortcuts
    page.evaluate("document.activeElement.blur()")  # arrow keys go to the page, not a widget
    page.keyboard.press("ArrowRight")
    expect(page.get_by_text("Slide 2 of 6", exact=False)).to_be_visible(timeout=15_000)
    expect(page.get_by_text("A typical merchant and shopper", exact=True)).to_be_visible(timeout=15_000)
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("heading", name="Payment first")).to_be_visible(timeout=15_000)
    for key, position in (("ArrowRight", 4), ("ArrowRight", 5), ("ArrowLeft", 4), ("ArrowLeft", 3)):
        page.keyboard.press(key)
        expect(page.get_by_text(f"Slide {position} of 6", exact=False)).to_be_visible(timeout=15_000)
        if position == 5:
            expect(page.get_by_role("heading", name="Bilateral Alibaba–Tencent opening")).to_be_visible(timeout=15_000)
    expect(page.get_by_role("heading", name="Payment first")).to_be_visible(timeout=15_000)
    assert page.console_errors == []


def test_the_status_quo_gets_no_slide_of_its_own(server, page):
    page.goto(f"{server}/present?compare=status-quo,payment-first")  # the levers on screen: the status quo too
    expect(page.get_by_role("heading", name="Payment first")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Slide 1 of 2", exact=False)).to_be_visible(timeout=30_000)


def test_numbers_behind_a_chart_open_with_a_csv_download(server, page):
    open_app(page, server, "/?link_unblocking=1")
    numbers = page.locator('[data-testid="stExpander"]', has_text="Numbers behind this chart").first
    numbers.get_by_text("Numbers behind this chart").click()
    expect(numbers.locator('[data-testid="stDataFrame"]')).to_be_visible(timeout=15_000)
    expect(numbers.get_by_text(re.compile(r"^Unit: "))).to_be_visible()
    button = numbers.get_by_role("button", name="Download CSV")
    with page.expect_download(timeout=30_000) as download:
        button.click()
    assert download.value.suggested_filename == "waterfall.csv"
    # The file names its rows and carries the unit in its header, as the table's caption does.
    unit = numbers.get_by_text(re.compile(r"^Unit: ")).inner_text().removeprefix("Unit: ")
    with open(download.value.path(), encoding="utf-8-sig", newline="") as file:
        assert next(csv.reader(file)) == ["Lever", with_unit("Contribution", unit, "en")]
    assert page.console_errors == []


# --- Charts and the lever view ------------------------------------------------------------------

def test_every_chart_draws_with_the_plotly_js_the_server_sends(server, page):
    """The server may send plotly.js's basic bundle: each figure the pages build draws in it, with
    every trace of the type it was built as."""
    from test_charts import figures
    data = engine.default_data()
    scenario = load_scenario(ROOT / "scenarios" / "full-interconnection.yaml")
    computed = (engine.run(scenario, data), engine.attribution(scenario, data),
                engine.monte_carlo(scenario, data, draws=40, seed=3).bands,
                engine.tornado(scenario, "concentration.hhi", data))
    page.goto(server + "/method")
    page.wait_for_function("() => !!window.Plotly", timeout=30_000)
    for lang in ("en", "zh"):
        for name, figure in figures(computed, lang).items():
            drawn = page.evaluate("""async (figure) => {
                const div = document.createElement('div'); document.body.appendChild(div);
                await Plotly.newPlot(div, figure.data, figure.layout);
                const types = div._fullData.map((trace) => trace.visible === false ? 'hidden' : trace.type);
                Plotly.purge(div); div.remove(); return types; }""", figure)
            assert drawn == [trace["type"] for trace in figure["data"]], (name, lang)
    assert page.console_errors == []


def test_a_chart_says_so_when_plotly_js_cannot_load(server, browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    page.route("**/vendor/**", lambda route: route.abort())
    page.goto(server + "/present")
    expect(page.get_by_text("The chart library did not load").first).to_be_visible(timeout=30_000)
    context.close()


def test_a_chart_below_the_fold_shows_the_levers_of_the_moment_once_scrolled_to(server, page):
    """Charts off screen are drawn when they come near: one passed over by a lever move is drawn with
    the figure of the latest levers, not the one it had."""
    open_app(page, server)
    slider = page.get_by_role("slider", name="External-link unblocking")
    slider.focus()
    before = hhi_value(page)
    page.keyboard.press("End")
    expect(page.locator('[data-testid="stMetric"]').filter(has_text=HHI_LABEL).first
           .locator('[data-testid="stMetricValue"]')).not_to_have_text(before, timeout=15_000)
    hhi = float(hhi_value(page).replace(",", ""))
    chart = page.locator(".st-key-chart-hhi .interconnect-chart")
    chart.scroll_into_view_if_needed()
    page.wait_for_function("""(hhi) => { const gd = document.querySelector('.st-key-chart-hhi .interconnect-chart');
        return gd && gd.data && Math.round(gd.data.at(-1).y.at(-1)) === hhi; }""", arg=hhi, timeout=15_000)
    assert page.console_errors == []


def test_printing_draws_the_charts_not_yet_scrolled_to(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    open_app(page, server)
    page.wait_for_load_state("networkidle")
    hosts, drawn = ".interconnect-chart", ".interconnect-chart.js-plotly-plot"
    assert page.locator(drawn).count() < page.locator(hosts).count()  # below the fold: not drawn yet
    page.pdf()
    page.wait_for_function(f"() => document.querySelectorAll('{drawn}').length === "
                           f"document.querySelectorAll('{hosts}').length", timeout=10_000)
    context.close()


def test_a_lever_move_reruns_the_lever_view_and_the_picker_follows(server, browser):
    """A move reruns the lever view (a fragment), not the navigation or the language switch; the
    scenario picker, drawn in it, says the levers are now custom."""
    from bench.probe import COUNT_JS, INIT_SCRIPT, settled, wait_rerun
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    context.add_init_script(INIT_SCRIPT)
    page = context.new_page()
    preset = load_scenario(ROOT / "scenarios" / "payment-first.yaml")
    page.goto(server + "/?" + "&".join(f"{lever}={value}" for lever, value in preset.levers.items()))
    picker = page.get_by_role("combobox", name="Load a scenario")
    expect(picker).to_have_value(preset.name, timeout=30_000)
    slider = page.get_by_role("slider", name="External-link unblocking")
    slider.focus()
    settled(page)   # the page's own first runs are over: the next rerun is the move's
    first = page.evaluate(COUNT_JS)
    page.keyboard.press("ArrowRight")
    rerun = wait_rerun(page, first)
    kinds = {message.delta.new_element.WhichOneof("type") for kind, _, message in rerun.decoded if kind == "delta"}
    finished = [message.script_finished for kind, _, message in rerun.decoded if kind == "script_finished"]
    assert finished == [ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY]
    assert "metric" in kinds and "slider" in kinds and "radio" not in kinds
    assert not any(kind == "navigation" for kind, _, _ in rerun.decoded)
    expect(picker).to_have_value("")
    expect(picker).to_have_attribute("placeholder", "Custom levers")
    context.close()


# --- Presenting, every size, Chinese everywhere, the report's axes -------------------------------

SIZES = {"laptop": (1280, 800), "desktop": (1440, 900), "full-hd": (1920, 1080), "tablet": (820, 1180)}
VIEW = "payment_interop=0.6&data_sharing=0.4&safeguards=0.7&horizon=2035"
# Proper names and ids that stay in Latin letters on a Chinese page: argument ids (Z12, N5), the
# HHI and concentration ratios, file formats, and the language switch's own label, which names
# both languages so that anyone can find it.
LATIN_ALLOWED = re.compile(r"\b(?:[ZN]\d+|P10|P90|HHI|CR[1-3]|CSV|HTML|YAML|PDF|PowerPoint|pptx|UTF-8|kB|English|Language)\b")

TRUNCATED_JS = """() => [...document.querySelectorAll(
    '[data-testid=stMetricLabel] p, [data-testid=stMetricValue] div, [data-testid=stMetricDelta] p, h1, h2, h3, '
    + '[data-testid=stMarkdownContainer] p, .stHtml p, button p')]
  .filter(e => e.offsetParent !== null && e.getClientRects().length
          && e.getBoundingClientRect().right > 0 && e.getBoundingClientRect().left < innerWidth
          && (e.scrollWidth > e.clientWidth + 1 || getComputedStyle(e).textOverflow === 'ellipsis'
              && e.scrollWidth > e.clientWidth))
  .map(e => e.innerText.slice(0, 60))"""


def main_fits(page) -> bool:
    return page.evaluate("""() => { const m = document.querySelector('[data-testid=stMain]');
        return m.scrollHeight <= m.clientHeight + 1 && m.scrollWidth <= m.clientWidth + 1; }""")


def query_of(url: str) -> dict:
    from urllib.parse import parse_qs, urlsplit
    parts = urlsplit(url)
    return {"path": parts.path, **{k: v[-1] for k, v in parse_qs(parts.query).items()}}


def metric_values(page) -> list[str]:
    return page.locator('[data-testid="stMetricValue"]').all_inner_texts()


def wait_for_page(page) -> None:
    # Explore's and Compare's numbers are metrics; a Present slide's are its own cards (ui/slides.py)
    page.locator('[data-testid="stMetric"], .slide-metric').first.wait_for(timeout=30_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1500)


def collapse_sidebar(page) -> None:
    sidebar_width = "() => document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().width"
    if page.evaluate(sidebar_width) > 100:
        page.locator('[data-testid="stSidebar"]').hover()
        page.locator('[data-testid="stSidebarCollapseButton"] button').click(force=True)
        page.wait_for_timeout(1000)
    assert page.evaluate("() => document.querySelector('[data-testid=stMain]').getBoundingClientRect().width") > 700


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_present_from_explore_fits_each_slide_and_exit_and_back_return_to_the_same_view(server, browser, lang):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(f"{server}/?{VIEW}&lang={lang}&compare=payment-first,bilateral-opening")
    wait_for_page(page)
    before_url, before_numbers = query_of(page.url), metric_values(page)
    page.get_by_role("link", name="Present" if lang == "en" else "演示").click()
    exit_button = page.get_by_role("button", name="Exit" if lang == "en" else "退出")
    expect(exit_button).to_be_visible(timeout=30_000)
    for slide in range(6):   # each scenario's slide, then its typical merchant and shopper
        if slide % 2:
            expect(page.locator(".person-slide .person-total")).to_have_count(2, timeout=30_000)
        else:
            wait_for_page(page)
        for width, height in ((1280, 720), (1920, 1080)):
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(600)
            assert main_fits(page), (lang, slide, width)
        page.set_viewport_size({"width": 1280, "height": 720})
        if slide % 2 == 0:
            ticks = page.evaluate("() => [...document.querySelectorAll('.xtick text, .ytick text')]"
                                  ".map(t => parseFloat(getComputedStyle(t).fontSize))")
            assert ticks and min(ticks) >= 18
        assert page.locator('[data-testid="stMain"] [data-testid="stTooltipIcon"]').count() == 0
        assert page.evaluate("document.documentElement.lang") == lang
        page.screenshot(path=f"/tmp/present-{lang}-{slide}.png")
        page.evaluate("document.activeElement.blur()")
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(1200)
    exit_button.click()
    expect(page.locator('[data-testid="stSidebar"]')).to_be_visible(timeout=30_000)
    wait_for_page(page)
    assert query_of(page.url) == before_url and metric_values(page) == before_numbers
    page.get_by_role("link", name="Present" if lang == "en" else "演示").click()
    expect(exit_button).to_be_visible(timeout=30_000)
    page.wait_for_timeout(1500)
    page.go_back()
    expect(page.locator('[data-testid="stSidebar"]')).to_be_visible(timeout=30_000)
    wait_for_page(page)
    assert query_of(page.url) == before_url and metric_values(page) == before_numbers
    context.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("route", ["", "compare"])
def test_nothing_is_cut_off_at_any_size(server, browser, route, lang):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(f"{server}/{route}?{VIEW}&lang={lang}&bands=1&compare=__current__,payment-first,status-quo,"
              "full-interconnection,strong-safeguards,data-without-safeguards")
    page.locator('[data-testid="stMain"] h1').first.wait_for(timeout=30_000)
    page.wait_for_load_state("networkidle")
    for name, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        if name == "tablet":
            collapse_sidebar(page)
        page.wait_for_timeout(1500)
        assert page.evaluate(TRUNCATED_JS) == [], (name, route, lang)
        assert page.evaluate("() => { const m = document.querySelector('[data-testid=stMain]');"
                             " return m.scrollWidth <= m.clientWidth + 1; }"), (name, route, lang)
        page.screenshot(path=f"/tmp/size-{route or 'explore'}-{lang}-{name}.png")
    context.close()


@pytest.mark.parametrize("route", ["", "compare", "present"])
def test_chinese_pages_have_no_english_outside_names_and_ids(server, page, route):
    page.goto(f"{server}/{route}?{VIEW}&lang=zh&bands=1&compare=__current__,payment-first,bilateral-opening")
    page.locator('[data-testid="stMain"] h1').first.wait_for(timeout=30_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(2500)
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=30_000)  # Streamlit's "Stop"
    assert page.evaluate("document.documentElement.lang") == "zh"
    # Icon ligatures ("keyboard_arrow_down") are drawn as icons, not read as words: leave them out.
    shown = page.evaluate("""() => { const app = document.querySelector('[data-testid=stApp]').cloneNode(true);
        app.querySelectorAll('[data-testid=stIconMaterial]').forEach(icon => icon.remove());
        document.body.appendChild(app); const shown = app.innerText; app.remove(); return shown; }""")
    english = [word for word in re.findall(r"[A-Za-z][A-Za-z0-9\-]*", LATIN_ALLOWED.sub(" ", shown))]
    assert english == [], english[:20]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_axes_are_readable_offline_at_any_width(server, browser, tmp_path, lang):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    page.goto(f"{server}/compare?lang={lang}&compare=payment-first,bilateral-opening")
    button = page.get_by_role("button", name="Download HTML report" if lang == "en" else "下载 HTML 报告")
    expect(button).to_be_visible(timeout=30_000)
    with page.expect_download(timeout=60_000) as download:
        button.click()
    path = tmp_path / "report.html"
    download.value.save_as(path)
    context.close()
    offline = browser.new_context(offline=True)
    report = offline.new_page()
    for width in (1280, 820):
        report.set_viewport_size({"width": width, "height": 900})
        report.goto(path.as_uri())
        expect(report.locator(".plotly-graph-div").first).to_be_visible(timeout=15_000)
        report.wait_for_timeout(800)
        # Every tick label lies inside its chart and clear of the axis title.
        clipped = report.evaluate("""() => [...document.querySelectorAll('.plotly-graph-div')].flatMap(div => {
            const box = div.getBoundingClientRect();
            return [...div.querySelectorAll('.xtick text, .ytick text')].filter(t => {
              const r = t.getBoundingClientRect();
              return t.textContent && (r.left < box.left - 1 || r.right > box.right + 1 || r.bottom > box.bottom + 1); })
              .map(t => t.textContent); })""")
        assert clipped == [], (width, clipped[:10])
        assert report.evaluate("document.querySelectorAll('.ytick text').length") > 0
        report.screenshot(path=f"/tmp/report-{lang}-{width}.png", full_page=False)
    offline.close()
