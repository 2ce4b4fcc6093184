"""Schemas and a strict loader for everything in `data/`.

Each file is validated with pydantic (unknown keys rejected) and cross-checked: every passage,
literature, parameter, lever and outcome id a file mentions must exist.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .yamlio import InputError, Problem, parse_yaml, pydantic_problems

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DATA_FILE_LIMIT = 1_000_000
# Levers the model reads for their role rather than as members of the list: the breadth of opening
# scopes the others and the safeguards temper them. Every other lever is whatever levers.yaml lists.
ROLE_LEVERS = {"openness": "choice", "safeguards": "share"}
ARGUMENT_IDS = tuple([f"Z{i}" for i in range(1, 15)] + [f"N{i}" for i in range(1, 17)])


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    en: str
    zh: str


class Reference(Strict):
    passages: tuple[str, ...] = ()
    literature: tuple[str, ...] = ()


class Literature(Strict):
    id: str
    title: str
    authors: str
    year: int
    venue: str
    link: str | None = None
    title_zh: str | None = None    # the title in Chinese, where the source has one
    authors_zh: str | None = None


class Document(Strict):
    id: str
    title: str
    title_en: str
    author: str
    date: str
    kind: str
    location_rule: str
    # Names the source damaged (a machine round-trip), each with the name it stands for in Chinese:
    # a Chinese reader of the verbatim text is told what "Aauto Quicker" is.
    damaged_names: dict[str, str] = {}


class Passage(Strict):
    id: str
    document: str
    location: str
    zh: str
    en: str
    arguments: tuple[str, ...]


class Figure(Strict):
    id: str
    raw: str
    value: float
    unit: Text
    reading: Text
    confidence: Literal["sure", "likely", "unsure"]
    passage: str


class Sources(Strict):
    documents: tuple[Document, ...]
    passages: tuple[Passage, ...]
    figures: tuple[Figure, ...]


class Parameter(Strict):
    id: str
    group: str
    label: Text
    description: Text
    unit: Text
    low: float
    central: float
    high: float
    reference: Reference
    range_note: Text

    @model_validator(mode="after")
    def _ordered(self):
        if not self.low <= self.central <= self.high or self.low == self.high:
            raise ValueError(f"{self.id}: needs low <= central <= high and low < high")
        return self


class Choice(Strict):
    id: str
    label: Text


class Lever(Strict):
    id: str
    color: str
    kind: Literal["share", "choice"]
    status_quo: float | str
    phase_in_parameter: str | None = None
    trust_delayed: bool = False
    choices: tuple[Choice, ...] = ()
    label: Text
    description: Text
    status_quo_note: str
    status_quo_reference: Reference | None = None
    passages: tuple[str, ...]
    arguments: tuple[str, ...]


class Outcome(Strict):
    id: str
    group: str
    unit: str
    better: Literal["higher", "lower", "none"]
    headline: bool = False
    platform: str | None = None
    label: Text
    description: Text


class Outcomes(Strict):
    outcomes: tuple[Outcome, ...]
    units: dict[str, Text]


class Simulation(Strict):
    base_year: int
    first_policy_year: int
    default_horizon: int
    min_horizon: int
    max_horizon: int


class Solver(Strict):
    tolerance: float
    max_iterations: int
    tipped_start_share: float
    same_equilibrium_gap: float


class CorrelatedGroup(Strict):
    """Parameters drawn from one shared uniform (rank correlation ±1): sign 1 moves with the group,
    −1 against it."""
    id: str
    parameters: dict[str, Literal[1, -1]]
    reason: Text


class UncertaintySettings(Strict):
    distribution: Literal["triangular"]
    seed: int
    draws: int = Field(ge=10)
    correlated: tuple[CorrelatedGroup, ...] = ()


class Platform(Strict):
    id: str
    label: Text
    short: Text
    color: str
    gmv_2021: float | None = None
    gmv_parameter: str | None = None
    gmv_note: Text
    gmv_reference: Reference
    wechat_access: float = Field(ge=0, le=1)
    wallets: tuple[str, ...]
    conglomerate: float = Field(ge=0, le=1)
    take_rate_parameter: str
    trend_parameter: str | None = None   # none for an entrant, which diffuses (data/trends.yaml)
    commissionable_parameter: str | None = None
    access_reference: Reference
    conglomerate_reference: Reference

    @model_validator(mode="after")
    def _one_gmv(self):
        if (self.gmv_2021 is None) == (self.gmv_parameter is None):
            raise ValueError(f"{self.id}: give exactly one of gmv_2021 and gmv_parameter")
        return self


class TrafficPool(Strict):
    """A content app where purchases start besides WeChat (whose access is each platform's
    `wechat_access`): the share of purchases starting there, and how far each platform's links opened
    there in 2021 (platforms not listed: blocked)."""
    id: str
    label: Text
    origin_share_parameter: str
    access: dict[str, float]
    access_reference: Reference


class Wallet(Strict):
    id: str
    label: Text
    share: float


class Threshold(Strict):
    id: str
    outcome: str
    value: float
    label: Text
    reference: Reference


class WeakSafeguards(Strict):
    data_sharing_above: float
    safeguards_below: float
    reference: Reference


class ContextFigure(Strict):
    id: str
    label: Text
    value: float
    unit: Text
    reference: Reference


class Baseline(Strict):
    simulation: Simulation
    solver: Solver
    uncertainty: UncertaintySettings
    platforms: tuple[Platform, ...]
    private_domain_platform: str
    bilateral_platforms: tuple[str, ...]
    bilateral_reference: Reference
    traffic_pools: tuple[TrafficPool, ...] = ()
    wallets: tuple[Wallet, ...]
    wallets_reference: Reference
    wallets_note: str
    thresholds: tuple[Threshold, ...]
    weak_safeguards: WeakSafeguards
    figures: tuple[ContextFigure, ...]


class Claim(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    id: str
    arguments: tuple[str, ...]
    mechanism: str
    kind: Literal["lever", "trend", "phase_in", "builds", "package"]
    lever: str | None = None
    from_value: float | str | None = Field(default=None, alias="from")
    to_value: float | str | None = Field(default=None, alias="to")
    context: dict[str, float | str] = {}
    assumptions: dict[str, float] = {}
    outcome: str
    direction: Literal["increase", "decrease"]
    year: int
    role: Literal["check", "finding"]
    passages: tuple[str, ...]
    statement: Text


class Mechanism(Strict):
    id: str
    label: Text
    summary: Text
    equation: str
    arguments: tuple[str, ...] = ()
    passages: tuple[str, ...] = ()
    literature: tuple[str, ...] = ()
    parameters: tuple[str, ...] = ()
    levers: tuple[str, ...] = ()


class ModelData:
    """Everything in data/, validated and indexed by id."""

    def __init__(self, files: dict[str, BaseModel]):
        self.literature = {item.id: item for item in files["literature"].literature}
        self.sources: Sources = files["sources"]
        self.documents = {d.id: d for d in self.sources.documents}
        self.passages = {p.id: p for p in self.sources.passages}
        self.figures = {f.id: f for f in self.sources.figures}
        self.parameters = {p.id: p for p in files["parameters"].parameters}
        self.baseline: Baseline = files["baseline"]
        self.platforms = self.baseline.platforms
        self.levers = {lever.id: lever for lever in files["levers"].levers}
        self.outcomes = {o.id: o for o in files["outcomes"].outcomes}
        self.units = files["outcomes"].units
        self.claims = {c.id: c for c in files["claims"].claims}
        self.mechanisms = {m.id: m for m in files["mechanisms"].mechanisms}

    @property
    def status_quo_levers(self) -> dict[str, float | str]:
        return {lever.id: lever.status_quo for lever in self.levers.values()}

    @property
    def share_levers(self) -> tuple[str, ...]:
        """The levers set as a share in [0, 1], in levers.yaml's order: those that act by themselves (the
        Shapley players); a choice lever (breadth of opening) only scopes them."""
        return tuple(lever.id for lever in self.levers.values() if lever.kind == "share")

    def figure(self, figure_id: str) -> float:
        return next(f.value for f in self.baseline.figures if f.id == figure_id)


def _list_model(name: str, item: type[BaseModel]) -> type[BaseModel]:
    return type(name, (Strict,), {"__annotations__": {name: tuple[item, ...]}})


_FILES: dict[str, type[BaseModel]] = {
    "literature": _list_model("literature", Literature),
    "sources": Sources,
    "parameters": _list_model("parameters", Parameter),
    "baseline": Baseline,
    "levers": _list_model("levers", Lever),
    "outcomes": Outcomes,
    "claims": _list_model("claims", Claim),
    "mechanisms": _list_model("mechanisms", Mechanism),
}


def _unique(items, where: str) -> list[Problem]:
    ids = [item.id for item in items]
    return [Problem(where, f"duplicate id {i!r}", "duplicate_id") for i in sorted({i for i in ids if ids.count(i) > 1})]


def _cross_check(data: ModelData, files: dict[str, BaseModel]) -> list[Problem]:
    problems: list[Problem] = []
    for name in ("literature", "parameters", "levers", "claims", "mechanisms"):
        problems += _unique(getattr(files[name], name), f"{name}.yaml")
    problems += _unique(data.sources.passages, "sources.yaml")
    problems += _unique(data.outcomes.values(), "outcomes.yaml")

    def refs(where: str, passages=(), literature=(), parameters=(), arguments=(), levers=(), outcomes=()):
        for kind, ids, known in [("passage", passages, data.passages), ("literature", literature, data.literature),
                                 ("parameter", parameters, data.parameters), ("argument", arguments, ARGUMENT_IDS),
                                 ("lever", levers, data.levers), ("outcome", outcomes, data.outcomes)]:
            for ref in ids:
                if ref not in known:
                    problems.append(Problem(where, f"unknown {kind} id {ref!r}", "unknown_reference"))

    for p in data.parameters.values():
        refs(f"parameters.yaml:{p.id}", p.reference.passages, p.reference.literature)
    for p in data.passages.values():
        refs(f"sources.yaml:{p.id}", arguments=p.arguments)
        if p.document not in data.documents:
            problems.append(Problem(f"sources.yaml:{p.id}", f"unknown document {p.document!r}", "unknown_reference"))
    for f in data.figures.values():
        refs(f"sources.yaml:{f.id}", passages=[f.passage])
    for platform in data.platforms:
        where = f"baseline.yaml:{platform.id}"
        for ref in (platform.gmv_reference, platform.access_reference, platform.conglomerate_reference):
            refs(where, ref.passages, ref.literature)
        refs(where, parameters=[x for x in (platform.gmv_parameter, platform.take_rate_parameter,
                                            platform.trend_parameter, platform.commissionable_parameter) if x])
    for pool in data.baseline.traffic_pools:
        where = f"baseline.yaml:{pool.id}"
        refs(where, pool.access_reference.passages, pool.access_reference.literature,
             parameters=[pool.origin_share_parameter])
        for platform_id, share in pool.access.items():
            if platform_id not in {p.id for p in data.platforms} or not 0 <= share <= 1:
                problems.append(Problem(where, f"access needs a platform id and a share in [0, 1], got {platform_id!r}: {share}",
                                        "unknown_reference"))
    for group in data.baseline.uncertainty.correlated:
        refs(f"baseline.yaml:{group.id}", parameters=list(group.parameters))
    for t in data.baseline.thresholds:
        refs(f"baseline.yaml:{t.id}", t.reference.passages, t.reference.literature, outcomes=[t.outcome])
    for lever in data.levers.values():
        refs(f"levers.yaml:{lever.id}", lever.passages, arguments=lever.arguments,
             parameters=[lever.phase_in_parameter] if lever.phase_in_parameter else [])
    for claim in data.claims.values():
        refs(f"claims.yaml:{claim.id}", claim.passages, arguments=claim.arguments,
             parameters=list(claim.assumptions), outcomes=[claim.outcome],
             levers=[*([claim.lever] if claim.lever else []), *claim.context])
        if claim.mechanism not in data.mechanisms:
            problems.append(Problem(f"claims.yaml:{claim.id}", f"unknown mechanism {claim.mechanism!r}",
                                    "unknown_reference"))
    for m in data.mechanisms.values():
        refs(f"mechanisms.yaml:{m.id}", m.passages, m.literature, m.parameters, m.arguments, m.levers)
    for lever_id, kind in ROLE_LEVERS.items():
        if lever_id not in data.levers or data.levers[lever_id].kind != kind:
            problems.append(Problem("levers.yaml", f"the model needs a {kind} lever {lever_id!r}", "wrong_levers"))
    return problems


def load_data(data_dir: Path = DATA_DIR) -> ModelData:
    """Read and validate every file in `data_dir`; raise InputError listing all problems."""
    files: dict[str, BaseModel] = {}
    problems: list[Problem] = []
    for name, schema in _FILES.items():
        path = Path(data_dir) / f"{name}.yaml"
        try:
            files[name] = schema.model_validate(parse_yaml(path.read_bytes(), max_bytes=DATA_FILE_LIMIT))
        except InputError as error:
            problems += [Problem(f"{name}.yaml:{p.field}", p.message, p.code) for p in error.problems]
        except ValidationError as error:
            problems += pydantic_problems(error, prefix=f"{name}.yaml")
        except OSError as error:
            problems.append(Problem(f"{name}.yaml", f"cannot be read ({error.strerror})", "unreadable"))
    if problems:
        raise InputError(problems, source=str(data_dir))
    data = ModelData(files)
    problems = _cross_check(data, files)
    if problems:
        raise InputError(problems, source=str(data_dir))
    return data


@lru_cache(maxsize=1)
def default_data() -> ModelData:
    """The project's own data, loaded once per process."""
    return load_data(DATA_DIR)
