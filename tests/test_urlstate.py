"""The share link: state → query parameters → state is the identity; bad parameters give notices."""
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.scenario import lever_choices
from ui.urlstate import (KEYS, MAX_COMPARED, MAX_GMV, MAX_PARAMETER_LENGTH, MAX_SLIDE, MAX_SPENDING, PAGES, PANELS,
                         PersonView, ViewState, COMPARE_VIEWS, EXTRA_SLIDES, default_person, default_state, from_query, marketplaces,
                         named_scenarios, to_query, traffic_pools)

STEMS = ["status-quo", "payment-first", "bilateral-opening", "full-interconnection", "strong-safeguards",
         "data-without-safeguards", "my-own", "支付-优先"]
unit = st.floats(min_value=0.0, max_value=1.0)


def states(data) -> st.SearchStrategy[ViewState]:
    """Every valid view: any lever values, any subset of assumptions within their ranges, and so on."""
    sim = data.baseline.simulation
    assumption = st.sampled_from(sorted(data.parameters)).flatmap(
        lambda pid: st.tuples(st.just(pid), st.floats(data.parameters[pid].low, data.parameters[pid].high)))
    return st.builds(
        ViewState,
        levers=st.fixed_dictionaries({lever.id: unit if lever.kind == "share" else st.sampled_from(lever_choices(data, lever.id))
                                      for lever in data.levers.values()}),
        horizon=st.integers(sim.min_horizon, sim.max_horizon),
        assumptions=st.lists(assumption, max_size=6, unique_by=lambda item: item[0]).map(dict),
        lang=st.sampled_from(["en", "zh"]),
        page=st.sampled_from(PAGES),
        compare=st.lists(st.sampled_from(STEMS), max_size=MAX_COMPARED, unique=True).map(tuple),
        slide=st.integers(0, MAX_SLIDE),
        reference=st.sampled_from(["", *STEMS]),
        chart=st.sampled_from(["", *sorted(data.outcomes)]),
        why=st.sampled_from(["", *sorted(data.outcomes)]),
        panel=st.sampled_from(["", *PANELS]),
        view=st.sampled_from(["", *COMPARE_VIEWS]),
        uncertainty=st.booleans(),
        extras=st.lists(st.sampled_from(EXTRA_SLIDES), unique=True).map(
            lambda chosen: tuple(e for e in EXTRA_SLIDES if e in chosen)),

        person=people(data))


def people(data) -> st.SearchStrategy[PersonView]:
    """Every valid typical merchant and shopper: pool shares that add up to at most 1."""
    pools = list(traffic_pools(data))
    starts = st.lists(unit, min_size=len(pools), max_size=len(pools)).map(
        lambda shares: tuple(zip(pools, (s / max(1.0, sum(shares)) for s in shares))))
    return st.builds(
        PersonView, gmv=st.floats(1.0, MAX_GMV), private_share=unit,
        marketplaces=st.lists(st.sampled_from(marketplaces(data)), unique=True).map(
            lambda chosen: tuple(p for p in marketplaces(data) if p in chosen)),
        spending=st.floats(0.0, MAX_SPENDING), wallet=st.sampled_from([w.id for w in data.baseline.wallets]),
        starts=starts.filter(lambda pairs: sum(s for _, s in pairs) <= 1.0), wechat_user=st.booleans())


@settings(max_examples=500, deadline=None)
@given(choices=st.data())
def test_round_trip_is_the_identity(data, choices):
    state = choices.draw(states(data))
    assert from_query(to_query(state, data), data, STEMS) == (state, [])


def test_default_view_has_an_empty_query(data):
    assert to_query(default_state(data), data) == {}
    assert from_query({}, data, STEMS) == (default_state(data), [])


def test_query_is_short_and_readable(data):
    state = ViewState(levers=dict(data.status_quo_levers, link_unblocking=60 / 100, openness="all"), horizon=2035,
                      assumptions={"trust_lag": 0.7, "network_effect": 1.2}, lang="zh", page="compare",
                      compare=("payment-first", "my-own"), slide=2)
    assert to_query(state, data) == {"link_unblocking": "0.6", "openness": "all", "horizon": "2035",
                                     "a": "network_effect:1.2,trust_lag:0.7", "lang": "zh", "page": "compare",
                                     "compare": "payment-first,my-own", "slide": "2"}


