"""Status-quo trends and their uncertainty, estimated from the 2018–2021 history only.

Three things a forecast of shares needs, each from pre-2022 figures (`data/history.yaml` through
`calibration.log_share_changes`, which refuses a later year) and declared in `data/trends.yaml`:

- how far each platform's year-to-year change in log share scatters (`dispersion`): its own
  standard deviation where it has two or more changes, the pooled one where it has one;
- how those changes move together (`correlation`), estimated only where two platforms share years;
- an entrant's diffusion (`fit_diffusion`): a logistic in its share, fitted on its own record.

The model draws a standard-normal shock per platform and year (`draw_shocks`, their own random
substream) and turns them into each draw's trend path (`trend_path`): the 2020→2021 drift fading by
`trend_persistence` plus a correlated shock to the share every year, so the trend is a random walk
around the fading drift, not one draw decaying.
`method_scores` is the pseudo-out-of-sample test behind the choice of variant recorded in
`data/trends.yaml`; it reads nothing after `TEST_TARGET_YEAR`.
"""
from __future__ import annotations

import hashlib
import math
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import ValidationError

from . import mechanisms as mech
from .calibration import BASE_YEAR, log_share_changes
from .data import DATA_DIR, DATA_FILE_LIMIT, ModelData, Strict, Text, default_data
from .history import History, load_history
from .yamlio import InputError, Problem, parse_yaml, pydantic_problems

TRENDS_FILE = DATA_DIR / "trends.yaml"
FIRST_CHANGE_YEAR = 2019   # the first year with a change: history starts in 2018


class Range(Strict):
    low: float
    central: float
    high: float


class ObservationError(Strict):
    confidence: str
    sd: Range
    note: Text


class Variant(Strict):
    id: str
    drift: Literal["last", "mean"]
    dispersion: Literal["own", "pooled"]
    label: Text


class MethodChoice(Strict):
    fit_through: int
    scored_year: int
    platforms: tuple[str, ...]
    draws: int
    seed: int
    variants: tuple[Variant, ...]
    scores: dict[str, float]      # mean CRPS (share points) per variant, as the test came out
    chosen: str
    reason: Text


class Entrant(Strict):
    platform: str
    rate_parameter: str
    headroom_parameter: str
    fit_years: tuple[int, ...]
    note: Text


class TrendSettings(Strict):
    launch_share: float
    launch_note: Text
    shock_sd_parameters: dict[str, str]
    correlation: dict[str, dict[str, float]]
    correlation_note: Text
    entrants: tuple[Entrant, ...]
    observation_error: tuple[ObservationError, ...]
    observation_error_unit: Text
    observation_error_reference: Text
    method: MethodChoice


@lru_cache(maxsize=2)
def load_settings(path: Path = TRENDS_FILE) -> TrendSettings:
    """Read and validate data/trends.yaml; raise InputError naming every problem."""
    try:
        return TrendSettings.model_validate(parse_yaml(Path(path).read_bytes(), max_bytes=DATA_FILE_LIMIT))
    except InputError as error:
        raise InputError([Problem(f"trends.yaml:{p.field}", p.message, p.code) for p in error.problems],
                         source=str(path)) from None
    except ValidationError as error:
        raise InputError(pydantic_problems(error, prefix="trends.yaml"), source=str(path)) from None


def parameters_named(settings: TrendSettings | None = None) -> set[str]:
    """The parameters data/trends.yaml points the model to (shock dispersions, diffusions)."""
    settings = settings or load_settings()
    return set(settings.shock_sd_parameters.values()) | {
        x for e in settings.entrants for x in (e.rate_parameter, e.headroom_parameter)}


# ---- Estimation from history (nothing after the last year asked for, never after 2021) ----

def yearly_changes(last_year: int = BASE_YEAR, history: History | None = None, data: ModelData | None = None,
                   launch_share: float | None = None) -> dict[str, dict[int, float]]:
    """{platform: {year: change in log within-set share}} for FIRST_CHANGE_YEAR..last_year, leaving
    out a launch change (one that starts below `launch_share` of the set): a business's first
    months say nothing about how its share scatters later."""
    launch_share = load_settings().launch_share if launch_share is None else launch_share
    history = history or load_history()
    data = data or default_data()
    out: dict[str, dict[int, float]] = {}
    for year in range(FIRST_CHANGE_YEAR, last_year + 1):
        starting = _shares(history, data, year - 1)
        for pid, change in log_share_changes(history, data, year).items():
            if starting.get(pid, 0.0) >= launch_share:
                out.setdefault(pid, {})[year] = change
    return out


