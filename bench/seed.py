"""Saved scenarios for the benches, written through the library's public save API.

This is the one place that knows how the store is reached: the server is pointed at a fresh SQLite
library (its folder) holding the saved scenarios, with the quota lifted for the bench's owner."""
from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from model.data import default_data
from model.scenario import Scenario
from store.library import QUOTA_VARIABLE, SAVED_DIR_VARIABLE, ScenarioLibrary, database_url


def seed(library: ScenarioLibrary, count: int) -> None:
    """`count` distinct saved scenarios, as users would have made them."""
    base = default_data().status_quo_levers
    for number in range(count):
        levers = dict(base) | {"link_unblocking": (number % 101) / 100,
                                "payment_interop": (number // 101 % 101) / 100}
        library.save(Scenario(name=f"Bench scenario {number:04d}", levers=levers))


@contextlib.contextmanager
def seeded_store(count: int):
    """Yield the server environment of a library holding `count` saved scenarios (and the presets)."""
    with tempfile.TemporaryDirectory(prefix="bench-saved-") as folder:
        quota = str(max(count, 1) + 10)
        seed(ScenarioLibrary(database_url(Path(folder)), quota=int(quota)), count)
        yield {SAVED_DIR_VARIABLE: folder, QUOTA_VARIABLE: quota}
