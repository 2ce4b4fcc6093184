"""Did the model see it coming? The 2021-calibrated model run through what happened in 2022–2024,
against the GMV shares reported since (data/history.yaml).

For each year and each platform with a reported figure: the modelled share, the reported share,
the error in percentage points, the Monte Carlo P10–P90 of what would be reported (the model's
share with the figure's measurement error) and its proper scores (CRPS, 80 % interval score),
beside the same for a naive random walk fitted on 2018–2021 (`model.benchmark`). Shares are taken
within the platforms reported that year (a platform without a figure is left out of both), per
draw for the bands.

The model is calibrated on nothing after 2021 (`history.calibration_records`); post-2021 figures
are only compared against, never fitted. Numbers only: the words are in reports/track_record.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import benchmark, engine, history, scores, trends
from .data import ModelData, default_data
from .scenario import Scenario, load_scenario, status_quo

ROOT = Path(__file__).resolve().parent.parent
WHAT_HAPPENED = ROOT / "scenarios" / "what-happened.yaml"
BACKTEST_YEARS = (2022, 2023, 2024)
ROW_KEYS = ("year", "outcome", "modelled", "p10", "p90", "reported", "error_pp", "crps", "interval_score",
            "observation_sd", "benchmark", "source")
SCORE_KEYS = ("crps", "interval_score", "coverage")


def _share_draws(scenario: Scenario, data: ModelData, draws: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-draw share paths (draws, years, platforms) and the years: exactly `engine.monte_carlo`'s
    draws and simulation, kept per draw because a within-set share needs each draw's whole vector
    (monte_carlo returns percentiles only)."""
    params = engine.draw_parameters(data, draws, seed, scenario.assumptions)
    sim, paths, batch = engine._paired([scenario.levers] * draws, params, data, scenario.horizon)
    shares = np.stack([paths[f"share.{p.id}"][batch:] for p in data.platforms], axis=2)
    return shares, np.asarray(sim.years)


def _source_line(observation: history.Observation) -> str:
    return f"{observation.source} ({observation.confidence.replace('_', ' ')}, {observation.published})"


def _scores(draws: np.ndarray, reported: float) -> dict:
    """Median, P10–P90, CRPS and 80 % interval score of one row's draws (scores in share points)."""
    p10, p50, p90 = np.percentile(draws, [10, 50, 90])
    return {"median": float(p50), "p10": float(p10), "p90": float(p90),
            "crps": 100.0 * scores.crps(draws, reported),
            "interval_score": 100.0 * scores.interval_score(p10, p90, reported)}


def _fixed(scenario: Scenario) -> Scenario:
    """The scenario run to the last back-test year."""
    return Scenario(scenario.name, dict(scenario.levers), scenario.description, dict(scenario.assumptions),
                    max(BACKTEST_YEARS))


def compare(scenario: Scenario, data: ModelData | None = None, draws: int | None = None,
            seed: int | None = None, shares: tuple[np.ndarray, np.ndarray] | None = None) -> list[dict]:
    """One row per (year, platform with a reported figure), in the contract's keys. The band and the
    scores are of what would be reported: the model's within-set share in each draw times the
    figure's measurement error (`trends.observation_noise`, by its confidence flag), renormalised
    within the set; the benchmark's come from the random walk fitted on 2018–2021. `shares` are the
    scenario's per-draw shares and years (`_share_draws`) when the caller has them."""
    data = data or default_data()
    draws = draws or data.baseline.uncertainty.draws
    seed = data.baseline.uncertainty.seed if seed is None else seed
    ids = [p.id for p in data.platforms]
    fixed = _fixed(scenario)
    central = engine.run(fixed, data).scenario_paths
    draws_shares, years = shares or _share_draws(fixed, data, draws, seed)
    naive = benchmark.fit(data=data)
    rows = []
    for year in BACKTEST_YEARS:
        reported = history.reported_shares(year)
        if not reported:
            continue
        observations = history.reported_values(year)
        members = [ids.index(pid) for pid in reported]
        noise = trends.observation_noise([observations[pid].confidence for pid in reported], draws, seed, str(year))
        in_set = draws_shares[:, list(years).index(year), members] * noise
        in_set = in_set / in_set.sum(axis=1, keepdims=True)
        naive_set = naive.draws(list(reported), year - history.CALIBRATION_LAST_YEAR, draws, seed)
        modelled = history.within_set({pid: float(central.loc[year, f"share.{pid}"]) for pid in reported}, reported)
        for k, pid in enumerate(reported):
            model = _scores(in_set[:, k], reported[pid])
            rows.append({"year": year, "outcome": f"share.{pid}", "modelled": modelled[pid],
                         "p10": model["p10"], "p90": model["p90"], "reported": reported[pid],
                         "error_pp": 100.0 * (modelled[pid] - reported[pid]),
                         "crps": model["crps"], "interval_score": model["interval_score"],
                         "observation_sd": trends.observation_sd(observations[pid].confidence),
                         "benchmark": _scores(naive_set[:, k], reported[pid]),
                         "source": _source_line(observations[pid])})
    return rows


