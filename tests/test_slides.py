"""The policy slide and the deck's exports (issue 25): the takeaway says what the numbers say, the
quote is one the model reproduces (or is labelled), each slide quotes its own argument, and the
PowerPoint deck and the PDF handout open with the slides' numbers, notes and fonts in them."""
import io
import os
import re
import shutil
import subprocess

import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from model import engine
from model.data import default_data
from model.scenario import Scenario, load_scenario
from ui.charts import GAIN_COLOR, LOSS_COLOR, group_name
from ui.exports import handout_html, pdf_bytes, pptx_bytes
from ui.i18n import amount, label, text
from ui.slides import (
    HEADLINE_TAKEAWAY,
    PATH_OUTCOMES,
    SME_PROFIT,
    ChartSlide,
    central_effects,
    choose_quote,
    deck_order,
    deck_slides,
    ledger_slide,
    paths_slide,
    policy_items,
    policy_slide,
    track_record_slide,
    quote_of,
)

DATA = default_data()
PRESETS = ("payment-first", "bilateral-opening", "full-interconnection", "strong-safeguards")
LONG_NAME = "Payment interoperability first, then external links, with strong safeguards v2"  # 78 characters


def preset(stem: str) -> Scenario:
    return load_scenario(ROOT / "scenarios" / f"{stem}.yaml")


@pytest.fixture(scope="module")
def deck_en():
    return deck_slides([preset(stem) for stem in PRESETS[:2]], "en")


@pytest.fixture(scope="module")
def deck_zh():
    return deck_slides([preset(stem) for stem in PRESETS[:2]], "zh")


shares = st.sampled_from([0.0, 0.3, 0.6, 1.0])


@settings(max_examples=12, deadline=None)
@given(payment=shares, links=shares, data_sharing=shares, safeguards=shares, lang=st.sampled_from(["en", "zh"]))
def test_the_takeaway_states_each_change_with_the_verb_of_its_sign(payment, links, data_sharing, safeguards, lang):
    scenario = Scenario(name="S", levers=dict(DATA.status_quo_levers, payment_interop=payment, link_unblocking=links,
                                              data_sharing=data_sharing, safeguards=safeguards))
    result = engine.run(scenario, DATA, attribute=True)
    slide = policy_slide(scenario, result, None, None, central_effects(), lang)
    for key in HEADLINE_TAKEAWAY:
        outcomes = SME_PROFIT if key == "sme.profit" else (key,)
        change = sum(result.final.loc[o, "change"] for o in outcomes)
        unit = DATA.outcomes[outcomes[0]].unit
        said = [d for d in ("up", "down", "flat")
                if text(f"takeaway.{key}.{d}", lang, amount=amount(abs(change), unit, lang)) in slide.takeaway]
        assert len(said) == 1, (key, slide.takeaway)
        if said[0] == "up":
            assert change > 0
        elif said[0] == "down":
            assert change < 0
        else:
            assert not re.search(r"[1-9]", amount(change, unit, lang, signed=True)) or abs(change) < 5e-4 * max(
                1.0, abs(sum(result.final.loc[o, "status_quo"] for o in outcomes)))


@pytest.mark.parametrize("stem", PRESETS)
def test_the_quote_is_about_a_headline_outcome_and_the_model_reproduces_it_or_says_it_does_not(stem):
    scenario = preset(stem)
    result = engine.run(scenario, DATA, attribute=True)
    claim, agrees = choose_quote(scenario, result.attribution, central_effects(), set())
    assert DATA.outcomes[claim.outcome].headline
    assert scenario.levers[claim.lever] != DATA.status_quo_levers[claim.lever]
    part = result.attribution.contributions.loc[claim.outcome, claim.lever]
    verdict_holds = (central_effects()[claim.id] > 0) == (claim.direction == "increase")
    assert agrees == (verdict_holds and part != 0)
    slide = policy_slide(scenario, result, None, None, central_effects(), "en")
    assert slide.quote.verdict == text("slide.quote_agrees" if agrees else "slide.quote_disagrees", "en")


def test_each_slide_of_a_deck_quotes_a_different_argument():
    slides = deck_slides([preset(stem) for stem in PRESETS], "en", uncertainty=False)
    quoted = [slide.claim_id for slide in slides]
    assert None not in quoted and len(set(quoted)) == len(quoted)


def test_the_slide_states_the_policy_and_the_bands(deck_en, deck_zh):
    first = deck_en[0]
    assert ("Payment interoperability", "90%") in first.policy and ("Horizon (final year)", "2030") in first.policy
    assert all(m.band and m.band.startswith("P10–P90: ") for m in first.metrics)
    assert first.takeaway.startswith("Payment first: in 2030, ")
    assert "1000 Monte Carlo draws" in first.source
    assert ("支付互通", "90%") in deck_zh[0].policy and deck_zh[0].takeaway.startswith("支付先行：2030年，")
    assert not re.search(r"[A-Za-z]{4,}", deck_zh[0].takeaway.replace("HHI", ""))


