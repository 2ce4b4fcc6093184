"""One evaluator for every analysis that needs many model runs (findings, sensitivity, the policy
frontier): lever rows × parameter rows, evaluated in chunks on dask.distributed or in this process,
with each chunk cached in the scenario database.

    job = Job("findings.monte_carlo", levers=[...], parameters=draws, measures=[("consumer.surplus", 2030)],
              seed=seed)
    with connect() as client:                       # LocalCluster; or connect("tcp://host:8786")
        result = evaluate(job, client=client, cache=EvaluationCache(), progress=print)
    result.values                                   # (levers, draws, measures)

`result.values[l, p, m]` is measure m of lever row l under parameter row p, in its year: a level
outcome (a share, HHI) as a level, a change outcome (consumer.surplus, welfare.*, present values)
against the status quo simulated with the same parameter row. The difference of two lever rows is
therefore the effect of moving from one to the other, as `model.claims` measures it.

Chunks are fixed by the job alone (never by the executor), and every chunk is the same pure function
of its inputs, so `client=None` (in-process) and any cluster give identical arrays for the same job.
A chunk's cache key hashes the model version, the data, its lever rows, its parameter rows' values
(hence the seed and draws), the measures and the horizon: a changed job recomputes only the chunks
whose inputs changed.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import time
import types
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from model import MODEL_VERSION
from model.data import ModelData, default_data
from model.engine import reference_paths, with_changes
from model.market import LeverBatch, simulate
from store.evaluations import EvaluationCache, Provenance

SCHEDULER_VARIABLE = "INTERCONNECT_DASK_SCHEDULER"
ROWS_PER_CHUNK = 4096     # simulated rows per chunk: the solver's efficient block size (model.market)
NANNY_ENVIRONMENT = "distributed.nanny.pre-spawn-environ"
# A LocalCluster here runs without a dashboard, so nothing reads what Dask's background timers
# collect for one: each worker's statistical profiler (a stack sample every 10 ms), the event loop's
# 20 ms tick and the 0.5 s system monitor. On two cores they take CPU from the model (docs/PERFORMANCE.md).
QUIET_CLUSTER = {"distributed.worker.profile.enabled": False, "distributed.admin.tick.interval": "1s",
                 "distributed.admin.system-monitor.interval": "2s"}
LEVERS_PER_CHUNK = 16     # lever rows simulated beside one status-quo row per chunk

Progress = Callable[[int, int], None]   # (chunks done, chunks in all)


@dataclass
class Job:
    """What to evaluate: every lever row under every parameter row.

    `levers`: lever settings as a scenario file holds them (all five levers; schedules allowed).
    `parameters`: every parameter id → (P,) values, one per draw (analysis.sampling makes them).
    `measures`: (outcome id, year) pairs to keep. `seed` is recorded with the results (the
    parameter values already embody it). `horizon`: last simulated year, default the latest
    measured year (at least the model's minimum horizon)."""

    name: str
    levers: list[dict]
    parameters: dict[str, np.ndarray]
    measures: list[tuple[str, int]]
    seed: int | None = None
    horizon: int | None = None

    @property
    def draws(self) -> int:
        return len(next(iter(self.parameters.values())))


@dataclass
class Evaluation:
    """A job's values (levers × draws × measures) and where they came from."""

    values: np.ndarray
    provenance: Provenance
    chunks: int
    computed: int            # chunks computed now (the rest came from the cache)
    seconds: float
    measures: list[tuple[str, int]] = field(default_factory=list)

    def measure(self, outcome: str, year: int) -> np.ndarray:
        """(levers, draws) values of one measure."""
        return self.values[:, :, self.measures.index((outcome, year))]


@dataclass(frozen=True)
class Chunk:
    key: str
    levers: slice
    draws: slice


_DATA_HASHES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def data_hash(data: ModelData) -> str:
    """SHA-256 of everything in the data the model computes from (parameters, baseline, levers,
    outcomes, claims, mechanisms), computed once per ModelData object."""
    if data not in _DATA_HASHES:
        parts = {"baseline": data.baseline.model_dump(mode="json")}
        for name in ("parameters", "levers", "outcomes", "claims", "mechanisms"):
            parts[name] = [item.model_dump(mode="json") for item in getattr(data, name).values()]
        text = json.dumps(parts, sort_keys=True, ensure_ascii=False)
        _DATA_HASHES[data] = hashlib.sha256(text.encode()).hexdigest()
    return _DATA_HASHES[data]


def _horizon(job: Job, data: ModelData) -> int:
    return job.horizon or max([data.baseline.simulation.min_horizon] + [year for _, year in job.measures])


def plan(job: Job, data: ModelData) -> list[Chunk]:
    """The job's chunks, in order: blocks of up to LEVERS_PER_CHUNK lever rows (in groups of equal
    size) × as many draws as fill ROWS_PER_CHUNK simulated rows (the status quo included), each with
    its cache key."""
    groups = -(-len(job.levers) // LEVERS_PER_CHUNK)
    per_chunk = -(-len(job.levers) // groups)      # balanced: 17 rows go as 9 + 8, not 16 + 1
    draws_per_chunk = max(1, ROWS_PER_CHUNK // (per_chunk + 1))
    ids = sorted(job.parameters)
    columns = np.stack([np.asarray(job.parameters[pid], dtype=float) for pid in ids])   # (parameters, P)
    base = json.dumps({"model_version": MODEL_VERSION, "data": data_hash(data), "parameters": ids,
                       "measures": job.measures, "horizon": _horizon(job, data)}, sort_keys=True)
    chunks = []
    for first_lever in range(0, len(job.levers), per_chunk):
        levers = slice(first_lever, min(first_lever + per_chunk, len(job.levers)))
        lever_text = json.dumps(job.levers[levers], sort_keys=True)
        for first_draw in range(0, job.draws, draws_per_chunk):
            draws = slice(first_draw, min(first_draw + draws_per_chunk, job.draws))
            digest = hashlib.sha256(base.encode())
            digest.update(lever_text.encode())
            digest.update(np.ascontiguousarray(columns[:, draws]).tobytes())
            chunks.append(Chunk(digest.hexdigest(), levers, draws))
    return chunks


def evaluate_chunk(data: ModelData, levers: list[dict], parameters: dict[str, np.ndarray],
                   measures: list[tuple[str, int]], horizon: int, model_version: str = MODEL_VERSION) -> np.ndarray:
    """Values (levers, draws, measures) of one chunk: the status quo and every lever row under every
    parameter row, in one batched simulation. Runs on a Dask worker or in this process; refuses to
    run on a worker whose model code is another version than the caller's."""
    if model_version != MODEL_VERSION:
        raise RuntimeError(f"this worker runs model {MODEL_VERSION}, the job needs {model_version}: "
                           "start the workers from the same version of the project")
    draws, rows = len(next(iter(parameters.values()))), len(levers) + 1
    distinct = {pid: np.asarray(values, dtype=float) for pid, values in parameters.items()}
    draw_of_row = np.tile(np.arange(draws), rows)
    tiled = {pid: values[draw_of_row] for pid, values in distinct.items()}
    lever_rows = [data.status_quo_levers] + list(levers)
    batch = LeverBatch.from_dicts([settings for settings in lever_rows for _ in range(draws)], data)
    sim = simulate(batch, distinct, data, horizon, draw_of_row=draw_of_row)
    reference = reference_paths(sim.paths, draw_of_row)
    paths = with_changes(sim.paths, reference, sim.years, tiled, data)
    first_year = int(sim.years[0])
    values = np.stack([paths[outcome][:, year - first_year] for outcome, year in measures], axis=1)
    return values.reshape(rows, draws, len(measures))[1:]


def _check(job: Job, data: ModelData) -> None:
    """Clear errors for a malformed job, naming the field."""
    missing = sorted(set(data.parameters) - set(job.parameters))
    if missing:
        raise ValueError(f"parameters: missing {', '.join(missing)}")
    sizes = {len(np.asarray(v)) for v in job.parameters.values()}
    if len(sizes) != 1 or 0 in sizes:
        raise ValueError("parameters: every parameter needs the same number (≥ 1) of draws")
    if not job.levers:
        raise ValueError("levers: at least one lever row is needed")
    for outcome, year in job.measures:
        if outcome not in data.outcomes:
            raise ValueError(f"measures: unknown outcome {outcome!r}")
        simulation = data.baseline.simulation
        if not simulation.base_year <= year <= min(_horizon(job, data), simulation.max_horizon):
            raise ValueError(f"measures: year {year} is outside the simulated years "
                             f"{simulation.base_year}–{min(_horizon(job, data), simulation.max_horizon)}")


def evaluate(job: Job, data: ModelData | None = None, client=None, cache: EvaluationCache | None = None,
             progress: Progress | None = None) -> Evaluation:
    """Evaluate `job`: chunks found in `cache` are read, the others computed — on the Dask `client`'s
    workers (see `connect`), or in this process when `client` is None — and stored as each finishes.
    `progress(done, total)` is called after the cache lookup and after every computed chunk."""
    data = data or default_data()
    _check(job, data)
    started = time.perf_counter()
    chunks = plan(job, data)
    horizon = _horizon(job, data)
    provenance = Provenance(job.name, MODEL_VERSION, data_hash(data), job.seed, job.draws)
    found = cache.chunks([c.key for c in chunks]) if cache else {}
    values = np.empty((len(job.levers), job.draws, len(job.measures)))
    for chunk in chunks:
        if chunk.key in found:
            values[chunk.levers, chunk.draws] = found[chunk.key]
    missing = [c for c in chunks if c.key not in found]
    done = len(chunks) - len(missing)
    if progress:
        progress(done, len(chunks))

    def store(chunk: Chunk, result: np.ndarray) -> None:
        nonlocal done
        values[chunk.levers, chunk.draws] = result
        if cache:
            cache.put_chunk(chunk.key, result, provenance)
        done += 1
        if progress:
            progress(done, len(chunks))

    def inputs(chunk: Chunk):
        return (job.levers[chunk.levers], {pid: np.asarray(v, dtype=float)[chunk.draws] for pid, v in job.parameters.items()},
                job.measures, horizon)

    if client is None:
        for chunk in missing:
            store(chunk, evaluate_chunk(data, *inputs(chunk)))
    elif missing:
        from distributed import as_completed
        shared = client.scatter(data, broadcast=True, hash=False)
        futures = {client.submit(evaluate_chunk, shared, *inputs(chunk), MODEL_VERSION, key=f"chunk-{chunk.key}",
                                 pure=False): chunk for chunk in missing}
        for future in as_completed(futures):
            store(futures[future], future.result())
            future.release()
    return Evaluation(values, provenance, len(chunks), len(missing), time.perf_counter() - started,
                      list(job.measures))


def scheduler_address(address: str | None = None) -> str | None:
    """The scheduler to use: `address` if given, else INTERCONNECT_DASK_SCHEDULER, else None (a
    LocalCluster)."""
    return address or os.environ.get(SCHEDULER_VARIABLE) or None


@contextmanager
def connect(address: str | None = None, workers: int | None = None) -> Iterator:
    """A dask.distributed Client for the evaluator: to the scheduler at `address` (or the one
    INTERCONNECT_DASK_SCHEDULER names), else to a LocalCluster of `workers` single-threaded worker
    processes (default: one per core) started here and closed on exit. Workers of an external
    cluster must run this version of the project (`PYTHONPATH=<checkout> dask worker tcp://…`)."""
    import dask
    from distributed import Client, LocalCluster
    address = scheduler_address(address)
    if address:
        with Client(address) as client:
            yield client
        return
    with _bare_main(), dask.config.set({NANNY_ENVIRONMENT: worker_environment(), **QUIET_CLUSTER}):
        cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                               dashboard_address=None)
    with cluster, Client(cluster) as client:
        yield client


def worker_environment() -> dict:
    """What a LocalCluster's nanny sets before it starts a worker: Dask's defaults (one BLAS thread)
    without MALLOC_TRIM_THRESHOLD_=65536, which hands every freed temporary array back to the
    system, so that the next one page-faults in: the model's batches ran 3–5 times slower in the
    kernel than in numpy (docs/PERFORMANCE.md)."""
    import dask
    return {k: v for k, v in dask.config.get(NANNY_ENVIRONMENT).items() if k != "MALLOC_TRIM_THRESHOLD_"}


@contextmanager
def _bare_main() -> Iterator[None]:
    """A spawned worker re-runs its parent's `__main__` by path. Under Streamlit (and its AppTest)
    `__main__` is the page script, which must not run in a worker: while the workers start, the
    parent's `__main__` is an empty module."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main
