"""ViewCadence: fast views every frame, slow views on staggered clocks, nothing left undrawn."""

from __future__ import annotations

from app.view_cadence import ViewCadence

INTERVALS = {"gradients": 0.0, "loss": 0.1, "network": 0.1, "output": 0.2}


def test_fast_view_every_frame_slow_views_at_their_rate_one_per_frame() -> None:
    cadence = ViewCadence(INTERVALS)
    drawn: list[tuple[int, str]] = []
    for frame in range(120):  # two seconds at 60 Hz, a new state every frame
        now = frame / 60
        cadence.frame(now, lambda name, f=frame: drawn.append((f, name)))
    counts = {name: sum(1 for _, n in drawn if n == name) for name in INTERVALS}
    assert counts["gradients"] == 120
    assert 18 <= counts["loss"] <= 21 and 18 <= counts["network"] <= 21  # 10 Hz
    assert 9 <= counts["output"] <= 11  # 5 Hz
    per_frame = [sum(1 for f, n in drawn if f == frame and n != "gradients") for frame in range(120)]
    assert max(per_frame) == 1  # the slow views never pile up in one frame


def test_the_last_state_reaches_every_view() -> None:
    cadence = ViewCadence(INTERVALS)
    seen: dict[str, int] = {}
    cadence.frame(0.0, lambda name: seen.__setitem__(name, 1))
    cadence.frame(0.016, lambda name: seen.__setitem__(name, 2))  # then training pauses
    assert cadence.waiting
    t = 0.016
    while cadence.waiting and t < 1.0:
        t += 1 / 60
        cadence.catch_up(t)  # display timer ticks with no new data
    assert not cadence.waiting
    assert seen == dict.fromkeys(INTERVALS, 2)


def test_everything_draws_every_view_at_once() -> None:
    cadence = ViewCadence(INTERVALS)
    drawn: list[str] = []
    cadence.frame(5.0, drawn.append, everything=True)
    assert sorted(drawn) == sorted(INTERVALS) and not cadence.waiting