def test_bad_parameters_fall_back_with_notices(data):
    state, problems = from_query({"payment_interop": "1.5", "link_unblocking": "abc", "openness": "some",
                                  "horizon": "2100", "a": "network_effect:9,magic:1", "lang": "fr",
                                  "page": "admin", "compare": "payment-first,../../etc", "slide": "-1",
                                  "colour": "red", "data_sharing": "nan", "safeguards": "inf"}, data, STEMS)
    base = default_state(data)
    assert state == ViewState(levers=base.levers, horizon=base.horizon, compare=("payment-first",))
    assert [str(p) for p in problems] == [
        "colour: is not a known link parameter",
        "payment_interop: must be between 0 and 1, got 1.5",
        "link_unblocking: is not a number: 'abc'",
        "data_sharing: is not a number: 'nan'",
        "openness: must be one of 'bilateral' or 'all', got 'some'",
        "safeguards: is not a number: 'inf'",
        "horizon: must be a year between 2023 and 2040, got 2100",
        "a.network_effect: must be between 0.5 and 1.5 (utility per unit of GMV share), got 9",
        "a.magic: is not a known parameter",
        "lang: must be one of en, zh, got 'fr'",
        "page: must be one of explore, frontier, compare, findings, assumptions, method, present, got 'admin'",
        "compare.../../etc: unknown scenario '../../etc'",
        "slide: is not a slide number: '-1'"]


def test_good_parameters_survive_next_to_bad_ones(data):
    state, problems = from_query({"payment_interop": "0.4", "horizon": "soon", "a": "trust_lag:0.5,trust_lag:x"},
                                 data, STEMS)
    assert state.levers["payment_interop"] == 0.4 and state.assumptions == {"trust_lag": 0.5}
    assert state.horizon == data.baseline.simulation.default_horizon
    assert [p.field for p in problems] == ["horizon", "a.trust_lag"]


def test_repeated_parameters_take_the_last_value(data):
    state, problems = from_query({"lang": ["en", "zh"], "payment_interop": ["0.1", "0.9"]}, data, STEMS)
    assert (state.lang, state.levers["payment_interop"], problems) == ("zh", 0.9, [])


def test_overlong_values_and_too_many_compared_are_refused(data):
    state, problems = from_query({"page": "compare" + " " * 2_000, "compare": ",".join(STEMS)}, data, STEMS)
    assert state.page == "explore" and state.compare == tuple(STEMS[:MAX_COMPARED])
    assert [(p.field, p.code) for p in problems] == [("page", "too_long"), ("compare", "too_many")]


numberish = st.one_of(st.floats().map(repr), st.integers(-10**6, 10**6).map(str), st.sampled_from(
    ["", ",", ":", "1e309", "-0", "0x10", "1_0", " 0.5 ", "２０３０", "nan:1", "trust_lag:", ":0.5"]))
values = st.one_of(st.text(max_size=60), numberish, st.lists(st.text(max_size=30) | numberish, max_size=3),
                   st.builds(",".join, st.lists(st.sampled_from(STEMS) | st.text(max_size=10), max_size=8)))


@pytest.mark.slow
@settings(max_examples=2000, deadline=None)
@given(choices=st.data())
def test_any_parameters_give_a_state_and_never_raise(data, choices):
    params = choices.draw(st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=20), values, max_size=10))
    state, problems = from_query(params, data, STEMS)
    assert isinstance(state, ViewState) and all(p.field and p.message for p in problems)
    shares = [v for k, v in state.levers.items() if k != "openness"]
    assert all(math.isfinite(v) and 0 <= v <= 1 for v in shares)
    assert from_query(to_query(state, data), data, STEMS) == (state, [])


class Asked:
    """Knows the scenarios in STEMS, and notes every identifier it is asked about."""

    def __init__(self):
        self.asked = set()

    def __contains__(self, stem):
        self.asked.add(stem)
        return stem in STEMS


