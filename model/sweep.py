"""Parameter sweeps: a grid over one or two config fields × seeds, each point trained N steps.

Pure NumPy and the standard library (no Qt).  A sweep is planned from text the user typed
(``--vary init_scale=0.5:3:11``, ``--set depth=30``), split into one task per (point, seed),
run on any ``concurrent.futures.Executor`` (a process pool here, or Dask distributed's
``Client(...).get_executor()`` on a cluster: the same code path), and each grid point's row
(medians over its seeds plus the mean-field columns) is handed on as soon as its last seed
finishes.  :class:`ResultFile` streams those rows to CSV or JSON so that a killed sweep keeps
what it had and ``resume`` skips finished points.
"""

from __future__ import annotations

import concurrent.futures as cf
import csv
import dataclasses
import io
import json
import math
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from model.config import ConfigError, ExperimentConfig
from model.theory import predict
from model.trainer import Trainer

#: measured per point (medians over seeds), then the theory's columns
MEASURED: tuple[str, ...] = (
    "grad_ratio_init",
    "grad_ratio_final",
    "loss_final",
    "test_accuracy_final",
    "diverged_fraction",
)
THEORY: tuple[str, ...] = ("chi1", "q_star", "depth_scale")
MEASURES: tuple[str, ...] = MEASURED + THEORY
MAX_AXES = 2
MAX_POINTS_PER_AXIS = 500
MAX_SEEDS = 100
MAX_STEPS = 1_000_000
#: fields a sweep cannot vary: seeds have their own option
NOT_VARIABLE = frozenset({"seed"})
FORMAT_VERSION = 1


class SweepError(ValueError):
    """A sweep that cannot run as asked; the message names the problem."""


# -- parsing fields and values -------------------------------------------------------------------
_FIELDS = {f.name: f for f in dataclasses.fields(ExperimentConfig)}
_DEFAULTS = ExperimentConfig()


def _kind(name: str) -> str:
    """``int``, ``float``, ``bool``, ``str`` or ``optional`` (a float that may be none)."""
    default = getattr(_DEFAULTS, name)
    if default is None:
        return "optional"
    if isinstance(default, bool):
        return "bool"
    return type(default).__name__


def _field(name: str) -> str:
    name = name.strip()
    if name not in _FIELDS:
        raise SweepError(f"unknown config field {name!r}; known fields: {', '.join(_FIELDS)}")
    return name


def parse_value(name: str, text: str) -> Any:
    """``text`` as a value of config field ``name`` (type only; the config validates ranges)."""
    kind = _kind(name)
    t = text.strip()
    try:
        if kind == "int":
            return int(t)
        if kind == "float":
            return float(t)
        if kind == "optional":
            return None if t.lower() in ("none", "null", "") else float(t)
    except ValueError:
        raise SweepError(f"{name} needs a number; got {text!r}") from None
    if kind == "bool":
        if t.lower() in ("true", "1", "yes", "on"):
            return True
        if t.lower() in ("false", "0", "no", "off"):
            return False
        raise SweepError(f"{name} needs true or false; got {text!r}")
    return t


def parse_set(text: str) -> tuple[str, Any]:
    """``FIELD=VALUE`` → (field, value)."""
    if "=" not in text:
        raise SweepError(f"--set needs FIELD=VALUE; got {text!r}")
    name, value = text.split("=", 1)
    name = _field(name)
    return name, parse_value(name, value)


@dataclass(frozen=True)
class Axis:
    """One varied field and its values, in grid order."""

    field: str
    values: tuple[Any, ...]
    log: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "values": list(self.values), "log": self.log}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Axis:
        try:
            field, values, log = data["field"], data["values"], bool(data.get("log", False))
        except (KeyError, TypeError):
            raise SweepError("a sweep axis needs 'field' and 'values'") from None
        if not isinstance(values, list) or not values:
            raise SweepError(f"axis {field!r}: 'values' must be a non-empty list")
        return cls(_field(str(field)), tuple(values), log)


