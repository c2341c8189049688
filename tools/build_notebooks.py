"""Build the course notebooks from their sources, execute them, and save them with outputs;
or export the saved notebooks as reveal.js slides.

Each notebook is written as a jupytext percent-format Python file in notebooks/src/ (easy to diff
and review; "# %%" starts a code cell, "# %% [markdown]" a markdown cell). jupytext reads it,
nbclient runs it top to bottom in a fresh kernel, and the result is saved as notebooks/NAME.ipynb.
The notebook is not paired with its source (no jupytext "formats" metadata): a learner who saves a
notebook in JupyterLab must never rewrite notebooks/src/, and a re-downloaded .ipynb must open on its
own. Authors edit the source and rebuild. Widget state is stripped (large, and useless without a kernel), cell ids are
stable, and every cell gets the slide type it plays in the slides (see `slide_types`).

    python tools/build_notebooks.py              # every notebook
    python tools/build_notebooks.py 01 04        # the ones whose names start with these
    python tools/build_notebooks.py --slides     # slides/NAME.slides.html from the saved notebooks
    python tools/build_notebooks.py --slides 01  # only notebook 01's slides
    python tools/build_notebooks.py --slides --code   # slides that show the code cells too

Slides work offline: reveal.js, require.js and jQuery come from the npm registry once
(`npm pack`, into slides/_static/), and the slides load them from there instead of a CDN.
"""
import argparse
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "notebooks" / "src"
OUT = ROOT / "notebooks"
SLIDES = ROOT / "slides"  # gitignored: rebuilt by `make slides`
WIDGET = "application/vnd.jupyter.widget-view+json"
# What a saved widget output shows instead of the widget: with its state stripped, a saved widget
# view cannot render (an empty space, or "Error displaying widget: model not found" in some
# front ends) until the cell runs again; a line of text tells the reader what to do.
WIDGET_PLACEHOLDER = "[Interactive widget: run this cell (Shift+Enter) to open it.]"
# jupytext's filters, kept so that `jupytext --to py:percent` on a notebook gives its source back without
# metadata headers; no "formats" (pairing): saving a notebook must not write into notebooks/src/.
JUPYTEXT = {"notebook_metadata_filter": "-all", "cell_metadata_filter": "-all"}
# The slides' JavaScript, from the npm registry (the versions nbconvert 7's reveal template expects).
NPM = {"reveal.js": "4.0.2", "requirejs": "2.3.6", "jquery": "3.5.1"}


def read(path):
    """A percent-format source as a notebook (jupytext), with stable ids and jupytext's filters (no pairing)."""
    nb = jupytext.read(path, fmt="py:percent")
    for i, cell in enumerate(nb.cells):
        cell.id = f"{path.stem[:2]}-{i:03d}"  # stable ids: a rebuild changes only what really changed
    nb.metadata = {
        # ipykernel's own kernelspec, as JupyterLab writes it on opening: any other display name is
        # rewritten at once and marks the notebook modified before the learner has touched it
        "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
        "language_info": {"name": "python"},
        "jupytext": dict(JUPYTEXT),
    }
    return nb


def slide_types(nb):
    """Give each cell its part in the slides, unless its source already set one.

    A section heading (## …) starts a slide; any other markdown cell starts a sub-slide (below it);
    code continues the slide it is on, with its figures, except that a second figure starts a
    sub-slide of its own. The setup cell (the first code cell), the self-check and what follows
    a "References" or "Self-check" heading are skipped.
    """
    skipping, seen_code, figure_on_slide = False, False, False
    for i, cell in enumerate(nb.cells):
        figure = any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))
        if cell.cell_type == "markdown":
            heading = re.search(r"^##\s+(.*)$", cell.source, flags=re.M)
            skipping = bool(heading) and heading.group(1).strip().lower().startswith(("self-check", "references"))
            kind = "slide" if i == 0 or heading else "subslide"
        else:
            kind = "skip" if skipping or not seen_code else "subslide" if figure and figure_on_slide else "-"
            seen_code = True
        if skipping:
            kind = "skip"
        kind = cell.metadata.setdefault("slideshow", {"slide_type": kind})["slide_type"]
        if kind in ("slide", "subslide"):
            figure_on_slide = False
        figure_on_slide = figure_on_slide or (figure and kind != "skip")
    return nb


