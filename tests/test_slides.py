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
from ui.exports import handout_html, pdf_bytes, pptx_bytes
from ui.i18n import amount, text
from ui.slides import (
    HEADLINE_TAKEAWAY,
    SME_PROFIT,
    central_effects,
    choose_quote,
    deck_slides,
    policy_slide,
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
