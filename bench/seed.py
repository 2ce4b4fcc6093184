"""Saved scenarios for the benches, written through the store's public save API.

This is the one place that knows how the store is reached: when saved scenarios move to the
database, change `seeded_store` to point the server at a fresh database and save through it."""
from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from model.data import default_data
from model.scenario import Scenario
from model.store import PRESETS_DIR, SAVED_DIR_VARIABLE, ScenarioStore


def seed(store: ScenarioStore, count: int) -> None:
    """`count` distinct saved scenarios, as users would have made them."""
    base = default_data().status_quo_levers
    for number in range(count):
        levers = dict(base) | {"link_unblocking": (number % 101) / 100,
                                "payment_interop": (number // 101 % 101) / 100}
        store.save(Scenario(name=f"Bench scenario {number:04d}", levers=levers))


@contextlib.contextmanager
def seeded_store(count: int):
    """Yield the server environment of a store holding `count` saved scenarios (and the presets)."""
    with tempfile.TemporaryDirectory(prefix="bench-saved-") as folder:
        seed(ScenarioStore(PRESETS_DIR, Path(folder)), count)
        yield {SAVED_DIR_VARIABLE: folder}
