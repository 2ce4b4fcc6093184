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


LONG_NAME = "Payment interoperability first, then external links, with strong safeguards v2"  # 78 characters
POLICY_VIEW = "payment_interop=1.0&link_unblocking=1.0&data_sharing=0.2&safeguards=0.6"


@pytest.fixture(scope="module")
def long_named(server, browser):  # noqa: F811
    """A scenario with a 78-character name (the store takes up to 80), saved through the page; its slug."""
    page = browser.new_page()
    page.goto(f"{server}/compare?payment_interop=1.0&link_unblocking=1.0&safeguards=1.0")
    page.get_by_role("textbox", name="Scenario name").fill(LONG_NAME)
    page.get_by_role("button", name="Save scenario").click()
    expect(page.get_by_text(f"Saved “{LONG_NAME}”")).to_be_visible(timeout=20_000)
    page.close()
    from store.names import slug
    return slug(LONG_NAME)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_slide_states_its_policy_with_bands_and_fits_with_a_long_name(server, browser, long_named, lang):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(f"{server}/present?{POLICY_VIEW}&lang={lang}&compare=status-quo,payment-first,{long_named}")
    exit_button = page.get_by_role("button", name="Exit" if lang == "en" else "退出")
    expect(exit_button).to_be_visible(timeout=30_000)
    titles = []
    # The status quo gets no slide: the levers on screen, Payment first, the long-named scenario, each
    # followed by its typical merchant and shopper.
    expect(page.get_by_text("Slide 1 of 6" if lang == "en" else "第 1/6 页", exact=False)).to_be_visible(timeout=90_000)
    for slide in range(6):
        if slide % 2 == 0:
            page.wait_for_function("() => document.querySelectorAll('.interconnect-chart.js-plotly-plot').length > 0",
                                   timeout=30_000)
        else:
            expect(page.locator(".person-slide .person-total")).to_have_count(2, timeout=60_000)
        settle(page)
        policy = page.locator(".policy-card").inner_text()
        for lever in DATA.levers.values():
            assert getattr(lever.label, lang) in policy
        if slide % 2 == 0:
            assert page.locator(".takeaway").inner_text().strip()
            assert page.locator(".m-band").count() == 8
            titles.append(page.locator("h1.deck-title").inner_text())
        else:
            assert page.locator(".person-slide .person-band").count() == 2
        assert page.locator(".slide-source").inner_text()
        for width, height in ((1280, 720), (1920, 1080)):
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(800)
            assert page.evaluate("""() => { const m = document.querySelector('[data-testid=stMain]');
                return m.scrollHeight <= m.clientHeight + 1 && m.scrollWidth <= m.clientWidth + 1; }"""), \
                (lang, slide, width)
            page.screenshot(path=f"/tmp/i25-slide-{lang}-{slide}-{width}.png")
        page.set_viewport_size({"width": 1280, "height": 720})
        page.evaluate("document.activeElement.blur()")
        if slide == 4:
            quotes = page.locator(".slide-quote .claim-statement")
            assert quotes.count() == 1
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(1500)
    assert titles[2] == LONG_NAME
    context.close()


def table_headers(page) -> list[str]:
    """The comparison table's column heads, after the corner cell that names the rows."""
    heads = page.locator("table.data").first.locator("thead th").all_inner_texts()
    assert heads[0] == "Outcome"
    return heads[1:]


