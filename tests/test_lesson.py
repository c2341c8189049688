"""The one-line lesson setup: names, style, version line, and out-of-order help in a real kernel."""
import nbformat
import pytest
from IPython.core.interactiveshell import InteractiveShell
from nbclient import NotebookClient

from collapse_lab import lesson


def demo_notebook(path):
    """A three-section lesson: setup, a cell that makes `data`, a cell that uses it."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 99 · Demo"),
        nbformat.v4.new_code_cell("from collapse_lab.lesson import *\nstart('99')"),
        nbformat.v4.new_markdown_cell("## 1. Make the data"),
        nbformat.v4.new_code_cell("# the data\ndata = np.arange(3)\nfor step in range(2):\n    total = step"),
        nbformat.v4.new_markdown_cell("## 2. Use it"),
        nbformat.v4.new_code_cell("print(data.sum())"),
        nbformat.v4.new_code_cell("print(not_a_lesson_name)"),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return nb


def test_name_map_finds_the_section_and_first_line(tmp_path):
    demo_notebook(tmp_path / "99_demo.ipynb")
    where = lesson.name_map(tmp_path / "99_demo.ipynb")
    assert where["data"] == ("1. Make the data", "data = np.arange(3)")
    assert where["step"] == where["total"] == where["data"]
    assert where["np"][0] == "Setup, at the top" and "not_a_lesson_name" not in where


def test_magics_and_comprehensions_do_not_confuse_the_map(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("try:\n    import x\nexcept ImportError:\n    %pip install x\n"
                                          "squares = [k * k for k in range(3)]\ndef f(a):\n    inner = a\n")]
    nbformat.write(nb, tmp_path / "n.ipynb")
    where = lesson.name_map(tmp_path / "n.ipynb")
    assert set(where) == {"x", "squares", "f"}


def test_interactive_shell_gets_one_line_for_a_lesson_name(tmp_path, capsys):
    path = tmp_path / "99_demo.ipynb"
    demo_notebook(path)
    shell = InteractiveShell.instance()
    try:
        assert lesson.install_help("99", notebook=str(path), shell=shell) == str(path)
        result = shell.run_cell("print(data.sum())")
        out = capsys.readouterr().out
        assert isinstance(result.error_in_exec, NameError)  # the cell still fails, as it should
        assert 'It is made in section "1. Make the data"' in out and "data = np.arange(3)" in out
        assert "Traceback" not in out and len(out.strip().splitlines()) == 1
        # a name the lesson never makes (a typo) keeps the usual traceback
        shell.run_cell("print(not_a_lesson_name)")
        out = capsys.readouterr().out
        assert "NameError" in out and "It is made" not in out and "run the cells above" not in out
        # without the notebook file: a generic line
        lesson.install_help("98", shell=shell)
        shell.run_cell("print(data.sum())")
        assert "run the cells above" in capsys.readouterr().out
    finally:
        shell.set_custom_exc((), None)
        InteractiveShell.clear_instance()


@pytest.mark.slow
def test_real_kernel_skipping_a_cell_names_the_cell_to_run(tmp_path):
    nb = demo_notebook(tmp_path / "99_demo.ipynb")
    nb.cells.pop(3)  # the learner skipped section 1's cell
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    setup, use, typo = [c for c in nb.cells if c.cell_type == "code"]
    assert "collapse_lab" in setup.outputs[0]["text"] and "lesson 99 ready" in setup.outputs[0]["text"]
    error = next(o for o in use.outputs if o["output_type"] == "error")
    assert error["ename"] == "NameError"
    assert len(error["traceback"]) == 1 and "section \"1. Make the data\"" in error["traceback"][0]
    typo_error = next(o for o in typo.outputs if o["output_type"] == "error")
    assert len(typo_error["traceback"]) > 1  # not a lesson name: the usual traceback


def test_star_import_brings_the_lesson_names():
    scope = {}
    exec("from collapse_lab.lesson import *", scope)
    for name in ["np", "plt", "display", "simulate", "Gaussian", "GaussianModel", "plots", "worlds", "metrics",
                 "dashboards", "predict", "reveal", "start", "TopLikelihood", "Words", "NGramLM", "capstone", "provenance"]:
        assert name in scope, name


def test_start_in_plain_python_prints_the_version(capsys):
    lesson.start("01", shell=None)
    assert "collapse_lab" in capsys.readouterr().out
