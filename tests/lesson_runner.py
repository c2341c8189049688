"""A lesson run the way a learner runs it: every exercise answered, some of the lesson's settings
changed. Shared by the tests of each lesson (tests/test_lesson_0N.py, tests/test_notebook_files.py).

    printed = run_as_a_learner(SOURCE, exercises_module, {"n = 100 ": "n = 30 "}, tmp_path)
    assert "Self-check passed." in printed[-1]
"""
import re

from collapse_lab.exercises import Exercise


def exercises_of(module):
    """The exercises a lesson module defines (q1, q2, ...), in order."""
    names = [name for name, value in vars(module).items() if re.fullmatch(r"q\d+", name) and isinstance(value, Exercise)]
    return sorted(names, key=lambda name: int(name[1:]))


def run_as_a_learner(source, module, edits, tmp_path, *, timeout=600):
    """Execute the notebook built from `source` (its percent-format .py) with each exercise cell
    `qN.check(my_x)` replaced by qN's solution code and a printed check, and each `old -> new`
    text edit of `edits` applied to every cell but the self-check (the last code cell). Every edit must match somewhere (an edit that no longer matches
    would silently test nothing) and every exercise must be answered exactly once.
    Returns what each code cell printed, in order."""
    import jupytext
    import nbformat
    from nbclient import NotebookClient

    cells = jupytext.read(source, fmt="py:percent").cells
    # the self-check (the last code cell) is the one cell a learner never edits
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
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    return ["".join(o.get("text", "") for o in c.outputs) for c in nb.cells if c.cell_type == "code"]
