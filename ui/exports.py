"""A deck's exports, each from the same slides (ui/slides.py): the printable HTML handout, a
PowerPoint deck whose charts are PowerPoint's own (editable, with their numbers), a PDF handout with
its CJK font embedded."""
from __future__ import annotations

import html
import io
import unicodedata
from pathlib import Path

import plotly.io as pio
import streamlit as st

from model.scenario import Scenario

from . import charts
from .i18n import rmb, text
from .person import band_text, headline
from .slides import (SLIDE_CSS, PersonSlide, Slide, body_html, deck_slides, person_html, quote_html, source_html,
                     text_width)
from .urlstate import PersonView

# Debian's fonts-noto-cjk (the Makefile installs it): Noto Sans CJK, its Simplified Chinese face.
CJK_FONT_DIR = Path("/usr/share/fonts/opentype/noto")
CJK_SC_INDEX = 2  # JP, KR, SC, TC, HK in the collection
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def _shares_figure(slide: Slide, height: int) -> dict:
    """The slide's shares chart for print: the projection's type, sized for a half page."""
    import pandas as pd

    from model.data import default_data
    data = default_data()
    values = list(slide.shares.values())
    scenario = pd.Series({f"share.{p.id}": v[1] / 100 for p, v in zip(data.platforms, values)})
    status_quo = pd.Series({f"share.{p.id}": v[0] / 100 for p, v in zip(data.platforms, values)})
    figure = charts.for_projection(charts.shares_chart(scenario, status_quo, slide.lang, slide.year), height)
    figure["layout"] = dict(figure["layout"], width=720, font=dict(figure["layout"]["font"], size=13))
    for trace in figure["data"]:
        trace["textfont"] = {"size": 11}
    return figure


def handout_html(slides: list[Slide | PersonSlide], lang: str) -> str:
    """One printable landscape page per slide: the slide as on screen, then its speaker notes."""
    esc = html.escape
    pages, include_js = [], "inline"
    for number, slide in enumerate(slides, start=1):
        if isinstance(slide, PersonSlide):
            body = person_html(slide)
        else:
            chart = pio.to_html(_shares_figure(slide, 300), full_html=False, include_plotlyjs=include_js,
                                config=charts.PLOTLY_CONFIG, validate=False)
            include_js = False
            body = (f"{body_html(slide)}<div class='body'><div class='chart'>{chart}</div>"
                    f"<div class='quote'>{quote_html(slide)}</div></div>")
        notes = "".join(f"<p>{esc(line)}</p>" for line in slide.notes.splitlines())
        pages.append(f"<section class='slide'><h1>{esc(slide.title)}</h1><p class='meta'>"
                     f"{esc(text('present.position', lang, number=number, total=len(slides), year=slide.year))}</p>"
                     f"{body}{source_html(slide)}"
                     f"<div class='notes'><h2>{esc(text('present.notes', lang))}</h2>{notes}</div></section>")
    style = ("@page{size:A4 landscape;margin:10mm}body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;"
             "margin:0;color:#1a1a1a}.slide{break-after:page;padding:12px 20px;max-width:1280px;margin:auto}"
             "h1{font-size:26px;margin:0;overflow-wrap:anywhere}.meta{color:#555;margin:2px 0 6px}"
             ".body{display:flex;gap:16px;margin-top:6px}.chart{flex:0 0 720px}.quote{flex:1;min-width:0}"
             ".passage{border-left:4px solid #1B3A5C;padding:4px 12px;background:#F2F5F8}"
             ".passage footer{color:#555;font-size:13px}.notes{border-top:1px dashed #999;margin-top:8px;font-size:13px}"
             ".notes h2{font-size:15px;margin:4px 0}.notes p{margin:2px 0}.modebar{display:none!important}" + SLIDE_CSS)
    return (f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>"
            f"<title>{esc(text('present.handout_title', lang))}</title><style>{style}</style></head><body>"
            + "\n".join(pages) + "</body></html>")


TONES = {"good": "0B6E2E", "bad": "A3161B", "flat": "555555", "none": "555555"}


