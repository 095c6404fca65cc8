"""Command line: ``backprop-lab`` (or ``python -m app``)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

from model import ConfigError, ExperimentConfig
from model.scenes import Scene, list_scenes, load_scene

VIEW_NAMES = ("network", "gradients", "activations", "loss", "output", "activation_function")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # one clear line, no usage dump, exit status 2
        sys.stderr.write(f"backprop-lab: error: {message}\n")
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
    p.add_argument("--force", action="store_true", help="overwrite existing output files")
    return p


def load_config_file(path: Path) -> ExperimentConfig:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror or exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid JSON: {exc.msg} (line {exc.lineno})") from None
    if isinstance(data, dict) and "config" in data and isinstance(data["config"], dict):
        data = data["config"]
    return ExperimentConfig.from_dict(data)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.list_scenes:
        for name in list_scenes():
            scene = load_scene(name)
            print(f"{name:20s} {scene.title}  [{len(scene.runs)} run(s), {scene.steps} steps]")
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
    headless = args.screenshot is not None or args.metrics is not None
    if args.steps is not None and not headless:
        parser.error("--steps needs --screenshot or --metrics (headless mode)")
    if args.view is not None and args.screenshot is None:
        parser.error("--view needs --screenshot")
    multi_run = scene is not None and len(scene.runs) > 1
    if multi_run and (args.view is not None or args.metrics is not None):
        parser.error(f"--view and --metrics need a single run; scene {scene.name} has {len(scene.runs)}")
    outputs: list[Path] = []
    if args.screenshot is not None:
        if args.screenshot.suffix.lower() != ".png":
            parser.error(f"--screenshot must name a .png file, got {args.screenshot}")
        outputs += [args.screenshot, args.screenshot.with_name(args.screenshot.name + ".json")]
    if args.metrics is not None:
        if args.metrics.suffix.lower() not in (".csv", ".json"):
            parser.error(f"--metrics must name a .csv or .json file, got {args.metrics}")
        outputs.append(args.metrics)
    for out in outputs:
        if out.exists() and not args.force:
            parser.error(f"{out} exists; pass --force to overwrite it")
        if not out.parent.exists():
            parser.error(f"folder {out.parent} does not exist")
    if headless:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        steps = args.steps or (scene.steps if scene is not None else 200)
        return _headless(config, steps, args, scene)
    return _interactive(config, scene)


def _headless(config: ExperimentConfig, steps: int, args: argparse.Namespace, scene: Scene | None) -> int:
    from app.export import ExportError, metrics_csv, metrics_json, render_png
    from app.headless import standalone_view, train_into_window
    from app.main_window import MainWindow, make_application

    app = make_application()
    size: tuple[int, int] = args.size
    window: Any
    if scene is not None and len(scene.runs) > 1:
        from app.compare_window import open_scene_compare, train_compare_offline

        window = open_scene_compare(scene, None)
        train_fn = lambda: train_compare_offline(window, steps)  # noqa: E731
    else:
        window = MainWindow(config, controller=None)
        window.set_scene(scene)
        train_fn = lambda: train_into_window(window, config, steps)  # noqa: E731
    written: list[str] = []
    try:
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
            render_png(target, args.screenshot, size=size, force=args.force, config=config.to_dict())
            if target is not window:
                target.close()
                target.deleteLater()
            written.append(f"{args.screenshot} ({size[0]}x{size[1]})")
        if args.metrics is not None:
            if args.metrics.suffix.lower() == ".json":
                metrics_json(window.history, args.metrics, force=args.force, config=config.to_dict())
            else:
                metrics_csv(window.history, args.metrics, force=args.force)
            written.append(str(args.metrics))
    except ExportError as exc:
        sys.stderr.write(f"backprop-lab: error: {exc}\n")
        return 2
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
    print(f"wrote {', '.join(written)} after {steps} steps")
    return 0


def _interactive(config: ExperimentConfig, scene: Scene | None) -> int:
    import signal

    from PySide6 import QtCore

    from app.main_window import MainWindow, make_application
    from app.worker import TrainingController

    app = make_application()
    controller = TrainingController()
    window = MainWindow(config, controller=controller)
    window.resize(1920, 1080)
    window.show()
    # Ctrl+C in the terminal closes the window cleanly (Python only sees signals between
    # Qt events, so a timer wakes it up regularly)
    signal.signal(signal.SIGINT, lambda *_: window.close())
    wake = QtCore.QTimer()
    wake.start(200)
    wake.timeout.connect(lambda: None)
    if scene is not None:
        window.open_scene(scene.name)
    code = app.exec()
    window.close()
    window.deleteLater()
    app.processEvents()
    return int(code)


if __name__ == "__main__":
    raise SystemExit(main())
