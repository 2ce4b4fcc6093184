"""What you would have to believe for each finding of the argument map (data/claims.yaml, `role:
finding`) to flip: the share of draws in which it holds, the Sobol indices of the parameters that
drive its effect, the PRIM box where it fails (or, for a finding that mostly fails, where it holds),
and the one-at-a-time break-evens of its two most influential parameters.

Every claim's effect is a difference of two lever rows (`model.claims`), so all findings share one
evaluation per sample: the distinct lever rows of every finding × the sample's parameter rows, on the
evaluator (analysis/evaluator.py). The finished analysis is cached under a key of the model version,
the data, the seed and the sample sizes: `cached` serves it without computing anything.
"""
from __future__ import annotations

import hashlib
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from model import MODEL_VERSION
from model.claims import LATE_YEAR, claim_levers, holds
from model.data import Claim, ModelData, default_data

from .discovery import prim_box
from .evaluator import Job, data_hash, evaluate
from .sampling import Factors, latin_hypercube, saltelli
from .sensitivity import sobol_indices

DEFAULT_DRAWS = 4096          # Monte Carlo draws for the shares and PRIM
DEFAULT_SOBOL_BASE = 512      # Saltelli base sample N: N × (factors + 2) model runs per lever row
BREAK_EVEN_POINTS = 33        # grid over a parameter's range for the one-at-a-time scan
TOP_FACTORS = 2               # break-evens for this many parameters per finding
ANALYSIS_VERSION = 2          # bump when this module changes what a cached result means

StageProgress = Callable[[str, int, int], None]   # (stage, chunks done, chunks in all)


def findings(data: ModelData) -> list[Claim]:
    return [c for c in data.claims.values() if c.role == "finding"]


@dataclass(frozen=True)
class Rows:
    """The lever rows and measures every finding needs, and which rows and measures each uses."""

    levers: list[dict]
    measures: list[tuple[str, int]]
    uses: dict[str, tuple[int | None, int]]   # claim id → (row before or None for a trend, row after)

    @classmethod
    def of(cls, claims: list[Claim], data: ModelData) -> "Rows":
        levers: list[dict] = []
        measures: list[tuple[str, int]] = []

        def row(settings: dict) -> int:
            if settings not in levers:
                levers.append(settings)
            return levers.index(settings)

        def measure(outcome: str, year: int) -> None:
            if (outcome, year) not in measures:
                measures.append((outcome, year))

        uses = {}
        for claim in claims:
            status_quo = dict(data.status_quo_levers)
            measure(claim.outcome, claim.year)
            if claim.kind == "trend":
                uses[claim.id] = (None, row(status_quo))
                measure(claim.outcome, data.baseline.simulation.base_year)
                continue
            before, after = claim_levers(claim, data)
            uses[claim.id] = (row(before), row(after))
            if claim.kind == "builds":
                measure(claim.outcome, LATE_YEAR)
        return cls(levers, measures, uses)

    def effects(self, claim: Claim, values: np.ndarray, data: ModelData) -> np.ndarray:
        """The claim's effect per parameter row, from evaluated values (levers, draws, measures),
        exactly as `model.claims.claim_effects` defines it."""
        before, after = self.uses[claim.id]
        at = self.measures.index((claim.outcome, claim.year))
        if before is None:
            start = self.measures.index((claim.outcome, data.baseline.simulation.base_year))
            return values[after, :, at] - values[after, :, start]
        effect = values[after] - values[before]
        if claim.kind == "builds":
            return effect[:, self.measures.index((claim.outcome, LATE_YEAR))] - effect[:, at]
        return effect[:, at]


