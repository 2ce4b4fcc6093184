"""Did the model see it coming? The 2021-calibrated model run through what happened in 2022–2024,
against the GMV shares reported since (data/history.yaml).

For each year and each platform with a reported figure: the modelled share, the reported share,
the error in percentage points, the Monte Carlo P10–P90 of the modelled share and whether the
reported share falls inside it. Shares are taken within the platforms reported that year (a
platform without a figure is left out of both), per draw for the bands.

The model is calibrated on nothing after 2021 (`history.calibration_records`); post-2021 figures
are only compared against, never fitted.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import engine, history
from .data import ModelData, default_data
from .market import LeverBatch, simulate
from .scenario import Scenario, load_scenario, status_quo, value_in_year

ROOT = Path(__file__).resolve().parent.parent
WHAT_HAPPENED = ROOT / "scenarios" / "what-happened.yaml"
BACKTEST_YEARS = (2022, 2023, 2024)
ROW_KEYS = ("year", "outcome", "modelled", "p10", "p90", "reported", "error_pp", "source")


def in_force(scenario: Scenario, year: int, data: ModelData) -> Scenario:
    """The scenario with each scheduled lever fixed at the step in force in `year`.

    A bridge for a model that takes plain lever values and phases each one in from the first
    policy year: a step is treated as if it had applied from then. Once the engine applies
    schedules itself (`scenario.schedule_of`), run the scheduled scenario directly instead.
    """
    first = data.baseline.simulation.first_policy_year
    levers = {lever: value_in_year(value, year, data.levers[lever].status_quo, first) if isinstance(value, tuple)
              else value for lever, value in scenario.levers.items()}
    return Scenario(scenario.name, levers, scenario.description, dict(scenario.assumptions), max(BACKTEST_YEARS))


def _share_draws(scenario: Scenario, data: ModelData, draws: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-draw share paths (draws, years, platforms) and the years: the same parameter draws as
    `engine.monte_carlo`, kept per draw because within-set shares need each draw's whole vector."""
    params = engine.draw_parameters(data, draws, seed, scenario.assumptions)
    sim = simulate(LeverBatch.from_dicts([scenario.levers] * draws), params, data, scenario.horizon)
    shares = np.stack([sim.paths[f"share.{p.id}"] for p in data.platforms], axis=2)
    return shares, np.asarray(sim.years)


def _source_line(observation: history.Observation) -> str:
    return f"{observation.source} ({observation.confidence.replace('_', ' ')}, {observation.published})"


def compare(scenario: Scenario, data: ModelData | None = None, draws: int | None = None,
            seed: int | None = None) -> list[dict]:
    """One row per (year, platform with a reported figure), in the contract's keys."""
    data = data or default_data()
    draws = draws or data.baseline.uncertainty.draws
    seed = data.baseline.uncertainty.seed if seed is None else seed
    ids = [p.id for p in data.platforms]
    runs: dict[tuple, tuple] = {}
    rows = []
    for year in BACKTEST_YEARS:
        reported = history.reported_shares(year)
        if not reported:
            continue
        fixed = in_force(scenario, year, data)
        if fixed.key() not in runs:
            central = engine.run(fixed, data).scenario_paths
            runs[fixed.key()] = (central, *_share_draws(fixed, data, draws, seed))
        central, draws_shares, years = runs[fixed.key()]
        members = [ids.index(pid) for pid in reported]
        in_set = draws_shares[:, list(years).index(year), members]
        in_set = in_set / in_set.sum(axis=1, keepdims=True)
        modelled = history.within_set({pid: float(central.loc[year, f"share.{pid}"]) for pid in reported}, reported)
        observations = history.reported_values(year)
        for k, pid in enumerate(reported):
            p10, p90 = np.percentile(in_set[:, k], [10, 90])
            rows.append({"year": year, "outcome": f"share.{pid}", "modelled": modelled[pid],
                         "p10": float(p10), "p90": float(p90), "reported": reported[pid],
                         "error_pp": 100.0 * (modelled[pid] - reported[pid]),
                         "source": _source_line(observations[pid])})
    return rows


def summary(rows: list[dict]) -> dict:
    """Mean absolute error (percentage points) and the share of reported values inside P10–P90."""
    if not rows:
        return {"mean_abs_error_pp": None, "coverage": None}
    return {"mean_abs_error_pp": float(np.mean([abs(r["error_pp"]) for r in rows])),
            "coverage": float(np.mean([r["p10"] <= r["reported"] <= r["p90"] for r in rows]))}


@dataclass(frozen=True)
class Backtest:
    scenario: Scenario
    rows: list[dict]
    status_quo_rows: list[dict]

    def to_json(self) -> dict:
        """The `python -m model backtest --format json` contract (plus the status quo's rows for contrast)."""
        return {"calibrated_through": history.CALIBRATION_LAST_YEAR,
                "scenario": self.scenario.name,
                "rows": self.rows, "summary": summary(self.rows),
                "status_quo": {"rows": self.status_quo_rows, "summary": summary(self.status_quo_rows)}}


def backtest(data: ModelData | None = None, draws: int | None = None, seed: int | None = None,
             path: Path = WHAT_HAPPENED) -> Backtest:
    """What happened and the status quo, each from the 2021 calibration, against the reports."""
    data = data or default_data()
    history.calibration_records()  # raises if anything after 2021 is among the calibration inputs
    scenario = load_scenario(path, data)
    baseline = status_quo(data, horizon=max(BACKTEST_YEARS))
    return Backtest(scenario, compare(scenario, data, draws, seed), compare(baseline, data, draws, seed))


def table(result: Backtest, lang: str = "en") -> pd.DataFrame:
    """The rows as a printable table: shares in %, the band, inside or not, the source."""
    data = default_data()
    short = {f"share.{p.id}": (p.short.en if lang == "en" else p.short.zh) for p in data.platforms}
    frame = pd.DataFrame(result.rows, columns=list(ROW_KEYS))
    return pd.DataFrame({
        "year": frame["year"],
        "platform": frame["outcome"].map(short),
        "modelled %": (100 * frame["modelled"]).round(1),
        "reported %": (100 * frame["reported"]).round(1),
        "error pp": frame["error_pp"].round(1),
        "P10–P90 %": [f"{100 * a:.1f}–{100 * b:.1f}" for a, b in zip(frame["p10"], frame["p90"])],
        "inside": [bool(a <= r <= b) for a, r, b in zip(frame["p10"], frame["reported"], frame["p90"])],
        "source": frame["source"],
    })
