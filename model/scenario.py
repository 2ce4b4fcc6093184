"""Scenario files: the format, the strict loader and the in-memory `Scenario`."""
from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Strict, TypeAdapter, ValidationError, field_validator
from pydantic.types import AllowInfNan

from .data import ModelData, default_data
from .yamlio import InputError, Problem, parse_yaml, pydantic_problems

SCENARIO_FILE_LIMIT = 64_000
NAME_MAX = 80
DESCRIPTION_MAX = 2_000
# A lever's value: a number (shares), a choice id (openness), or a dated step schedule of numbers,
# ((year, value), ...) with the years strictly increasing.
Schedule = tuple[tuple[int, float], ...]
LeverValue = float | str | Schedule


def _check_text(value: str, limit: int, what: str) -> str:
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") and ch not in "\n\t" for ch in value):
        raise ValueError(f"{what} contains control or invisible characters")
    if len(value) > limit:
        raise ValueError(f"must be at most {limit} characters, got {len(value)}")
    return value


_NUMBER = TypeAdapter(Annotated[float, Strict(), AllowInfNan(False)])
_YEAR = TypeAdapter(Annotated[int, Strict()])


@lru_cache(maxsize=8)
def _choice_adapter(choices: tuple[str, ...]) -> TypeAdapter:
    return TypeAdapter(Literal[choices])


def lever_choices(data: ModelData, lever: str) -> tuple[str, ...]:
    return tuple(choice.id for choice in data.levers[lever].choices)


def _check_share(value: object, where: str) -> tuple[float | None, list[Problem]]:
    try:
        number = _NUMBER.validate_python(value)
    except ValidationError as error:
        return None, pydantic_problems(error, prefix=where)
    if not 0.0 <= number <= 1.0:
        return None, [Problem(where, f"must be between 0 and 1, got {number:g}", "out_of_range",
                              {"low": 0, "high": 1, "value": f"{number:g}"})]
    return number, []


def _check_schedule(steps: dict, where: str, data: ModelData) -> tuple[Schedule | None, list[Problem]]:
    sim = data.baseline.simulation
    if not steps:
        return None, [Problem(where, "a schedule needs at least one year", "empty_schedule")]
    problems, schedule = [], []
    for key, value in steps.items():
        step_where = f"{where}.{key}"
        try:
            year = _YEAR.validate_python(key)
        except ValidationError as error:
            problems += [Problem(p.field, f"is not a year: {p.message}", "not_a_year", p.params)
                         for p in pydantic_problems(error, prefix=step_where)]
            continue
        if not sim.first_policy_year <= year <= sim.max_horizon:
            problems.append(Problem(step_where, f"is not a policy year: must be between {sim.first_policy_year} and "
                                                f"{sim.max_horizon}", "out_of_range",
                                    {"low": sim.first_policy_year, "high": sim.max_horizon, "value": year}))
        number, found = _check_share(value, step_where)
        problems += found
        if schedule and year <= schedule[-1][0]:
            problems.append(Problem(where, f"years must be in increasing order, got {year} after {schedule[-1][0]}",
                                    "not_increasing", {"year": year, "after": schedule[-1][0]}))
        schedule.append((year, number))
    return (None, problems) if problems else (tuple(schedule), [])


def check_lever(lever: str, value: object, data: ModelData, where: str | None = None,
                schedules: bool = True) -> tuple[LeverValue | None, list[Problem]]:
    """One lever's value checked against levers.yaml: the value (a schedule as a tuple of steps) and
    the problems. `schedules=False` admits plain values only (share links)."""
    where = where or f"levers.{lever}"
    spec = data.levers.get(lever)
    if spec is None:
        return None, [Problem(where, "is not a known field", "unknown_field")]
    if spec.kind == "choice":
        try:
            return _choice_adapter(lever_choices(data, lever)).validate_python(value), []
        except ValidationError as error:
            return None, pydantic_problems(error, prefix=where)
    if isinstance(value, dict) and schedules:
        return _check_schedule(value, where, data)
    return _check_share(value, where)


def schedule_of(value: float | Schedule, first_policy_year: int) -> list[tuple[int, float]]:
    """A share lever as steps [(year, value), ...]: a plain number is one step in the first policy year.
    Before its first step a lever keeps its status-quo value."""
    if isinstance(value, tuple):
        return [(int(year), float(v)) for year, v in value]
    if isinstance(value, str):
        raise TypeError(f"a choice ({value!r}) has no schedule")
    return [(first_policy_year, float(value))]


def value_in_year(value: float | Schedule, year: int, status_quo: float, first_policy_year: int) -> float:
    """The step in force in `year` (the status-quo value before the first step)."""
    in_force = [v for start, v in schedule_of(value, first_policy_year) if start <= year]
    return in_force[-1] if in_force else float(status_quo)


class _ScenarioFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False, frozen=True)
    schema_version: Literal[1]
    name: str
    name_zh: str = ""  # the Chinese name; without it the name is shown in both languages
    description: str = ""
    description_zh: str = ""
    levers: dict[str, Any] = {}
    assumptions: dict[str, float] = {}
    horizon: int | None = None

    @field_validator("name", "name_zh")
    @classmethod
    def _name(cls, value: str) -> str:
        if "\n" in value or "\t" in value:
            raise ValueError("must be a single line")
        stripped = value.strip()
        if not stripped:
            raise ValueError("must not be empty")
        return _check_text(stripped, NAME_MAX, "the name")

    @field_validator("description", "description_zh")
    @classmethod
    def _description(cls, value: str) -> str:
        return _check_text(value.strip(), DESCRIPTION_MAX, "the description")


