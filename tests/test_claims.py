"""The claim suite: every claim in data/claims.yaml, checked against the model.

Each claim must hold with central parameters. A claim marked `robust` must also hold in at least
90 % of Monte Carlo draws; the others are the documents' contested points (one side of a
trade-off), and the test checks that the ranges really can flip them.
"""
import pytest

from model.claims import central_effect, share_holding
from model.data import default_data

CLAIMS = list(default_data().claims.values())
ROBUST_SHARE = 0.9
DRAWS = 400


@pytest.mark.parametrize("claim", CLAIMS, ids=[c.id for c in CLAIMS])
def test_claim_holds_with_central_parameters(claim, data):
    effect = central_effect(claim, data)
    if claim.direction == "increase":
        assert effect > 1e-9, f"{claim.id}: expected an increase in {claim.outcome}, got {effect:+.6g}"
    else:
        assert effect < -1e-9, f"{claim.id}: expected a decrease in {claim.outcome}, got {effect:+.6g}"


@pytest.mark.parametrize("claim", CLAIMS, ids=[c.id for c in CLAIMS])
def test_claim_robustness_matches_its_label(claim, data):
    share = share_holding(claim, data, draws=DRAWS)
    if claim.robust:
        assert share >= ROBUST_SHARE, f"{claim.id} is marked robust but holds in only {share:.0%} of draws"
    else:
        assert share < ROBUST_SHARE, f"{claim.id} holds in {share:.0%} of draws: mark it robust"