def result_key(data: ModelData, draws: int, seed: int, sobol_base: int) -> str:
    text = json.dumps({"analysis": ANALYSIS_VERSION, "model_version": MODEL_VERSION, "data": data_hash(data),
                       "draws": draws, "seed": seed, "sobol_base": sobol_base}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class FindingsAnalysis:
    """`summary` is the JSON the command line prints (model version, seed, draws, every finding);
    `parameters` (draws × uncertain parameters, named by `parameter_ids`) and `holds` (draws ×
    findings) are the Monte Carlo sample, kept for reweighting under narrowed ranges."""

    summary: dict
    parameter_ids: list[str]
    parameters: np.ndarray
    holds: np.ndarray

    def arrays(self) -> dict[str, np.ndarray]:
        return {"parameters": self.parameters, "holds": self.holds}

    @classmethod
    def from_arrays(cls, summary: dict, arrays: dict[str, np.ndarray]) -> "FindingsAnalysis":
        return cls(summary, summary["parameter_ids"], arrays["parameters"], arrays["holds"])


def cached(data: ModelData | None = None, draws: int = DEFAULT_DRAWS, seed: int | None = None,
           sobol_base: int = DEFAULT_SOBOL_BASE, cache=None) -> FindingsAnalysis | None:
    """The stored analysis for these settings, or None (nothing is computed)."""
    data = data or default_data()
    seed = data.baseline.uncertainty.seed if seed is None else seed
    stored = cache.result(result_key(data, draws, seed, sobol_base)) if cache else None
    return FindingsAnalysis.from_arrays(*stored) if stored else None


def _finding_result(claim, effect: np.ndarray, holds_here: np.ndarray, indices: list[dict]) -> dict:
    """One finding's statement, share of draws with its binomial standard error, and Sobol indices."""
    share = float(holds_here.mean())
    return {
        "id": claim.id, "statement": {"en": claim.statement.en, "zh": claim.statement.zh},
        "arguments": list(claim.arguments), "passages": list(claim.passages), "outcome": claim.outcome,
        "direction": claim.direction, "lever": claim.lever, "year": claim.year,
        "share": share, "standard_error": math.sqrt(share * (1 - share) / len(holds_here)),
        "median_effect": float(np.median(effect)),
        "sobol": indices,
    }


def analyse(data: ModelData | None = None, draws: int = DEFAULT_DRAWS, seed: int | None = None,
            sobol_base: int = DEFAULT_SOBOL_BASE, client=None, cache=None,
            progress: StageProgress | None = None) -> FindingsAnalysis:
    """Every finding's share, Sobol indices, PRIM box and break-evens (see the module docstring). Model
    runs go through the evaluator on `client` (None: in this process), chunks and the finished result
    through `cache`; a stored result is returned at once."""
    data = data or default_data()
    seed = data.baseline.uncertainty.seed if seed is None else seed
    stored = cached(data, draws, seed, sobol_base, cache)
    if stored:
        return stored
    started = time.perf_counter()
    claims = findings(data)
    if any(c.assumptions for c in claims):
        raise ValueError("claims.yaml: findings with assumptions are not analysed yet (the shared sample "
                         "varies every parameter)")
    rows = Rows.of(claims, data)
    factors = Factors.of(data)

    def stage(name: str):
        return (lambda done, total: progress(name, done, total)) if progress else None

    # Shares and PRIM: a Latin hypercube of the factors.
    unit_mc, mc = _monte_carlo(rows, factors, data, draws, seed, client, cache, stage("monte_carlo"))
    # Sobol: SALib's Saltelli sample of the same factors.
    unit_sobol = saltelli(factors, sobol_base, seed)
    sobol_run = evaluate(Job("findings.sobol", rows.levers, factors.parameters(data, unit_sobol), rows.measures, seed=seed),
                         data, client=client, cache=cache, progress=stage("sobol"))

    drawn = factors.parameters(data, unit_mc)
    parameter_ids = [pid for members in factors.members for pid in members]
    representatives = [factors.representative(k) for k in range(len(factors))]
    x = np.stack([drawn[pid] for pid in parameter_ids], axis=1)
    x_prim = np.stack([drawn[pid] for pid in representatives], axis=1)
    results, holding = [], []
    for claim in claims:
        effect = rows.effects(claim, mc.values, data)
        holds_here = holds(claim, effect)
        holding.append(holds_here)
        indices = sobol_indices(factors, rows.effects(claim, sobol_run.values, data), seed)
        results.append(_finding_result(claim, effect, holds_here, indices))
    boxes = [(x_prim, representatives, ~h if r["share"] >= 0.5 else h, "fails" if r["share"] >= 0.5 else "holds",
              [i["parameter"] for i in r["sobol"]]) for r, h in zip(results, holding)]
    for result, box in zip(results, _run_all(prim_box, boxes, client, stage("discovery"))):
        result["box"] = box
    _break_evens(results, claims, rows, factors, data, client, cache, seed, stage("break_even"))
    summary = {"model_version": MODEL_VERSION, "data_hash": data_hash(data), "seed": seed, "draws": draws,
               "sobol_base": sobol_base, "sobol_runs": int(len(unit_sobol)) * len(rows.levers),
               "monte_carlo_runs": draws * len(rows.levers), "factors": len(factors),
               "parameter_ids": parameter_ids, "seconds": time.perf_counter() - started, "findings": results}
    analysis = FindingsAnalysis(summary, parameter_ids, x, np.stack(holding, axis=1))
    if cache:
        from store.evaluations import Provenance
        cache.put_result(result_key(data, draws, seed, sobol_base), summary, analysis.arrays(),
                         Provenance("findings", MODEL_VERSION, data_hash(data), seed, draws))
    return analysis


def _monte_carlo(rows: Rows, factors: Factors, data: ModelData, draws: int, seed: int, client, cache, progress):
    unit = latin_hypercube(factors, draws, seed)
    job = Job("findings.monte_carlo", rows.levers, factors.parameters(data, unit), rows.measures, seed=seed)
    return unit, evaluate(job, data, client=client, cache=cache, progress=progress)


def shares(data: ModelData | None = None, draws: int = DEFAULT_DRAWS, seed: int | None = None, client=None,
           cache=None) -> dict[str, float]:
    """Each finding's share of draws alone (the Monte Carlo part of `analyse`, same sample)."""
    data = data or default_data()
    seed = data.baseline.uncertainty.seed if seed is None else seed
    claims = findings(data)
    rows = Rows.of(claims, data)
    _, mc = _monte_carlo(rows, Factors.of(data), data, draws, seed, client, cache, None)
    return {c.id: float(holds(c, rows.effects(c, mc.values, data)).mean()) for c in claims}


def _run_all(function, arguments: list[tuple], client, progress=None) -> list:
    """function(*a) for each a, on the Dask workers when there is a client; answers in order."""
    answers: list = [None] * len(arguments)
    if progress:
        progress(0, len(arguments))
    if client is None:
        for i, a in enumerate(arguments):
            answers[i] = function(*a)
            if progress:
                progress(i + 1, len(arguments))
        return answers
    from distributed import as_completed
    futures = {client.submit(function, *a, pure=False): i for i, a in enumerate(arguments)}
    for done, future in enumerate(as_completed(futures), 1):
        answers[futures[future]] = future.result()
        if progress:
            progress(done, len(arguments))
    return answers


def _break_evens(results: list[dict], claims: list[Claim], rows: Rows, factors: Factors, data: ModelData,
                 client, cache, seed: int, progress) -> None:
    """For each finding's TOP_FACTORS parameters by total-order index: move that factor over its whole
    range (BREAK_EVEN_POINTS quantiles plus its central value), everything else central, and find
    where the finding flips nearest the central value on each side (linear between grid points)."""
    wanted = sorted({i["factor"] for r in results for i in r["sobol"][:TOP_FACTORS]}, key=factors.ids.index)
    central = np.array([[_central_quantile(data, factors.representative(factors.ids.index(f)))
                         for f in factors.ids]])
    grids, unit_rows, start = {}, [], 0
    for factor in wanted:
        k = factors.ids.index(factor)
        grid = np.unique(np.append(np.linspace(0.0, 1.0, BREAK_EVEN_POINTS), central[0, k]))
        block = np.repeat(central, len(grid), axis=0)
        block[:, k] = grid
        grids[factor] = (start, grid)
        unit_rows.append(block)
        start += len(grid)
    unit = np.concatenate(unit_rows)
    job = Job("findings.break_even", rows.levers, factors.parameters(data, unit), rows.measures, seed=seed)
    values = evaluate(job, data, client=client, cache=cache, progress=progress).values
    for result, claim in zip(results, claims):
        effect = rows.effects(claim, values, data)
        result["break_evens"] = []
        for entry in result["sobol"][:TOP_FACTORS]:
            k = factors.ids.index(entry["factor"])
            start, grid = grids[entry["factor"]]
            result["break_evens"].append(
                _flip(claim, effect[start:start + len(grid)], grid, central[0, k], factors, k, data))


def _central_quantile(data: ModelData, pid: str) -> float:
    """The uniform at which a parameter's triangular distribution reaches its central value."""
    p = data.parameters[pid]
    return (p.central - p.low) / (p.high - p.low)


def _flip(claim: Claim, effect: np.ndarray, grid: np.ndarray, centre: float, factors: Factors, k: int,
          data: ModelData) -> dict:
    pid = factors.representative(k)
    holding = holds(claim, effect)
    at = int(np.searchsorted(grid, centre))

    def value(u: float) -> float:
        return float(factors.parameters(data, np.full((1, len(factors)), u))[pid][0])

    def crossing(i: int, j: int) -> float:
        """Where the effect reaches zero between grid points i and j (linear), as a parameter value."""
        a, b = effect[i], effect[j]
        share = a / (a - b) if a != b else 0.5
        return value(grid[i] + share * (grid[j] - grid[i]))

    up = next((crossing(j - 1, j) for j in range(at + 1, len(grid)) if holding[j] != holding[at]), None)
    down = next((crossing(j + 1, j) for j in range(at - 1, -1, -1) if holding[j] != holding[at]), None)
    if factors.members[k][pid] < 0:     # a group member that falls as its group's uniform rises
        up, down = down, up
    p = data.parameters[pid]
    return {"factor": factors.ids[k], "parameter": pid, "central": p.central, "low": p.low, "high": p.high,
            "holds_at_central": bool(holding[at]), "flips_above": up, "flips_below": down}


def reweighted(analysis: FindingsAnalysis, ranges: dict[str, tuple[float, float]], data: ModelData | None = None
               ) -> tuple[np.ndarray, float]:
    """Each finding's share under your own beliefs, without rerunning the model: each parameter in
    `ranges` triangular on the narrowed (low, high) with its mode at the central value (clipped into
    the range), every other as before. The stored draws are reweighted by the ratio of the new
    density to the one they were drawn from; returns the shares and the effective sample size
    (Kish: (Σw)² / Σw²). A parameter of a correlated group is weighted through its own values, so
    narrowing two members of one group multiplies their weights."""
    data = data or default_data()
    weights = np.ones(len(analysis.parameters))
    for pid, (low, high) in ranges.items():
        p = data.parameters[pid]
        if not p.low <= low < high <= p.high:
            raise ValueError(f"{pid}: the range must lie within {p.low}–{p.high} and have low < high")
        if pid not in analysis.parameter_ids:
            raise ValueError(f"{pid}: not a drawn parameter of this analysis")
        x = analysis.parameters[:, analysis.parameter_ids.index(pid)]
        mode = min(max(p.central, low), high)
        weights *= _triangular_density(x, low, mode, high) / _triangular_density(x, p.low, p.central, p.high)
    total = weights.sum()
    if total <= 0:
        return np.full(analysis.holds.shape[1], np.nan), 0.0
    shares = np.clip(weights @ analysis.holds / total, 0.0, 1.0)    # the sum's rounding can pass 1
    return shares, float(total ** 2 / (weights ** 2).sum())


def _triangular_density(x: np.ndarray, low: float, mode: float, high: float) -> np.ndarray:
    rising = np.where(mode > low, 2 * (x - low) / ((high - low) * (mode - low) or 1.0), 0.0)
    falling = np.where(high > mode, 2 * (high - x) / ((high - low) * (high - mode) or 1.0), 0.0)
    density = np.where(x < mode, rising, falling)
    return np.where((x >= low) & (x <= high), np.clip(density, 0.0, None), 0.0)


def significant(value: float, digits: int = 2) -> str:
    """A parameter value to `digits` significant figures, never in exponent notation."""
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(value))))
    return f"{value:,.{decimals}f}"


