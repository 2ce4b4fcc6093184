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
from . import i18n
from .i18n import rmb, text, with_unit
from .person import band_text, headline
from .slides import (
    SLIDE_CSS,
    ChartData,
    ChartSlide,
    PersonSlide,
    Slide,
    body_html,
    chart_slide_html,
    deck_slides,
    person_html,
    quote_html,
    slide_position,
    source_html,
    text_width,
)
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
        if isinstance(slide, ChartSlide):
            pages.append(_handout_chart_page(slide, number, len(slides), include_js))
            include_js = False
            continue
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
             ".notes h2{font-size:15px;margin:4px 0}.notes p{margin:2px 0}.modebar{display:none!important}"
             ".chart-grid{display:grid;grid-template-columns:1fr 1fr;gap:6px;margin-top:6px}"
             ".chart-grid.wide{grid-template-columns:1fr}" + SLIDE_CSS)
    return (f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>"
            f"<title>{esc(text('present.handout_title', lang))}</title><style>{style}</style></head><body>"
            + "\n".join(pages) + "</body></html>")


def _notes_html(slide: Slide | ChartSlide) -> str:
    esc = html.escape
    lines = "".join(f"<p>{esc(line)}</p>" for line in slide.notes.splitlines())
    return f"<div class='notes'><h2>{esc(text('present.notes', slide.lang))}</h2>{lines}</div>"


def _handout_chart_page(slide: ChartSlide, number: int, total: int, include_js) -> str:
    """An optional slide's printable page: its text, its charts (two to a row, one across when
    alone), the source line and the speaker notes."""
    esc = html.escape
    wide = len(slide.figures) == 1
    cells = []
    for figure in slide.figures:
        sized = charts.for_projection(figure, 420 if wide else 280, 13)
        sized["layout"] |= {"width": 1200 if wide else 600}
        cells.append(pio.to_html(sized, full_html=False, include_plotlyjs=include_js, config=charts.PLOTLY_CONFIG,
                                 validate=False))
        include_js = False
    return (f"<section class='slide'><h1>{esc(slide.title)}</h1><p class='meta'>"
            f"{esc(slide_position(slide, number, total))}</p>"
            f"{chart_slide_html(slide)}<div class='chart-grid{' wide' if wide else ''}'>{''.join(cells)}</div>"
            f"{source_html(slide)}{_notes_html(slide)}</section>")


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
        if isinstance(slide, ChartSlide):
            _pptx_chart_slide(page, slide, number, len(slides), font)
            continue
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


