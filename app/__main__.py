"""Command line: ``backprop-lab`` (or ``python -m app``)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

from app.config_io import load_config_file
from app.prefs import THEMES
from model import ConfigError, ExperimentConfig
from model.scenes import SPEED_RANGE, Scene, list_scenes, load_scene
from views.theme import SCALE_MAX, SCALE_MIN

VIEW_NAMES = ("network", "gradients", "activations", "loss", "output", "activation_function")


def _say_error(message: str) -> None:
    """One line on stderr: control characters a file name or value may carry (a newline in
    an argument) are shown escaped."""
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in message)
    sys.stderr.write(f"backprop-lab: error: {text}\n")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # one clear line, no usage dump, exit status 2
        _say_error(message)
        raise SystemExit(2)


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must look like 1920x1080, got {text!r}") from None
    if not (64 <= w <= 8192 and 64 <= h <= 8192):
        raise argparse.ArgumentTypeError(f"size must be between 64x64 and 8192x8192, got {text!r}")
    return w, h


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {n}")
    return n


def _fps(text: str) -> int:
    n = _positive(text)
    if n > 60:
        raise argparse.ArgumentTypeError(f"must be between 1 and 60 frames per second, got {n}")
    return n


def _duration(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number of seconds, got {text!r}") from None
    if not (0 < value <= 600):
        raise argparse.ArgumentTypeError(f"must be between 0 and 600 seconds, got {text}")
    return value


def _scale(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number such as 1.5, got {text!r}") from None
    if not (SCALE_MIN <= value <= SCALE_MAX):
        raise argparse.ArgumentTypeError(f"must be between {SCALE_MIN} and {SCALE_MAX}, got {text}")
    return value


def _speed(text: str) -> float | None:
    """``max`` (as fast as possible) or steps per second within the scenes' range."""
    if text.strip().lower() == "max":
        return None
    lo, hi = SPEED_RANGE
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be steps per second such as 30, or max; got {text!r}") from None
    if not (lo <= value <= hi):
        raise argparse.ArgumentTypeError(f"must be between {lo:g} and {hi:g} steps per second (or max), got {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="backprop-lab", description="Watch gradients vanish and explode, live.")
    p.add_argument("--config", type=Path, help="start from a saved ExperimentConfig (JSON)")
    p.add_argument("--scene", help="open a bundled scene by name (see --list-scenes)")
    p.add_argument("--list-scenes", action="store_true", help="print the bundled scenes and exit")
    p.add_argument("--steps", type=_positive, help="train this many steps headless (with --screenshot)")
    p.add_argument("--screenshot", type=Path, help="render the window to this PNG and exit")
    p.add_argument("--size", type=_size, default=(1920, 1080), help="screenshot size WxH (default 1920x1080)")
    p.add_argument("--view", choices=VIEW_NAMES, help="with --screenshot: render only this view")
    p.add_argument("--metrics", type=Path, help="after headless training, write per-step statistics (.csv or .json)")
    p.add_argument("--record", type=Path, help="train headless and record the window to this .mp4 or .gif")
    p.add_argument("--fps", type=_fps, default=30, help="frames per second of --record (default 30)")
    p.add_argument("--duration", type=_duration, default=10.0, help="seconds of --record (default 10)")
    p.add_argument("--force", action="store_true", help="overwrite existing output files")
    p.add_argument("--theme", choices=THEMES, help="light or dark (high contrast; plots included)")
    p.add_argument("--lang", help="user interface language: en or zh_CN")
    p.add_argument(
        "--speed",
        type=_speed,
        default=argparse.SUPPRESS,
        help="training speed in steps per second, or max (default: the scene's recommended pace)",
    )
    p.add_argument("--scale", type=_scale, help=f"text and line scale, {SCALE_MIN} to {SCALE_MAX} (default 1)")
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["sweep"]:
        from app.sweep_cli import main as sweep_main

        return sweep_main(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.list_scenes:
        for name in list_scenes():
            listed = load_scene(name)
            if listed.sweep is not None:
                grid = "×".join(str(n) for n in listed.sweep.shape)
                print(
                    f"{name:20s} {listed.title}  [phase diagram {grid} × {listed.sweep.seeds} seed(s): sweep --scene]"
                )
                continue
            print(f"{name:20s} {listed.title}  [{len(listed.runs)} run(s), {listed.steps} steps]")
        return 0
    scene: Scene | None = None
    if args.scene and args.config:
        parser.error("give either --scene or --config, not both")
    try:
        config = load_config_file(args.config) if args.config else ExperimentConfig()
        if args.scene:
            scene = load_scene(args.scene)
            config = scene.runs[0].config
    except ConfigError as exc:
        parser.error(str(exc))
    if args.lang is not None:
        from app.i18n import check

        try:
            args.lang = check(args.lang)
        except ValueError as exc:
            parser.error(f"--lang: {exc}")
    headless = args.screenshot is not None or args.metrics is not None or args.record is not None
    if args.steps is not None and not headless:
        parser.error("--steps needs --screenshot, --record or --metrics (headless mode)")
    if args.view is not None and args.screenshot is None:
        parser.error("--view needs --screenshot")
    multi_run = scene is not None and len(scene.runs) > 1
    if multi_run:
        from app.compare_cli import check_view

        problem = check_view(args.view)
        if problem is not None:
            parser.error(problem)
    outputs: list[Path] = []
    if args.screenshot is not None:
        if args.screenshot.suffix.lower() != ".png":
            parser.error(f"--screenshot must name a .png file, got {args.screenshot}")
        outputs += [args.screenshot, args.screenshot.with_name(args.screenshot.name + ".json")]
    if args.metrics is not None:
        if args.metrics.suffix.lower() not in (".csv", ".json"):
            parser.error(f"--metrics must name a .csv or .json file, got {args.metrics}")
        outputs.append(args.metrics)
        if args.metrics.suffix.lower() == ".csv":
            outputs.append(args.metrics.with_name(args.metrics.name + ".json"))
    if args.record is not None:
        if args.record.suffix.lower() not in (".mp4", ".gif"):
            parser.error(f"--record must name a .mp4 or .gif file, got {args.record}")
        outputs += [args.record, args.record.with_name(args.record.name + ".json")]
    for out in outputs:
        if out.is_dir():
            parser.error(f"{out} is a directory; give a file name")
        if out.exists() and not args.force:
            parser.error(f"{out} exists; pass --force to overwrite it")
        if not out.parent.is_dir():
            parser.error(f"folder {out.parent} does not exist")
        if not os.access(out.parent, os.W_OK):
            parser.error(f"cannot write in folder {out.parent} (read-only or no permission)")
    if headless and scene is not None and scene.sweep is not None:
        hint = f"backprop-lab sweep --scene {scene.name} --out OUT.csv --plot OUT.png"
        parser.error(f"scene {scene.name} is a phase diagram: {hint}")
    if headless:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        steps = args.steps or (scene.steps if scene is not None else 200)
        return _headless(config, steps, args, scene)
    explicit = args.config is not None or args.scene is not None
    return _interactive(config if explicit else None, scene, args)


def _headless(config: ExperimentConfig, steps: int, args: argparse.Namespace, scene: Scene | None) -> int:
    from app.export import ExportError, metrics_csv, metrics_json, render_png
    from app.headless import standalone_view, train_into_window
    from app.main_window import MainWindow, make_application

    try:
        app = make_application(theme_name=args.theme or "light", scale=args.scale or 1.0, language=args.lang or "en")
    except ValueError as exc:
        _say_error(str(exc))
        return 2
    from app.qt_messages import silence_platform_noise

    silence_platform_noise()
    if scene is not None and len(scene.runs) > 1:
        from app.compare_cli import run_compare_headless

        try:
            parts = run_compare_headless(app, scene, steps, args)
        except ExportError as exc:
            _say_error(str(exc))
            return 2
        print(f"wrote {', '.join(parts)} after {steps} steps")
        return 0
    size: tuple[int, int] = args.size
    window: Any = MainWindow(config, controller=None)
    window.presentation.set_scene(scene)

    def train_fn() -> None:
        train_into_window(window, config, steps)

    written: list[str] = []
    try:
        if args.record is not None:
            from app.recording import record_run

            result = record_run(
                window, config, steps, args.record, fps=args.fps, duration_s=args.duration, size=size, force=args.force
            )
            written.append(f"{args.record} ({result.frames} frames at {result.fps} fps)")
        else:
            train_fn()
        if args.screenshot is not None:
            target = window
            if args.view is None:
                window.resize(*size)
                window.show()
                for _ in range(3):
                    app.processEvents()
            else:
                # one view on its own, laid out at the picture's shape (at most 1600 px wide,
                # then rendered larger: fonts and lines scale with the picture)
                shrink = max(1.0, size[0] / 1600)
                target = standalone_view(window, args.view, (round(size[0] / shrink), round(size[1] / shrink)))
            record = window.config_record() if hasattr(window, "config_record") else config.to_dict()
            render_png(target, args.screenshot, size=size, force=args.force, config=record)
            if target is not window:
                target.close()
                target.deleteLater()
            written.append(f"{args.screenshot} ({size[0]}x{size[1]})")
        if args.metrics is not None:
            if args.metrics.suffix.lower() == ".json":
                metrics_json(window.history, args.metrics, force=args.force, config=config.to_dict())
            else:
                metrics_csv(window.history, args.metrics, force=args.force, config=config.to_dict())
            written.append(str(args.metrics))
    except ExportError as exc:
        _say_error(str(exc))
        return 2
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
    print(f"wrote {', '.join(written)} after {steps} steps")
    return 0


def _interactive(config: ExperimentConfig | None, scene: Scene | None, args: argparse.Namespace) -> int:
    import signal

    from PySide6 import QtCore

    from app.main_window import MainWindow, make_application
    from app.prefs import Prefs
    from app.worker import TrainingController

    prefs = Prefs.load()
    try:
        app = make_application(
            theme_name=args.theme or prefs.theme,
            scale=args.scale or prefs.scale,
            language=args.lang or prefs.language,
        )
    except ValueError as exc:
        _say_error(str(exc))
        return 2
    if config is None:
        # no --config or --scene: carry on with the last session's experiment
        config = prefs.config() or ExperimentConfig()
    controller = TrainingController()
    window = MainWindow(config, controller=controller, prefs=prefs)
    if prefs.geometry is None:
        window.resize(1920, 1080)
    window.show()
    from app.layout_fit import fit_to_screen

    fit_to_screen(window)  # a remembered or default size larger than this screen
    # Ctrl+C in the terminal closes the window cleanly (Python only sees signals between
    # Qt events, so a timer wakes it up regularly)
    signal.signal(signal.SIGINT, lambda *_: window.close())
    wake = QtCore.QTimer()
    wake.start(200)
    wake.timeout.connect(lambda: None)
    shown: Any = window
    if scene is not None:
        shown = window.open_scene(scene.name) or window
    if hasattr(args, "speed"):
        shown.set_speed(args.speed)
    code = app.exec()
    window.close()
    window.deleteLater()
    app.processEvents()
    return int(code)


if __name__ == "__main__":
    raise SystemExit(main())
