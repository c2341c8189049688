"""Slides: notebook 01 exports as a reveal.js deck with its figures and loads nothing from a CDN (the
deck reads reveal.js from its own _static/ folder); every deck shows each explorer's picture, each
prediction's question and choices and each exercise's question, never a "run this cell" line.
tests/test_browser_slides.py measures the slides in Chromium."""
import ast
import importlib.util
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("build_notebooks", ROOT / "tools" / "build_notebooks.py")
build_notebooks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_notebooks)

NOTEBOOK = ROOT / "notebooks" / "01_gaussian_collapse.ipynb"


@pytest.fixture(scope="module")
def deck(tmp_path_factory):
    out = tmp_path_factory.mktemp("slides")
    return build_notebooks.export_slides(NOTEBOOK, out).read_text(encoding="utf-8")


@pytest.mark.slow   # the four deck tests share one export of notebook 01 (about 1 s)
def test_notebook_01_becomes_a_deck_of_20_to_60_slides(deck):
    everything = deck.count("<section")
    top = len(re.findall(r"<section>\s*<section", deck))  # a slide holds its sub-slides
    assert 5 <= top <= 14, f"{top} sections"     # the lesson's numbered sections, the title, exercises
    assert 20 <= everything - top <= 60, f"{everything - top} slides"   # about one a minute


@pytest.mark.slow
def test_the_deck_carries_its_figures(deck):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    figures = sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code"
                  for o in c.outputs if c.metadata.get("slideshow", {}).get("slide_type") != "skip")
    assert figures >= 5
    assert deck.count('src="data:image/png;base64,') == figures


@pytest.mark.slow
def test_nothing_is_loaded_from_a_cdn(deck):
    sources = re.findall(r'(?:src|href)="([^"]+\.(?:js|css|mjs))"', deck)
    sources += re.findall(r'"([^"]+/(?:dist|plugin)/[^"]+\.js)"', deck)  # what require.js loads
    assert sources and all(s.startswith("./_static/") for s in sources), sources
    assert "unpkg.com" not in deck and "cdnjs" not in deck


@pytest.mark.slow
def test_setup_and_self_check_are_left_out(deck):
    assert "Self-check passed" not in deck
    assert "from collapse_lab.lesson import" not in deck


def test_slide_types_follow_the_headings():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"), nbformat.v4.new_code_cell("setup()"),
                nbformat.v4.new_markdown_cell("## 1. A section"), nbformat.v4.new_code_cell("plot()"),
                nbformat.v4.new_markdown_cell("More words"), nbformat.v4.new_code_cell("x = 1"),
                nbformat.v4.new_markdown_cell("## Self-check"), nbformat.v4.new_code_cell("assert x")]
    nb.cells[5].metadata["slideshow"] = {"slide_type": "fragment"}  # set in the source: kept
    kinds = [c.metadata["slideshow"]["slide_type"] for c in build_notebooks.slide_types(nb).cells]
    assert kinds == ["slide", "skip", "slide", "-", "subslide", "fragment", "skip", "skip"]


def test_jupytext_reads_the_sources_with_stable_ids_and_no_pairing():
    nb = build_notebooks.read(ROOT / "notebooks" / "src" / "01_gaussian_collapse.py")
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# 01 ·")
    assert [c.id for c in nb.cells[:3]] == ["01-000", "01-001", "01-002"]
    assert "formats" not in nb.metadata["jupytext"]   # a learner's save must not rewrite notebooks/src/
    assert all(not c.source.startswith("# %%") for c in nb.cells)


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks" / "src").glob("*.py")), ids=lambda p: p.name)
def test_pairing_round_trip_leaves_the_source_unchanged(path):
    """An author who edited a notebook writes its source back with `jupytext --to py:percent`: that must
    give back the source as written, slide metadata and all."""
    import jupytext

    nb = build_notebooks.slide_types(build_notebooks.read(path))
    assert jupytext.writes(nb, fmt="py:percent") == path.read_text()