def test_handout_has_one_printable_page_per_slide_with_notes_and_bands(deck_zh):
    handout = handout_html(deck_zh, "zh")
    assert handout.count("<section class='slide'>") == 2 and "break-after:page" in handout
    assert "<html lang='zh'>" in handout and "阿里与腾讯双边开放" in handout and "第 2/2 页" in handout
    assert "演讲备注" in handout and "P10–P90：" in handout and "政策" in handout


def test_the_powerpoint_deck_has_native_charts_with_the_models_shares_and_the_notes(deck_en):
    from pptx import Presentation

    deck = Presentation(io.BytesIO(pptx_bytes(deck_en, "en")))
    assert len(deck.slides) == 2
    for page, slide, stem in zip(deck.slides, deck_en, PRESETS):
        texts = "\n".join(shape.text_frame.text for shape in page.shapes if shape.has_text_frame)
        assert slide.takeaway in texts and "Policy: Payment interoperability" in texts and "P10–P90" in texts
        charts = [shape.chart for shape in page.shapes if shape.has_chart]
        assert len(charts) == 1
        series = {s.name: list(s.values) for s in charts[0].plots[0].series}
        final = engine.run(preset(stem), DATA).final
        assert series["Scenario"] == [round(final.loc[f"share.{p.id}", "value"] * 100, 1) for p in DATA.platforms]
        assert page.notes_slide.notes_text_frame.text == slide.notes


def test_a_long_name_wraps_on_the_powerpoint_slide():
    from pptx import Presentation

    slides = deck_slides([Scenario(name=LONG_NAME, levers=dict(DATA.status_quo_levers, payment_interop=1.0))], "en",
                         uncertainty=False)
    title = Presentation(io.BytesIO(pptx_bytes(slides, "en"))).slides[0].shapes[0].text_frame
    assert title.text == LONG_NAME and title.word_wrap


@pytest.mark.skipif(shutil.which("pdftoppm") is None and os.environ.get("CI") != "true", reason="poppler-utils: make test installs it as root")
def test_the_pdf_handout_embeds_its_cjk_font_and_renders_every_page(deck_zh, tmp_path):
    path = tmp_path / "handout.pdf"
    path.write_bytes(pdf_bytes(deck_zh, "zh"))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "NotoSansCJK" in fonts and all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])
    words = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "阿里与腾讯双边开放" in words and "演讲备注" in words and "P10–P90" in words
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 2
    from PIL import Image
    for page in pages:
        dark = sum(Image.open(page).convert("L").histogram()[:128])
        assert dark > 2_000  # text and bars, not a blank page


# ---- The optional slides: paths over time, the ledger, the track record ----

EXTRAS = ("paths", "ledger", "track")


@pytest.fixture(scope="module")
def extra_deck_en():
    return deck_slides([preset(stem) for stem in PRESETS[:2]], "en", extras=EXTRAS)


def test_optional_slides_follow_each_scenarios_slide_and_the_track_record_comes_last_once(extra_deck_en):
    assert deck_order(2, EXTRAS) == [("policy", 0), ("paths", 0), ("ledger", 0), ("policy", 1), ("paths", 1),
                                     ("ledger", 1), ("track", -1)]
    assert deck_order(2, ("track",)) == [("policy", 0), ("policy", 1), ("track", -1)]
    kinds = [slide.kind if isinstance(slide, ChartSlide) else "policy" for slide in extra_deck_en]
    assert kinds == ["policy", "paths", "ledger", "policy", "paths", "ledger", "track"]
    for slide in extra_deck_en:
        assert slide.takeaway and slide.source.startswith("Source: interconnection scenarios model v") and slide.notes
        assert dict(slide.policy)["Horizon (final year)"]   # every slide states its policy


@settings(max_examples=10, deadline=None)
@given(payment=shares, links=shares, data_sharing=shares, lang=st.sampled_from(["en", "zh"]))
def test_the_paths_takeaway_states_each_final_change_and_the_year_half_of_it_was_reached(payment, links,
                                                                                          data_sharing, lang):
    scenario = Scenario(name="S", levers=dict(DATA.status_quo_levers, payment_interop=payment, link_unblocking=links,
                                              data_sharing=data_sharing))
    result = engine.run(scenario, DATA)
    slide = paths_slide(scenario, result, None, None, lang)
    for outcome in PATH_OUTCOMES:
        spec = DATA.outcomes[outcome]
        gap = result.scenario_paths[outcome] - result.status_quo_paths[outcome]
        final = gap.iloc[-1]
        name = label(spec.label, lang)
        if text("takeaway.path.flat", lang, outcome=name) in slide.takeaway:
            assert not re.search(r"[1-9]", amount(final, spec.unit, lang, signed=True)) or abs(final) < 5e-4 * max(
                1.0, abs(result.status_quo_paths[outcome].iloc[-1]))
            continue
        half = next(int(y) for y, v in gap.items() if v * final > 0 and abs(v) >= abs(final) / 2)
        assert all(abs(v) < abs(final) / 2 or v * final <= 0 for y, v in gap.items() if y < half)
        assert text("takeaway.path.moved", lang, outcome=name, change=amount(final, spec.unit, lang, signed=True),
                    half=half) in slide.takeaway


