"""Every preset's headline numbers are pinned: a change must be reviewed with `make pin`."""
from tools.pin_headlines import PINS, RELATIVE_TOLERANCE, differences


def test_headline_numbers_match_the_pinned_file():
    """Within RELATIVE_TOLERANCE (0.001 %) of the reviewed values."""
    changes = PINS.stale()
    assert not changes, "headline numbers moved (review, then `make pin ARGS=--write`):\n" + "\n".join(changes)


def test_a_move_beyond_the_tolerance_is_reported_and_a_last_digit_one_is_not():
    old = {"preset": {"welfare.total": 1.5015, "share.alibaba": 0.437855, "consumer.harm": 0.0}}
    new = {"preset": {"welfare.total": 1.5015 * (1 + 2 * RELATIVE_TOLERANCE), "share.alibaba": 0.437855 * (1 + 1e-12),
                      "consumer.harm": 1e-12}}
    assert differences(old, new) == ["preset: welfare.total: 1.5015 -> 1.50153 (+0.002%)"]
