"""Platform GMV history 2018–2024 (`data/history.yaml`): the strict loader, the calibration inputs
and the reported within-set shares the back-test compares against.

Calibration uses nothing after 2021: `calibration_records` keeps a figure only if the calendar
year it stands for is at most `last_year` *and* the activity it measures ended by December of that
year (`period_end`), and checks both again on what it returns. Alibaba's calendar 2021 needs its
fiscal year to March 2022, so it is never a calibration input.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import ValidationError, field_validator, model_validator

from .data import DATA_DIR, DATA_FILE_LIMIT, Strict, Text, default_data
from .yamlio import InputError, Problem, parse_yaml, pydantic_problems

HISTORY_FILE = DATA_DIR / "history.yaml"
FIRST_YEAR, LAST_YEAR = 2018, 2024
CALIBRATION_LAST_YEAR = 2021
# A calendar year from March fiscal years: FY(Y) ends March Y, so a quarter of it falls in Y and
# three quarters of FY(Y+1) do.
FISCAL_WEIGHTS = (0.25, 0.75)
DERIVED_TOLERANCE = 0.5  # RMB bn: the rounding allowed between a derived value and its recomputation

Confidence = Literal["filing", "company_statement", "press_estimate", "derived", "official_statistics"]
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_DAY = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")


class Source(Strict):
    publisher: str
    title: str
    url: str | None = None
    published: str  # YYYY-MM-DD, or YYYY-MM where the day is not known

    @field_validator("published")
    @classmethod
    def _date(cls, value: str) -> str:
        if not (_DAY.match(value) or _MONTH.match(value)):
            raise ValueError(f"must be a date YYYY-MM-DD or YYYY-MM, got {value!r}")
        return value


class FiscalYear(Strict):
    fiscal_year: int
    value: float
    raw: str
    source: Source
    confidence: Confidence
    note: str = ""


class Record(Strict):
    """One calendar year's figure, or an explicit gap (value null with the reason)."""

    year: int
    value: float | None
    reason: str | None = None
    raw: str | None = None
    period: Literal["calendar"] | None = None
    period_end: str | None = None  # YYYY-MM: the last month of activity the figure measures
    source: Source | None = None
    confidence: Confidence | None = None
    note: str = ""

    @model_validator(mode="after")
    def _complete(self):
        if self.value is None:
            if not self.reason:
                raise ValueError(f"{self.year}: a missing value needs a reason")
            if any(v is not None for v in (self.raw, self.period, self.period_end, self.source, self.confidence)):
                raise ValueError(f"{self.year}: a missing value has only year, value, reason and note")
            return self
        if not (math.isfinite(self.value) and self.value >= 0):
            raise ValueError(f"{self.year}: value must be a finite number >= 0, got {self.value}")
        if self.reason is not None:
            raise ValueError(f"{self.year}: reason is only for a missing value")
        missing = [name for name in ("raw", "period", "period_end", "confidence") if getattr(self, name) is None]
        if missing:
            raise ValueError(f"{self.year}: {', '.join(missing)} required with a value")
        if not _MONTH.match(self.period_end):
            raise ValueError(f"{self.year}: period_end must be YYYY-MM, got {self.period_end!r}")
        if self.period_end < f"{self.year}-12":
            raise ValueError(f"{self.year}: period_end {self.period_end} ends before the calendar year does")
        if self.source is None and self.confidence != "derived":
            raise ValueError(f"{self.year}: source required unless the value is derived")
        return self


class PlatformHistory(Strict):
    platform: str
    definition: str
    conversion: str
    fiscal_year_end_month: int | None = None
    fiscal_years: tuple[FiscalYear, ...] = ()
    records: tuple[Record, ...]


class Market(Strict):
    id: str
    label: Text
    definition: str
    records: tuple[Record, ...]