def parse_vary(text: str) -> Axis:
    """``FIELD=V1,V2,...`` or ``FIELD=START:STOP:N`` or ``FIELD=START:STOP:N:log``."""
    if "=" not in text:
        raise SweepError(f"--vary needs FIELD=V1,V2,... or FIELD=START:STOP:N[:log]; got {text!r}")
    name, spec = text.split("=", 1)
    name = _field(name)
    if name in NOT_VARIABLE:
        raise SweepError(f"{name} cannot be varied; use --seeds K for K seeds per point")
    spec = spec.strip()
    if not spec:
        raise SweepError(f"--vary {name}= needs values")
    parts = spec.split(":")
    if len(parts) == 1:
        values = tuple(parse_value(name, v) for v in spec.split(","))
        log = False
    else:
        if len(parts) not in (3, 4) or (len(parts) == 4 and parts[3].strip().lower() not in ("log", "lin", "linear")):
            raise SweepError(f"--vary {name}: a range is START:STOP:N or START:STOP:N:log; got {spec!r}")
        kind = _kind(name)
        if kind not in ("int", "float", "optional"):
            raise SweepError(f"--vary {name}: a range needs a numeric field; list the values instead")
        try:
            start, stop, n = float(parts[0]), float(parts[1]), int(parts[2])
        except ValueError:
            raise SweepError(
                f"--vary {name}: START and STOP must be numbers and N a whole number; got {spec!r}"
            ) from None
        if not (math.isfinite(start) and math.isfinite(stop)):
            raise SweepError(f"--vary {name}: START and STOP must be finite; got {spec!r}")
        if not 1 <= n <= MAX_POINTS_PER_AXIS:
            raise SweepError(f"--vary {name}: N must be in [1, {MAX_POINTS_PER_AXIS}]; got {n}")
        log = len(parts) == 4 and parts[3].strip().lower() == "log"
        if log:
            if start <= 0 or stop <= 0:
                raise SweepError(f"--vary {name}: a log range needs START and STOP > 0; got {spec!r}")
            grid = np.geomspace(start, stop, n)
        else:
            grid = np.linspace(start, stop, n)
        if kind == "int":
            values = tuple(round(float(v)) for v in grid)
        else:
            values = tuple(float(f"{v:.12g}") for v in grid)
    if len(values) > MAX_POINTS_PER_AXIS:
        raise SweepError(f"--vary {name}: at most {MAX_POINTS_PER_AXIS} values; got {len(values)}")
    if len(set(values)) != len(values):
        raise SweepError(f"--vary {name}: values repeat ({', '.join(map(str, values))})")
    return Axis(name, values, log)


# -- the plan -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Point:
    """One grid point: its index on each axis and the varied fields' values."""

    index: tuple[int, ...]
    values: tuple[Any, ...]

    @property
    def key(self) -> tuple[Any, ...]:
        return self.values


