"""History: bounded, decimating, aligned, and flat in memory on long runs."""

from __future__ import annotations

import dataclasses
import tracemalloc

import numpy as np
import pytest

from model.history import SCALARS, History
from model.snapshot import LAYER_STAT_NAMES, Snapshot

N_LAYERS = 3


def make_snap(step: int, *, test_accuracy: float | None = None, **extra: float | None) -> Snapshot:
    """A snapshot whose every number encodes its step, so misaligned rows are detectable."""
    stats = {name: step + 0.1 * k + np.arange(N_LAYERS) / 100 for k, name in enumerate(LAYER_STAT_NAMES)}
    return Snapshot.create(
        step=step,
        loss=step * 0.5,
        grad_norm=step * 2.0,
        clipped=False,
        diverged=False,
        stats=stats,
        layer_sizes=(2, 4, 4, 3),
        test_accuracy=test_accuracy,
        **extra,
    )


def expected_stride(n: int, capacity: int) -> int:
    """Independent model: the stride doubles at step (capacity+1)·s for s = 1, 2, 4, ..."""
    stride = 1
    while n >= (capacity + 1) * stride:
        stride *= 2
    return stride


def test_capacity_must_be_even_and_at_least_four() -> None:
    for bad in (0, 2, 3, 5, 101):
        with pytest.raises(ValueError):
            History(N_LAYERS, capacity=bad)
    assert History(N_LAYERS, capacity=4).capacity == 4


def test_short_run_keeps_every_step_exactly() -> None:
    h = History(N_LAYERS, capacity=16)
    for s in range(1, 11):
        h.append(make_snap(s))
    assert len(h) == 10
    np.testing.assert_array_equal(h.steps, np.arange(1, 11))
    np.testing.assert_array_equal(h.scalar("loss"), np.arange(1, 11) * 0.5)
    np.testing.assert_array_equal(h.scalar("grad_norm"), np.arange(1, 11) * 2.0)
    assert np.all(np.isnan(h.scalar("test_accuracy")))
    for k, name in enumerate(LAYER_STAT_NAMES):
        rows = h.layer_stat(name)
        assert rows.shape == (10, N_LAYERS)
        np.testing.assert_allclose(rows, np.arange(1, 11)[:, None] + 0.1 * k + np.arange(N_LAYERS) / 100)


@pytest.mark.parametrize("capacity", [4, 16, 64])
def test_decimation_keeps_the_whole_run_aligned(capacity: int) -> None:
    for n in (5, 17, 64, 65, 130, 1000, 3001):
        _check_decimation(capacity, n)


def _check_decimation(capacity: int, n: int) -> None:
    h = History(N_LAYERS, capacity=capacity)
    for s in range(1, n + 1):
        h.append(make_snap(s))
        assert len(h) <= capacity
    stride = expected_stride(n, capacity)
    assert h.stride == stride
    steps = h.steps
    # exactly the multiples of the stride up to n: the first is small, the last is the newest
    np.testing.assert_array_equal(steps, np.arange(stride, n + 1, stride))
    assert np.all(np.diff(steps) > 0)
    if n > capacity:
        assert len(h) >= capacity // 2
        assert steps[0] <= 2 * n / capacity
    assert n - steps[-1] < stride
    if n % stride == 0:
        assert steps[-1] == n
    # every kept value still belongs to its own step
    np.testing.assert_array_equal(h.scalar("loss"), steps * 0.5)
    np.testing.assert_array_equal(h.scalar("grad_norm"), steps * 2.0)
    for k, name in enumerate(LAYER_STAT_NAMES):
        np.testing.assert_allclose(h.layer_stat(name), steps[:, None] + 0.1 * k + np.arange(N_LAYERS) / 100)


