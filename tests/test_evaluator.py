"""The evaluator's contracts: it measures what the model measures, chunking and the executor change
nothing, the cache recomputes only what changed, bad jobs get errors naming the field."""
import sys
import types

import numpy as np
import pytest

from analysis import evaluator
from analysis.evaluator import Job, connect, evaluate, plan
from model import claims, engine
from store.evaluations import EvaluationCache


def _claim_job(data, claim, draws=300, seed=5):
    params = engine.draw_parameters(data, draws, seed)
    before = dict(data.status_quo_levers) | claim.context | {claim.lever: claim.from_value}
    after = dict(data.status_quo_levers) | claim.context | {claim.lever: claim.to_value}
    return Job("test", [before, after], params, [(claim.outcome, claim.year), ("share.alibaba", 2023)], seed=seed)


def test_lever_rows_differ_by_what_the_claims_measure(data):
    """The difference of two lever rows is the claim's effect as model.claims computes it."""
    for claim_id in ("link-unblocking-raises-consumer-surplus", "data-without-safeguards-hurts-consumers",
                     "link-unblocking-raises-alibaba-share"):
        claim = data.claims[claim_id]
        job = _claim_job(data, claim)
        values = evaluate(job, data).measure(claim.outcome, claim.year)
        expected = claims.claim_effects(claim, job.parameters, data)
        np.testing.assert_allclose(values[1] - values[0], expected, rtol=0, atol=1e-9)


def test_results_do_not_depend_on_the_chunking(data, monkeypatch):
    job = _claim_job(data, data.claims["link-unblocking-raises-consumer-surplus"])
    whole = evaluate(job, data)
    monkeypatch.setattr(evaluator, "ROWS_PER_CHUNK", 200)
    monkeypatch.setattr(evaluator, "LEVERS_PER_CHUNK", 1)
    pieces = evaluate(job, data)
    assert pieces.chunks > whole.chunks
    np.testing.assert_allclose(pieces.values, whole.values, rtol=0, atol=1e-9)


def test_the_cache_recomputes_only_what_changed(data, tmp_path, monkeypatch):
    monkeypatch.setattr(evaluator, "ROWS_PER_CHUNK", 300)
    cache = EvaluationCache(f"sqlite:///{tmp_path / 'cache.sqlite3'}")
    job = _claim_job(data, data.claims["link-unblocking-raises-consumer-surplus"])
    seen = []
    first = evaluate(job, data, cache=cache, progress=lambda done, total: seen.append((done, total)))
    assert first.computed == first.chunks > 1 and seen[0] == (0, first.chunks) and seen[-1] == (first.chunks,) * 2
    again = evaluate(job, data, cache=cache)
    assert again.computed == 0 and np.array_equal(again.values, first.values)
    job.parameters["value_of_time"] = job.parameters["value_of_time"].copy()
    job.parameters["value_of_time"][-1] *= 0.5      # only the last draw changes: only its chunk is recomputed
    changed = evaluate(job, data, cache=cache)
    assert changed.computed == 1
    other_seed = evaluate(_claim_job(data, data.claims["link-unblocking-raises-consumer-surplus"], seed=6), data,
                          cache=cache)
    assert other_seed.computed == other_seed.chunks


def test_keys_name_the_model_version_and_data(data, monkeypatch):
    job = _claim_job(data, data.claims["link-unblocking-raises-consumer-surplus"], draws=20)
    keys = [c.key for c in plan(job, data)]
    monkeypatch.setattr(evaluator, "MODEL_VERSION", "other")
    assert [c.key for c in plan(job, data)] != keys
    monkeypatch.undo()
    monkeypatch.setitem(evaluator._DATA_HASHES, data, "another data hash")
    assert [c.key for c in plan(job, data)] != keys


def test_a_worker_of_another_model_version_refuses(data):
    job = _claim_job(data, data.claims["link-unblocking-raises-consumer-surplus"], draws=4)
    with pytest.raises(RuntimeError, match="start the workers from the same version"):
        evaluator.evaluate_chunk(data, job.levers, job.parameters, job.measures, 2030, model_version="0.0.0")


@pytest.mark.parametrize("change, field", [
    (lambda job: job.parameters.pop("value_of_time"), "parameters: missing value_of_time"),
    (lambda job: job.measures.append(("no.such.outcome", 2030)), "measures: unknown outcome 'no.such.outcome'"),
    (lambda job: job.measures.append(("share.alibaba", 2050)), "measures: year 2050"),
    (lambda job: job.levers.clear(), "levers: at least one"),
])
def test_bad_jobs_are_refused_naming_the_field(data, change, field):
    job = _claim_job(data, data.claims["link-unblocking-raises-consumer-surplus"], draws=4)
    change(job)
    with pytest.raises(ValueError, match=field):
        evaluate(job, data)


@pytest.mark.slow
def test_the_dask_path_gives_the_in_process_results(data, monkeypatch):
    monkeypatch.setattr(evaluator, "ROWS_PER_CHUNK", 400)
    job = _claim_job(data, data.claims["link-unblocking-raises-consumer-surplus"], draws=600)
    local = evaluate(job, data)
    with connect(workers=2) as client:
        distributed = evaluate(job, data, client=client)
    assert distributed.chunks > 2 and np.array_equal(distributed.values, local.values)


def test_workers_start_under_a_page_scripts_main(monkeypatch):
    """Streamlit (and AppTest) make the page script `__main__`; spawned workers re-run `__main__` by
    path, so without care they would run the page script (here: a path that does not exist) and die."""
    page_script = types.ModuleType("__main__")
    page_script.__file__ = "/nonexistent/page_script.py"
    monkeypatch.setitem(sys.modules, "__main__", page_script)
    with connect(workers=1) as client:
        assert client.submit(abs, -2).result() == 2
    assert sys.modules["__main__"] is page_script


def test_local_workers_keep_freed_memory_but_one_blas_thread_and_no_dashboard_timers():
    """Dask's nanny sets MALLOC_TRIM_THRESHOLD_=65536 in its workers: every freed temporary array goes
    back to the system and the next page-faults in, and the model's batches ran 3–5 times slower.
    The LocalCluster's workers run without it, and still with one BLAS thread each. With no
    dashboard, they run no stack profiler and their event loop ticks once a second."""
    import os
    with connect(workers=1) as client:
        environment = next(iter(client.run(lambda: dict(os.environ)).values()))
        timers = next(iter(client.run(lambda dask_worker: {name: callback.callback_time for name, callback
                                                           in dask_worker.periodic_callbacks.items()}).values()))
    assert "MALLOC_TRIM_THRESHOLD_" not in environment
    assert environment["OMP_NUM_THREADS"] == environment["OPENBLAS_NUM_THREADS"] == "1"
    assert timers["tick"] == 1000 and timers["monitor"] == 2000
    assert "profile" not in timers