def _summary_scores(rows: list[dict]) -> dict:
    return {"crps": float(np.mean([r["crps"] for r in rows])),
            "interval_score": float(np.mean([r["interval_score"] for r in rows])),
            "coverage": float(np.mean([r["p10"] <= r["reported"] <= r["p90"] for r in rows]))}


def summary(rows: list[dict]) -> dict:
    """Mean absolute error (percentage points) of the central run; the mean CRPS and 80 % interval
    score (share points) and the share of reported values inside P10–P90, for the model and for
    the naive benchmark (`benchmark`)."""
    if not rows:
        return {"mean_abs_error_pp": None, "crps": None, "interval_score": None, "coverage": None,
                "benchmark": {key: None for key in SCORE_KEYS}}
    return {"mean_abs_error_pp": float(np.mean([abs(r["error_pp"]) for r in rows]))} | _summary_scores(rows) | {
        "benchmark": _summary_scores([r["benchmark"] | {"reported": r["reported"]} for r in rows])}


def band_paths(shares: tuple[np.ndarray, np.ndarray], data: ModelData, draws: int, seed: int) -> pd.DataFrame:
    """The model's and the benchmark's P10/P50/P90 of each share from the base year to the last
    back-test year, within the platforms reported in that last year (one set, so the paths compare
    across years), without measurement error; beside them the reported shares in that set, base year
    included, where every member has a figure. Long frame: forecast (model|benchmark|reported),
    year, platform, p10, p50, p90 (the reported value in all three for a report) and, for a report,
    its measurement error's standard deviation (`observation_sd`)."""
    draws_shares, years = shares
    ids = [p.id for p in data.platforms]
    members = list(history.reported_shares(max(BACKTEST_YEARS)))
    columns = [ids.index(pid) for pid in members]
    naive = benchmark.fit(data=data)
    base = history.CALIBRATION_LAST_YEAR
    frames = []
    for year in range(base, max(BACKTEST_YEARS) + 1):
        model = draws_shares[:, list(years).index(year)][:, columns]
        model = model / model.sum(axis=1, keepdims=True)
        for forecast, values in (("model", model), ("benchmark", naive.draws(members, year - base, draws, seed))):
            p10, p50, p90 = np.percentile(values, [10, 50, 90], axis=0)
            frames += [(forecast, year, pid, p10[k], p50[k], p90[k], np.nan) for k, pid in enumerate(members)]
        reported = (trends.within_set_shares(year) if year == base else
                    history.reported_shares(year) if all(pid in history.reported_shares(year) for pid in members)
                    else {})
        if reported:
            total = sum(reported[pid] for pid in members)
            flags = history.reported_values(year)
            frames += [("reported", year, pid, *(3 * [reported[pid] / total]),
                        trends.observation_sd(flags[pid].confidence)) for pid in members]
    return pd.DataFrame(frames, columns=["forecast", "year", "platform", "p10", "p50", "p90", "observation_sd"])