def test_sparse_metrics_survive_decimation() -> None:
    capacity, n, every = 64, 100_000, 50
    h = History(N_LAYERS, capacity=capacity)
    base = make_snap(1)
    for s in range(1, n + 1):
        acc = s / 1e6 if s % every == 0 else None
        loss = s / 1e5 if s % every == 0 else None
        h.append(dataclasses.replace(base, step=s, loss=float(s), test_accuracy=acc, test_loss=loss))
    steps = h.steps
    assert steps[-1] == n - n % h.stride and h.stride > every
    accs, losses = h.scalar("test_accuracy"), h.scalar("test_loss")
    # a kept value is the newest report at or before its row's step
    newest = (steps // every) * every
    have = np.isfinite(accs)
    np.testing.assert_array_equal(have, np.isfinite(losses))
    np.testing.assert_allclose(accs[have], newest[have] / 1e6, rtol=1e-12)
    np.testing.assert_allclose(losses[have], newest[have] / 1e5, rtol=1e-12)
    # a row recorded while the stride was at least the report interval always had a report in
    # its interval, so it must carry a value however often the buffer was decimated since
    recorded_stride = np.array([expected_stride(int(s), capacity) for s in steps])
    assert np.all(have[recorded_stride >= every])
    assert have.sum() >= capacity // 4
    assert np.all(np.isnan(h.scalar("train_accuracy")))  # never reported, never invented


def test_sparse_metric_between_kept_steps_is_carried_to_the_next_kept_row() -> None:
    h = History(N_LAYERS, capacity=8)
    for s in range(1, 36):
        h.append(make_snap(s, test_accuracy=0.75 if s == 19 else None))
    assert h.stride == 4
    acc = h.scalar("test_accuracy")
    assert np.count_nonzero(np.isfinite(acc)) == 1
    # reported at step 19 (not on the stride): shows on the next kept row, step 20
    assert h.steps[np.isfinite(acc)][0] == 20 and acc[np.isfinite(acc)][0] == 0.75


def test_sparse_metric_on_a_dropped_row_survives_decimation() -> None:
    # regression: _decimate() used to discard the sparse metrics of every dropped row
    h = History(N_LAYERS, capacity=4)
    h.append(make_snap(1))
    h.append(make_snap(2))
    h.append(make_snap(3, test_accuracy=0.5))  # the only measurement of the run
    h.append(make_snap(4))
    h.append(make_snap(5))  # full: rows 2 and 4 are kept
    np.testing.assert_array_equal(h.steps, [2, 4])
    assert np.isfinite(h.scalar("test_accuracy")).any()


def test_memory_is_flat_over_100k_appends() -> None:
    capacity = 256
    h = History(N_LAYERS, capacity=capacity)
    base = make_snap(1)

    def arrays() -> list[np.ndarray]:
        return [h._steps, *h._scalars.values(), *h._layers.values()]

    shapes_before = [(id(a), a.shape, a.nbytes) for a in arrays()]
    for s in range(1, 90_001):
        h.append(dataclasses.replace(base, step=s, test_accuracy=0.5 if s % 7 == 0 else None))
    tracemalloc.start()
    try:
        start, _ = tracemalloc.get_traced_memory()
        for s in range(90_001, 100_001):
            h.append(dataclasses.replace(base, step=s, test_accuracy=0.5 if s % 7 == 0 else None))
        end, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert end - start < 16_384, f"History grew by {end - start} bytes over 10k appends"
    assert [(id(a), a.shape, a.nbytes) for a in arrays()] == shapes_before
    assert len(h) <= capacity
    assert set(h._scalars) == set(SCALARS)
    assert h.steps[-1] == 100_000 - 100_000 % h.stride


def test_views_are_bounded_by_len_and_clear_resets() -> None:
    h = History(N_LAYERS, capacity=8)
    for s in range(1, 30):
        h.append(make_snap(s, test_accuracy=0.1))
    assert h.stride > 1
    for name in SCALARS:
        assert h.scalar(name).shape == (len(h),)
    h.clear()
    assert len(h) == 0 and h.stride == 1 and h.steps.shape == (0,)
    h.append(make_snap(1))
    h.append(make_snap(2))
    np.testing.assert_array_equal(h.steps, [1, 2])
    assert np.all(np.isnan(h.scalar("test_accuracy")))  # no stale pending value after clear
    np.testing.assert_array_equal(h.scalar("loss"), [0.5, 1.0])


# -- until(step): the history as it read at a past step --------------------------------------


def test_until_cuts_every_reading_at_the_step_without_copying() -> None:
    h = History(N_LAYERS, capacity=64)
    for s in range(1, 41):
        h.append(make_snap(s, test_accuracy=0.5 if s % 10 == 0 else None))
    past = h.until(25)
    assert len(past) == 25 and past.n_layers == N_LAYERS and past.stride == h.stride == 1
    np.testing.assert_array_equal(past.steps, np.arange(1, 26))
    for name in SCALARS:
        np.testing.assert_array_equal(past.scalar(name), h.scalar(name)[:25])
        assert np.shares_memory(past.scalar(name), h.scalar(name))
    for name in LAYER_STAT_NAMES:
        rows = past.layer_stat(name)
        assert rows.shape == (25, N_LAYERS) and np.shares_memory(rows, h.layer_stat(name))
        np.testing.assert_array_equal(rows, h.layer_stat(name)[:25])
    assert np.shares_memory(past.steps, h.steps)
    assert np.count_nonzero(np.isfinite(past.scalar("test_accuracy"))) == 2  # steps 10 and 20


def test_until_between_before_and_after_the_kept_rows() -> None:
    h = History(N_LAYERS, capacity=8)
    for s in range(1, 30):
        h.append(make_snap(s))
    assert h.stride == 4
    np.testing.assert_array_equal(h.steps, [4, 8, 12, 16, 20, 24, 28])
    np.testing.assert_array_equal(h.until(13).steps, [4, 8, 12])  # a step between kept rows
    assert h.until(12).steps[-1] == 12  # the row of the step itself is included
    assert len(h.until(3)) == 0 and h.until(3).scalar("loss").shape == (0,)
    assert h.until(3).layer_stat("weight_norm").shape == (0, N_LAYERS)
    assert len(h.until(10**9)) == len(h)
    assert h.until(20).until(100).steps[-1] == 20 and h.until(100).until(8).steps[-1] == 8


def test_until_reads_the_history_as_it_is_now() -> None:
    h = History(N_LAYERS, capacity=8)
    for s in range(1, 9):
        h.append(make_snap(s))
    past = h.until(6)
    for s in range(9, 40):  # decimates twice: rows move inside the buffers
        h.append(make_snap(s))
    np.testing.assert_array_equal(past.steps, h.steps[h.steps <= 6])
    np.testing.assert_array_equal(past.scalar("loss"), past.steps * 0.5)  # still aligned
    h.clear()
    assert len(past) == 0