@pytest.mark.slow
@settings(max_examples=1000, deadline=None)
@given(choices=st.data())
def test_a_link_asks_only_about_the_scenarios_it_names(data, choices):
    """The app looks up named_scenarios(params) and nothing else: from_query must not ask about more."""
    params = choices.draw(st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=20), values, max_size=10))
    known = Asked()
    assert from_query(params, data, known) == from_query(params, data, STEMS)
    assert known.asked <= named_scenarios(params)


def test_the_named_scenarios_are_the_last_compare_and_ref_values(data):
    assert named_scenarios({"compare": ["old", "a,,b"], "ref": "x,y", "lang": "zh"}) == {"a", "b", "x,y"}
    assert named_scenarios({"compare": "a," * MAX_PARAMETER_LENGTH}) == set()   # too long: ignored
    assert named_scenarios({}) == set()


def test_compare_and_explore_choices_are_checked(data):
    state, problems = from_query({"ref": "nowhere", "chart": "share.nobody", "why": "welfare.nobody", "panel": "secret",
                                  "view": "pie", "bands": "yes", "panel_extra": "1"}, data, STEMS)
    assert state == default_state(data)
    assert [p.field for p in problems] == ["panel_extra", "ref", "chart", "why", "panel", "view", "bands"]
    assert from_query({"why": "welfare.total"}, data, STEMS)[0].why == "welfare.total"


def test_presents_optional_slides_come_in_the_decks_order_and_an_unknown_one_is_named(data):
    view, problems = from_query({"more": "track,paths,paths"}, data, STEMS)
    assert view.extras == ("paths", "track") and problems == []
    assert to_query(view, data) == {"more": "paths,track"}
    view, problems = from_query({"more": "ledger,charts"}, data, STEMS)
    assert view.extras == ("ledger",)
    assert [(p.field, p.message) for p in problems] == [("more", "must be among paths, ledger, track, got 'charts'")]


def test_the_default_person_is_a_taobao_shop_and_the_average_shopper(data):
    person = default_person(data)
    assert (person.gmv, person.private_share, person.marketplaces) == (1e6, 0.0, ("alibaba",))
    assert person.spending == round(10804.2e9 / 842e6 / 12)
    assert dict(person.starts) == {pool: data.parameters[pid].central for pool, pid in traffic_pools(data).items()}


def test_a_typical_persons_inputs_are_short_in_the_link_and_checked(data):
    person = PersonView(gmv=2e6, private_share=0.25, marketplaces=("alibaba", "pdd"), spending=1500.0,
                        wallet="wechat_pay", starts=(("wechat", 0.5), ("douyin", 0.1), ("kuaishou", 0.0)),
                        wechat_user=False)
    query = to_query(ViewState(levers=dict(data.status_quo_levers), horizon=default_state(data).horizon, person=person),
                     data)
    assert query == {"gmv": "2000000.0", "private": "0.25", "markets": "alibaba,pdd", "spend": "1500.0",
                     "wallet": "wechat_pay", "starts": "wechat:0.5,douyin:0.1,kuaishou:0.0", "wechat_user": "0"}
    state, problems = from_query({"gmv": "0", "private": "1.2", "markets": "pdd,amazon", "spend": "x",
                                  "wallet": "cash", "starts": "wechat:0.7,douyin:0.5", "wechat_user": "yes"},
                                 data, STEMS)
    assert state == default_state(data)
    assert [str(p) for p in problems] == [
        "gmv: must be above 0 and at most 1,000,000,000,000, got 0",
        "private: must be between 0 and 1, got 1.2",
        "spend: is not a number: 'x'",
        "markets: not a marketplace: amazon; expected some of alibaba, jd, pdd, douyin, kuaishou",
        "starts: the shares add up to more than 1: 1.2",
        "wallet: must be one of alipay, wechat_pay, got 'cash'",
        "wechat_user: must be one of 0, 1, got 'yes'"]
    assert [str(p) for p in from_query({"starts": "tiktok:0.1"}, data, STEMS)[1]] == [
        "starts: unknown traffic pool 'tiktok'; expected wechat, douyin, kuaishou"]
    assert [str(p) for p in from_query({"starts": "douyin:2"}, data, STEMS)[1]] == [
        "starts.douyin: must be a share between 0 and 1, got '2'"]
