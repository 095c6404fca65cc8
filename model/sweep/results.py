"""A sweep's rows on disk (CSV or JSON), written as points finish so that a killed sweep keeps
what it had and ``resume`` skips finished points."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from model.sweep.spec import FORMAT_VERSION, MEASURES, SweepError, SweepSpec, parse_value


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