@dataclass(frozen=True)
class Backtest:
    scenario: Scenario
    rows: list[dict]
    status_quo_rows: list[dict]
    paths: pd.DataFrame          # `band_paths` of the scenario

    def to_json(self) -> dict:
        """The `python -m cli backtest --format json` contract (plus the status quo's rows for contrast)."""
        return {"calibrated_through": history.CALIBRATION_LAST_YEAR,
                "scenario": self.scenario.name,
                "rows": self.rows, "summary": summary(self.rows),
                "status_quo": {"rows": self.status_quo_rows, "summary": summary(self.status_quo_rows)}}


def backtest(data: ModelData | None = None, draws: int | None = None, seed: int | None = None,
             path: Path = WHAT_HAPPENED) -> Backtest:
    """What happened and the status quo, each from the 2021 calibration, against the reports."""
    data = data or default_data()
    history.calibration_records()  # raises if anything after 2021 is among the calibration inputs
    draws = draws or data.baseline.uncertainty.draws
    seed = data.baseline.uncertainty.seed if seed is None else seed
    scenario = load_scenario(path, data)
    baseline = status_quo(data, horizon=max(BACKTEST_YEARS))
    shares = _share_draws(_fixed(scenario), data, draws, seed)
    return Backtest(scenario, compare(scenario, data, draws, seed, shares), compare(baseline, data, draws, seed),
                    band_paths(shares, data, draws, seed))


def table(result: Backtest, lang: str = "en") -> pd.DataFrame:
    """The rows as a printable table, the model beside the benchmark: shares in %, each one's P10–P90
    and its scores (CRPS and 80 % interval score in share points), the source."""
    data = default_data()
    short = {f"share.{p.id}": (p.short.en if lang == "en" else p.short.zh) for p in data.platforms}
    frame = pd.DataFrame(result.rows, columns=list(ROW_KEYS))
    naive = pd.DataFrame(list(frame["benchmark"]))
    return pd.DataFrame({
        "year": frame["year"],
        "platform": frame["outcome"].map(short),
        "reported %": (100 * frame["reported"]).round(1),
        "model %": (100 * frame["modelled"]).round(1),
        "model P10–P90": [f"{100 * a:.1f}–{100 * b:.1f}" for a, b in zip(frame["p10"], frame["p90"])],
        "model CRPS": frame["crps"].round(2),
        "model IS80": frame["interval_score"].round(1),
        "naive %": (100 * naive["median"]).round(1),
        "naive P10–P90": [f"{100 * a:.1f}–{100 * b:.1f}" for a, b in zip(naive["p10"], naive["p90"])],
        "naive CRPS": naive["crps"].round(2),
        "naive IS80": naive["interval_score"].round(1),
        "source": frame["source"],
    })


def score_table(result: Backtest) -> pd.DataFrame:
    """The summary scores, the model beside the benchmark, for both runs: mean CRPS and 80 % interval
    score in share points (lower is better) and the share of reports inside P10–P90 (80 % expected)."""
    rows = []
    for which, scored in (("what happened", result.rows), ("status quo", result.status_quo_rows)):
        figures = summary(scored)
        for forecast, values in (("model", figures), ("naive random walk", figures["benchmark"])):
            rows.append({"run": which, "forecast": forecast, "CRPS pp": round(values["crps"], 2),
                         "IS80 pp": round(values["interval_score"], 1), "coverage": f"{values['coverage']:.0%}"})
    return pd.DataFrame(rows)


def track_record_frame(result: Backtest) -> pd.DataFrame:
    """The figure's data: one row per (scenario, year, platform) with the modelled within-set share,
    its P10–P90, the reported share, the error, whether the report is inside the band, the figure's
    measurement error, and the benchmark's median and P10–P90 (`naive_*`)."""
    frames = []
    for which, rows in (("what_happened", result.rows), ("status_quo", result.status_quo_rows)):
        frame = pd.DataFrame(rows, columns=list(ROW_KEYS))
        frame.insert(0, "which", which)
        frame.insert(2, "platform", frame["outcome"].str.removeprefix("share."))
        frame["inside"] = (frame["p10"] <= frame["reported"]) & (frame["reported"] <= frame["p90"])
        naive = pd.DataFrame(list(frame.pop("benchmark")))
        for key in ("median", "p10", "p90", "crps", "interval_score"):
            frame[f"naive_{key}"] = naive[key]
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)
