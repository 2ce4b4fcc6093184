"""The analyses' methods are right: Sobol indices of the Ishigami function through the same sampling and
analysis code match their analytic values; PRIM recovers a planted box; the sample has the model's
distributions; the findings' effects are the claims' own; reweighting under narrowed ranges gives
the shares a fresh sample would; each finding's share is stable across seeds."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import findings
from analysis.discovery import prim_box
from analysis.findings import FindingsAnalysis, Rows, reweighted
from analysis.sampling import Factors, latin_hypercube, saltelli
from analysis.sensitivity import sobol_indices
from model import claims, engine

ISHIGAMI_A, ISHIGAMI_B = 7.0, 0.1


def ishigami(x: np.ndarray) -> np.ndarray:
    return np.sin(x[:, 0]) + ISHIGAMI_A * np.sin(x[:, 1]) ** 2 + ISHIGAMI_B * x[:, 2] ** 4 * np.sin(x[:, 0])


def ishigami_indices() -> tuple[list[float], list[float]]:
    """Analytic first- and total-order indices (Ishigami & Homma 1990; Sobol' & Levitan 1999)."""
    a, b, pi = ISHIGAMI_A, ISHIGAMI_B, math.pi
    v1 = 0.5 * (1 + b * pi ** 4 / 5) ** 2
    v2 = a ** 2 / 8
    v13 = b ** 2 * pi ** 8 * (1 / 18 - 1 / 50)
    total = v1 + v2 + v13
    return [v1 / total, v2 / total, 0.0], [(v1 + v13) / total, v2 / total, v13 / total]


def test_sobol_indices_of_the_ishigami_function_match_the_analytic_values():
    factors = Factors(("x1", "x2", "x3"), ({"x1": 1}, {"x2": 1}, {"x3": 1}), {})
    unit = saltelli(factors, 4096, seed=11)
    found = {i["factor"]: i for i in sobol_indices(factors, ishigami(-math.pi + 2 * math.pi * unit), seed=11, top=None)}
    first, total = ishigami_indices()
    for k, name in enumerate(factors.ids):
        assert found[name]["first_order"] == pytest.approx(first[k], abs=0.03), name
        assert found[name]["total_order"] == pytest.approx(total[k], abs=0.03), name
        low, high = found[name]["total_order_ci"]
        assert low - 0.01 <= total[k] <= high + 0.01, name
    assert [i["factor"] for i in sobol_indices(factors, ishigami(-math.pi + 2 * math.pi * unit), seed=11)] == \
        ["x1", "x2", "x3"]   # largest total order first


def test_an_output_that_never_varies_has_no_drivers():
    factors = Factors(("x1", "x2"), ({"x1": 1}, {"x2": 1}), {})
    assert sobol_indices(factors, np.full(len(saltelli(factors, 64, seed=1)), 3.0), seed=1) == []


def test_saltelli_needs_a_power_of_two():
    factors = Factors(("x1",), ({"x1": 1},), {})
    with pytest.raises(ValueError, match="sobol_base: 500 is not a power of two"):
        saltelli(factors, 500, seed=1)


def test_prim_recovers_a_planted_box():
    rng = np.random.default_rng(3)
    x = rng.random((3000, 6))
    inside = (x[:, 1] > 0.6) & (x[:, 4] < 0.3)
    target = np.where(rng.random(3000) < 0.03, ~inside, inside)         # 3 % of labels flipped
    names = [f"p{i}" for i in range(6)]
    box = prim_box(x, names, target, "fails")
    limits = {limit["parameter"]: limit for limit in box["limits"]}
    assert set(limits) == {"p1", "p4"}
    assert limits["p1"]["low"] == pytest.approx(0.6, abs=0.05) and limits["p1"]["high"] is None
    assert limits["p4"]["high"] == pytest.approx(0.3, abs=0.05) and limits["p4"]["low"] is None
    assert box["coverage"] >= 0.8 and box["density"] >= 0.85 and box["base_rate"] == pytest.approx(target.mean())


def test_prim_says_when_there_is_nothing_to_describe():
    x = np.random.default_rng(1).random((2000, 3))
    assert prim_box(x, ["a", "b", "c"], np.zeros(2000, bool), "fails")["reason"] == "too_few_cases"


def test_the_sample_has_the_models_distributions(data):
    factors = Factors.of(data)
    values = factors.parameters(data, latin_hypercube(factors, 4000, seed=2))
    for pid, p in data.parameters.items():
        assert p.low <= values[pid].min() and values[pid].max() <= p.high, pid
        assert values[pid].mean() == pytest.approx((p.low + p.central + p.high) / 3, abs=0.01 * (p.high - p.low)), pid
    for group in data.baseline.uncertainty.correlated:      # a group moves together, each member its own way
        first, *rest = group.parameters
        for pid in rest:
            sign = group.parameters[first] * group.parameters[pid]
            assert sign * np.corrcoef(values[first], values[pid])[0, 1] > 0.95


def test_the_findings_effects_are_the_claims_own(data):
    """One evaluation of the distinct lever rows gives every finding's effect as model.claims has it."""
    from analysis.evaluator import Job, evaluate
    claims_list = findings.findings(data)
    rows = Rows.of(claims_list, data)
    params = engine.draw_parameters(data, 40, 9)
    values = evaluate(Job("test", rows.levers, params, rows.measures), data).values
    for claim in claims_list:
        np.testing.assert_allclose(rows.effects(claim, values, data), claims.claim_effects(claim, params, data),
                                   rtol=1e-7, atol=1e-9, err_msg=claim.id)


@pytest.mark.slow
def test_each_findings_share_is_stable_across_seeds(data):
    first = findings.shares(data, seed=1)
    second = findings.shares(data, seed=2)
    assert set(first) == {c.id for c in findings.findings(data)}
    for claim_id, share in first.items():
        assert abs(share - second[claim_id]) <= 0.03, claim_id


def _synthetic(data, pid: str, draws: int = 20_000) -> FindingsAnalysis:
    """A stored sample of one parameter, with 'findings' that hold below thresholds of it."""
    factors = Factors.of(data)
    values = factors.parameters(data, latin_hypercube(factors, draws, seed=4))[pid]
    p = data.parameters[pid]
    thresholds = np.linspace(p.low, p.high, 7)[1:-1]
    return FindingsAnalysis({"draws": draws, "parameter_ids": [pid]}, [pid], values[:, None],
                            values[:, None] < thresholds[None, :])


def _triangular_cdf(x: float, low: float, mode: float, high: float) -> float:
    if x <= low:
        return 0.0
    if x >= high:
        return 1.0
    if x <= mode:
        return (x - low) ** 2 / ((high - low) * (mode - low))
    return 1 - (high - x) ** 2 / ((high - low) * (high - mode))


def test_reweighting_gives_the_shares_of_the_narrowed_distribution(data):
    pid = "clutter_minutes"
    p = data.parameters[pid]
    analysis = _synthetic(data, pid)
    unchanged, effective = reweighted(analysis, {pid: (p.low, p.high)}, data)
    np.testing.assert_allclose(unchanged, analysis.holds.mean(axis=0))
    assert effective == pytest.approx(len(analysis.parameters))
    low, high = p.low, (p.central + p.high) / 2
    shares, effective = reweighted(analysis, {pid: (low, high)}, data)
    thresholds = np.linspace(p.low, p.high, 7)[1:-1]
    expected = [_triangular_cdf(t, low, p.central, high) for t in thresholds]
    np.testing.assert_allclose(shares, expected, atol=0.02)
    assert 0 < effective < len(analysis.parameters)


@settings(max_examples=40, deadline=None)
@given(st.floats(0, 1), st.floats(0, 1))
def test_reweighted_shares_are_shares_and_the_sample_size_shrinks(data, a, b):
    pid = "clutter_minutes"
    p = data.parameters[pid]
    low, high = sorted((p.low + a * (p.high - p.low), p.low + b * (p.high - p.low)))
    if high - low < 1e-6 * (p.high - p.low):
        return
    analysis = _synthetic(data, pid, draws=2000)
    shares, effective = reweighted(analysis, {pid: (low, high)}, data)
    assert effective <= len(analysis.parameters) + 1e-6
    assert np.all(np.isnan(shares)) or np.all((shares >= 0) & (shares <= 1))


@pytest.mark.parametrize("ranges, message", [
    ({"clutter_minutes": (0.3, 0.1)}, "clutter_minutes: the range must lie within"),
    ({"clutter_minutes": (0.0, 5.0)}, "clutter_minutes: the range must lie within"),
    ({"discount_rate": (0.03, 0.04)}, "discount_rate: not a drawn parameter"),
])
def test_bad_ranges_are_refused_naming_the_parameter(data, ranges, message):
    with pytest.raises(ValueError, match=message):
        reweighted(_synthetic(data, "clutter_minutes", draws=100), ranges, data)
