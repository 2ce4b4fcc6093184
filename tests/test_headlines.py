"""Every preset's headline numbers are pinned: a change must be reviewed with `make pin`."""
from pin_headlines import current, differences, pinned


def test_headline_numbers_match_the_pinned_file():
    changes = differences(pinned(), current())
    assert not changes, "headline numbers moved (review, then `make pin ARGS=--write`):\n" + "\n".join(changes)
