"""The sliding-window rate limit behind the saves, uploads and the server's upload route."""
from hypothesis import given
from hypothesis import strategies as st

from ui.limits import SlidingWindow


def test_a_key_gets_its_limit_per_window_and_no_more_then_again_after_the_window():
    window = SlidingWindow(3, 60)
    assert [window.allow("a", now=t) for t in (0, 1, 2, 3)] == [True, True, True, False]
    assert window.allow("b", now=3)                      # another key is not affected
    assert window.allow("a", now=60.5) and window.allow("a", now=61.5)  # 0 and 1 have left the window
    assert not window.allow("a", now=61.6)                                # 2, 60.5 and 61.5 have not


@given(st.lists(st.floats(min_value=0, max_value=1_000, allow_nan=False), max_size=200))
def test_never_more_than_the_limit_in_any_window(moments):
    window = SlidingWindow(5, 10)
    allowed = [t for t in sorted(moments) if window.allow("k", now=t)]
    assert all(sum(t - 10 < other <= t for other in allowed) <= 5 for t in allowed)