def _shares(history: History, data: ModelData, year: int) -> dict[str, float]:
    values = {}
    for platform in data.platforms:
        if platform.id not in history.platforms:
            continue
        record = history.record(platform.id, year)
        if record.value is not None and record.value > 0:
            values[platform.id] = record.value
    total = sum(values.values())
    return {pid: v / total for pid, v in values.items()}


def within_set_shares(year: int, history: History | None = None, data: ModelData | None = None) -> dict[str, float]:
    """Shares in `year` within the platforms with a figure (calibration years only)."""
    if year > BASE_YEAR:
        raise ValueError(f"calibration uses nothing after {BASE_YEAR}, asked for {year}")
    return _shares(history or load_history(), data or default_data(), year)


def dispersion(changes: dict[str, dict[int, float]]) -> tuple[dict[str, float], float]:
    """Each platform's standard deviation of its changes where it has two or more, and the pooled
    one (residuals about each platform's own mean, over the platforms with two or more, with their
    degrees of freedom), which a platform with one change takes."""
    residuals, dof, own = [], 0, {}
    for pid, by_year in changes.items():
        values = np.array(list(by_year.values()))
        if len(values) >= 2:
            own[pid] = float(values.std(ddof=1))
            residuals += list(values - values.mean())
            dof += len(values) - 1
    pooled = float(math.sqrt(sum(r * r for r in residuals) / dof)) if dof else math.nan
    return {pid: own.get(pid, pooled) for pid in changes}, pooled


def correlation(changes: dict[str, dict[int, float]]) -> dict[str, dict[str, float]]:
    """Correlation of the platforms' changes about their own means, for each pair with three or more
    common years; 0 where a pair has fewer (nothing to estimate it from), 1 on the diagonal."""
    ids = list(changes)
    out = {a: {b: float(a == b) for b in ids} for a in ids}
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            years = sorted(set(changes[a]) & set(changes[b]))
            if len(years) >= 3:
                x = np.array([changes[a][y] for y in years])
                y = np.array([changes[b][y] for y in years])
                out[a][b] = out[b][a] = float(np.corrcoef(x, y)[0, 1])
    return out


def fit_diffusion(shares: dict[int, float]) -> tuple[float, float] | None:
    """Logistic in the share, s(t) = K / (1 + e^{−r (t − t0)}), fitted by least squares on logit
    shares for each ceiling K on a grid: returns (rate r, headroom K / last share). None when the
    record has fewer than three years (two points fit every ceiling)."""
    if len(shares) < 3:
        return None
    years = np.array(sorted(shares), dtype=float)
    values = np.array([shares[int(y)] for y in years])
    last = values[-1]
    best = None
    for headroom in np.exp(np.linspace(math.log(1.0005), math.log(50.0), 4000)):
        ceiling = headroom * last
        if ceiling <= values.max():
            continue
        logits = np.log(values / (ceiling - values))
        slope, intercept = np.polyfit(years, logits, 1)
        error = float(((logits - (slope * years + intercept)) ** 2).sum())
        if best is None or error < best[0] - 1e-15:
            best = (error, float(slope), float(headroom))
    return best[1], best[2]


def diffusion_ranges(refits: int = 300, seed: int = 2021, history: History | None = None,
                     data: ModelData | None = None) -> dict[str, tuple[float, float, float]]:
    """5th, 50th and 95th percentiles of each entrant's diffusion parameters over `refits` refits of
    its record with each log share perturbed by the pooled dispersion: Kuaishou's logistic refitted,
    Douyin's ceiling solved from its one change (perturbed by √2 × the pooled dispersion: two figures)
    at each refit's rate. Keys are the parameter ids in data/trends.yaml."""
    history, data = history or load_history(), data or default_data()
    settings = load_settings()
    _, pooled = dispersion(yearly_changes(BASE_YEAR, history, data))
    fitted, solved = next(e for e in settings.entrants if len(e.fit_years) >= 3), [
        e for e in settings.entrants if len(e.fit_years) < 3]
    record = {y: within_set_shares(y, history, data)[fitted.platform] for y in fitted.fit_years}
    changes = {e.platform: yearly_changes(BASE_YEAR, history, data)[e.platform][BASE_YEAR] for e in solved}
    rng = substream(seed, "diffusion_refits")
    draws = {name: [] for e in settings.entrants for name in (e.rate_parameter, e.headroom_parameter)}
    for _ in range(refits):
        perturbed = {y: v * math.exp(pooled * rng.standard_normal()) for y, v in record.items()}
        rate, headroom = fit_diffusion(perturbed)
        draws[fitted.rate_parameter].append(rate)
        draws[fitted.headroom_parameter].append(headroom)
        for entrant in solved:
            change = changes[entrant.platform] + pooled * math.sqrt(2.0) * rng.standard_normal()
            draws[entrant.rate_parameter].append(rate)
            draws[entrant.headroom_parameter].append(headroom_for(change, rate))
    return {name: tuple(float(x) for x in np.nanpercentile(values, [5, 50, 95])) for name, values in draws.items()}


