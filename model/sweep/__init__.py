"""Parameter sweeps: a grid over one or two config fields × seeds, each point trained N steps.

Pure NumPy and the standard library (no Qt).  A sweep is planned from text the user typed
(``--vary init_scale=0.5:3:11``, ``--set depth=30``), split into one task per (point, seed),
run on any ``concurrent.futures.Executor`` (a process pool here, or Dask distributed's
``Client(...).get_executor()`` on a cluster: the same code path), and each grid point's row
(medians over its seeds plus the mean-field columns) is handed on as soon as its last seed
finishes.  :class:`ResultFile` streams those rows to CSV or JSON so that a killed sweep keeps
what it had and ``resume`` skips finished points.

Where it lives: :mod:`model.sweep.spec` (parsing and the grid), :mod:`model.sweep.run`
(one task and the executor loop), :mod:`model.sweep.results` (result files) and
:mod:`model.sweep.pool` (executors, progress).  The names below are the package's interface.
"""

from model.sweep.pool import BLAS_ENV, Progress, SerialExecutor, local_executor, stop_executor
from model.sweep.results import ResultFile, atomic_write, rows_to_csv, sweep_record
from model.sweep.run import ProgressFn, point_row, run_one, run_sweep, run_task
from model.sweep.spec import (
    FORMAT_VERSION,
    MAX_AXES,
    MAX_POINTS_PER_AXIS,
    MAX_SEEDS,
    MAX_STEPS,
    MEASURED,
    MEASURES,
    NOT_VARIABLE,
    THEORY,
    Axis,
    Point,
    SweepError,
    SweepSpec,
    parse_set,
    parse_value,
    parse_vary,
    plan,
    with_sets,
)

__all__ = [
    "BLAS_ENV",
    "FORMAT_VERSION",
    "MAX_AXES",
    "MAX_POINTS_PER_AXIS",
    "MAX_SEEDS",
    "MAX_STEPS",
    "MEASURED",
    "MEASURES",
    "NOT_VARIABLE",
    "THEORY",
    "Axis",
    "Point",
    "Progress",
    "ProgressFn",
    "ResultFile",
    "SerialExecutor",
    "SweepError",
    "SweepSpec",
    "atomic_write",
    "local_executor",
    "parse_set",
    "parse_value",
    "parse_vary",
    "plan",
    "point_row",
    "rows_to_csv",
    "run_one",
    "run_sweep",
    "run_task",
    "stop_executor",
    "sweep_record",
    "with_sets",
]
