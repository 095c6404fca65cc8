"""model/ is the pure-NumPy engine: it must never import Qt or pyqtgraph, directly or not."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "model"
FORBIDDEN = ("PySide6", "PySide2", "PyQt5", "PyQt6", "shiboken6", "shiboken2", "pyqtgraph", "qtpy")


def _model_modules() -> list[str]:
    mods = []
    for path in sorted(MODEL.rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        mods.append(".".join(parts))
    return mods


def _is_forbidden(module: str) -> bool:
    return module.split(".")[0] in FORBIDDEN


def forbidden_imports(source: str, filename: str = "<src>") -> list[str]:
    """Every forbidden module named by an import statement, importlib.import_module() or
    __import__() call in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if _is_forbidden(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if _is_forbidden(node.module):
                found.append(node.module)
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            arg = node.args[0]
            if (
                name in ("import_module", "__import__")
                and isinstance(arg, ast.Constant)
                and isinstance(arg.value, str)
                and _is_forbidden(arg.value)
            ):
                found.append(arg.value)
    return found


def test_model_package_is_found() -> None:
    mods = _model_modules()
    assert "model" in mods and "model.trainer" in mods and "model.network" in mods
    assert len(mods) >= 10


def test_importing_every_model_module_loads_no_qt() -> None:
    code = (
        "import importlib, json, sys\n"
        f"mods = {_model_modules()!r}\n"
        "for m in mods:\n"
        "    importlib.import_module(m)\n"
        f"bad = sorted(k for k in sys.modules if k.split('.')[0] in {FORBIDDEN!r})\n"
        "print(json.dumps({'bad': bad, 'loaded': [m for m in mods if m in sys.modules]}))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["loaded"] == _model_modules()
    assert result["bad"] == []


def test_the_subprocess_check_would_see_qt() -> None:
    # the detection itself works: importing pyqtgraph/PySide6 does show up in sys.modules
    pytest.importorskip("PySide6")
    code = f"import sys, PySide6.QtCore\nprint(sorted(k for k in sys.modules if k.split('.')[0] in {FORBIDDEN!r}))\n"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "PySide6" in proc.stdout


def test_no_model_source_imports_qt() -> None:
    offenders = {}
    for path in sorted(MODEL.rglob("*.py")):
        found = forbidden_imports(path.read_text(encoding="utf-8"), str(path))
        if found:
            offenders[str(path.relative_to(ROOT))] = found
    assert offenders == {}


CAUGHT = [
    "import PySide6",
    "from PySide6.QtCore import QObject",
    "import pyqtgraph as pg",
    "from PyQt5 import QtWidgets",
    "import PyQt6.QtGui",
    "import shiboken6",
    "def f():\n    import pyqtgraph\n",
    "import importlib\nimportlib.import_module('PySide6.QtWidgets')",
    "__import__('PyQt6')",
    "try:\n    from PySide6 import QtCore\nexcept ImportError:\n    pass",
]
HARMLESS = [
    "import numpy as np",
    "from model.config import ExperimentConfig",
    "x = 'PySide6'",
    "from . import qt",
]


def test_static_scan_catches_every_import_form_and_nothing_else() -> None:
    for source in CAUGHT:
        assert forbidden_imports(source), source
    for source in HARMLESS:
        assert forbidden_imports(source) == [], source