@dataclass(frozen=True)
class Scenario:
    """A complete, validated scenario: every lever set, assumptions within range."""

    name: str
    levers: dict[str, LeverValue]
    description: str = ""
    assumptions: dict[str, float] = field(default_factory=dict)
    horizon: int = 2030
    name_zh: str = ""
    description_zh: str = ""

    def title(self, lang: str) -> str:
        """The name in `lang`, falling back to the name as written."""
        return self.name_zh if lang == "zh" and self.name_zh else self.name

    def summary(self, lang: str) -> str:
        return self.description_zh if lang == "zh" and self.description_zh else self.description

    def key(self) -> tuple:
        """A hashable identity of what the model computes from (not the name)."""
        return (tuple(sorted(self.levers.items())), tuple(sorted(self.assumptions.items())), self.horizon)

    def to_file_dict(self) -> dict:
        """The scenario as the YAML file format."""
        out: dict = {"schema_version": 1, "name": self.name}
        if self.name_zh:
            out["name_zh"] = self.name_zh
        if self.description:
            out["description"] = self.description
        if self.description_zh:
            out["description_zh"] = self.description_zh
        out["levers"] = {k: dict(v) if isinstance(v, tuple) else v for k, v in self.levers.items()}
        out["assumptions"] = dict(sorted(self.assumptions.items()))
        out["horizon"] = self.horizon
        return out


def status_quo(data: ModelData | None = None, horizon: int | None = None) -> Scenario:
    data = data or default_data()
    return Scenario(name="Status quo", levers=dict(data.status_quo_levers),
                    horizon=horizon or data.baseline.simulation.default_horizon)


def check_assumptions(assumptions: dict[str, float], data: ModelData, prefix: str = "assumptions") -> list[Problem]:
    problems = []
    for pid, value in assumptions.items():
        parameter = data.parameters.get(pid)
        if parameter is None:
            problems.append(Problem(f"{prefix}.{pid}", "is not a known parameter", "unknown_parameter"))
        elif not (math.isfinite(value) and parameter.low <= value <= parameter.high):
            problems.append(Problem(f"{prefix}.{pid}",
                                    f"must be between {parameter.low:g} and {parameter.high:g} ({parameter.unit.en}), got {value:g}",
                                    "out_of_range", {"low": parameter.low, "high": parameter.high, "value": value}))
    return problems


def check_horizon(horizon: int, data: ModelData, where: str = "horizon") -> list[Problem]:
    sim = data.baseline.simulation
    if not sim.min_horizon <= horizon <= sim.max_horizon:
        return [Problem(where, f"must be a year between {sim.min_horizon} and {sim.max_horizon}, got {horizon}",
                        "out_of_range", {"low": sim.min_horizon, "high": sim.max_horizon, "value": horizon})]
    return []


def scenario_from_dict(raw: object, data: ModelData | None = None) -> Scenario:
    """Validate a parsed scenario document; raise InputError with every problem."""
    data = data or default_data()
    if not isinstance(raw, dict):
        kind = type(raw).__name__ if raw is not None else "nothing"
        raise InputError([Problem("file", f"must be a mapping of fields (schema_version, name, ...), got {kind}",
                                  "not_mapping", {"kind": kind})])
    if any(not isinstance(k, str) for k in raw):
        bad = [k for k in raw if not isinstance(k, str)]
        raise InputError([Problem("file", f"field name {k!r} is not text (YAML reads unquoted on/off/yes/no "
                                          "as true/false: quote it)", "key_not_text", {"key": repr(k)}) for k in bad])
    try:
        parsed, problems = _ScenarioFile.model_validate(raw), []
    except ValidationError as error:
        parsed, problems = None, pydantic_problems(error)
    levers = dict(data.status_quo_levers)
    if isinstance(raw.get("levers"), dict):  # checked even when another field failed: lose nothing
        for lever, value in raw["levers"].items():
            if isinstance(lever, str):  # a non-text key is already reported by the model above
                checked, found = check_lever(lever, value, data)
                problems += found
                levers[lever] = checked
    if parsed is None:
        raise InputError(problems)
    problems += check_assumptions(parsed.assumptions, data)
    horizon = parsed.horizon if parsed.horizon is not None else data.baseline.simulation.default_horizon
    problems += check_horizon(horizon, data)
    if problems:
        raise InputError(problems)
    return Scenario(name=parsed.name, description=parsed.description, levers=levers,
                    assumptions=dict(parsed.assumptions), horizon=horizon, name_zh=parsed.name_zh,
                    description_zh=parsed.description_zh)


def parse_scenario(raw: bytes | str, data: ModelData | None = None) -> Scenario:
    return scenario_from_dict(parse_yaml(raw, max_bytes=SCENARIO_FILE_LIMIT), data)


def load_scenario(path: Path | str, data: ModelData | None = None) -> Scenario:
    """Load one scenario file; InputError.source is the path."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > SCENARIO_FILE_LIMIT:  # refuse before reading a huge file
            raise InputError([Problem("file", f"is {size:,} bytes, more than the {SCENARIO_FILE_LIMIT:,} allowed",
                                      "too_large", {"size": size, "limit": SCENARIO_FILE_LIMIT})], source=str(path))
        with path.open("rb") as handle:
            raw = handle.read(SCENARIO_FILE_LIMIT + 1)
    except OSError as error:
        raise InputError([Problem("file", f"cannot be read ({error.strerror or error})", "unreadable")],
                         source=str(path)) from None
    try:
        return parse_scenario(raw, data)
    except InputError as error:
        raise InputError(error.problems, source=str(path)) from None
