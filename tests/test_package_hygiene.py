"""The package as code: lessons rebuilt side by side must not silently override each other."""
import ast
from collections import Counter
from pathlib import Path

import pytest

MODULES = sorted((Path(__file__).resolve().parents[1] / "collapse_lab").rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_no_top_level_name_is_defined_twice(path):
    # two lessons once both defined dashboards._real_source: the later one silently replaced the
    # earlier, and notebook 01's explorer showed a control its text did not describe
    tree = ast.parse(path.read_text())
    names = Counter(node.name for node in tree.body
                    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)))
    assert not [name for name, count in names.items() if count > 1]


# --- the layout's import rules (DESIGN.md: engine → {worlds, figures} → explorers → lessons → exercises) ---

PACKAGE = Path(__file__).resolve().parents[1] / "collapse_lab"
# what each layer may import of the package; anything not named is forbidden
ALLOWED = {
    "engine": {"engine"},
    "worlds": {"engine", "worlds"},
    "figures": {"engine", "figures"},
    "explorers": {"engine", "worlds", "figures", "explorers"},
    "lessons": {"engine", "worlds", "figures", "explorers", "lessons"},
    "exercises": {"engine", "worlds", "lessons", "exercises"},
}
# the package's top: faces and entry points, which may import any layer
TOP = {"__init__.py", "__main__.py", "lesson.py", "plots.py", "dashboards.py"}
# libraries a layer must not reach for: the engine computes, figures draw, neither shows widgets
FORBIDDEN_LIBRARIES = {"engine": {"matplotlib", "ipywidgets", "IPython", "torch", "wordfreq"},
                       "worlds": {"matplotlib", "ipywidgets", "IPython"},
                       "figures": {"ipywidgets", "IPython"}}   # exercises: predict() is a slider, on purpose


def _imports(path, source=None):
    """(layer of the package it names, or None; top-level library name) for every import in a module."""
    tree = ast.parse(path.read_text() if source is None else source)
    layer = path.relative_to(PACKAGE).parts[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                found.append((parts[1] if parts[0] == "collapse_lab" and len(parts) > 1 else None, parts[0]))
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                parts = (node.module or "").split(".")
                if parts[0] == "collapse_lab":
                    targets = [parts[1]] if len(parts) > 1 else [a.name for a in node.names]
                    found += [(t, "collapse_lab") for t in targets]
                else:
                    found.append((None, parts[0]))
            else:
                # from . import x / from .x import y (inside a layer) / from .. import x / from ..x import y
                base = [] if node.level == 2 or path.parent == PACKAGE else [layer]
                parts = base + (node.module.split(".") if node.module else [])
                targets = [parts[0]] if parts else [a.name for a in node.names]
                found += [(t, "collapse_lab") for t in targets]
    return found


LAYERED = [p for p in sorted(PACKAGE.rglob("*.py")) if p.relative_to(PACKAGE).parts[0] in ALLOWED]


@pytest.mark.parametrize("path", LAYERED, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_each_layer_imports_only_the_layers_to_its_left(path):
    layer = path.relative_to(PACKAGE).parts[0]
    names = {p.stem for p in PACKAGE.iterdir()} | {"__version__"}
    wrong = sorted({target for target, _ in _imports(path)   # the version is everyone's to read
                    if target in names - {"__version__"} and target not in ALLOWED[layer]})
    assert not wrong, f"{path.relative_to(PACKAGE)} ({layer}) imports {wrong}; {layer} may import {sorted(ALLOWED[layer])}"
    libraries = sorted({lib for _, lib in _imports(path) if lib in FORBIDDEN_LIBRARIES.get(layer, ())})
    assert not libraries, f"{path.relative_to(PACKAGE)} ({layer}) imports {libraries}"


def test_the_package_top_holds_only_faces_and_entry_points():
    # a new module goes into the layer it belongs to (README, "Where things go")
    top = {p.name for p in PACKAGE.glob("*.py")}
    assert top == TOP, f"unexpected modules at the top: {sorted(top - TOP)}"
    layers = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert layers == set(ALLOWED), layers


def test_the_rules_catch_a_wrong_import():
    # the check itself can fail: an engine module that imports a world or matplotlib is caught
    loop = PACKAGE / "engine" / "loop.py"
    found = _imports(loop, loop.read_text() + "\nfrom ..worlds import Gaussian\nimport matplotlib\n")
    assert ("worlds", "collapse_lab") in found and (None, "matplotlib") in found
    assert ("worlds", "collapse_lab") not in _imports(loop)