def explain(finding: dict, data: ModelData, lang: str, text: Callable[..., str]) -> tuple[str, str]:
    """Two plain sentences about one analysed finding, in `lang` (`text` is the string catalogue's
    lookup, ui.i18n.text): what flips it from its verdict at central values, one parameter at a time
    ("Holds unless time lost to commerce links is below 0.081 min/day"), and the PRIM box ("Where it
    fails: …")."""
    def named(pid: str) -> str:
        return data.parameters[pid].label.en if lang == "en" else data.parameters[pid].label.zh

    def unit(pid: str) -> str:
        return getattr(data.parameters[pid].unit, lang)

    entries = finding["break_evens"]
    if not entries:
        flip = text("findings.no_drivers", lang)
    else:
        conditions = [text(f"findings.{side}", lang, parameter=named(e["parameter"]), value=significant(e[f"flips_{side}"]),
                           unit=unit(e["parameter"]))
                      for e in entries for side in ("above", "below") if e[f"flips_{side}"] is not None]
        # Every scan starts from the same central values, so they agree on whether it holds there.
        if conditions:
            flip = text("findings.holds_unless" if entries[0]["holds_at_central"] else "findings.fails_unless", lang,
                        conditions=text("findings.or", lang).join(conditions))
        else:
            flip = text("findings.no_flip" if entries[0]["holds_at_central"] else "findings.no_rescue", lang,
                        parameters=text("findings.list_separator", lang).join(named(e["parameter"]) for e in entries))
    box = finding["box"]
    if box["limits"] is None:
        where = text(f"findings.box_{box['reason']}", lang, case=text(f"findings.case_{box['case']}", lang))
    else:
        limits = []
        for limit in box["limits"]:
            low, high = limit["low"], limit["high"]
            name = named(limit["parameter"])
            if low is not None and high is not None:
                limits.append(f"{significant(low)} < {name} < {significant(high)}")
            else:
                limits.append(f"{name} {'>' if low is not None else '<'} {significant(low if low is not None else high)}")
        where = text(f"findings.box_{box['case']}", lang, limits=text("findings.and", lang).join(limits),
                     density=f"{box['density']:.0%}", coverage=f"{box['coverage']:.0%}", base=f"{box['base_rate']:.0%}")
    return flip, where
