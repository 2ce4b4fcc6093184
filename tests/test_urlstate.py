"""The share link: state → query parameters → state is the identity; bad parameters give notices."""
from hypothesis import given, settings
from hypothesis import strategies as st

from model.data import default_data
from ui.urlstate import PAGES, ViewState, default_state, from_query, to_query

DATA = default_data()
STEMS = ["status-quo", "payment-first", "bilateral-opening", "my-own"]
unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@st.composite
def states(draw):
    levers = {"payment_interop": draw(unit), "link_unblocking": draw(unit), "data_sharing": draw(unit),
              "openness": draw(st.sampled_from(["bilateral", "all"])), "safeguards": draw(unit)}
    ids = draw(st.lists(st.sampled_from(sorted(DATA.parameters)), max_size=3, unique=True))
    assumptions = {pid: draw(st.floats(DATA.parameters[pid].low, DATA.parameters[pid].high, allow_nan=False))
                   for pid in ids}
    sim = DATA.baseline.simulation
    return ViewState(levers=levers, horizon=draw(st.integers(sim.min_horizon, sim.max_horizon)),
                     assumptions=assumptions, lang=draw(st.sampled_from(["en", "zh"])),
                     page=draw(st.sampled_from(PAGES)),
                     compare=tuple(draw(st.lists(st.sampled_from(STEMS), max_size=4, unique=True))),
                     slide=draw(st.integers(0, 20)))


def rounded(state: ViewState) -> ViewState:
    """The link keeps six significant digits."""
    def six(x):
        return float(format(x, ".6g"))
    levers = {k: v if k == "openness" else six(v) for k, v in state.levers.items()}
    return ViewState(levers, state.horizon, {k: six(v) for k, v in state.assumptions.items()}, state.lang,
                     state.page, state.compare, state.slide)


@settings(max_examples=300, deadline=None)
@given(states())
def test_round_trip_is_the_identity(state):
    state = rounded(state)
    assert from_query(to_query(state, DATA), DATA, STEMS) == (state, [])


def test_default_view_has_an_empty_query():
    assert to_query(default_state(DATA), DATA) == {}


def test_bad_parameters_fall_back_with_notices():
    state, problems = from_query({"payment_interop": "1.5", "link_unblocking": "abc", "openness": "some",
                                  "horizon": "2100", "a": "network_effect:9,magic:1", "lang": "fr",
                                  "page": "admin", "compare": "payment-first,../../etc", "slide": "-1",
                                  "colour": "red", "data_sharing": "nan"}, DATA, STEMS)
    assert state.levers == DATA.status_quo_levers and state.horizon == 2030 and state.assumptions == {}
    assert state.compare == ("payment-first",) and state.lang == "en" and state.page == "explore"
    assert [str(p) for p in problems] == [
        "colour: is not a known link parameter",
        "payment_interop: must be between 0 and 1, got 1.5",
        "link_unblocking: is not a number: 'abc'",
        "data_sharing: is not a number: 'nan'",
        "openness: must be one of bilateral, all, got 'some'",
        "horizon: must be a year between 2023 and 2040, got 2100",
        "a.network_effect: must be between 0.5 and 1.5 (utility per unit of GMV share), got 9",
        "a.magic: is not a known parameter",
        "lang: must be one of en, zh, got 'fr'",
        "page: must be one of explore, compare, assumptions, method, present, got 'admin'",
        "compare.../../etc: unknown scenario '../../etc'",
        "slide: is not a slide number: '-1'"]


@settings(max_examples=2000, deadline=None)
@given(st.dictionaries(st.text(max_size=20), st.one_of(st.text(max_size=60), st.lists(st.text(max_size=30),
                                                                                     max_size=3)), max_size=8))
def test_any_parameters_give_a_state_and_never_raise(params):
    state, problems = from_query(params, DATA, STEMS)
    assert isinstance(state, ViewState)
    assert all(p.field and p.message for p in problems)