@pytest.mark.parametrize("stem", PRESETS)
def test_the_ledger_takeaway_names_the_largest_gain_and_loss_with_their_signs(stem):
    scenario = preset(stem)
    result = engine.run(scenario, DATA)
    ledger = engine.ledger(result, DATA)
    rows = ledger[ledger.group != "total"].set_index("group")["change_rmb_bn"]
    slide = ledger_slide(scenario, result, "en")
    top, bottom = rows.idxmax(), rows.idxmin()
    assert rows[top] > 0 and rows[bottom] < 0    # every preset moves money both ways
    assert f"the largest gain goes to {group_name(top, 'en')} ({amount(rows[top], 'rmb_bn', 'en', signed=True)})" \
        in slide.takeaway
    assert f"the largest loss falls on {group_name(bottom, 'en')} ({amount(rows[bottom], 'rmb_bn', 'en', signed=True)})" \
        in slide.takeaway
    total = ledger.set_index("group").loc["total", "change_rmb_bn"]
    assert ("total welfare rises" if total > 0 else "total welfare falls") in slide.takeaway
    assert slide.charts[0].series[0].values == pytest.approx(list(ledger["change_rmb_bn"]))
    assert slide.charts[0].bar_colors == [GAIN_COLOR if v >= 0 else LOSS_COLOR for v in ledger["change_rmb_bn"]]


def test_the_track_record_slide_states_the_back_tests_own_scores():
    from model import backtest
    from ui.report import track_record_result

    result = track_record_result()
    scores = backtest.summary(result.rows)
    slide = track_record_slide(result, "zh")
    assert f"{len(result.rows)} 个平台份额中的 {scores['coverage']:.0%}" in slide.takeaway
    assert f"朴素趋势为 {scores['benchmark']['coverage']:.0%}" in slide.takeaway
    assert slide.policy == policy_items(result.scenario, "zh") and "2022" in dict(slide.policy)["外链解封"]
    reported = [series for chart in slide.charts for series in chart.series if series.markers_only]
    assert len(reported) == len(slide.charts) == len(set(result.paths["platform"]))


def test_the_powerpoint_deck_draws_the_optional_slides_as_native_charts_with_the_models_numbers(extra_deck_en):
    from pptx import Presentation
    from pptx.enum.chart import XL_CHART_TYPE

    deck = Presentation(io.BytesIO(pptx_bytes(extra_deck_en, "en")))
    assert len(deck.slides) == len(extra_deck_en)
    result = engine.run(preset(PRESETS[0]), DATA)
    for page, slide in zip(deck.slides, extra_deck_en):
        assert page.notes_slide.notes_text_frame.text == slide.notes
        if not isinstance(slide, ChartSlide):
            continue
        texts = "\n".join(shape.text_frame.text for shape in page.shapes if shape.has_text_frame)
        assert slide.title in texts and slide.takeaway in texts and "Policy: " in texts and slide.source in texts
        charts = [shape.chart for shape in page.shapes if shape.has_chart]
        assert len(charts) == {"paths": 4, "ledger": 1, "track": len(slide.charts)}[slide.kind]
        kinds = ({XL_CHART_TYPE.COLUMN_CLUSTERED} if slide.kind == "ledger"
                 else {XL_CHART_TYPE.LINE, XL_CHART_TYPE.LINE_MARKERS})   # markers shown on the reported points only
        assert all(chart.chart_type in kinds for chart in charts)
    paths_page = deck.slides[1]
    consumer = next(shape.chart for shape in paths_page.shapes if shape.has_chart)
    series = {s.name: list(s.values) for s in consumer.plots[0].series}
    assert series["Scenario"] == pytest.approx(list(result.scenario_paths["consumer.surplus"]), abs=0.01)
    assert series["Status quo"] == pytest.approx(list(result.status_quo_paths["consumer.surplus"]), abs=0.01)
    assert set(series) == {"Status quo", "Scenario", "Scenario P10", "Scenario P90"}


