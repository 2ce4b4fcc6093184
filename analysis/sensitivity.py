"""Global sensitivity: Sobol first- and total-order indices (SALib, Saltelli sampling, bootstrap 95 %
confidence intervals) of a model output over every uncertain factor (analysis.sampling.Factors), for
a finding's effect or any outcome of any scenario."""
from __future__ import annotations

import numpy as np

from model.data import ModelData, default_data
from model.scenario import Scenario

from .evaluator import Job, evaluate
from .sampling import Factors, salib_problem, saltelli

TOP_INDICES = 10      # a finding reports the factors with the largest total-order indices
BOOTSTRAP = 100       # SALib's resamples for the confidence intervals


def sobol_indices(factors: Factors, output: np.ndarray, seed: int, top: int | None = TOP_INDICES) -> list[dict]:
    """Indices of `output` (one value per row of `saltelli(factors, …)`), largest total order first
    (the `top` of them; all with None). An output that never varies has no drivers: []."""
    from SALib.analyze import sobol
    if not np.all(np.isfinite(output)):
        raise ValueError("output: the model returned values that are not finite")
    if np.ptp(output) <= 1e-12 * max(1.0, float(np.abs(output).max())):
        return []
    found = sobol.analyze(salib_problem(factors), output, calc_second_order=False, num_resamples=BOOTSTRAP,
                          seed=seed)
    order = np.argsort(-found["ST"], kind="stable")[:top]
    return [{"factor": factors.ids[k], "parameter": factors.representative(k), "parameters": list(factors.members[k]),
             "first_order": float(found["S1"][k]),
             "first_order_ci": [float(found["S1"][k] - found["S1_conf"][k]), float(found["S1"][k] + found["S1_conf"][k])],
             "total_order": float(found["ST"][k]),
             "total_order_ci": [float(found["ST"][k] - found["ST_conf"][k]), float(found["ST"][k] + found["ST_conf"][k])]}
            for k in order]


def outcome_sensitivity(scenario: Scenario, outcome: str, data: ModelData | None = None, base: int = 512,
                        seed: int | None = None, client=None, cache=None, progress=None) -> dict:
    """Sobol indices of the scenario's final-year change in `outcome` against the status quo (the
    scenario's assumptions held fixed, every other uncertain parameter a factor), through the
    evaluator: base × (factors + 2) runs of the scenario, each beside the status quo."""
    data = data or default_data()
    if outcome not in data.outcomes:
        raise ValueError(f"outcome: unknown outcome {outcome!r}")
    seed = data.baseline.uncertainty.seed if seed is None else seed
    factors = Factors.of(data, scenario.assumptions)
    unit = saltelli(factors, base, seed)
    year = scenario.horizon
    job = Job("sensitivity", [dict(scenario.levers), dict(data.status_quo_levers)], factors.parameters(data, unit),
              [(outcome, year)], seed=seed, horizon=year)
    evaluation = evaluate(job, data, client=client, cache=cache, progress=progress)
    values = evaluation.measure(outcome, year)
    change = values[0] - values[1]        # level outcomes are levels: the change is the difference
    return {"scenario": scenario.name, "outcome": outcome, "year": year, "model_version": evaluation.provenance.model_version,
            "seed": seed, "sobol_base": base, "runs": int(len(unit)), "factors": len(factors),
            "mean_change": float(change.mean()), "indices": sobol_indices(factors, change, seed, top=None)}
