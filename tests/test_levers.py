"""The lever list is data/levers.yaml's: every share lever does something, a lever the model cannot
read is refused rather than run as a no-op, and the outcomes the model reports are those declared."""
import copy

import numpy as np
import pytest

from model import engine
from model.engine import CHANGE_OF
from model.market import LeverBatch, simulate
from model.scenario import Scenario, status_quo


@pytest.mark.parametrize("lever", engine.default_data().share_levers)
def test_every_share_lever_moves_some_outcome_at_full_strength(lever, data):
    full = 0.0 if data.levers[lever].status_quo == 1.0 else 1.0
    change = engine.run(Scenario(name=lever, levers=dict(data.status_quo_levers) | {lever: full}), data).final["change"]
    moved = change[change.abs() > 1e-9]
    assert len(moved) > 0, f"{lever} at {full} moves no outcome"


def test_a_phased_lever_the_model_does_not_read_is_refused(data):
    """A new lever in levers.yaml (with its phase-in parameter) but no field in PolicyInForce: the run
    says so instead of ignoring the lever."""
    added = copy.copy(data)
    added.levers = {**data.levers, "unread_lever": data.levers["data_sharing"].model_copy(update={"id": "unread_lever"})}
    with pytest.raises(ValueError, match=r"disagree on \['unread_lever'\]"):
        engine.run(status_quo(added), added)


def test_the_outcomes_reported_are_the_outcomes_declared(data):
    """Every id the reporters (and the change and present-value stage) emit is in data/outcomes.yaml and
    every declared outcome is emitted: a misspelt id fails here. The one undeclared path is the level
    the consumer changes are built from."""
    params = engine.parameter_batch(data, 1)
    sim = simulate(LeverBatch.from_dicts([data.status_quo_levers], data), params, data, 2025)
    emitted = set(engine.with_changes(sim.paths, sim.paths, sim.years, params, data))
    internal = set(CHANGE_OF.values()) - set(data.outcomes)
    assert internal == {"consumer.welfare"}
    assert emitted - internal == set(data.outcomes)
    assert all(np.isfinite(sim.paths[o]).all() for o in sim.paths)
