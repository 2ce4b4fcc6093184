"""AppTest: Explore's typical merchant and shopper panel, its link and its errors."""
import re

from streamlit.testing.v1 import AppTest

from model import engine, person
from model.data import default_data
from model.scenario import Scenario
from test_app import APP, TIMEOUT
from ui.i18n import rmb, text

DATA = default_data()
FULL = {"payment_interop": "1.0", "link_unblocking": "1.0", "data_sharing": "0.5", "safeguards": "0.6",
        "openness": "all"}


def opened(tmp_path, monkeypatch, query: dict) -> AppTest:
    monkeypatch.setenv("INTERCONNECT_SAVED_DIR", str(tmp_path / "saved"))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({"panel": "person", **query})
    at.run()
    assert not at.exception
    return at


def cards(at: AppTest) -> str:
    return " ".join(element.proto.body for element in at.get("html") if "person-card" in element.proto.body)


def test_the_default_merchant_and_shopper_show_the_models_numbers(tmp_path, monkeypatch):
    at = opened(tmp_path, monkeypatch, {"payment_interop": "1.0", "link_unblocking": "1.0", "openness": "all"})
    shown = cards(at)
    scenario = engine.run(Scenario("", dict(DATA.status_quo_levers, payment_interop=1.0, link_unblocking=1.0,
                                                    openness="all"), horizon=DATA.baseline.simulation.default_horizon))
    merchant = float(person.total(person.merchant_change(scenario.person, 1e6, 0.0, ["alibaba"]))[0])
    assert text("person.merchant_result", "en", change=rmb(merchant, "en", signed=True)) in shown
    assert "P10–P90" in shown and "This shopper:" in shown
    assert at.number_input(key="person.gmv").value == 1e6
    assert at.multiselect(key="person.markets").value == ["alibaba"]
    assert at.number_input(key="person.spend").value == round(person.average_monthly_spending(DATA))


def test_a_merchant_entered_changes_the_number_and_the_link(tmp_path, monkeypatch):
    at = opened(tmp_path, monkeypatch, FULL)
    before = cards(at)
    at.number_input(key="person.gmv").set_value(5e6).run()
    at.slider(key="person.private").set_value(40.0).run()
    at.multiselect(key="person.markets").set_value(["alibaba", "pdd"]).run()
    assert not at.exception
    assert cards(at) != before
    assert at.query_params["gmv"] == "5000000.0" and at.query_params["private"] == "0.4"
    assert at.query_params["markets"] == "alibaba,pdd"


def test_a_link_reopens_the_person_in_chinese_with_amounts_in_yuan(tmp_path, monkeypatch):
    query = FULL | {"gmv": "20000000", "private": "0.5", "markets": "jd", "spend": "3000", "wallet": "wechat_pay",
                    "starts": "wechat:0.3,douyin:0.1,kuaishou:0", "wechat_user": "0", "lang": "zh"}
    at = opened(tmp_path, monkeypatch, query)
    assert at.number_input(key="person.gmv").value == 2e7
    assert at.slider(key="person.private").value == 50.0
    assert at.radio(key="person.wallet").value == "wechat_pay"
    assert at.slider(key="person.start.wechat").value == 30.0
    assert at.checkbox(key="person.wechat_user").value is False
    shown = cards(at)
    assert "该商家：每年" in shown and re.search(r"万元|亿元", shown)
    assert "RMB" not in shown


def test_bad_link_inputs_are_named_and_the_defaults_kept(tmp_path, monkeypatch):
    at = opened(tmp_path, monkeypatch, {"gmv": "-3", "markets": "amazon", "wallet": "cash"})
    notices = " ".join(w.value for w in at.warning)
    for field in ("gmv", "markets", "wallet"):
        assert field in notices
    assert at.number_input(key="person.gmv").value == 1e6


def test_no_marketplace_is_an_error_naming_the_field_and_the_shopper_still_shows(tmp_path, monkeypatch):
    at = opened(tmp_path, monkeypatch, FULL)
    at.multiselect(key="person.markets").set_value([]).run()
    shown = cards(at)
    assert text("person.error_markets", "en") in shown
    assert "This shopper:" in shown
    at.slider(key="person.private").set_value(100.0).run()
    assert "This merchant:" in cards(at)