def test_the_handout_prints_the_optional_slides_with_their_charts_and_notes(extra_deck_en):
    handout = handout_html(extra_deck_en, "en")
    assert handout.count("<section class='slide'>") == 7 and handout.count("class='chart-grid") == 5
    assert "Track record: did the model see it coming?" in handout and "Slide 7 of 7<" in handout
    assert "Payment first: who gains, who loses" in handout


@pytest.mark.skipif(shutil.which("pdftoppm") is None and os.environ.get("CI") != "true", reason="poppler-utils: make test installs it as root")
def test_the_pdf_handout_draws_the_optional_slides_in_chinese(tmp_path):
    slides = deck_slides([preset("payment-first")], "zh", uncertainty=False, extras=EXTRAS)
    path = tmp_path / "handout.pdf"
    path.write_bytes(pdf_bytes(slides, "zh"))
    words = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for title in ("支付先行：逐年路径", "支付先行：谁得谁失", "历史检验：模型能否预见？", "消费者收益", "拼多多"):
        assert title in words
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / "page")], check=True)
    from PIL import Image
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 4    # a page per slide, the track record's long notes included
    for page in pages[1:4]:    # the optional slides' pages: charts drawn, not blank
        assert sum(Image.open(page).convert("L").histogram()[:160]) > 4_000


@pytest.mark.skipif(shutil.which("pdftotext") is None and os.environ.get("CI") != "true", reason="poppler-utils: make test installs it as root")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_slide_keeps_its_notes_on_its_own_pdf_page_and_no_character_is_dropped(lang, tmp_path):
    """At the status quo's concentration every warning is in the notes (three of them): the notes still
    end on their slide's page, and the two-thirds presumption keeps its fraction (Noto Sans CJK has no ⅔)."""
    deck = deck_slides([Scenario(name="Payment a little", levers=dict(DATA.status_quo_levers, payment_interop=0.4)),
                        Scenario(name="Everything guarded", levers=dict(DATA.status_quo_levers, payment_interop=1.0,
                                 link_unblocking=1.0, data_sharing=1.0, safeguards=0.8, openness="all"))],
                       lang, uncertainty=False)
    assert all(slide.notes.count("\n") >= 5 for slide in deck)
    path = tmp_path / "handout.pdf"
    path.write_bytes(pdf_bytes(deck, lang))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+2$", info, re.M)
    words = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "(2/3)" in words or "（2/3）" in words
    assert "()" not in words and "（）" not in words


def test_a_long_chinese_name_keeps_the_powerpoint_takeaway_to_two_lines():
    from pptx import Presentation

    from ui.slides import text_width
    name = "支付互通先行随后外链解封并辅以强有力的数据安全与隐私保障措施的分阶段互联互通方案第二版草稿供部际讨论"
    slides = deck_slides([Scenario(name=name, levers=dict(DATA.status_quo_levers, payment_interop=1.0))], "zh",
                         uncertainty=False)
    page = Presentation(io.BytesIO(pptx_bytes(slides, "zh"))).slides[0]
    takeaway = next(shape for shape in page.shapes if shape.has_text_frame and shape.text_frame.text == slides[0].takeaway)
    size = takeaway.text_frame.paragraphs[0].runs[0].font.size.pt
    assert text_width(slides[0].takeaway, size) <= 2 * takeaway.width / 12700  # EMU per point


def test_a_chinese_quote_says_what_each_name_its_source_damaged_stands_for():
    from ui.i18n import original_words
    claim = next(c for c in DATA.claims.values() if c.passages[0] == "n-l29")
    words = quote_of(claim, True, "zh").words
    assert "Tik Tok〔抖音〕" in words and "Aauto Quicker〔快手〕" in words
    assert quote_of(claim, True, "en").words == DATA.passages["n-l29"].en
    damaged = DATA.documents["article_2021_08"].damaged_names
    for passage in DATA.passages.values():
        shown = original_words(passage)
        assert shown == passage.zh or passage.document == "article_2021_08"
        for name in damaged:
            assert shown.count(name) == shown.count(f"{name}〔{damaged[name]}〕"), (passage.id, name)


def test_chinese_chart_titles_on_slides_put_their_unit_in_full_width_brackets():
    """"消费者收益 (亿元/年)" mixed English brackets into Chinese, and concentration's read
    "集中度（HHI）（HHI（0–10000））"."""
    from pptx import Presentation

    deck = deck_slides([preset(PRESETS[0])], "zh", extras=("paths",), uncertainty=False)
    titles = [shape.chart.chart_title.text_frame.text for page in Presentation(io.BytesIO(pptx_bytes(deck, "zh"))).slides
              for shape in page.shapes if shape.has_chart]
    assert "消费者收益（亿元/年）" in titles and "集中度（HHI）（0–10000）" in titles, titles
    assert not any(" (" in title or title.count("HHI") > 1 for title in titles), titles
