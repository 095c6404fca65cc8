"""``backprop-lab sweep``: a parameter sweep from the command line (see model/sweep/).

    backprop-lab sweep [--config F | --scene NAME] [--set FIELD=VALUE]...
        --vary FIELD=V1,V2|FIELD=START:STOP:N[:log] [--vary ...] [--seeds K] [--steps N]
        --out OUT.csv|OUT.json [--plot OUT.png [--measure M]] [--workers W] [--scheduler tcp://HOST:PORT]
        [--resume] [--force]

Bad fields or values exit 2 with one line on stderr.  Ctrl+C stops cleanly: finished points
stay in the output, ``--resume`` runs the rest.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, NoReturn

from app.config_io import load_config_file
from model import ConfigError, ExperimentConfig
from model.scenes import Scene, load_scene
from model.sweep import (
    MEASURES,
    Progress,
    ResultFile,
    SweepError,
    SweepSpec,
    local_executor,
    parse_vary,
    plan,
    run_sweep,
    stop_executor,
    with_sets,
)

PROG = "backprop-lab sweep"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{PROG}: error: {message}\n")
        raise SystemExit(2)


def _count(lo: int, hi: int):  # type: ignore[no-untyped-def]
    def parse(text: str) -> int:
        try:
            n = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
        if not lo <= n <= hi:
            raise argparse.ArgumentTypeError(f"must be in [{lo}, {hi}], got {n}")
        return n

    return parse


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog=PROG, description="Train a grid of configs and write one row per grid point.")
    src = p.add_mutually_exclusive_group()
    src.add_argument("--config", type=Path, help="base config (JSON, or a PNG exported by the app)")
    src.add_argument("--scene", help="base config (and, for a sweep scene, its grid) from a bundled scene")
    p.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE", help="change the base config")
    p.add_argument(
        "--vary", action="append", default=[], metavar="FIELD=V1,V2|START:STOP:N[:log]", help="a swept field (1 or 2)"
    )
    p.add_argument("--seeds", type=_count(1, 100), help="seeds per grid point (median over them; default 1)")
    p.add_argument("--steps", type=_count(0, 1_000_000), help="training steps per run (0: at initialisation)")
    p.add_argument("--out", type=Path, required=True, help="results: .csv (one row per point) or .json")
    p.add_argument("--plot", type=Path, help="also draw the phase diagram (or curve) to this PNG")
    p.add_argument("--measure", help="the measure --plot draws (default: the scene's, else grad_ratio_init)")
    p.add_argument("--workers", type=_count(1, 1024), help="local worker processes (default: the cores)")
    p.add_argument("--scheduler", help="run on a Dask distributed cluster, e.g. tcp://10.0.0.5:8786")
    p.add_argument("--resume", action="store_true", help="keep the points already in --out and run the rest")
    p.add_argument("--force", action="store_true", help="overwrite existing output files")
    return p


def _spec(args: argparse.Namespace, parser: argparse.ArgumentParser) -> tuple[SweepSpec, Scene | None]:
    scene: Scene | None = None
    base = ExperimentConfig()
    try:
        if args.config is not None:
            base = load_config_file(args.config)
        elif args.scene is not None:
            scene = load_scene(args.scene)
            if scene.sweep is None and len(scene.runs) > 1:
                parser.error(f"scene {scene.name} has {len(scene.runs)} runs; a sweep starts from one config")
            base = scene.runs[0].config
    except ConfigError as exc:
        parser.error(str(exc))
    varies = list(args.vary)
    seeds, steps = args.seeds, args.steps
    try:
        if scene is not None and scene.sweep is not None:
            # a sweep scene brings its grid, seeds and steps; options given here override them
            axes = tuple(parse_vary(v) for v in varies) if varies else scene.sweep.axes
            seeds = seeds if seeds is not None else scene.sweep.seeds
            steps = steps if steps is not None else scene.sweep.steps
            spec = SweepSpec(with_sets(base, args.set), axes, seeds, steps)
        else:
            if not varies:
                parser.error("give at least one --vary FIELD=V1,V2,... or FIELD=START:STOP:N[:log]")
            spec = plan(base, args.set, varies, seeds or 1, steps or 0)
    except SweepError as exc:
        parser.error(str(exc))
    return spec, scene


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    spec, scene = _spec(args, parser)
    if args.resume and args.force:
        parser.error("give --resume or --force, not both")
    if args.scheduler is not None and args.workers is not None:
        parser.error("--workers sizes the local pool; a --scheduler's cluster has its own workers")
    out: Path = args.out
    try:
        result = ResultFile(out, spec)
    except SweepError as exc:
        parser.error(str(exc))
    outputs = [out] + ([result.sidecar] if result.sidecar is not None else [])
    if args.plot is not None:
        if args.plot.suffix.lower() != ".png":
            parser.error(f"--plot must name a .png file, got {args.plot}")
        outputs += [args.plot, args.plot.with_name(args.plot.name + ".json")]
    measure = args.measure or (
        scene.sweep_measure if scene is not None and scene.sweep is not None else "grad_ratio_init"
    )
    if measure not in MEASURES:
        parser.error(f"--measure must be one of {', '.join(MEASURES)}; got {measure!r}")
    for path in outputs:
        if not path.parent.exists():
            parser.error(f"folder {path.parent} does not exist")
        if path.exists() and not args.force and not (args.resume and path in (out, result.sidecar)):
            parser.error(f"{path} exists; pass --force to overwrite it (or --resume to continue a sweep)")
    if args.resume:
        try:
            result.load()
        except SweepError as exc:
            parser.error(str(exc))
    executor: Any
    client: Any = None
    if args.scheduler is not None:
        try:
            from distributed import Client
        except ImportError:
            parser.error("--scheduler needs Dask distributed: pip install 'backprop-lab[cluster]'")
        try:
            client = Client(args.scheduler, timeout="10s")  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError, ValueError) as exc:
            parser.error(f"cannot reach the scheduler {args.scheduler}: {exc}")
        executor = client.get_executor()
    else:
        executor = local_executor(args.workers)
    result.start(resume=args.resume)
    done_before = len(result.rows)
    progress = Progress()
    tty = sys.stderr.isatty()
    last = [0.0]

    def report(done: int, total: int) -> None:
        import time

        now = time.monotonic()
        if tty:
            sys.stderr.write("\r" + progress.line(done, total) + "\x1b[K")
            sys.stderr.flush()
        elif done == total or now - last[0] >= 5.0:
            sys.stderr.write(progress.line(done, total) + "\n")
            last[0] = now

    interrupted = False
    try:
        run_sweep(spec, executor, result.add, skip=result.done_keys(), on_progress=report)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        if interrupted:
            stop_executor(executor)
        else:
            executor.shutdown(wait=True)
        if client is not None:
            client.close()
        if tty:
            sys.stderr.write("\n")
    total = len(spec.points())
    have = len(result.rows)
    if interrupted:
        sys.stderr.write(f"{PROG}: stopped: {have} of {total} points are in {out}; --resume runs the rest\n")
        return 130
    result.finish()
    written_files = [str(out)] + ([str(result.sidecar)] if result.sidecar is not None else [])
    if args.plot is not None:
        from app.sweep_plot import PlotError, plot_png

        try:
            plot_png(
                spec,
                result.rows,
                measure,
                args.plot,
                force=args.force,
                scene=scene if scene is not None and scene.sweep is not None else None,
            )
        except PlotError as exc:
            sys.stderr.write(f"{PROG}: error: {exc}\n")
            return 2
        written_files.append(str(args.plot))
    resumed = f" ({done_before} kept from before)" if done_before else ""
    print(f"wrote {', '.join(written_files)}: {have} points{resumed}, {spec.seeds} seed(s), {spec.steps} steps")
    return 0
