"""Files per second and time left, as the CLI bar and the import dialog show them."""

from __future__ import annotations

from library.progress import Progress, ProgressRate, describe_rate


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_rate_and_time_left_over_the_phase_so_far() -> None:
    clock = Clock()
    rate = ProgressRate(clock)
    assert rate.update(Progress("scanning", 100, 10_000)) == (None, None)
    clock.now += 1
    assert rate.update(Progress("scanning", 10_000, 10_000)) == (9_900.0, 0.0)
    assert rate.update(Progress("reading", 0, 10_000)) == (None, None)  # a new phase
    clock.now += 0.2
    assert rate.update(Progress("reading", 50, 10_000)) == (None, None)  # too soon to tell
    clock.now += 3.8
    per_second, left = rate.update(Progress("reading", 2_000, 10_000))
    assert (per_second, left) == (500.0, 16.0)
    assert describe_rate(per_second, left) == "500 files/s, about 16 s left"
    assert describe_rate(2.5, 130) == "2.5 files/s, about 2 min 10 s left"
    assert describe_rate(None, None) == ""
