"""One line of setup for every lesson (learntools' `binder.bind(globals())` was the model):

    from collapse_lab.lesson import *
    start("01")

The import brings the names every lesson uses (np, plt, display, simulate, the worlds, models and
gates, and the modules plots, metrics, worlds, lessons, dashboards, ...), plus predict and reveal.
`start` sets the course's figure style, installs the out-of-order help and prints the version.

Out-of-order help: a notebook's cells depend on the cells above them. Running a cell whose inputs
were never computed would end in a bare `NameError`; with the help installed, the error is one
line that names the section (and the first line of the cell) that makes the missing name.
The help reads the notebook's own .ipynb to find where each name is made; where the notebook
file cannot be found (Colab), the line says to run the cells above.
"""
import ast
import glob
import json
import os
import re
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display

import collapse_lab
from collapse_lab import *  # noqa: F401,F403 -- the package's public names, on purpose
from collapse_lab import dashboards, gates, lessons, metrics, plots, worlds
from collapse_lab.lessons import capstone, provenance
from collapse_lab.exercises import predict, reveal

__all__ = (["np", "plt", "display", "collapse_lab", "dashboards", "gates", "metrics", "lessons",
            "capstone", "provenance", "worlds", "plots", "predict", "reveal", "start"] + list(collapse_lab.__all__))


def start(lesson, *, notebook=None, style=None, shell=None):
    """Set up a lesson: figure style, out-of-order help, and one line with the version.

    lesson: the notebook's number as text ("01"), used to find its .ipynb for the help.
    notebook: the notebook's path, if it is not in the working directory (tests pass it).
    style: a preset for plots.style (None: the default style).
    """
    plots.style() if style is None else plots.style(style)
    if shell is None:
        from IPython import get_ipython
        shell = get_ipython()
    where = install_help(lesson, notebook=notebook, shell=shell)
    note = " (notebook file not found: the out-of-order help gives general hints)" if shell and not where else ""
    print(f"collapse_lab {collapse_lab.__version__} · lesson {lesson} ready{note}")


# --- out-of-order help ------------------------------------------------------------------------

class _Assigned(ast.NodeVisitor):
    """The names a cell makes at top level: assignments, loops, imports, defs (not their bodies)."""

    def __init__(self):
        self.names = []

    def _targets(self, node):
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name):
                self.names.append(sub.id)

    def visit_Assign(self, node):
        for target in node.targets:
            self._targets(target)

    def visit_AugAssign(self, node):
        self._targets(node.target)

    def visit_AnnAssign(self, node):
        self._targets(node.target)

    def visit_For(self, node):
        self._targets(node.target)
        self.generic_visit(node)

    def visit_With(self, node):
        for item in node.items:
            if item.optional_vars is not None:
                self._targets(item.optional_vars)
        self.generic_visit(node)

    def visit_Import(self, node):
        self.names += [(a.asname or a.name).split(".")[0] for a in node.names]

    def visit_ImportFrom(self, node):
        self.names += [a.asname or a.name for a in node.names if a.name != "*"]
        if node.module == __name__ and any(a.name == "*" for a in node.names):
            self.names += __all__  # the lesson setup line itself

    def visit_FunctionDef(self, node):
        self.names.append(node.name)

    visit_AsyncFunctionDef = visit_ClassDef = visit_FunctionDef

    def visit_Lambda(self, node):
        pass

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = visit_Lambda


def _code(source):
    """A cell's source as Python: IPython magics (%pip, !ls) become `pass`, keeping indentation."""
    return "\n".join(re.sub(r"^(\s*)[%!].*$", r"\1pass", line) for line in source.splitlines())


def name_map(notebook):
    """{name: (section title, first line of the cell)} for the first code cell that makes each name."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    section, where = "Setup, at the top", {}
    for cell in cells:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            headings = re.findall(r"^#{2,3}\s+(.+)$", source, flags=re.M)  # sections, not the title
            section = headings[-1].strip() if headings else section
            continue
        try:
            tree = ast.parse(_code(source))
        except SyntaxError:
            continue
        visitor = _Assigned()
        visitor.visit(tree)
        first = next((line.strip() for line in source.splitlines() if line.strip() and not line.lstrip().startswith("#")), "")
        for name in visitor.names:
            where.setdefault(name, (section, first))
    return where


def find_notebook(lesson, notebook=None):
    """The lesson's .ipynb: given, named by the Jupyter server (JPY_SESSION_NAME), or in the working directory."""
    candidates = [notebook, os.environ.get("JPY_SESSION_NAME")]
    candidates += sorted(glob.glob(f"{lesson}_*.ipynb")) + sorted(glob.glob(f"notebooks/{lesson}_*.ipynb"))
    for path in candidates:
        if path and path.endswith(".ipynb") and os.path.isfile(path):
            return path
    return None


def help_line(name, where):
    """The one line shown for a NameError on `name`."""
    if where is None:
        return (f"NameError: '{name}' is not defined yet. If an earlier cell of this lesson makes it, "
                "run the cells above this one first (Run ▸ Run All Above Selected Cell).")
    section, first = where
    return (f"NameError: '{name}' is not defined yet. It is made in section \"{section}\", "
            f"in the cell that starts `{first[:60]}`: run that cell first (or Run ▸ Run All Above Selected Cell).")


def install_help(lesson, *, notebook=None, shell=None):
    """Install the out-of-order help in IPython; returns the notebook path it reads, or None."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return None
        shell = get_ipython()
    if shell is None:  # plain Python: nothing to install
        return None
    path = find_notebook(lesson, notebook)
    names = name_map(path) if path else None

    def handler(shell, etype, value, tb, tb_offset=None):
        name = getattr(value, "name", None) or (re.findall(r"'(\w+)'", str(value)) or [""])[0]
        if names is not None and name not in names:  # not a lesson name (a typo?): the usual traceback
            shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
            return None
        line = help_line(name, names.get(name) if names is not None else None)
        value._render_traceback_ = lambda: [line]  # IPython shows this instead of the traceback
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
        return [line]

    shell.set_custom_exc((NameError,), handler)
    return path
