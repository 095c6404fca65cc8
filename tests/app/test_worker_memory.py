"""The worker thread hands memory the C allocator holds free back to the system: without it,
memory the timeline frees when it decimates stays in the process (glibc keeps scattered free
blocks for reuse), so RSS never came down on a long run."""

from __future__ import annotations

import ctypes.util

import numpy as np
import pytest

from app import worker
from tests.app.process_stats import rss_mib


@pytest.mark.skipif(
    ctypes.util.find_library("c") is None or not hasattr(ctypes.CDLL(None), "malloc_trim"), reason="glibc only"
)
def test_free_scattered_blocks_go_back_to_the_system() -> None:
    # ~60 MB in 1 kB arrays (heap blocks, as snapshots' histograms are), then every block freed
    # but one in 64: the free memory lies between blocks still held, where glibc does not
    # return it by itself
    blocks = [np.ones(128) for _ in range(60_000)]
    kept = blocks[::64]
    del blocks
    before = rss_mib()
    assert worker.release_free_memory()
    after = rss_mib()
    assert before - after > 20, (before, after)
    assert all(float(k[0]) == 1.0 for k in kept)  # what is still held is untouched