SAVED = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", SAVED, ids=lambda p: p.name[:2])
def test_a_deck_shows_pictures_and_questions_where_the_notebook_has_widgets(path):
    saved = nbformat.read(path, as_version=4)
    pieces = build_notebooks.deck(saved).cells
    shown = [o for c in pieces if c.cell_type == "code" for o in c.outputs]
    text = " ".join(str(o.get("data", {}).get("text/html", "")) + str(o.get("data", {}).get("text/plain", ""))
                    + str(o.get("text", "")) for o in shown)
    assert build_notebooks.WIDGET_PLACEHOLDER not in text and "Replace the placeholder" not in text
    assert "No guess was recorded" not in text     # a deck records no guesses: the measured answer alone
    # every explorer is followed, in the deck, by its picture: the saved notebook's next code cell
    kept = {c.source for c in pieces if c.cell_type == "code"}
    code = [c for c in saved.cells if c.cell_type == "code"]
    for cell, after in zip(code, code[1:]):
        if build_notebooks.EXPLORER.search(cell.source) and cell.metadata["slideshow"]["slide_type"] != "skip":
            assert after.source in kept and any("image/png" in o.get("data", {}) for o in after.outputs), \
                f"{path.name}: the explorer of {cell.source.splitlines()[0]!r} has no picture after it"
    # every prediction with choices shows them; every exercise left to do shows its question
    for cell in code:
        if cell.metadata["slideshow"]["slide_type"] == "skip":
            continue
        for output in cell.outputs:
            html = output.get("data", {}).get("text/html", "")
            if html.startswith(build_notebooks.PREDICT_HTML) and "choices:" in output["data"]["text/plain"]:
                listed = re.search(r"choices: (.*)", output["data"]["text/plain"]).group(1)
                for choice in ast.literal_eval(f"[{listed}]"):
                    assert f"<li>{build_notebooks.html_escape(str(choice))}</li>" in text, (path.name, choice)
            if "<strong>Your turn:</strong>" in html:
                title = re.search(r"</strong>\s*(.*?) expects", html).group(1)
                assert f"Your turn · {build_notebooks.html_escape(title)}:" in text, (path.name, title)


def test_prose_is_split_at_headings_and_at_paragraphs_but_never_inside_a_block():
    long = "\n\n".join(f"Paragraph {i}: " + "word " * 120 for i in range(6))
    details = "<details><summary>Solution</summary>\n\n" + "hidden " * 400 + "\n\n</details>"
    fence = "```python\nx = 1\n\ny = 2\n```"
    pieces = build_notebooks._split_prose("## A section\n\n" + long + "\n\n" + details + "\n\n" + fence
                                          + "\n\n### A subsection\n\nShort.")
    assert pieces[0].startswith("## A section") and pieces[-1].startswith("### A subsection")
    assert len(pieces) >= 3
    assert all(build_notebooks._prose_px(p) <= build_notebooks.SLIDE_PX for p in pieces
               if "<details>" not in p and "```" not in p)
    assert sum(p.count("<details>") for p in pieces) == 1 and any("</details>" in p and "<details>" in p for p in pieces)
    assert any(fence in p for p in pieces)
    assert "".join(pieces).count("Paragraph") == 6


def test_a_long_cell_of_outputs_is_split_between_slides_and_a_short_one_is_not():
    figure = nbformat.read(NOTEBOOK, as_version=4)
    png = next(o for c in figure.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {}))
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"), nbformat.v4.new_code_cell("setup()"),
                nbformat.v4.new_markdown_cell("## 1. A section"),
                nbformat.v4.new_code_cell("plot()", outputs=[png, png, nbformat.v4.new_output("stream", text="x\n")]),
                nbformat.v4.new_code_cell("print()", outputs=[nbformat.v4.new_output("stream", text="y\n")])]
    pieces = build_notebooks.deck(nb).cells
    kinds = [c.metadata["slideshow"]["slide_type"] for c in pieces]
    assert kinds == ["slide", "slide", "-", "subslide", "-"], kinds      # the second figure moves on
    assert [len(c.outputs) for c in pieces[2:]] == [1, 2, 1]
