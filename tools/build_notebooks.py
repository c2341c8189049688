"""Build the course notebooks from their sources, execute them, and save them with outputs.

Each notebook is written as a plain Python file in notebooks/src/ (easy to diff and review),
with cells separated by "# %%" lines; "# %% [markdown]" starts a markdown cell whose lines
are comments ("# " is stripped). This script turns each source into notebooks/NAME.ipynb,
runs it top to bottom in a fresh kernel, strips the widget state (large, and useless without
a kernel) and prints the run time, so the committed notebooks read well on GitHub.

    python tools/build_notebooks.py            # every notebook
    python tools/build_notebooks.py 01 04      # the ones whose names start with these
"""
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "notebooks" / "src"
OUT = ROOT / "notebooks"
CELL = re.compile(r"^# %%(.*)$")
WIDGET = "application/vnd.jupyter.widget-view+json"
# What a saved widget output shows instead of the widget: with its state stripped, a saved widget
# view cannot render (an empty space, or "Error displaying widget: model not found" in some
# front ends) until the cell runs again; a line of text tells the reader what to do.
WIDGET_PLACEHOLDER = "[Interactive widget: run this cell (Shift+Enter) to open it.]"


def parse(source):
    """Split a percent-format Python source into notebook cells."""
    cells, kind, lines = [], None, []

    def flush():
        text = "\n".join(lines).strip("\n")
        if kind == "markdown":
            text = "\n".join(re.sub(r"^# ?", "", line) for line in text.splitlines())
            cells.append(nbformat.v4.new_markdown_cell(text))
        elif kind == "code" and text.strip():
            cells.append(nbformat.v4.new_code_cell(text))

    for line in source.splitlines():
        match = CELL.match(line)
        if match:
            flush()
            kind, lines = ("markdown" if "[markdown]" in match.group(1) else "code"), []
        elif kind is not None:
            lines.append(line)
    flush()
    return cells


def build(path, timeout=300):
    nb = nbformat.v4.new_notebook()
    nb.cells = parse(path.read_text())
    for i, cell in enumerate(nb.cells):
        cell.id = f"{path.stem[:2]}-{i:03d}"  # stable ids: a rebuild changes only what really changed
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    start = time.perf_counter()
    NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(OUT)}}).execute()
    seconds = time.perf_counter() - start
    nb.metadata.pop("widgets", None)  # widget state: megabytes that only a live kernel can use
    for cell in nb.cells:
        cell.metadata.pop("execution", None)  # timestamps would make every rebuild a diff
        for output in cell.get("outputs", []):
            if WIDGET in output.get("data", {}):
                output["data"] = {"text/plain": WIDGET_PLACEHOLDER}
    target = OUT / (path.stem + ".ipynb")
    nbformat.write(nb, target)
    print(f"{target.name}: {seconds:.1f} s, {target.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    prefixes = sys.argv[1:]
    for src in sorted(SRC.glob("*.py")):
        if not prefixes or any(src.name.startswith(p) for p in prefixes):
            build(src)
