"""The typical merchant and shopper on a slide and in the exports: the same numbers as the model's
person functions, with bands and notes, in both languages."""
import io
import shutil
import subprocess

import pytest

from model import engine, person
from model.data import default_data
from test_slides import PRESETS, preset
from ui.exports import handout_html, pdf_bytes, pptx_bytes
from ui.i18n import rmb, text
from ui.person import changes
from ui.slides import PersonSlide, Slide, deck_slides
from ui.urlstate import default_person

DATA = default_data()
VIEW = default_person(DATA)


@pytest.fixture(scope="module")
def decks():
    return {lang: deck_slides([preset(stem) for stem in PRESETS[:2]], lang, person=VIEW) for lang in ("en", "zh")}


def test_each_scenario_is_followed_by_its_typical_merchant_and_shopper(decks):
    deck = decks["en"]
    assert [type(slide) for slide in deck] == [Slide, PersonSlide, Slide, PersonSlide]
    for slide, stem in zip(deck[1::2], PRESETS):
        scenario = preset(stem)
        central = engine.run(scenario, DATA).person
        merchant = float(person.total(person.merchant_change(central, VIEW.gmv, 0.0, ["alibaba"]))[0])
        assert slide.changes["merchant"].central == pytest.approx(merchant)
        low, high = slide.changes["merchant"].low, slide.changes["merchant"].high
        assert low <= slide.changes["merchant"].central <= high
        assert slide.policy == deck[deck.index(slide) - 1].policy
        assert slide.title == scenario.title("en")
        assert text("person.merchant_result", "en", change=rmb(merchant, "en", signed=True)) in slide.notes
        assert sum(slide.changes["shopper"].lines.values()) == pytest.approx(slide.changes["shopper"].central)


def test_a_person_slide_shows_an_input_error_instead_of_a_number():
    from dataclasses import replace
    view = replace(VIEW, marketplaces=())
    result = engine.run(preset("payment-first"), DATA)
    found = changes(view, result.person, None)
    assert found["merchant"] == "person.error_markets" and found["shopper"].low is None


def test_the_handout_and_the_powerpoint_deck_carry_the_person_pages(decks):
    from pptx import Presentation

    handout = handout_html(decks["zh"], "zh")
    assert handout.count("<section class='slide'>") == 4 and handout.count("person-card") >= 4
    assert "该商家：每年" in handout and "第 2/4 页" in handout
    deck = Presentation(io.BytesIO(pptx_bytes(decks["en"], "en")))
    assert len(deck.slides) == 4
    page, slide = deck.slides[1], decks["en"][1]
    texts = "\n".join(shape.text_frame.text for shape in page.shapes if shape.has_text_frame)
    assert "This merchant: " in texts and "This shopper: " in texts and "P10–P90" in texts
    assert "Policy: Payment interoperability" in texts and not any(shape.has_chart for shape in page.shapes)
    assert page.notes_slide.notes_text_frame.text == slide.notes


@pytest.mark.skipif(shutil.which("pdftoppm") is None and __import__("os").environ.get("CI") != "true",
                    reason="poppler-utils: make test installs it as root")
def test_the_pdf_has_the_person_pages_in_chinese(decks, tmp_path):
    path = tmp_path / "handout.pdf"
    path.write_bytes(pdf_bytes(decks["zh"], "zh"))
    words = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "该商家：每年" in words and "该消费者：每年" in words and "10%–90% 分位" in words
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / "page")], check=True)
    assert len(sorted(tmp_path.glob("page-*.png"))) == 4