class Event(Strict):
    """A dated change to a lever, with the yearly level it sets from `year` on."""

    date: str
    year: int
    lever: str
    value: float | str
    text: Text
    literature: tuple[str, ...]

    @field_validator("date")
    @classmethod
    def _date(cls, value: str) -> str:
        if not _DAY.match(value):
            raise ValueError(f"must be a date YYYY-MM-DD, got {value!r}")
        return value


class HistoryFile(Strict):
    market: Market
    platforms: tuple[PlatformHistory, ...]
    events: tuple[Event, ...]


@dataclass(frozen=True)
class Observation:
    """A figure as the model uses it: which series (a platform id or the market id), which year."""

    series: str
    year: int
    value: float
    period_end: str
    published: str
    confidence: str
    source: str


class History:
    """The validated history, indexed by platform id."""

    def __init__(self, parsed: HistoryFile):
        self.market = parsed.market
        self.platforms = {p.platform: p for p in parsed.platforms}
        self.events = parsed.events

    def _fiscal(self, platform: PlatformHistory) -> dict[int, FiscalYear]:
        return {f.fiscal_year: f for f in platform.fiscal_years}

    def observation(self, series: str, record: Record) -> Observation:
        """A record with a value, with the date its source (or its latest input) was published."""
        if record.source is not None:
            published, source = record.source.published, f"{record.source.publisher}: {record.source.title}"
        else:  # derived from fiscal years: dated by the later input
            inputs = [self._fiscal(self.platforms[series])[y] for y in (record.year, record.year + 1)]
            published = max(f.source.published for f in inputs)
            source = "; ".join(f"{f.source.publisher}: {f.source.title}" for f in inputs)
        return Observation(series, record.year, float(record.value), record.period_end, published,
                           record.confidence, source)

    def observations(self) -> list[Observation]:
        """Every figure with a value, market first, then the platforms in the baseline's order."""
        out = [self.observation(self.market.id, r) for r in self.market.records if r.value is not None]
        for pid, platform in self.platforms.items():
            out += [self.observation(pid, r) for r in platform.records if r.value is not None]
        return out

    def record(self, platform: str, year: int) -> Record:
        return next(r for r in self.platforms[platform].records if r.year == year)


def _check(history: History) -> list[Problem]:
    problems = []
    data = default_data()
    for k, event in enumerate(history.events):
        where = f"history.yaml:events.{k}"
        if event.lever not in data.levers:
            problems.append(Problem(where, f"unknown lever {event.lever!r}", "unknown_lever"))
        problems += [Problem(where, f"unknown literature id {ref!r}", "unknown_reference")
                     for ref in event.literature if ref not in data.literature]
    expected_ids = [p.id for p in data.platforms]
    if list(history.platforms) != expected_ids:
        problems.append(Problem("history.yaml:platforms", f"must be {', '.join(expected_ids)} in that order",
                                "wrong_platforms"))
    years = list(range(FIRST_YEAR, LAST_YEAR + 1))
    series = [("market", history.market.records)] + [(pid, p.records) for pid, p in history.platforms.items()]
    for name, records in series:
        if [r.year for r in records] != years:
            problems.append(Problem(f"history.yaml:{name}", f"needs one record per year {FIRST_YEAR}–{LAST_YEAR} in order",
                                    "wrong_years"))
    for pid, platform in history.platforms.items():
        fiscal = history._fiscal(platform)
        for record in platform.records:
            if record.value is None or record.confidence != "derived" or platform.fiscal_year_end_month is None:
                continue
            inputs = (fiscal.get(record.year), fiscal.get(record.year + 1))
            if None in inputs:
                problems.append(Problem(f"history.yaml:{pid}.{record.year}", "derived from fiscal years that are not listed",
                                        "missing_input"))
                continue
            expected = sum(w * f.value for w, f in zip(FISCAL_WEIGHTS, inputs))
            if abs(expected - record.value) > DERIVED_TOLERANCE:
                problems.append(Problem(f"history.yaml:{pid}.{record.year}",
                                        f"value {record.value:g} differs from its fiscal-year computation {expected:g}",
                                        "derived_mismatch"))
            last_input_end = f"{record.year + 1}-{platform.fiscal_year_end_month:02d}"
            if record.period_end != last_input_end:
                problems.append(Problem(f"history.yaml:{pid}.{record.year}",
                                        f"period_end must be {last_input_end}, the end of its last fiscal year",
                                        "wrong_period_end"))
    return problems