def build(path, timeout=300):
    nb = read(path)
    start = time.perf_counter()
    NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(OUT)}}).execute()
    seconds = time.perf_counter() - start
    nb.metadata.pop("widgets", None)  # widget state: megabytes that only a live kernel can use
    for cell in nb.cells:
        cell.metadata.pop("execution", None)  # timestamps would make every rebuild a diff
        for output in cell.get("outputs", []):
            if WIDGET in output.get("data", {}):
                output["data"] = {"text/plain": WIDGET_PLACEHOLDER}
    slide_types(nb)
    target = OUT / (path.stem + ".ipynb")
    nbformat.write(nb, target)
    print(f"{target.name}: {seconds:.1f} s, {target.stat().st_size / 1e6:.2f} MB")


# --- slides -----------------------------------------------------------------------------------

def vendor_javascript(static):
    """reveal.js, require.js and jQuery in `static`, from the npm registry (once; needs npm)."""
    if (static / "reveal.js" / "dist" / "reveal.js").exists():
        return static
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("The slides need npm to fetch reveal.js once (apt-get install npm), "
                           "or a reveal.js 4 copy in " + str(static / "reveal.js"))
    static.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        specs = [f"{name}@{version}" for name, version in NPM.items()]
        subprocess.run([npm, "pack", "--silent", *specs], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
        for name, version in NPM.items():
            with tarfile.open(Path(tmp) / f"{name}-{version}.tgz") as tar:
                tar.extractall(Path(tmp) / name, filter="data")
        shutil.copytree(Path(tmp) / "reveal.js" / "package", static / "reveal.js", dirs_exist_ok=True)
        shutil.copy(Path(tmp) / "requirejs" / "package" / "require.js", static / "require.js")
        shutil.copy(Path(tmp) / "jquery" / "package" / "dist" / "jquery.min.js", static / "jquery.min.js")
    # The notebooks write formulas in Unicode, not LaTeX, so the slides need no MathJax; the reveal
    # template still calls MathJax.Hub on every slide change, so it gets this stand-in.
    (static / "mathjax-stub.js").write_text(
        "window.MathJax = {Hub: {getAllJax: function () { return []; }, Rerender: function () {}, "
        "Config: function () {}, Configured: function () {}, Queue: function () {}}};\n")
    (static / "mermaid-stub.js").write_text("export default {initialize: function () {}};\n")
    return static


def export_slides(notebook, out_dir, static="./_static", code=False):
    """notebook (an executed .ipynb) -> out_dir/NAME.slides.html, loading its JavaScript from
    out_dir/<static>/ (a relative address, so the folder can be copied or served anywhere).

    Without `code` the slides show the prose, the figures and the printed numbers, not the code
    that made them: a projected slide has room for a figure or for code, rarely for both.
    """
    from nbconvert import SlidesExporter

    exporter = SlidesExporter(
        reveal_url_prefix=f"{static}/reveal.js", require_js_url=f"{static}/require.js",
        jquery_url=f"{static}/jquery.min.js", mathjax_url=f"{static}/mathjax-stub.js",
        reveal_scroll=True,  # a long slide scrolls instead of running off the screen
        reveal_theme="white",  # its fonts ship with reveal.js; other themes fetch Google Fonts
        exclude_input=not code, exclude_input_prompt=True, exclude_output_prompt=True,
    )
    exporter.mermaid_js_url = f"{static}/mermaid-stub.js"  # no diagrams: nothing fetched from a CDN
    nb = nbformat.read(notebook, as_version=4)
    slide_types(nb)  # cells saved before slide types existed still get them
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": Path(notebook).stem}})
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / (Path(notebook).stem + ".slides.html")
    target.write_text(body, encoding="utf-8")
    return target


def build_slides(prefixes, out_dir=SLIDES, code=False):
    vendor_javascript(out_dir / "_static")
    for path in sorted(OUT.glob("*.ipynb")):
        if not prefixes or any(path.name.startswith(p) for p in prefixes):
            target = export_slides(path, out_dir, code=code)
            html = target.read_text(encoding="utf-8")
            # a <section> that holds sub-slides is a column of slides, not a slide itself
            count = html.count("<section") - len(re.findall(r"<section>\s*<section", html))
            print(f"{target.relative_to(ROOT)}: {count} slides")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("prefixes", nargs="*", help="build only the notebooks whose names start with these")
    parser.add_argument("--slides", action="store_true", help="export saved notebooks as slides into slides/")
    parser.add_argument("--code", action="store_true", help="with --slides: show the code cells too")
    args = parser.parse_args(argv)
    if args.code and not args.slides:
        parser.error("argument --code: only with --slides")
    if args.slides:
        build_slides(args.prefixes, code=args.code)
        return
    for src in sorted(SRC.glob("*.py")):
        if not args.prefixes or any(src.name.startswith(p) for p in args.prefixes):
            build(src)


if __name__ == "__main__":
    sys.exit(main())