def pptx_bytes(slides: list[Slide | PersonSlide], lang: str) -> bytes:
    """The slides as a PowerPoint deck (16:9): each with its policy, takeaway, numbers and bands, a
    native clustered-bar chart of the platforms' shares (editable in PowerPoint, its data inside),
    the quote and the source line; the speaker notes in the notes pane."""
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    blank = deck.slide_layouts[6]
    font = "Noto Sans CJK SC" if lang == "zh" else "Calibri"
    for number, slide in enumerate(slides, start=1):
        page = deck.slides.add_slide(blank)
        _pptx_box(page, 0.4, 0.2, 12.5, 0.8, [slide.title], 28 if len(slide.title) <= 40 else 22, font, bold=True)
        _pptx_box(page, 0.4, 0.95, 12.5, 0.4, [text("slide.policy_line", lang, policy=" · ".join(
            f"{name} {value}" for name, value in slide.policy))], 12, font, color="1B3A5C")
        if isinstance(slide, PersonSlide):
            _pptx_person(page, slide, font)
        else:
            _pptx_policy(page, slide, font, lang)
        _pptx_box(page, 0.4, 7.0, 12.5, 0.4, [slide.source + "  " + text("present.position", lang, number=number,
                                                                           total=len(slides), year=slide.year)],
                  9, font, color="555555")
        page.notes_slide.notes_text_frame.text = slide.notes
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _pptx_policy(page, slide: Slide, font: str, lang: str) -> None:
    """A policy slide's takeaway, numbers, shares chart and quote."""
    _pptx_box(page, 0.4, 1.35, 12.5, 0.6, [slide.takeaway], _takeaway_size(slide.takeaway), font, bold=True)
    _pptx_metrics(page, slide, font)
    _pptx_shares_chart(page, slide, lang)
    if slide.quote:
        quote = slide.quote
        _pptx_box(page, 8.1, 3.95, 4.9, 3.0, [quote.verdict, quote.statement, "“" + quote.words + "”",
                                               quote.source + " · " + quote.arguments], 11, font)


def person_lines(slide: PersonSlide, who: str) -> list[str]:
    """One person on a printed slide: who, the change, its band, each line of the breakdown."""
    change, lang = slide.changes[who], slide.lang
    if isinstance(change, str):
        return [slide.who[who], text(change, lang)]
    return [slide.who[who], headline(who, change, lang), band_text(change, lang) or "",
            *(f"{text(f'person.part.{line}', lang)}: {rmb(value, lang, signed=True)}" for line, value in change.lines.items())]


def _pptx_person(page, slide: PersonSlide, font: str) -> None:
    """The typical merchant and shopper side by side, each headline in bold, and what a typical person is."""
    from pptx.util import Pt

    _pptx_box(page, 0.4, 1.35, 12.5, 0.6, [text("person.slide_title", slide.lang)], 15, font, bold=True)
    for k, who in enumerate(("merchant", "shopper")):
        frame = _pptx_box(page, 0.4 + 6.35 * k, 2.0, 6.1, 4.2, person_lines(slide, who), 14, font)
        for run in frame.paragraphs[1].runs:
            run.font.bold, run.font.size = True, Pt(20)
    _pptx_box(page, 0.4, 6.3, 12.5, 0.6, [text("notes.person_typical", slide.lang)], 10, font, color="555555")


def _takeaway_size(sentence: str) -> int:
    """The takeaway's type size (pt) in the deck: the largest at which it takes two lines of its box
    (a long Chinese name makes it three at 15 pt, over the numbers below)."""
    return next((size for size in (15, 14, 13, 12) if text_width(sentence, size) <= 2 * 12.3 * 72), 11)


def _pptx_box(page, left, top, width, height, lines, size, font, bold=False, color=None):
    """A word-wrapped text box of one paragraph per line, in the deck's font."""
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

    frame = page.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height)).text_frame
    frame.word_wrap = True
    for k, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        run.font.size, run.font.bold, run.font.name = Pt(size), bold, font
        if color:
            run.font.color.rgb = RGBColor.from_string(color)
    return frame