@lru_cache(maxsize=4)
def load_history(path: Path = HISTORY_FILE) -> History:
    """Read and validate the history file; raise InputError listing every problem."""
    try:
        raw = parse_yaml(Path(path).read_bytes(), max_bytes=DATA_FILE_LIMIT)
        history = History(HistoryFile.model_validate(raw))
    except InputError as error:
        raise InputError([Problem(f"history.yaml:{p.field}", p.message, p.code) for p in error.problems],
                         source=str(path)) from None
    except ValidationError as error:
        raise InputError(pydantic_problems(error, prefix="history.yaml"), source=str(path)) from None
    except OSError as error:
        raise InputError([Problem("history.yaml", f"cannot be read ({error.strerror})", "unreadable")],
                         source=str(path)) from None
    problems = _check(history)
    if problems:
        raise InputError(problems, source=str(path))
    return history


def calibration_records(last_year: int = CALIBRATION_LAST_YEAR, history: History | None = None) -> list[Observation]:
    """Every figure a calibration through `last_year` may use: the year at most `last_year` and the
    activity measured ending by December of it; checked by `check_calibration_inputs`."""
    history = history or load_history()
    chosen = [o for o in history.observations() if o.year <= last_year and o.period_end <= f"{last_year}-12"]
    check_calibration_inputs(chosen, last_year)
    return chosen


def calibration_table(last_year: int = CALIBRATION_LAST_YEAR) -> pd.DataFrame:
    """The calibration inputs as RMB bn, one row per series (the market, then the platforms), one
    column per year; NaN where a series has no usable figure (e.g. Alibaba 2021, Douyin before 2020)."""
    records = calibration_records(last_year)
    order = list(dict.fromkeys(o.series for o in records))
    frame = pd.DataFrame([(o.series, o.year, o.value) for o in records], columns=["series", "year", "value"])
    return frame.pivot(index="series", columns="year", values="value").reindex(order)


def check_calibration_inputs(observations, last_year: int = CALIBRATION_LAST_YEAR) -> None:
    """Raise ValueError naming every observation that measures activity after `last_year`: the
    guard a calibration runs on whatever inputs it actually used."""
    leaked = [o for o in observations if o.year > last_year or o.period_end > f"{last_year}-12"]
    if leaked:
        raise ValueError(f"calibration inputs after {last_year}: " +
                         ", ".join(f"{o.series} {o.year} (activity to {o.period_end})" for o in leaked))


def reported_values(year: int, history: History | None = None) -> dict[str, Observation]:
    """The platforms with a figure for `year`, by id (the baseline's order)."""
    history = history or load_history()
    return {pid: history.observation(pid, history.record(pid, year))
            for pid in history.platforms if history.record(pid, year).value is not None}


def reported_shares(year: int, history: History | None = None) -> dict[str, float]:
    """Reported GMV shares within the platforms that have a figure for `year`.

    A platform without a figure is left out of the set (not counted as zero), so a comparison must
    take the model's shares within the same set (`within_set`). Fewer than two platforms give no
    shares: a one-platform "share" of 1 says nothing.
    """
    values = {pid: o.value for pid, o in reported_values(year, history).items()}
    total = sum(values.values())
    if len(values) < 2 or total <= 0:
        return {}
    return {pid: v / total for pid, v in values.items()}


def within_set(shares: dict[str, float], platforms) -> dict[str, float]:
    """Shares renormalised to sum to one over `platforms` (the set a reported share is taken in)."""
    total = sum(shares[p] for p in platforms)
    return {p: shares[p] / total for p in platforms}
