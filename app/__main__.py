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
    p.add_argument("--force", action="store_true", help="overwrite an existing screenshot file")
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
    if args.steps is not None and args.screenshot is None:
        parser.error("--steps needs --screenshot (headless mode)")
    if args.screenshot is not None:
        out: Path = args.screenshot
        if out.suffix.lower() != ".png":
            parser.error(f"--screenshot must name a .png file, got {out}")
        if out.exists() and not args.force:
            parser.error(f"{out} exists; pass --force to overwrite it")
        if not out.parent.exists():
            parser.error(f"folder {out.parent} does not exist")
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        steps = args.steps or (scene.steps if scene is not None else 200)
        return _headless(config, steps, out, args.size, scene)
    return _interactive(config, scene)


def _headless(config: ExperimentConfig, steps: int, out: Path, size: tuple[int, int], scene: Scene | None) -> int:
    from app.headless import save_screenshot, train_into_window
    from app.main_window import MainWindow, make_application

    app = make_application()
    window: Any
    if scene is not None and len(scene.runs) > 1:
        from app.compare_window import open_scene_compare, train_compare_offline

        window = open_scene_compare(scene, None)
        train_fn = lambda: train_compare_offline(window, steps)  # noqa: E731
    else:
        window = MainWindow(config, controller=None)
        window.set_scene(scene)
        train_fn = lambda: train_into_window(window, config, steps)  # noqa: E731
    try:
        train_fn()
        save_screenshot(window, out, size)
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
    print(f"wrote {out} ({size[0]}x{size[1]}) after {steps} steps")
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