def headroom_for(change: float, rate: float) -> float:
    """The ceiling, as a multiple of the share after the change, at which a logistic with this rate
    makes one year's log-share change equal `change` (nan if no ceiling does)."""
    ratio, decay = math.exp(change), math.exp(-rate)
    if ratio <= 1.0 or ratio * decay >= 1.0:
        return math.nan
    return (1.0 - decay) / (1.0 - ratio * decay)


# ---- The trend in the model: per draw, per platform, per year ----

def substream(seed: int, key: str) -> np.random.Generator:
    """The random stream of `key` (a parameter, a group, a platform's shocks): numpy's SeedSequence of
    the seed and a stable (not per-process salted) hash of the key, so adding or removing a stream
    moves no other draw."""
    return np.random.default_rng([seed, int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big")])


def shock_key(pid: str, offset: int) -> str:
    return f"trend_shock.{pid}.{offset}"


def draw_shocks(data: ModelData, draws: int, seed: int) -> dict[str, np.ndarray]:
    """Independent standard-normal shocks per platform and year after the base year, up to the
    longest horizon (so a year's shocks do not depend on the horizon asked for)."""
    settings = data.baseline.simulation
    offsets = range(1, settings.max_horizon - settings.base_year + 1)
    out = {}
    for platform in data.platforms:
        rng = substream(seed, f"trend_shock.{platform.id}")
        values = rng.standard_normal((len(offsets), draws))
        out |= {shock_key(platform.id, n): values[k] for k, n in enumerate(offsets)}
    return out


def correlation_factor(data: ModelData, settings: TrendSettings | None = None) -> np.ndarray:
    """A (J, J) matrix F with F Fᵀ the declared correlation (platforms not listed uncorrelated), from
    the eigen-decomposition, since a correlation estimated from few years can be singular."""
    settings = settings or load_settings()
    ids = [p.id for p in data.platforms]
    matrix = np.eye(len(ids))
    for i, a in enumerate(ids):
        for j, b in enumerate(ids):
            if a in settings.correlation and b in settings.correlation[a]:
                matrix[i, j] = settings.correlation[a][b]
    values, vectors = np.linalg.eigh(matrix)
    return vectors * np.sqrt(np.clip(values, 0.0, None))[None, :]


def trend_path(params: dict[str, np.ndarray], shares: np.ndarray, data: ModelData, periods: int) -> np.ndarray:
    """(B, periods, J) cumulative drift of each platform's attractiveness, net of network effects,
    from the base year (column 0 is 0): yearly correlated shocks to a fading drift
    (`mechanisms.status_quo_trend`) plus, for an entrant, its logistic diffusion
    (`mechanisms.entrant_diffusion`). Without shock keys in `params` (a central run) the shocks are 0."""
    settings = load_settings()
    batch, count = shares.shape
    ids = [p.id for p in data.platforms]
    entrants = {e.platform: e for e in settings.entrants}
    first_drift = np.stack([np.zeros(batch) if p.id in entrants else params[p.trend_parameter]
                            for p in data.platforms], axis=1)
    sd = np.stack([params[settings.shock_sd_parameters[pid]] for pid in ids], axis=1)
    raw = np.zeros((batch, periods - 1, count))
    for j, pid in enumerate(ids):
        for n in range(1, periods):
            if shock_key(pid, n) in params:
                raw[:, n - 1, j] = params[shock_key(pid, n)]
    shocks = (raw @ correlation_factor(data, settings).T) * sd[:, None, :]
    log_share = mech.status_quo_trend(first_drift, params["trend_persistence"], shocks)
    offsets = np.arange(periods, dtype=float)
    for pid, entrant in entrants.items():
        j = ids.index(pid)
        log_share[:, :, j] += mech.entrant_diffusion(offsets[None, :], params[entrant.rate_parameter][:, None],
                                                     params[entrant.headroom_parameter][:, None])
    network = params["network_effect"][:, None, None] * shares[:, None, :]
    return log_share - network * (1.0 - np.exp(-log_share))


# ---- Observation error ----

def observation_sd(confidence: str, which: Literal["low", "central", "high"] = "central") -> float:
    """Standard deviation of a reported figure's log error for its confidence flag."""
    for entry in load_settings().observation_error:
        if entry.confidence == confidence:
            return getattr(entry.sd, which)
    raise KeyError(f"no observation error declared for confidence {confidence!r}")


def observation_noise(confidences: list[str], draws: int, seed: int, key: str) -> np.ndarray:
    """(draws, K) multiplicative errors exp(σ ε) of K reported figures, σ drawn per draw from the
    triangular range of each figure's confidence flag; the substream `observation_error.{key}`."""
    rng = substream(seed, f"observation_error.{key}")
    sd = np.stack([rng.triangular(observation_sd(c, "low"), observation_sd(c, "central"), observation_sd(c, "high"),
                                  size=draws) for c in confidences], axis=1)
    return np.exp(sd * rng.standard_normal((draws, len(confidences))))


# ---- Choosing the method without peeking ----

TEST_TARGET_YEAR = 2021


def forecast_draws(changes: dict[str, dict[int, float]], start: dict[str, float], steps: int, variant: Variant,
                   draws: int, seed: int) -> dict[str, np.ndarray]:
    """The trend process on its own as a forecaster of log shares `steps` years after `start`:
    drift the last change or the mean of the changes, each platform's shocks with its own or the
    pooled dispersion, the drift's own estimation error (σ/√m) included. {platform: (draws,) shares}
    within `start`'s platforms."""
    own, pooled = dispersion(changes)
    rng = substream(seed, f"method_test.{variant.id}")
    logs = {}
    for pid in start:
        values = list(changes[pid].values())
        drift = values[-1] if variant.drift == "last" else float(np.mean(values))
        used = 1 if variant.drift == "last" else len(values)
        sd = own[pid] if variant.dispersion == "own" else pooled
        estimate = drift + sd / math.sqrt(used) * rng.standard_normal(draws)
        logs[pid] = math.log(start[pid]) + steps * estimate + sd * math.sqrt(steps) * rng.standard_normal(draws)
    stacked = np.exp(np.stack(list(logs.values()), axis=1))
    stacked /= stacked.sum(axis=1, keepdims=True)
    return {pid: stacked[:, k] for k, pid in enumerate(start)}


def method_scores(history: History | None = None, data: ModelData | None = None,
                  settings: TrendSettings | None = None) -> dict[str, float]:
    """Mean CRPS (share points) of each declared variant: fitted on the changes through
    `fit_through`, scored on the within-set shares of `scored_year`; both at most 2021."""
    from .scores import crps
    settings = settings or load_settings()
    test = settings.method
    if test.scored_year > TEST_TARGET_YEAR:
        raise ValueError(f"the method test scores nothing after {TEST_TARGET_YEAR}")
    history, data = history or load_history(), data or default_data()
    changes = yearly_changes(test.fit_through, history, data)
    changes = {pid: changes[pid] for pid in test.platforms}
    start = within_set_shares(test.fit_through, history, data)
    start = {pid: start[pid] for pid in test.platforms}
    actual = within_set_shares(test.scored_year, history, data)
    total = sum(actual[pid] for pid in test.platforms)
    out = {}
    for variant in test.variants:
        draws = forecast_draws(changes, start, test.scored_year - test.fit_through, variant, test.draws, test.seed)
        out[variant.id] = float(np.mean([100.0 * crps(draws[pid], actual[pid] / total) for pid in test.platforms]))
    return out


def chosen_variant(settings: TrendSettings | None = None) -> Variant:
    settings = settings or load_settings()
    return next(v for v in settings.method.variants if v.id == settings.method.chosen)
