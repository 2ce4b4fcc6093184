"""The exports a user hands over: the offline HTML report and the CSV of paths, in the reader's
language and units, with nothing a file or a user typed rendered as HTML."""
import codecs
import csv
import io
import re

import pytest

from model import engine
from model.data import default_data
from model.scenario import Scenario, status_quo
from ui.i18n import amount, number
from ui.report import html_report, paths_csv
from ui.widgets import passage_html

DATA = default_data()


def scenario(name: str = "A", **levers) -> Scenario:
    return Scenario(name=name, levers=dict(DATA.status_quo_levers, **levers), horizon=2030)


def test_amounts_use_chinese_units_and_a_true_minus():
    assert amount(1081, "rmb_bn", "zh") == "1.08 万亿元"
    assert amount(167, "rmb_bn", "zh", signed=True) == "+1,670 亿元"
    assert amount(-0.3, "rmb_bn", "zh", signed=True) == "−3 亿元"
    assert amount(-42, "hhi", "en", signed=True) == "−42"
    assert amount(0.2, "rmb_bn", "en", signed=True) == "+0.2 RMB bn"  # not "+0 RMB bn" beside "+2 亿元"
    assert amount(12.4, "rmb_bn", "en") == "12 RMB bn"
    assert amount(-0.00001, "share", "en", signed=True) == "0.0 pp"  # never "-0.0"
    assert number(-0.04, 1) == "0.0"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_csv_has_a_bom_headers_in_the_language_and_the_units_on_screen(lang):
    payment = scenario("支付 A", payment_interop=0.6)
    raw = paths_csv([payment], lang)
    assert raw.startswith(codecs.BOM_UTF8)
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    header = list(rows[0])
    assert header == (["Scenario", "Series", "Year", "Outcome id", "Outcome", "Value", "Unit"] if lang == "en"
                      else ["情景", "序列", "年份", "指标编号", "结果指标", "数值", "单位"])
    final = engine.run(payment, DATA).final
    row = next(r for r in rows if r[header[3]] == "consumer.surplus" and r[header[2]] == "2030"
               and r[header[1]] == ("Scenario" if lang == "en" else "情景"))
    scale = 10 if lang == "zh" else 1
    assert float(row[header[5]]) == pytest.approx(final.loc["consumer.surplus", "value"] * scale)
    assert row[header[6]] == ("RMB bn per year" if lang == "en" else "亿元/年")
    share = next(r for r in rows if r[header[3]] == "share.alibaba" and r[header[2]] == "2030")
    assert 10 < float(share[header[5]]) < 100  # percent, as on screen
    assert row[header[0]] == "支付 A"


def test_report_starts_with_the_side_by_side_table_and_names_in_the_language():
    presets = [scenario("Payment", payment_interop=0.6),
               Scenario(name="Links", name_zh="外链", levers=dict(DATA.status_quo_levers, link_unblocking=1.0))]
    report = html_report(presets, "zh")
    assert "<html lang='zh'>" in report
    first_h2 = re.search(r"<h2>(.*?)</h2>", report).group(1)
    assert first_h2 == "情景并列比较"
    table = report[report.index("<h2>"):report.index("<section>")]
    assert "Payment" in table and "外链" in table and "Links" not in table
    assert "Shapley" not in report and "十亿元" not in report


def test_report_quotes_only_arguments_for_levers_that_moved():
    payment = scenario("Payment only", payment_interop=0.6)
    report = html_report([payment], "en")
    quoted = {c.id for c in DATA.claims.values() if c.statement.en in report}
    assert quoted and all(DATA.claims[c].lever == "payment_interop" for c in quoted)
    assert not any(c.statement.en in html_report([status_quo(DATA)], "en") for c in DATA.claims.values())


def test_typed_names_and_descriptions_are_never_rendered():
    typed = Scenario(name="<b>bold</b> *stars*", description="<script>alert(1)</script> [link](x)",
                     levers=dict(DATA.status_quo_levers))
    report = html_report([typed], "en")
    assert "<b>bold</b>" not in report and "<script>alert(1)</script>" not in report
    assert "&lt;b&gt;bold&lt;/b&gt; *stars*" in report


def test_passages_are_shown_as_written():
    starred = next(p for p in DATA.passages.values() if "* *" in p.zh)
    block = passage_html(starred, "en")
    assert "* *" in block and "<em>" not in block
    assert "<p lang='zh'>" in block and "<p lang='en'>" in block


def test_the_report_gives_each_headline_change_its_p10_p90():
    report = html_report([scenario("Links", link_unblocking=1.0)], "en")
    bands = engine.monte_carlo(scenario("Links", link_unblocking=1.0), DATA).final_changes
    low, high = bands["concentration.hhi"].quantile([0.1, 0.9])
    assert "Change, P10–P90" in report
    assert f"{amount(low, 'hhi', 'en', signed=True)} to {amount(high, 'hhi', 'en', signed=True)}" in report
    assert "1000 Monte Carlo draws" in report


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_ends_with_the_track_record_beside_the_benchmark(lang):
    import html

    from reports import track_record
    from ui.report import track_record_result
    report = html_report([status_quo(DATA)], lang)
    result = track_record_result()
    tail = report[report.index("<section><h2>" + html.escape(track_record.TEXTS[lang]["title"])):]
    assert html.escape(track_record.verdict(result, lang)) in tail
    assert all(html.escape(item) in tail for item in track_record.lessons(result, lang))
    assert "toself" in tail   # the bands are drawn
