"""Scenario files: the format, the strict loader and the in-memory `Scenario`."""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from .data import LEVER_IDS, ModelData, default_data
from .yamlio import InputError, Problem, parse_yaml, pydantic_problems

SCENARIO_FILE_LIMIT = 64_000
NAME_MAX = 80
DESCRIPTION_MAX = 2_000
SHARE_LEVERS = ("payment_interop", "link_unblocking", "data_sharing", "safeguards")
OPENNESS = ("bilateral", "all")


def _check_text(value: str, limit: int, what: str) -> str:
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") and ch not in "\n\t" for ch in value):
        raise ValueError(f"{what} contains control or invisible characters")
    if len(value) > limit:
        raise ValueError(f"must be at most {limit} characters, got {len(value)}")
    return value


class _LeverFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False, frozen=True)
    payment_interop: float | None = None
    link_unblocking: float | None = None
    data_sharing: float | None = None
    openness: Literal["bilateral", "all"] | None = None
    safeguards: float | None = None

    @field_validator(*SHARE_LEVERS)
    @classmethod
    def _unit_interval(cls, value):
        if value is not None and not 0.0 <= value <= 1.0:
            raise PydanticCustomError("out_of_range", "must be between {low} and {high}, got {value}",
                                      {"low": 0, "high": 1, "value": f"{value:g}"})
        return value


class _ScenarioFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False, frozen=True)
    schema_version: Literal[1]
    name: str
    name_zh: str = ""  # the Chinese name; without it the name is shown in both languages
    description: str = ""
    description_zh: str = ""
    levers: _LeverFile = _LeverFile()
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
    levers: dict[str, float | str]
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
        return (tuple(self.levers[k] for k in LEVER_IDS), tuple(sorted(self.assumptions.items())), self.horizon)

    def to_file_dict(self) -> dict:
        """The scenario as the YAML file format."""
        out: dict = {"schema_version": 1, "name": self.name}
        if self.name_zh:
            out["name_zh"] = self.name_zh
        if self.description:
            out["description"] = self.description
        if self.description_zh:
            out["description_zh"] = self.description_zh
        out["levers"] = {k: self.levers[k] for k in LEVER_IDS}
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
        parsed = _ScenarioFile.model_validate(raw)
    except ValidationError as error:
        raise InputError(pydantic_problems(error)) from None
    problems = check_assumptions(parsed.assumptions, data)
    horizon = parsed.horizon if parsed.horizon is not None else data.baseline.simulation.default_horizon
    problems += check_horizon(horizon, data)
    if problems:
        raise InputError(problems)
    levers = dict(data.status_quo_levers)
    levers.update({k: v for k, v in parsed.levers.model_dump().items() if v is not None})
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


_SLUG_DROP = re.compile(r"[^\w\-]+", re.UNICODE)


def slug(name: str) -> str:
    """A safe file stem from a scenario name (letters, digits, CJK, '-' and '_')."""
    stem = _SLUG_DROP.sub("-", unicodedata.normalize("NFKC", name).strip().lower()).strip("-_")
    return stem[:60] or "scenario"
