"""The compare window's cadence: the overlay every frame, one run's gradient view per frame in
turn, and at most one run's slow views per frame (never the same run when another can go)."""

from __future__ import annotations

from app.compare_cadence import Cadence


class FakeColumn:
    def __init__(self, index: int) -> None:
        self.index = index
        self.dirty = True
        self.due = False
        self.fast: list[int] = []
        self.slow: list[int] = []

    def draw_fast(self) -> bool:
        self.dirty = False
        self.fast.append(self.index)
        return True

    def slow_due(self, now: float) -> bool:
        return self.due

    def draw_slow(self, now: float) -> None:
        self.due = False
        self.slow.append(self.index)


def test_gradient_views_take_turns() -> None:
    columns = [FakeColumn(i) for i in range(3)]
    cadence = Cadence(3)
    order = []
    for frame in range(9):
        for column in columns:
            column.dirty = True
        before = [len(c.fast) for c in columns]
        cadence.draw(columns, float(frame))
        drawn = [c.index for c, n in zip(columns, before, strict=True) if len(c.fast) > n]
        assert len(drawn) == 1  # one gradient view per frame
        order += drawn
    assert [len(c.fast) for c in columns] == [3, 3, 3]
    assert order == [0, 1, 2] * 3


def test_a_column_with_nothing_new_is_skipped() -> None:
    columns = [FakeColumn(i) for i in range(3)]
    cadence = Cadence(3)
    columns[1].dirty = False
    cadence.draw(columns, 0.0)
    cadence.draw(columns, 0.0)
    assert [len(c.fast) for c in columns] == [1, 0, 1]
    assert not cadence.draw(columns, 0.0)  # nothing left to draw


def test_slow_views_of_one_column_per_frame_and_not_the_fast_one() -> None:
    columns = [FakeColumn(i) for i in range(3)]
    cadence = Cadence(3)
    for column in columns:
        column.due = True
    cadence.draw(columns, 0.0)  # fast: column 0; slow: not column 0
    assert columns[0].fast == [0] and columns[0].slow == []
    assert sum(len(c.slow) for c in columns) == 1
    cadence.draw(columns, 0.0)
    cadence.draw(columns, 0.0)
    assert [len(c.slow) for c in columns] == [1, 1, 1]
    # a lone run: its slow views still get drawn
    lone = [FakeColumn(0)]
    lone[0].due = True
    Cadence(1).draw(lone, 0.0)
    assert lone[0].fast == [0] and lone[0].slow == [0]


def test_engine_share_counts_the_window_as_one_more_process() -> None:
    from app.compare_cadence import engine_share

    assert engine_share(3, cores=2) == 2.0
    assert engine_share(2, cores=2) == 1.5
    assert engine_share(2, cores=8) == 1.0  # cores to spare: every run as fast as alone


def test_a_shared_engine_takes_fewer_detail_steps() -> None:
    """EngineLoop with ("share", 3) takes about a third of the detailed steps (same clock)."""
    import time

    from app.engine_process import EngineLoop
    from model import ExperimentConfig

    class Pipe:
        def send(self, msg: object) -> None:
            pass

    config = ExperimentConfig(depth=3, width=8, n_samples=200).to_dict()

    def detailed(share: float) -> int:
        loop = EngineLoop(Pipe())  # type: ignore[arg-type]
        loop.handle(("reset", config))
        loop.handle(("share", share))
        loop.handle(("play",))
        count = 0
        end = time.perf_counter() + 0.6
        while time.perf_counter() < end:
            loop._train_chunk()
            count += sum(1 for s in loop.pending if s.detail)
            loop.pending = []
        return count

    alone, shared = detailed(1.0), detailed(3.0)
    assert 0 < shared < alone / 2