@dataclass(frozen=True)
class SweepSpec:
    """What to sweep: a base config, one or two axes, seeds per point and steps per run."""

    base: ExperimentConfig
    axes: tuple[Axis, ...]
    seeds: int = 1
    steps: int = 0

    def __post_init__(self) -> None:
        if not 1 <= len(self.axes) <= MAX_AXES:
            raise SweepError(f"a sweep varies 1 or {MAX_AXES} fields; got {len(self.axes)}")
        fields = [a.field for a in self.axes]
        if len(set(fields)) != len(fields):
            raise SweepError(f"{fields[0]} is varied twice")
        if isinstance(self.seeds, bool) or not isinstance(self.seeds, int) or not 1 <= self.seeds <= MAX_SEEDS:
            raise SweepError(f"seeds must be a whole number in [1, {MAX_SEEDS}]; got {self.seeds!r}")
        if isinstance(self.steps, bool) or not isinstance(self.steps, int) or not 0 <= self.steps <= MAX_STEPS:
            raise SweepError(f"steps must be a whole number in [0, {MAX_STEPS}]; got {self.steps!r}")
        for axis in self.axes:
            for value in axis.values:
                try:
                    self.base.replace(**{axis.field: value})
                except (ConfigError, TypeError) as exc:
                    raise SweepError(f"--vary {axis.field}: {exc}") from None

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(a.field for a in self.axes)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(a.values) for a in self.axes)

    def points(self) -> list[Point]:
        """Every grid point, first axis slowest."""
        out = []
        for index in np.ndindex(*self.shape):
            idx = tuple(int(i) for i in index)
            out.append(Point(idx, tuple(a.values[i] for a, i in zip(self.axes, idx, strict=True))))
        return out

    def config(self, point: Point, seed: int = 0) -> ExperimentConfig:
        """The config of ``point`` for its ``seed``-th run (seeds count up from the base's)."""
        changes = dict(zip(self.fields, point.values, strict=True))
        return self.base.replace(**changes, seed=(self.base.seed + seed) % 2**32)

    def to_dict(self) -> dict[str, Any]:
        return {
            "base": self.base.to_dict(),
            "axes": [a.to_dict() for a in self.axes],
            "seeds": self.seeds,
            "steps": self.steps,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SweepSpec:
        if not isinstance(data, Mapping):
            raise SweepError("a sweep must be a JSON object")
        try:
            base = ExperimentConfig.from_dict(data.get("base", {}))
        except ConfigError as exc:
            raise SweepError(f"sweep base config: {exc}") from None
        axes = data.get("axes")
        if not isinstance(axes, list):
            raise SweepError("a sweep needs a list of 'axes'")
        return cls(base, tuple(Axis.from_dict(a) for a in axes), data.get("seeds", 1), data.get("steps", 0))


def plan(
    base: ExperimentConfig, sets: Sequence[str], varies: Sequence[str], seeds: int = 1, steps: int = 0
) -> SweepSpec:
    """A :class:`SweepSpec` from the command line's texts (``FIELD=VALUE``, ``FIELD=...``)."""
    return SweepSpec(with_sets(base, sets), tuple(parse_vary(v) for v in varies), seeds, steps)


def with_sets(base: ExperimentConfig, sets: Sequence[str]) -> ExperimentConfig:
    """``base`` with every ``FIELD=VALUE`` of ``sets`` applied (validated)."""
    changes = dict(parse_set(s) for s in sets)
    try:
        return base.replace(**changes)
    except (ConfigError, TypeError) as exc:
        raise SweepError(f"--set: {exc}") from None


# -- one run ------------------------------------------------------------------------------------
def _ratio(delta_norm: Sequence[float] | np.ndarray[Any, Any], depth: int) -> float:
    first, last = float(delta_norm[0]), float(delta_norm[depth - 1])
    with np.errstate(all="ignore"):
        return float(np.float64(first) / np.float64(last)) if last != 0.0 else (math.inf if first > 0 else math.nan)


def run_one(config: ExperimentConfig, steps: int) -> dict[str, float]:
    """Train ``config`` for ``steps`` steps (stopping once diverged) and measure it.

    ``grad_ratio_init`` is ‖∂L/∂z‖ of the first hidden layer ÷ the last hidden layer on the
    first batch, before any update; ``grad_ratio_final`` the same on the last step's batch."""
    trainer = Trainer(config)
    # the batch Trainer.inspect() measures on (the first batch_size training samples), without
    # its histograms and decision surface
    b = min(config.batch_size, trainer.dataset.x_train.shape[0])
    grads = trainer.network.gradients(trainer.dataset.x_train[:b], trainer.dataset.y_train[:b])
    with np.errstate(all="ignore"):
        norms = [float(np.linalg.norm(d)) for d in grads.deltas]
    ratio_init = _ratio(norms, config.depth)
    loss = grads.loss
    ratio_final = ratio_init
    for _ in range(steps):
        snap = trainer.step()
        if snap.diverged:
            break
        loss = snap.loss
        ratio_final = _ratio(snap.stats["delta_norm"], config.depth)
    diverged = trainer.diverged
    if diverged:
        loss, ratio_final = math.nan, math.nan
    accuracy = trainer.evaluate()["test_accuracy"] if not diverged else None
    return {
        "grad_ratio_init": ratio_init,
        "grad_ratio_final": ratio_final,
        "loss_final": float(loss),
        "test_accuracy_final": math.nan if accuracy is None else float(accuracy),
        "diverged": 1.0 if diverged else 0.0,
    }


def run_task(config_data: dict[str, Any], steps: int) -> dict[str, float]:
    """One (point, seed) task: picklable in and out, importable on any worker."""
    return run_one(ExperimentConfig.from_dict(config_data), steps)


def _median(values: Iterable[float]) -> float:
    finite = [v for v in values if not math.isnan(v)]
    return float(np.median(finite)) if finite else math.nan


def point_row(spec: SweepSpec, point: Point, runs: Sequence[Mapping[str, float]]) -> dict[str, Any]:
    """The row of one grid point: the varied values, medians over seeds (diverged seeds left
    out of the measures, counted in ``diverged_fraction``) and the theory's columns (None where
    it has no prediction)."""
    row: dict[str, Any] = dict(zip(spec.fields, point.values, strict=True))
    for name in MEASURED[:-1]:
        row[name] = _median(r[name] for r in runs)
    row["diverged_fraction"] = float(np.mean([r["diverged"] for r in runs]))
    mf = predict(spec.config(point))
    row["chi1"], row["q_star"], row["depth_scale"] = mf.chi1, mf.q_star, mf.depth_scale
    return row


# -- running on an executor -----------------------------------------------------------------
ProgressFn = Callable[[int, int], None]


def run_sweep(
    spec: SweepSpec,
    executor: cf.Executor,
    on_row: Callable[[dict[str, Any]], None],
    *,
    skip: Iterable[tuple[Any, ...]] = (),
    should_stop: Callable[[], bool] | None = None,
    on_progress: ProgressFn | None = None,
    poll_s: float = 0.2,
) -> int:
    """Submit every (point, seed) of ``spec`` not in ``skip`` to ``executor`` and call
    ``on_row(row)`` as each point's last seed finishes.  Stops early, cancelling what has not
    started, when ``should_stop()`` turns true or on KeyboardInterrupt (re-raised).  Returns
    the number of rows delivered."""
    skipped = {tuple(k) for k in skip}
    todo = [p for p in spec.points() if p.key not in skipped]
    total = len(todo)
    futures: dict[cf.Future[dict[str, float]], tuple[int, int]] = {}
    results: list[list[dict[str, float] | None]] = [[None] * spec.seeds for _ in todo]
    # seeds inner-most, points in grid order: the first rows arrive early and the grid fills evenly
    for i, point in enumerate(todo):
        for s in range(spec.seeds):
            fut = executor.submit(run_task, spec.config(point, s).to_dict(), spec.steps)
            futures[fut] = (i, s)
    done_rows = 0
    pending = set(futures)
    if on_progress is not None:
        on_progress(0, total)
    try:
        while pending:
            if should_stop is not None and should_stop():
                break
            finished, pending = cf.wait(pending, timeout=poll_s, return_when=cf.FIRST_COMPLETED)
            for fut in finished:
                i, s = futures[fut]
                results[i][s] = fut.result()
                runs = results[i]
                if all(r is not None for r in runs):
                    on_row(point_row(spec, todo[i], [r for r in runs if r is not None]))
                    done_rows += 1
                    if on_progress is not None:
                        on_progress(done_rows, total)
    finally:
        for fut in pending:
            fut.cancel()
    return done_rows


# -- result files --------------------------------------------------------------------------------
def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return (
            repr(value) if math.isfinite(value) else ("nan" if math.isnan(value) else ("inf" if value > 0 else "-inf"))
        )
    return str(value)


def _json_safe(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return value


def _from_cell(text: str) -> float | None:
    if text == "":
        return None
    return float(text)


def _from_json(value: Any) -> float | None:
    if value is None:
        return None
    return float(value)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp's 0600, widened to what open() would give
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class ResultFile:
    """A sweep's rows on disk, as CSV (one row per grid point, appended as points finish; the
    sweep itself in the sidecar ``OUT.csv.json``) or JSON (rewritten atomically per point)."""

    def __init__(self, path: Path, spec: SweepSpec) -> None:
        suffix = path.suffix.lower()
        if suffix not in (".csv", ".json"):
            raise SweepError(f"--out must name a .csv or .json file; got {path}")
        self.path = path
        self.spec = spec
        self.is_csv = suffix == ".csv"
        self.sidecar = path.with_name(path.name + ".json") if self.is_csv else None
        self.columns = [*spec.fields, *MEASURES]
        self.rows: list[dict[str, Any]] = []

    # reading -------------------------------------------------------------------------------
    def _key(self, row: Mapping[str, Any]) -> tuple[Any, ...]:
        return tuple(row[f] for f in self.spec.fields)

    def load(self) -> list[dict[str, Any]]:
        """Rows already in the file (for resume); refuses a file from a different sweep."""
        if self.is_csv:
            assert self.sidecar is not None
            try:
                meta = json.loads(self.sidecar.read_text(encoding="utf-8"))
            except FileNotFoundError:
                raise SweepError(f"cannot resume: {self.sidecar} (the sweep's description) is missing") from None
            except (OSError, ValueError) as exc:
                raise SweepError(f"cannot resume: {self.sidecar} is unreadable ({exc})") from None
            self._check_same(meta.get("sweep"))
            rows = []
            try:
                with self.path.open(encoding="utf-8", newline="") as f:
                    reader = csv.DictReader(f)
                    if reader.fieldnames != self.columns:
                        raise SweepError(f"cannot resume: {self.path} has other columns than this sweep")
                    for raw in reader:
                        try:
                            rows.append(self._parse_csv_row(raw))
                        except (ValueError, KeyError, TypeError):
                            continue  # a row cut short by a kill: that point runs again
            except FileNotFoundError:
                return []
        else:
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                return []
            except (OSError, ValueError) as exc:
                raise SweepError(f"cannot resume: {self.path} is unreadable ({exc})") from None
            if not isinstance(data, dict):
                raise SweepError(f"cannot resume: {self.path} is not a sweep result")
            self._check_same(data.get("sweep"))
            rows = []
            for raw in data.get("rows", []):
                try:
                    rows.append(self._parse_json_row(raw))
                except (ValueError, KeyError, TypeError):
                    continue
        known = {self._key(r): r for r in rows}
        self.rows = list(known.values())
        return self.rows

    def _check_same(self, meta: Any) -> None:
        if meta != json.loads(json.dumps(self.spec.to_dict())):
            raise SweepError(
                f"cannot resume: {self.path} holds a different sweep (fields, values, seeds, steps or base config)"
            )

    def _parse_csv_row(self, raw: Mapping[str, str]) -> dict[str, Any]:
        row: dict[str, Any] = {}
        for axis in self.spec.axes:
            text = raw[axis.field]
            value = parse_value(axis.field, text)
            if value not in axis.values:
                raise ValueError(text)
            row[axis.field] = value
        for name in MEASURES:
            row[name] = _from_cell(raw[name])
        return row

    def _parse_json_row(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        row: dict[str, Any] = {}
        for axis in self.spec.axes:
            if raw[axis.field] not in axis.values:
                raise ValueError(raw[axis.field])
            row[axis.field] = raw[axis.field]
        for name in MEASURES:
            row[name] = _from_json(raw[name])
        return row

    # writing -------------------------------------------------------------------------------
    def meta(self, config_record: dict[str, Any] | None = None) -> dict[str, Any]:
        return {"format": "backprop-lab sweep", "version": FORMAT_VERSION, "sweep": self.spec.to_dict()}

    def start(self, resume: bool) -> None:
        """Begin the file: on resume keep (and tidy) what is there, else start empty."""
        if not resume:
            self.rows = []
        if self.is_csv:
            assert self.sidecar is not None
            # the sidecar carries the base config, as every export's does
            sidecar = sweep_record(self.spec)
            atomic_write(self.sidecar, json.dumps(sidecar, indent=2) + "\n")
            atomic_write(self.path, self._csv_text(self.rows))
        else:
            self._write_json()

    def _csv_text(self, rows: Sequence[Mapping[str, Any]]) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(self.columns)
        for row in rows:
            w.writerow([_cell(row[c]) for c in self.columns])
        return buf.getvalue()

    def _write_json(self) -> None:
        data = {
            **self.meta(),
            "config": self.spec.base.to_dict(),
            "columns": self.columns,
            "rows": [{c: _json_safe(r[c]) for c in self.columns} for r in self.rows],
        }
        atomic_write(self.path, json.dumps(data, indent=1) + "\n")

    def add(self, row: dict[str, Any]) -> None:
        """Keep one finished point: appended (CSV, flushed to disk) or rewritten (JSON)."""
        self.rows.append(row)
        if self.is_csv:
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\n").writerow([_cell(row[c]) for c in self.columns])
            with self.path.open("a", encoding="utf-8", newline="") as f:
                f.write(buf.getvalue())
                f.flush()
                os.fsync(f.fileno())
        else:
            self._write_json()

    def finish(self) -> None:
        """Rewrite the rows in grid order (atomically)."""
        order = {p.key: i for i, p in enumerate(self.spec.points())}
        self.rows.sort(key=lambda r: order.get(self._key(r), len(order)))
        if self.is_csv:
            atomic_write(self.path, self._csv_text(self.rows))
        else:
            self._write_json()

    def done_keys(self) -> set[tuple[Any, ...]]:
        return {self._key(r) for r in self.rows}


def sweep_record(spec: SweepSpec, measure: str | None = None) -> dict[str, Any]:
    """What a sweep's exports carry: the base config (``--config`` reads it) and the sweep."""
    record: dict[str, Any] = {
        "format": "backprop-lab sweep",
        "version": FORMAT_VERSION,
        "config": spec.base.to_dict(),
        "sweep": spec.to_dict(),
    }
    if measure is not None:
        record["measure"] = measure
    return record


def rows_to_csv(spec: SweepSpec, rows: Sequence[Mapping[str, Any]]) -> str:
    """CSV text of ``rows`` (as the CLI writes it), for exports."""
    rf = ResultFile(Path("x.csv"), spec)
    return rf._csv_text(rows)


# -- the local process pool ------------------------------------------------------------------------
BLAS_ENV = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def _quiet_worker() -> None:
    """Pool worker start-up: Ctrl+C is the parent's to handle (it stops the sweep cleanly)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def local_executor(workers: int | None = None) -> cf.ProcessPoolExecutor:
    """A process pool of ``workers`` (default: the cores), one BLAS thread each, started with
    ``spawn`` (safe from a process that runs Qt)."""
    import multiprocessing

    n = workers or os.cpu_count() or 1
    for name in BLAS_ENV:  # inherited by the workers: one BLAS thread per worker process
        os.environ.setdefault(name, "1")
    return cf.ProcessPoolExecutor(
        max_workers=n, mp_context=multiprocessing.get_context("spawn"), initializer=_quiet_worker
    )


def stop_executor(executor: cf.Executor) -> None:
    """Stop at once: cancel what waits and end the pool's worker processes (their current
    points are lost; finished ones are already written)."""
    if isinstance(executor, cf.ProcessPoolExecutor):
        processes = list((getattr(executor, "_processes", None) or {}).values())
        executor.shutdown(wait=False, cancel_futures=True)
        for proc in processes:
            if proc.is_alive():
                proc.terminate()
        for proc in processes:
            proc.join(timeout=5)
    else:
        executor.shutdown(wait=False, cancel_futures=True)


class Progress:
    """Points done, rate and ETA, as one line for a terminal."""

    def __init__(self) -> None:
        self.start = time.monotonic()

    def line(self, done: int, total: int) -> str:
        elapsed = time.monotonic() - self.start
        pct = 100.0 * done / total if total else 100.0
        if done:
            eta = elapsed / done * (total - done)
            rate = f"{elapsed / done:.2f} s/point, ETA {_duration(eta)}"
        else:
            rate = "ETA …"
        return f"sweep: {done}/{total} points ({pct:.0f} %), {_duration(elapsed)} elapsed, {rate}"


def _duration(s: float) -> str:
    s = max(0.0, s)
    if s < 60:
        return f"{s:.0f}s"
    if s < 3600:
        return f"{int(s // 60)}m{int(s % 60):02d}s"
    return f"{int(s // 3600)}h{int(s % 3600 // 60):02d}m"


class SerialExecutor(cf.Executor):
    """Runs each task at once in the calling thread (tests, and sweeps too small for a pool)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> cf.Future[Any]:
        fut: cf.Future[Any] = cf.Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except Exception as exc:
            fut.set_exception(exc)
        return fut
