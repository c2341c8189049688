"""A lesson run the way a learner runs it: every exercise answered, some of the lesson's settings
changed, and the self-check (the last code cell, never edited) still passing.

Each tests/test_lesson_NN.py says what its learner does, as data:

    LEARNER = LearnerRun(SOURCE, exercises_module, edits={"n = 100 ": "n = 30 "}, check=learner_checks)

and nbval executes that learner's notebook once per test run, in place of the committed
notebooks/NN_*.ipynb (tests/conftest.py, which says why). `check(printed)` then gets what each code
cell printed, in order; `printed[-1]` is the self-check's output.

run_as_a_learner() executes a learner's notebook directly (nbclient), for a one-off run in a test
or at the prompt; the suite does not call it, so that each notebook runs once per CI run.
"""
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Callable

from collapse_lab.exercises import Exercise


def exercises_of(module):
    """The exercises a lesson module defines (q1, q2, ...), in order."""
    names = [name for name, value in vars(module).items() if re.fullmatch(r"q\d+", name) and isinstance(value, Exercise)]
    return sorted(names, key=lambda name: int(name[1:]))


@dataclass(frozen=True)
class LearnerRun:
    """What a learner does to one lesson: the notebook's percent-format source, the lesson's exercise
    module (each exercise is answered with its solution), text edits `old -> new` applied to every
    cell but the self-check, and `check(printed)`, which asserts on what the code cells printed."""
    source: Path
    exercises: ModuleType
    edits: dict = field(default_factory=dict)
    check: Callable = None

    def notebook(self):
        return learner_notebook(self.source, self.exercises, self.edits)


def learner_notebook(source, module, edits):
    """The notebook built from `source` (its percent-format .py) with each exercise cell
    `qN.check(my_x)` replaced by qN's solution code and a printed check, and each `old -> new`
    text edit of `edits` applied to every cell but the self-check (the last code cell). Every edit
    must match somewhere (an edit that no longer matches would silently test nothing) and every
    exercise must be answered exactly once."""
    import jupytext

    nb = jupytext.read(source, fmt="py:percent")
    cells = nb.cells
    # the self-check (the last code cell, one line or many) is the one cell a learner never edits
    self_check = max(i for i, cell in enumerate(cells) if cell.cell_type == "code")
    learner_cells = [cell for i, cell in enumerate(cells) if i != self_check]
    unmatched = [old for old in edits if not any(old in cell.source for cell in learner_cells)]
    assert not unmatched, f"edits that match nothing in {source.name} (outside its self-check): {unmatched}"
    answered = []
    for cell in learner_cells:
        for old, new in edits.items():
            cell.source = cell.source.replace(old, new)
        if cell.cell_type != "code":
            continue
        for name in exercises_of(module):
            found = re.search(rf"^\s*(?:print\()?{name}\.check\((\w+)\)", cell.source, flags=re.M)
            if found:
                cell.source = f"{getattr(module, name).solution().code}\nprint({name}.check({found.group(1)}))"
                answered.append(name)
    assert sorted(answered) == exercises_of(module), f"answered {answered}, exercises {exercises_of(module)}"
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def run_as_a_learner(source, module, edits, tmp_path, *, timeout=600):
    """Execute learner_notebook(source, module, edits) in tmp_path with nbclient.
    Returns what each code cell printed, in order."""
    from nbclient import NotebookClient

    nb = learner_notebook(source, module, edits)
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    return ["".join(o.get("text", "") for o in c.outputs) for c in nb.cells if c.cell_type == "code"]