def _pptx_metrics(page, slide: Slide, font: str) -> None:
    """The headline numbers, four to a row: label, value with its arrow and change, and its band."""
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    for k, metric in enumerate(slide.metrics):
        left, top = 0.4 + (k % 4) * 3.15, 2.0 + (k // 4) * 0.95
        frame = _pptx_box(page, left, top, 3.05, 0.9, [metric.label], 11, font)
        run = frame.add_paragraph().add_run()
        run.text = " ".join(filter(None, (metric.value, metric.arrow, metric.change)))
        run.font.size, run.font.bold, run.font.name = Pt(15), True, font
        run.font.color.rgb = RGBColor.from_string(TONES[metric.tone])
        if metric.band:
            band = frame.add_paragraph().add_run()
            band.text, band.font.size, band.font.name = metric.band, Pt(10), font


def _pptx_shares_chart(page, slide: Slide, lang: str) -> None:
    """The platforms' shares, status quo beside scenario, as a native (editable) clustered-bar chart."""
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
    from pptx.util import Inches

    chart_data = CategoryChartData()
    chart_data.categories = list(slide.shares)
    chart_data.add_series(text("chart.status_quo", lang), [round(v[0], 1) for v in slide.shares.values()])
    chart_data.add_series(text("chart.scenario", lang), [round(v[1], 1) for v in slide.shares.values()])
    chart = page.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(0.4), Inches(3.95), Inches(7.4),
                                  Inches(3.0), chart_data).chart
    chart.has_title = True
    chart.chart_title.text_frame.text = text("chart.shares_title", lang, year=slide.year)
    chart.has_legend, chart.legend.position, chart.legend.include_in_layout = True, XL_LEGEND_POSITION.BOTTOM, False
    chart.plots[0].has_data_labels = True
    chart.plots[0].data_labels.number_format, chart.plots[0].data_labels.number_format_is_linked = "0.0", False


def _cjk_pdf(lang: str):
    from fpdf import FPDF

    class CJKPDF(FPDF):
        def normalize_text(self, text_: str) -> str:
            """A character the font lacks, written as its compatibility form where the font has that
            (Noto Sans CJK has ¾ but not ⅔, nor the fraction slash: ⅔ → 2/3), not dropped."""
            cmap = self.current_font.cmap

            def drawable(ch: str) -> str:
                if ord(ch) in cmap:
                    return ch
                plain = unicodedata.normalize("NFKC", ch).replace("\u2044", "/")
                return plain if all(ord(c) in cmap for c in plain) else ch
            return super().normalize_text("".join(map(drawable, text_)))

    pdf = CJKPDF(orientation="L", format="A4")
    pdf.set_auto_page_break(True, margin=10)
    for style, name in (("", "Regular"), ("B", "Bold")):
        pdf.add_font("NotoSansCJK", style, CJK_FONT_DIR / f"NotoSansCJK-{name}.ttc", collection_font_number=CJK_SC_INDEX)
    pdf.set_lang("zh-CN" if lang == "zh" else "en")
    return pdf


