"""Slides: notebook 01 exports as a reveal.js deck of 10-20 slides, with its figures, and loads
nothing from a CDN (the deck reads reveal.js from its own _static/ folder)."""
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


@pytest.mark.slow   # the four deck tests share one export of notebook 01 (about 3 s)
def test_notebook_01_becomes_a_deck_of_10_to_20_slides(deck):
    everything = deck.count("<section")
    top = len(re.findall(r"<section>\s*<section", deck))  # a slide holds its sub-slides
    assert 5 <= top <= 12, f"{top} sections"
    assert 10 <= everything - top <= 24, f"{everything - top} slides"


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