def _pptx_chart_slide(page, slide: ChartSlide, number: int, total: int, font: str) -> None:
    """An optional slide in PowerPoint: title, policy, takeaway, its charts as native (editable)
    charts, two to a row (one across when alone), the source line and the notes."""
    lang = slide.lang
    _pptx_box(page, 0.4, 0.2, 12.5, 0.8, [slide.title], 28 if len(slide.title) <= 40 else 22, font, bold=True)
    _pptx_box(page, 0.4, 0.95, 12.5, 0.4, [text("slide.policy_line", lang, policy=" · ".join(
        f"{name} {value}" for name, value in slide.policy))], 12, font, color="1B3A5C")
    _pptx_box(page, 0.4, 1.35, 12.5, 0.7, [slide.takeaway] + ([slide.caption] if slide.caption else []), 14, font,
              bold=True)
    columns = 1 if len(slide.charts) == 1 else 2
    rows = -(-len(slide.charts) // columns)
    width, height = 12.5 / columns, 4.85 / rows
    for k, chart in enumerate(slide.charts):
        row, column = divmod(k, columns)
        _pptx_native_chart(page, chart, lang, 0.4 + column * width, 2.1 + row * height, width - 0.1, height - 0.05)
    _pptx_box(page, 0.4, 7.0, 12.5, 0.4, [slide.source + "  " + slide_position(slide, number, total)], 9, font,
              color="555555")
    page.notes_slide.notes_text_frame.text = slide.notes


def _pptx_native_chart(page, chart: ChartData, lang: str, left: float, top: float, width: float, height: float) -> None:
    """A line or bar chart of PowerPoint's own (its numbers inside, editable): dashed series dashed,
    reported figures as points, each bar in its own colour."""
    from pptx.chart.data import CategoryChartData
    from pptx.dml.color import RGBColor
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE
    from pptx.enum.dml import MSO_LINE
    from pptx.util import Inches, Pt

    data = CategoryChartData()
    data.categories = chart.categories
    for series in chart.series:
        data.add_series(series.name, [None if v is None else round(v, 2) for v in series.values])
    kind = XL_CHART_TYPE.LINE_MARKERS if chart.kind == "line" else XL_CHART_TYPE.COLUMN_CLUSTERED
    drawn = page.shapes.add_chart(kind, Inches(left), Inches(top), Inches(width), Inches(height), data).chart
    drawn.has_title = True
    drawn.chart_title.text_frame.text = with_unit(chart.title, chart.unit, lang)
    drawn.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(12)
    drawn.font.size = Pt(9)
    drawn.has_legend = len(chart.series) > 1
    if drawn.has_legend:
        drawn.legend.position, drawn.legend.include_in_layout = XL_LEGEND_POSITION.BOTTOM, False
    for spec, series in zip(chart.series, drawn.plots[0].series):
        colour = RGBColor.from_string(spec.color.lstrip("#"))
        if chart.kind == "bar":
            for point, bar in zip(series.points, chart.bar_colors or []):
                point.format.fill.solid()
                point.format.fill.fore_color.rgb = RGBColor.from_string(bar.lstrip("#"))
            continue
        series.smooth = False
        series.marker.style = XL_MARKER_STYLE.DIAMOND if spec.markers_only else XL_MARKER_STYLE.NONE
        if spec.markers_only:
            series.marker.size = 8
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = colour
            series.format.line.fill.background()
        else:
            series.format.line.color.rgb = colour
            series.format.line.width = Pt(1.25 if spec.dashed else 2.25)
            if spec.dashed:
                series.format.line.dash_style = MSO_LINE.DASH


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
        if isinstance(slide, ChartSlide):
            _pdf_header(pdf, slide, slide_position(slide, number, len(slides)), lang)
            _pdf_charts(pdf, slide)
        else:
            _pdf_header(pdf, slide, text("present.position", lang, number=number, total=len(slides),
                                         year=slide.year), lang)
            if isinstance(slide, PersonSlide):
                _pdf_person(pdf, slide)
            else:
                _pdf_policy(pdf, slide, lang)
        _pdf_footer(pdf, slide, lang)
    return bytes(pdf.output())


def _pdf_header(pdf, slide, position: str, lang: str) -> None:
    """Every page's title, its position in the deck and its policy line."""
    pdf.set_font("NotoSansCJK", "B", 18 if len(slide.title) <= 40 else 14)
    pdf.multi_cell(0, 8, slide.title, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font("NotoSansCJK", "", 9)
    pdf.set_text_color(85, 85, 85)
    pdf.cell(0, 5, position, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(27, 58, 92)
    pdf.multi_cell(0, 5, text("slide.policy_line", lang, policy=" · ".join(f"{n} {v}" for n, v in slide.policy)),
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)


def _pdf_footer(pdf, slide, lang: str) -> None:
    """Every page's source line and speaker notes."""
    pdf.set_font("NotoSansCJK", "", 7)
    pdf.set_text_color(85, 85, 85)
    pdf.multi_cell(0, 4, slide.source, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("NotoSansCJK", "B", 9)
    pdf.cell(0, 6, text("present.notes", lang), new_x="LMARGIN", new_y="NEXT")
    _fitted_notes(pdf, slide.notes)


def _pdf_charts(pdf, slide: ChartSlide) -> None:
    """An optional slide's body on its PDF page: the takeaway and its charts drawn with the PDF's own
    lines (two to a row, one across when alone), in what the source line and the notes leave."""
    pdf.set_font("NotoSansCJK", "B", 11)
    pdf.multi_cell(0, 6, slide.takeaway, new_x="LMARGIN", new_y="NEXT", align="L")
    if slide.caption:
        pdf.set_font("NotoSansCJK", "", 8)
        pdf.multi_cell(0, 4, slide.caption, new_x="LMARGIN", new_y="NEXT", align="L")
    top = pdf.get_y() + 2
    columns = 1 if len(slide.charts) == 1 else 2
    rows = -(-len(slide.charts) // columns)
    # The charts take what the source line and the notes (at their smallest size) leave of the page.
    pdf.set_font("NotoSansCJK", "", NOTES_SIZES[-1])
    notes = len(pdf.multi_cell(0, NOTES_SIZES[-1] * 0.53, slide.notes, dry_run=True, output="LINES"))
    below = 20 + notes * NOTES_SIZES[-1] * 0.53
    width, height = pdf.epw / columns, min(100.0, (pdf.h - pdf.b_margin - top - below) / rows)
    for k, chart in enumerate(slide.charts):
        row, column = divmod(k, columns)
        _pdf_chart(pdf, chart, slide.lang, pdf.l_margin + column * width, top + row * height, width - 4, height - 3)
    pdf.set_y(top + rows * height)


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))


def _pdf_chart(pdf, chart: ChartData, lang: str, left: float, top: float, width: float, height: float) -> None:
    """A line or bar chart drawn with the PDF's own lines and the CJK font: the title and unit, three
    labelled values on the vertical axis, the categories under the plot and a legend."""
    pdf.set_font("NotoSansCJK", "B", 8.5)
    pdf.set_xy(left, top)
    pdf.cell(width, 4, with_unit(chart.title, chart.unit, lang))
    values = [v for series in chart.series for v in series.values if v is not None]
    low, high = min(values + [0.0] * (chart.kind == "bar")), max(values + [0.0] * (chart.kind == "bar"))
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    low, high = low - 0.05 * (high - low), high + 0.05 * (high - low)
    x0, y0 = left + 13, top + 6
    plot_w, plot_h = width - 15, height - 22 if chart.kind == "bar" else height - 17

    def y_of(value: float) -> float:
        return y0 + plot_h * (high - value) / (high - low)

    pdf.set_draw_color(200, 200, 200)
    pdf.set_line_width(0.15)
    pdf.set_font("NotoSansCJK", "", 6)
    for tick in (low + 0.05 * (high - low) / 1.1, (low + high) / 2, high - 0.05 * (high - low) / 1.1):
        pdf.line(x0, y_of(tick), x0 + plot_w, y_of(tick))
        pdf.set_xy(left, y_of(tick) - 2)
        pdf.cell(12, 4, i18n.number(tick, 1 if high - low < 100 else 0), align="R")
    slot = plot_w / len(chart.categories)
    for i, name in enumerate(chart.categories):
        if chart.kind == "bar":
            pdf.set_xy(x0 + i * slot, y0 + plot_h + 1)
            pdf.multi_cell(slot, 2.6, name, align="C", max_line_height=2.6)
        elif i % max(1, len(chart.categories) // 6) == 0 or i == len(chart.categories) - 1:
            pdf.set_xy(x0 + i * slot, y0 + plot_h + 1)
            pdf.cell(slot, 3, name, align="C")
    for series in chart.series:
        pdf.set_draw_color(*_rgb(series.color))
        pdf.set_fill_color(*_rgb(series.color))
        if chart.kind == "bar":
            for i, value in enumerate(series.values):
                pdf.set_fill_color(*_rgb((chart.bar_colors or [series.color] * len(series.values))[i]))
                upper, lower = sorted((y_of(value), y_of(0.0)))
                pdf.rect(x0 + i * slot + slot * 0.15, upper, slot * 0.7, max(lower - upper, 0.2), style="F")
            continue
        points = [(x0 + (i + 0.5) * slot, y_of(v)) for i, v in enumerate(series.values) if v is not None]
        if series.markers_only:
            for x, y in points:
                pdf.ellipse(x - 0.9, y - 0.9, 1.8, 1.8, style="F")
            continue
        pdf.set_line_width(0.3 if series.dashed else 0.6)
        pdf.set_dash_pattern(dash=1.2, gap=0.8) if series.dashed else pdf.set_dash_pattern()
        for (xa, ya), (xb, yb) in zip(points, points[1:]):
            pdf.line(xa, ya, xb, yb)
        pdf.set_dash_pattern()
    if chart.kind == "line":
        pdf.set_font("NotoSansCJK", "", 6)
        pdf.set_xy(x0, y0 + plot_h + 5)
        for series in chart.series:
            pdf.set_text_color(*_rgb(series.color))
            pdf.cell(pdf.get_string_width(series.name) + 4, 3, ("◆ " if series.markers_only else "— ") + series.name)
        pdf.set_text_color(0, 0, 0)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)


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
def _slides(deck_keys: tuple, names: tuple, lang: str, person: PersonView, extras: tuple[str, ...] = (),
            path_bands: bool = False) -> list[Slide | PersonSlide | ChartSlide]:
    """The deck's slides; the optional paths slides carry their bands when `path_bands` (uncertainty on)."""
    from .compute import scenario_from_key
    return deck_slides([scenario_from_key(key, name) for key, name in zip(deck_keys, names)], lang, extras=extras,
                       path_bands=path_bands, person=person)


def export_menu(deck: list[Scenario], lang: str, person: PersonView, extras: tuple[str, ...] = (),
                path_bands: bool = False) -> None:
    """The deck's downloads (each scenario's slide, then its typical merchant and shopper, and the
    optional slides, `extras`), each built when its button is pressed."""
    keys, names = tuple(s.key() for s in deck), tuple(s.title(lang) for s in deck)

    def slides() -> list[Slide | PersonSlide | ChartSlide]:
        return _slides(keys, names, lang, person, extras, path_bands)

    with st.popover(text("present.exports", lang), key="deck_exports"):
        st.download_button(text("present.handout", lang), lambda: handout_html(slides(), lang).encode(),
                           file_name="interconnection-slides.html", mime="text/html", on_click="ignore", key="handout")
        st.download_button(text("present.pptx", lang), lambda: pptx_bytes(slides(), lang),
                           file_name="interconnection-slides.pptx", mime=PPTX_MIME, on_click="ignore", key="deck_pptx")
        st.download_button(text("present.pdf", lang), lambda: pdf_bytes(slides(), lang),
                           file_name="interconnection-handout.pdf", mime="application/pdf", on_click="ignore",
                           key="deck_pdf")