def pdf_bytes(slides: list[Slide | PersonSlide], lang: str) -> bytes:
    """The handout as a PDF, one landscape A4 page per slide and its notes, in Noto Sans CJK (embedded,
    subset), with the shares chart as a vector image."""
    pdf = _cjk_pdf(lang)
    pdf.set_title(text("present.handout_title", lang))
    for number, slide in enumerate(slides, start=1):
        pdf.add_page()
        pdf.set_font("NotoSansCJK", "B", 18 if len(slide.title) <= 40 else 14)
        pdf.multi_cell(0, 8, slide.title, new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.set_font("NotoSansCJK", "", 9)
        pdf.set_text_color(85, 85, 85)
        pdf.cell(0, 5, text("present.position", lang, number=number, total=len(slides), year=slide.year),
                 new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(27, 58, 92)
        pdf.multi_cell(0, 5, text("slide.policy_line", lang, policy=" · ".join(f"{n} {v}" for n, v in slide.policy)),
                       new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        if isinstance(slide, PersonSlide):
            _pdf_person(pdf, slide)
        else:
            _pdf_policy(pdf, slide, lang)
        pdf.set_font("NotoSansCJK", "", 7)
        pdf.set_text_color(85, 85, 85)
        pdf.multi_cell(0, 4, slide.source, new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.set_text_color(0, 0, 0)
        pdf.set_font("NotoSansCJK", "B", 9)
        pdf.cell(0, 6, text("present.notes", lang), new_x="LMARGIN", new_y="NEXT")
        _fitted_notes(pdf, slide.notes)
    return bytes(pdf.output())


def _pdf_policy(pdf, slide: Slide, lang: str) -> None:
    """A policy slide's takeaway, numbers with their bands, shares chart and quote."""
    pdf.set_font("NotoSansCJK", "B", 11)
    pdf.multi_cell(0, 6, slide.takeaway, new_x="LMARGIN", new_y="NEXT", align="L")
    top, width = pdf.get_y() + 1, (pdf.epw - 6) / 4
    for k, metric in enumerate(slide.metrics):
        x, y = pdf.l_margin + (k % 4) * (width + 2), top + (k // 4) * 19
        pdf.rect(x, y, width, 18)
        pdf.set_xy(x + 1.5, y + 1)
        pdf.set_font("NotoSansCJK", "", 8)
        pdf.cell(width - 3, 4, metric.label)
        pdf.set_xy(x + 1.5, y + 5.5)
        pdf.set_font("NotoSansCJK", "B", 11)
        color = {"good": (11, 110, 46), "bad": (163, 22, 27)}.get(metric.tone, (85, 85, 85))
        pdf.cell(width / 2 - 2, 6, metric.value)
        pdf.set_text_color(*color)
        pdf.cell(width / 2 - 2, 6, f"{metric.arrow} {metric.change}".strip())
        pdf.set_text_color(0, 0, 0)
        if metric.band:
            pdf.set_xy(x + 1.5, y + 12)
            pdf.set_font("NotoSansCJK", "", 7)
            pdf.cell(width - 3, 4, metric.band)
    chart_top = top + 40
    _chart_table(pdf, slide, chart_top, lang)
    if slide.quote:
        quote = slide.quote
        pdf.set_xy(pdf.l_margin + 150, chart_top)
        pdf.set_font("NotoSansCJK", "B", 9)
        pdf.multi_cell(pdf.epw - 150, 5, quote.verdict + "\n" + quote.statement, new_x="LEFT", new_y="NEXT", align="L")
        pdf.set_font("NotoSansCJK", "", 9)
        pdf.multi_cell(pdf.epw - 150, 5, "“" + quote.words + "”\n" + quote.source + " · " + quote.arguments,
                       new_x="LMARGIN", new_y="NEXT", align="L")  # justified, a Latin word in Chinese text spreads the line
    pdf.set_y(max(pdf.get_y(), chart_top + 72) + 2)


def _pdf_person(pdf, slide: PersonSlide) -> None:
    """The typical merchant and shopper, side by side, each headline in bold."""
    pdf.set_font("NotoSansCJK", "B", 11)
    pdf.multi_cell(0, 6, text("person.slide_title", slide.lang), new_x="LMARGIN", new_y="NEXT", align="L")
    top, width = pdf.get_y() + 2, (pdf.epw - 6) / 2
    bottom = top
    for k, who in enumerate(("merchant", "shopper")):
        lines = person_lines(slide, who)
        pdf.set_xy(pdf.l_margin + k * (width + 6), top)
        for n, line in enumerate(lines):
            pdf.set_font("NotoSansCJK", "B" if n == 1 else "", 14 if n == 1 else 9)
            pdf.set_x(pdf.l_margin + k * (width + 6))
            pdf.multi_cell(width, 7 if n == 1 else 5, line, new_x="LEFT", new_y="NEXT", align="L")
        bottom = max(bottom, pdf.get_y())
    pdf.set_xy(pdf.l_margin, bottom + 3)
    pdf.set_font("NotoSansCJK", "", 8)
    pdf.multi_cell(0, 4.5, text("notes.person_typical", slide.lang), new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(2)


NOTES_SIZES = (8.0, 7.5, 7.0, 6.5, 6.0)  # pt, tried in turn until the notes fit the page


def _fitted_notes(pdf, notes: str) -> None:
    """The speaker notes in the type size that keeps them on their slide's page (the smallest if none does)."""
    room = pdf.h - pdf.b_margin - pdf.get_y()
    for size in NOTES_SIZES:
        pdf.set_font("NotoSansCJK", "", size)
        if len(pdf.multi_cell(0, size * 0.53, notes, dry_run=True, output="LINES")) * size * 0.53 <= room:
            break
    pdf.multi_cell(0, size * 0.53, notes, new_x="LMARGIN", new_y="NEXT", align="L")


def _chart_table(pdf, slide: Slide, top: float, lang: str) -> None:
    """The shares chart drawn with the PDF's own lines and the CJK font: bars for the status quo
    (light) and the scenario (dark) per platform, with their values."""
    from model.data import default_data
    platforms = default_data().platforms
    left, width, height = pdf.l_margin, 140.0, 62.0
    pdf.set_font("NotoSansCJK", "B", 9)
    pdf.set_xy(left, top)
    pdf.cell(width, 5, text("chart.shares_title", lang, year=slide.year))
    base = top + 6 + height - 12
    peak = max(max(v) for v in slide.shares.values()) or 1.0
    slot = width / len(slide.shares)
    for k, ((name, (status_quo, scenario)), platform) in enumerate(zip(slide.shares.items(), platforms)):
        colour = tuple(int(platform.color.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
        for j, value in enumerate((status_quo, scenario)):
            bar = (height - 20) * value / peak
            x = left + k * slot + 3 + j * (slot - 6) / 2
            pdf.set_fill_color(*(colour if j else tuple(int(c + (255 - c) * 0.55) for c in colour)))
            pdf.rect(x, base - bar, (slot - 6) / 2 - 1, bar, style="F")
            pdf.set_font("NotoSansCJK", "", 6.5)
            pdf.set_xy(x - 1, base - bar - 4)
            pdf.cell((slot - 6) / 2 + 1, 4, f"{value:.1f}", align="C")
        pdf.set_font("NotoSansCJK", "", 7.5)
        pdf.set_xy(left + k * slot, base + 1)
        pdf.multi_cell(slot, 3.5, name.replace("<br>", " "), align="C")
    pdf.set_font("NotoSansCJK", "", 7)
    pdf.set_xy(left, base + 9)
    pdf.cell(width, 4, text("pdf.legend", lang, status_quo=text("chart.status_quo", lang),
                            scenario=text("chart.scenario", lang), unit=text("unit.percent_gmv", lang)))


@st.cache_data(max_entries=8, show_spinner=False)
def _slides(deck_keys: tuple, names: tuple, lang: str, person: PersonView) -> list[Slide | PersonSlide]:
    from .compute import scenario_from_key
    return deck_slides([scenario_from_key(key, name) for key, name in zip(deck_keys, names)], lang, person=person)


def export_menu(deck: list[Scenario], lang: str, person: PersonView) -> None:
    """The deck's downloads (each scenario's slide, then its typical merchant and shopper), each built
    when its button is pressed."""
    keys, names = tuple(s.key() for s in deck), tuple(s.title(lang) for s in deck)
    with st.popover(text("present.exports", lang), key="deck_exports"):
        st.download_button(text("present.handout", lang), lambda: handout_html(_slides(keys, names, lang, person), lang).encode(),
                           file_name="interconnection-slides.html", mime="text/html", on_click="ignore", key="handout")
        st.download_button(text("present.pptx", lang), lambda: pptx_bytes(_slides(keys, names, lang, person), lang),
                           file_name="interconnection-slides.pptx", mime=PPTX_MIME, on_click="ignore", key="deck_pptx")
        st.download_button(text("present.pdf", lang), lambda: pdf_bytes(_slides(keys, names, lang, person), lang),
                           file_name="interconnection-handout.pdf", mime="application/pdf", on_click="ignore",
                           key="deck_pdf")
