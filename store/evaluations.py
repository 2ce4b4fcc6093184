"""The analysis cache: arrays of model evaluations and finished analyses, in the scenario database
(table `evaluations`, migration 0003), so that an analysis computed once is served at once and a
changed one recomputes only the chunks whose inputs changed.

Keys are hashes the caller builds from everything a payload depends on (analysis/evaluator.py);
this module only stores and fetches. Arrays are stored as .npy bytes (exact float64), results as
JSON with named arrays beside it (.npz)."""
from __future__ import annotations

import datetime
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from .library import database_url, engine_for
from .models import EvaluationRow

KEYS_PER_QUERY = 500   # bound on an IN (...) list


@dataclass(frozen=True)
class Provenance:
    """What a cached payload is: shown with results and stored beside the payload."""

    job: str
    model_version: str
    data_hash: str
    seed: int | None
    draws: int


def _array_bytes(values: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, np.ascontiguousarray(values), allow_pickle=False)
    return buffer.getvalue()


def _array(payload: bytes) -> np.ndarray:
    return np.load(io.BytesIO(payload), allow_pickle=False)


def _result(payload: bytes) -> tuple[dict, dict[str, np.ndarray]]:
    """A result's payload: the summary's length (8 bytes), the summary as JSON, the arrays as .npz."""
    size = int.from_bytes(payload[:8], "big")
    with np.load(io.BytesIO(payload[8 + size:]), allow_pickle=False) as arrays:
        return json.loads(payload[8:8 + size]), {name: arrays[name] for name in arrays.files}


class EvaluationCache:
    """Chunks and results by key, in the database the scenario library uses (or `url`)."""

    def __init__(self, url: str | None = None):
        self.engine = engine_for(url or database_url())

    def _put(self, key: str, kind: str, provenance: Provenance, payload: bytes) -> None:
        values = dict(key=key, kind=kind, job=provenance.job[:80], model_version=provenance.model_version,
                      data_hash=provenance.data_hash, seed=provenance.seed, draws=provenance.draws,
                      created_at=datetime.datetime.now(datetime.timezone.utc), payload=payload)
        insert = pg_insert if self.engine.dialect.name == "postgresql" else sqlite_insert
        # Two processes computing the same chunk store the same bytes: the first write wins.
        statement = insert(EvaluationRow).values(**values).on_conflict_do_nothing(index_elements=["key"])
        with self.engine.begin() as connection:
            connection.execute(statement)

    def _payloads(self, keys: Iterable[str], kind: str) -> dict[str, bytes]:
        keys, found = list(keys), {}
        with Session(self.engine) as session:
            for start in range(0, len(keys), KEYS_PER_QUERY):
                part = keys[start:start + KEYS_PER_QUERY]
                rows = session.execute(select(EvaluationRow.key, EvaluationRow.payload)
                                       .where(EvaluationRow.key.in_(part), EvaluationRow.kind == kind))
                found.update({key: payload for key, payload in rows})
        return found

    def put_chunk(self, key: str, values: np.ndarray, provenance: Provenance) -> None:
        self._put(key, "chunk", provenance, _array_bytes(values))

    def chunks(self, keys: Iterable[str]) -> dict[str, np.ndarray]:
        """The stored chunks among `keys` (missing keys are absent from the answer)."""
        return {key: _array(payload) for key, payload in self._payloads(keys, "chunk").items()}

    def put_result(self, key: str, summary: dict, arrays: dict[str, np.ndarray], provenance: Provenance) -> None:
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        text = json.dumps(summary, ensure_ascii=False, allow_nan=False).encode()
        self._put(key, "result", provenance, len(text).to_bytes(8, "big") + text + buffer.getvalue())

    def result(self, key: str) -> tuple[dict, dict[str, np.ndarray]] | None:
        """A stored result's summary and arrays, or None."""
        payload = self._payloads([key], "result").get(key)
        return None if payload is None else _result(payload)

    def latest_result(self, job: str, model_version: str, data_hash: str) -> tuple[dict, dict[str, np.ndarray]] | None:
        """The newest result of `job` for this model version and data, whatever its seed and draws."""
        with Session(self.engine) as session:
            payload = session.scalar(select(EvaluationRow.payload).where(
                EvaluationRow.kind == "result", EvaluationRow.job == job, EvaluationRow.model_version == model_version,
                EvaluationRow.data_hash == data_hash).order_by(EvaluationRow.created_at.desc()).limit(1))
        return None if payload is None else _result(payload)

    def clear(self, job: str | None = None) -> int:
        """Delete every cached entry (or one job's); returns how many."""
        statement = delete(EvaluationRow)
        if job is not None:
            statement = statement.where(EvaluationRow.job == job)
        with self.engine.begin() as connection:
            return connection.execute(statement).rowcount