def test_compare_opens_with_the_levers_on_screen_beside_the_status_quo_shown_once(server, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(f"{server}/compare?payment_interop=0.5")
    expect(page.locator("table.data").first).to_be_visible(timeout=30_000)
    assert [h for h in table_headers(page) if h] == ["Status quo (model baseline)", "Current levers (unsaved)"]
    page.goto(f"{server}/compare?compare=status-quo,payment-first")
    expect(page.locator("table.data").first).to_be_visible(timeout=30_000)
    settle(page)
    assert [h for h in table_headers(page) if h] == ["Status quo (model baseline)", "Payment first"]
    legend = page.locator(".legendtext").all_inner_texts()
    assert legend.count("Status quo (model baseline)") <= 1 and "Status quo" not in legend
    context.close()


def test_the_charted_outcome_stays_when_the_chart_type_changes(server, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    page.goto(f"{server}/compare?compare=payment-first,bilateral-opening&chart=consumer.surplus")
    outcome = page.get_by_role("combobox", name="Outcome for the chart")
    expect(outcome).to_have_value("Consumer gain", timeout=30_000)
    for view in ("Platform shares", "What each lever adds", "Paths over time"):
        page.get_by_text(view, exact=True).first.click()
        settle(page)
        if view != "Platform shares":
            expect(outcome).to_have_value("Consumer gain", timeout=15_000)
            assert query_of(page.url)["chart"] == "consumer.surplus"
    context.close()


def test_a_copied_link_and_its_qr_code_reopen_the_view_with_the_explained_outcome(server, browser):  # noqa: F811
    import segno
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    open_app(page, server, f"/?{POLICY_VIEW}&panel=sme&bands=1")
    explain = page.get_by_role("combobox", name="Outcome to explain")
    explain.click()
    page.keyboard.type("PDD's share")
    page.get_by_role("option", name="PDD's share").click()
    expect(page).to_have_url(re.compile(r"why=share\.pdd"), timeout=15_000)
    settle(page)
    page.get_by_role("button", name="Share this view").click()
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_text("Link copied")).to_be_visible(timeout=5_000)
    link = page.evaluate("navigator.clipboard.readText()")
    assert query_of(link) == query_of(page.url) and "why" in query_of(link)
    shown = page.locator('[data-testid="stPopoverBody"] [data-testid="stCode"]').inner_text().strip()
    assert query_of(shown) == query_of(link)
    # The QR code is that link's, drawn by segno as the app draws it.
    assert page.locator("img.share-qr").get_attribute("src") == segno.make(shown, error="m").svg_data_uri(scale=3)
    fresh = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
    open_app(fresh, link)
    expect(fresh.get_by_role("combobox", name="Outcome to explain")).to_have_value("PDD's share", timeout=15_000)
    assert query_of(fresh.url) == query_of(link)
    fresh.context.close()
    context.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_sources_are_on_screen_and_lead_to_full_references_and_method_tables_fit(server, browser, lang):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(f"{server}/assumptions?lang={lang}")
    table = page.locator("table.parameters")
    expect(table).to_be_visible(timeout=30_000)
    # The references come further down the same run: wait for the run to finish, not just the table.
    settle(page)
    expect(page.locator("ol.references")).to_have_count(1)
    main_right = page.evaluate("document.querySelector('[data-testid=stMain] .block-container, "
                               "[data-testid=stMainBlockContainer]').getBoundingClientRect().right")
    source_head = table.locator("thead th").nth(1)
    assert source_head.inner_text() == ("Source" if lang == "en" else "来源")
    assert source_head.bounding_box()["x"] + source_head.bounding_box()["width"] <= main_right
    links = page.evaluate("() => [...document.querySelectorAll('table.parameters td:nth-child(2) a')]"
                          ".map(a => a.getAttribute('href'))")
    rows = table.locator("tbody tr").count()
    unresolved = page.evaluate("(ids) => ids.filter(id => document.querySelectorAll(`li[id='${id}']`).length !== 1)",
                               sorted({href[1:] for href in links}))
    assert len(links) >= rows and unresolved == []
    references = page.locator("ol.references").inner_text()
    if lang == "zh":
        assert "国家统计局" in references and "本项目" in references and "National Bureau" not in references
        assert "unnamed" not in page.locator('[data-testid="stMain"]').inner_text()
    page.goto(f"{server}/method?lang={lang}")
    page.locator('[data-testid="stMarkdownContainer"] table').first.wait_for(timeout=120_000)  # Method computes every finding's share
    page.wait_for_timeout(1500)
    # Every table stays inside the page's column; one too wide scrolls inside its own frame.
    overflowing = page.evaluate("""(right) => [...document.querySelectorAll('[data-testid=stMarkdownContainer] table')]
        .filter(t => t.getBoundingClientRect().right > right + 1
                     || (t.scrollWidth > t.clientWidth + 1 && getComputedStyle(t).overflowX !== 'auto'))
        .map(t => t.innerText.slice(0, 40))""", main_right)
    assert overflowing == []
    if lang == "zh":
        cells = page.evaluate("() => [...document.querySelectorAll('[data-testid=stMarkdownContainer] td')].map(c => c.innerText)")
        assert not {"none", "higher", "lower"} & set(cells)
    context.close()


SHOTS = "/tmp/shots-slides"
SCREENS = ((1280, 720), (1920, 1080), (820, 1180))


def slide_fits(page) -> bool:
    return page.evaluate("""() => { const m = document.querySelector('[data-testid=stMain]');
        return m.scrollHeight <= m.clientHeight + 1 && m.scrollWidth <= m.clientWidth + 1; }""")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_optional_slides_turned_on_in_present_are_in_the_link_and_every_slide_fits(server, browser, lang):  # noqa: F811
    """The presenter turns on the paths, the ledger and the track record; the link keeps them; each
    slide has its policy card, takeaway, charts and source line, and fits 1280×720, 1920×1080 and
    820×1180 without scrolling."""
    words = {"en": ("More slides", "Paths over time", "Who gains, who loses", "Track record", "Slide 1 of 4"),
             "zh": ("更多页面", "逐年路径", "谁得谁失", "历史检验", "第 1/4 页")}[lang]
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(f"{server}/present?{POLICY_VIEW}&bands=1&lang={lang}&compare=payment-first")
    expect(page.get_by_text(words[4], exact=False)).to_be_visible(timeout=90_000)
    page.get_by_role("button", name=words[0]).click()
    for extra in words[1:4]:
        page.get_by_role("button", name=extra, exact=True).click()
        settle(page)
    expect(page).to_have_url(re.compile(r"more=paths%2Cledger%2Ctrack|more=paths,ledger,track"), timeout=15_000)
    page.keyboard.press("Escape")
    # The levers on screen and Payment first, each with its typical person, paths and ledger, then the track record.
    total = 9
    expect(page.locator(".deck-position")).to_contain_text(f"1 of {total}" if lang == "en" else f"1/{total}")
    kinds = []
    for number in range(total):
        expect(page.locator(".deck-position")).to_contain_text(f"{number + 1} of {total}" if lang == "en"
                                                               else f"{number + 1}/{total}", timeout=60_000)
        page.wait_for_function("() => document.querySelectorAll('.interconnect-chart.js-plotly-plot').length > 0"
                               " || document.querySelector('.person-slide')", timeout=60_000)
        settle(page)
        title = page.locator("h1.deck-title").inner_text()
        kinds.append("person" if page.locator(".person-slide").count() else
                     next((kind for kind, word in zip(("paths", "ledger", "track"), words[1:4])
                           if word.lower() in title.lower()), "policy"))
        policy = page.locator(".policy-card").inner_text()
        assert all(getattr(lever.label, lang) in policy for lever in DATA.levers.values())
        assert page.locator(".takeaway").inner_text().strip() and page.locator(".slide-source").inner_text()
        if kinds[-1] not in ("policy", "person"):
            drawn = page.locator("[class*='st-key-chart_small'] .interconnect-chart.js-plotly-plot")
            expect(drawn).to_have_count(4 if kinds[-1] == "paths" else 1, timeout=30_000)
        for width, height in SCREENS:
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(1000)
            assert slide_fits(page), (lang, number, kinds[-1], width)
            if kinds[-1] not in ("policy", "person"):
                page.screenshot(path=f"{SHOTS}/slide-{lang}-{number}-{kinds[-1]}-{width}x{height}.png")
        page.set_viewport_size({"width": 1280, "height": 720})
        page.evaluate("document.activeElement.blur()")
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(1500)
    assert kinds == ["policy", "person", "paths", "ledger", "policy", "person", "paths", "ledger", "track"]
    # The link reopens the same deck in a fresh browser.
    fresh = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    fresh.goto(page.url)
    expect(fresh.locator(".deck-position")).to_contain_text(f"1 of {total}" if lang == "en" else f"1/{total}",
                                                           timeout=90_000)
    fresh.context.close()
    context.close()


def test_a_bad_optional_slide_in_a_link_is_named_and_the_rest_kept(server, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{server}/?more=ledger,charts")
    expect(page.get_by_text("more: must be among paths, ledger, track, got 'charts'")).to_be_visible(timeout=30_000)
    page.goto(f"{server}/present?more=ledger,charts")
    expect(page.locator(".deck-position")).to_contain_text("1 of 3", timeout=60_000)  # policy, person, ledger
    # On Present the notice floats over the slide, which still fits the screen.
    expect(page.get_by_text("more: must be among paths, ledger, track, got 'charts'")).to_be_visible(timeout=30_000)
    page.wait_for_function("() => document.querySelectorAll('.interconnect-chart.js-plotly-plot').length > 0",
                           timeout=30_000)
    settle(page)
    assert slide_fits(page)
    page.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_chart_downloads_as_a_png_with_its_title_and_source_under_it(server, browser, lang):  # noqa: F811
    """The mode bar's camera: a PNG of the chart as drawn, taller by a band that carries the title and
    the source line; the same chart without the footnote leaves that band blank."""
    import io

    from PIL import Image

    context = browser.new_context(viewport={"width": 1280, "height": 720}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{server}/?payment_interop=0.5&lang={lang}")
    chart = page.locator(".interconnect-chart").first
    chart.wait_for(state="attached", timeout=60_000)
    chart.scroll_into_view_if_needed()
    chart.locator(".main-svg").first.wait_for(timeout=30_000)
    settle(page)
    chart.hover()
    with page.expect_download() as download:
        chart.locator(f".modebar-btn[data-title='{'Download PNG with source' if lang == 'en' else '下载带来源的 PNG'}']").click()
    assert download.value.suggested_filename == "chart-waterfall.png"
    image = Image.open(download.value.path()).convert("L")
    width, height = page.evaluate("""() => { const g = document.querySelector('.interconnect-chart');
        return [g._fullLayout.width, g._fullLayout.height]; }""")
    assert image.size == (2 * width, 2 * (height + 60))                 # the chart, and a 60 px band, at scale 2
    assert sum(image.histogram()[:200]) > 0.01 * image.size[0] * image.size[1]   # drawn, not blank
    band = image.crop((0, image.size[1] - 2 * 60, image.size[0], image.size[1]))
    assert sum(band.histogram()[:160]) > 500                             # text in the footnote band
    # The same chart at the same size without the footnote: nothing in that band.
    plain = page.evaluate("""([w, h]) => { const g = document.querySelector('.interconnect-chart');
        const layout = {...g.layout, width: w, height: h, margin: {...g.layout.margin, b: g._fullLayout.margin.b + 60}};
        return Plotly.toImage({data: g.data, layout}, {format: 'png', width: w, height: h, scale: 2}); }""",
                          [width, height + 60])
    import base64
    bare = Image.open(io.BytesIO(base64.b64decode(plain.split(",", 1)[1]))).convert("L")
    assert sum(bare.crop((0, bare.size[1] - 2 * 60, bare.size[0], bare.size[1])).histogram()[:160]) < 50
    image.save(f"{SHOTS}/download-{lang}.png")
    context.close()
