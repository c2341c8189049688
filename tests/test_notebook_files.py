"""The committed notebooks as a reader meets them: on GitHub, or opened in JupyterLab before running."""
import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_reads_well_without_a_kernel(path):
    nb = json.loads(path.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    assert all(c["execution_count"] is not None for c in code), "commit notebooks executed"
    outputs = [o for c in code for o in c["outputs"]]
    assert not any(o["output_type"] == "error" for o in outputs)
    assert "widgets" not in nb["metadata"], "widget state is stripped"
    # not paired with notebooks/src: a learner's save must not rewrite the sources (tools/build_notebooks.py)
    assert "formats" not in nb["metadata"].get("jupytext", {})
    # without its state a saved widget view cannot render: the build replaces it with a line of text
    assert not any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
    assert path.stat().st_size < 2_000_000
    first = "".join(nb["cells"][0]["source"])
    assert "mybinder.org" in first and "colab.research.google.com" in first


# --- the sources: a short setup cell, short code cells, a self-check that survives a learner ---

SOURCES = sorted((Path(__file__).resolve().parents[1] / "notebooks" / "src").glob("*.py"))
# the notebooks held to the toolkit's rules
CONVERTED = tuple(f"0{n}_" for n in range(9))  # every lesson (issues 10-12)


def _cells(path):
    import jupytext

    return jupytext.read(path, fmt="py:percent").cells


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_setup_is_one_short_cell(path):
    setup = next(c for c in _cells(path) if c.cell_type == "code").source
    assert "from collapse_lab.lesson import *" in setup and f'start("{path.name[:2]}")' in setup
    assert "%pip install" in setup  # the Colab fallback
    assert len(setup.splitlines()) <= 11


@pytest.mark.parametrize("path", [p for p in SOURCES if p.name.startswith(CONVERTED)], ids=lambda p: p.name)
def test_converted_notebook_uses_the_toolkit(path):
    cells = _cells(path)
    code = [c.source for c in cells if c.cell_type == "code"]
    long = [c.splitlines()[0] for c in code if len(c.splitlines()) > 15]  # the self-check too: it is one line
    assert not long, f"code cells longer than 15 lines: {long}"
    prose = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    assert prose.count("**Predict first.**") == sum("predict(" in c for c in code) > 0
    assert prose.count("<details><summary>Solution") == sum(".check(" in c for c in code[:-1]) > 0


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_self_check_is_one_line_calling_the_lesson_module(path):
    """The last code cell, after the "## Self-check" heading, only prints the lesson module's self_check()."""
    import collapse_lab.lessons as lessons

    cells = _cells(path)
    last = max(i for i, c in enumerate(cells) if c.cell_type == "code")
    prose = "\n".join(c.source for c in cells[:last] if c.cell_type == "markdown")
    assert re.findall(r"^#+ .+$", prose, flags=re.M)[-1] == "## Self-check"
    found = re.fullmatch(r"print\(lessons\.(\w+)\.self_check\(\)\)", cells[last].source.strip())
    assert found and callable(getattr(getattr(lessons, found.group(1), None), "self_check", None)), cells[last].source


def test_the_first_cell_installs_this_release():
    # Colab (and any machine without the course) installs a pinned release, never git HEAD: the tag
    # v<version> must be made when __version__ changes (README, "Releasing")
    import collapse_lab
    want = f"git+https://github.com/model-collapse-lab/model-collapse-lab@v{collapse_lab.__version__}"
    for path in NOTEBOOKS:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        first = "".join(next(c for c in cells if c["cell_type"] == "code")["source"])
        assert want in first, f"{path.name}: the first cell must install the release tag ({want})"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_markdown_cell_parses_as_the_website_reads_it(path):
    # the site's MyST parser (site/conf.py: myst_enable_extensions) crashed with an IndexError on a
    # block quote ending in a bare ">" line, and a crash fails the whole website build; caught here in a
    # second instead of in the site test's minutes
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    parser = create_md_parser(MdParserConfig(enable_extensions={"html_image"}), RendererHTML)
    for number, cell in enumerate(json.loads(path.read_text())["cells"]):
        if cell["cell_type"] == "markdown":
            try:
                parser.parse("".join(cell["source"]))
            except Exception as error:
                pytest.fail(f"markdown cell {number}: MyST cannot parse it ({type(error).__name__}: {error})")
