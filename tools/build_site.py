"""Build the course website: every notebook with its outputs, and the docs, as one Sphinx site.

    python tools/build_site.py               # make site: site/_build/html/index.html
    python tools/build_site.py --no-execute  # quick: the committed outputs, explorers as placeholders
    python tools/build_site.py --execute 01  # re-run only notebook 01; the rest as committed
    python tools/build_site.py --out DIR     # build in DIR instead of site/_build (tests/test_site.py)

The committed notebooks carry no widget state (tools/build_notebooks.py strips it), so an explorer
would show only "run this cell". The builder therefore works on copies, in five phases:

1. stage     copy site/index.md, the docs and the notebooks into site/_build/src/; a link to a file
             that is not part of the site (../classroom/README.md) goes to the repository instead.
2. execute   run each notebook copy in a fresh kernel with its widget state saved, so every explorer
             appears as a snapshot of its first drawing. A hidden first cell teaches the kernel to
             describe each matplotlib figure (its titles and axis labels) in the output's metadata.
             Results are cached in site/_build/executed/ until the notebook or the package changes.
             With COLLAPSE_LAB_STORE set (`make site` points it at the store `make hub` built, if
             there is one), the kernels read the notebooks' runs from the store instead of computing
             them: the same outputs (tests/test_store.py), 29 s instead of 73 s on 2 cores.
3. annotate  alt text from that description (or the cell's first comment, or its section heading)
             into each figure cell's metadata, where myst-nb reads it; a line "A snapshot — launch to
             interact" above every widget, since nothing on the page runs Python.
4. vendor    the widget manager's JavaScript from site/node_modules (npm ci, pinned by
             site/package-lock.json) into the site, so no page loads a script from a CDN.
5. sphinx    sphinx-build -W (every warning is an error) with site/conf.py: sphinx-book-theme with
             search, download and launch buttons (Binder, Colab, the class JupyterHub).
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "site"
BUILD = SITE / "_build"
# In the build folder: src/ (what Sphinx reads: staged copies, never the committed files),
# vendor/ (the widget JavaScript, served as _static/widgets/) and html/ (the site).
EXECUTED = BUILD / "executed"         # executed notebooks with widget state, reused while unchanged
DOCS = ["glossary", "references", "instructor_guide", "handout", "quiz", "toy_to_practice"]
REPOSITORY = "https://github.com/model-collapse-lab/model-collapse-lab"
WIDGET = "application/vnd.jupyter.widget-view+json"
SNAPSHOT_LABEL = "A snapshot — launch to interact (the rocket button at the top of the page)"
WIDGET_DIST = SITE / "node_modules" / "@jupyter-widgets" / "html-manager" / "dist"

# Run first in every kernel, then removed from the notebook: each figure's PNG output gets metadata
# {"image/png": {"description": "<titles>, x: <label>; y: <label>"}}, read from the figure itself.
DESCRIBE_FIGURES = r'''
get_ipython().run_line_magic("matplotlib", "inline")  # registers the inline PNG printer now, once
from matplotlib.figure import Figure

def _describe(fig):
    parts = []
    if fig._suptitle is not None and fig._suptitle.get_text():
        parts.append(fig._suptitle.get_text())
    for ax in fig.axes:
        title = " ".join(t for t in (ax.get_title("left"), ax.get_title(), ax.get_title("right")) if t)
        labels = "; ".join(f"{k}: {v}" for k, v in (("x", ax.get_xlabel()), ("y", ax.get_ylabel())) if v)
        if title or labels:
            parts.append(", ".join(p for p in (title, labels) if p))
    return ". ".join(parts)

_png = get_ipython().display_formatter.formatters["image/png"]
_draw_png = _png.lookup_by_type(Figure)

def _png_with_description(fig):
    data = _draw_png(fig)
    return (data, {"description": _describe(fig)}) if data else data

_png.for_type(Figure, _png_with_description)
del _png
'''


# --- 1. stage ---------------------------------------------------------------------------------

def site_link(match, here):
    """A relative markdown link: kept if it points into the site, else sent to the repository."""
    text, target = match.group(1), match.group(2)
    if re.match(r"^[a-z]+:|^#", target):
        return match.group(0)
    path = (here / target.split("#")[0]).resolve()
    inside = path.is_relative_to(ROOT / "docs") or path.is_relative_to(ROOT / "notebooks")
    if inside and path.suffix in {".md", ".ipynb", ".png"}:
        return match.group(0)
    return f"[{text}]({REPOSITORY}/blob/main/{path.relative_to(ROOT).as_posix()})"


def relink(markdown, here):
    # a badge image from another site ([![Open in Binder](https://...svg)](link)) becomes a plain
    # link: no page loads anything from outside, and the launch buttons do the same job
    markdown = re.sub(r"\[!\[([^\]]*)\]\(https?://[^)]+\)\]\(([^)]+)\)", r"[\1](\2)", markdown)
    return re.sub(r"\[([^\]]*)\]\(([^)\s]+)\)", lambda m: site_link(m, here), markdown)


def stage(notebooks, src):
    if src.exists():
        shutil.rmtree(src)
    (src / "docs").mkdir(parents=True)
    (src / "notebooks").mkdir()
    toc = "\n".join(f"notebooks/{nb.stem}" for nb in notebooks)
    (src / "index.md").write_text((SITE / "index.md").read_text().replace("{{ notebooks }}", toc))
    for name in DOCS:
        text = (ROOT / "docs" / f"{name}.md").read_text()
        (src / "docs" / f"{name}.md").write_text(relink(text, ROOT / "docs"))
    shutil.copytree(ROOT / "docs" / "figures", src / "docs" / "figures")


# --- 2. execute -------------------------------------------------------------------------------

def fingerprint(notebook):
    """Changes when the notebook or any file of the package changes: then it runs again."""
    digest = hashlib.sha256(notebook.read_bytes())
    for path in sorted((ROOT / "collapse_lab").rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def execute(notebook, timeout=600):
    """The notebook run top to bottom with widget state kept (cached by fingerprint)."""
    cached = EXECUTED / notebook.name
    key = fingerprint(notebook)
    if cached.exists() and nbformat.read(cached, as_version=4).metadata.get("site_fingerprint") == key:
        return nbformat.read(cached, as_version=4)
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(DESCRIBE_FIGURES))
    start = time.perf_counter()
    NotebookClient(nb, timeout=timeout, kernel_name="python3", store_widget_state=True,
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    print(f"  executed {notebook.name} in {time.perf_counter() - start:.0f} s")
    nb.cells.pop(0)
    nb.metadata["site_fingerprint"] = key
    EXECUTED.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, cached)
    return nb


# --- 3. annotate ------------------------------------------------------------------------------

def first_comment(source):
    for line in source.splitlines():
        line = line.strip()
        if line.startswith("#") and len(line) > 3:
            return line.lstrip("# ").rstrip()
        if line and not line.startswith("#"):
            for code, _, comment in [line.partition("  # ")]:
                if comment:
                    return comment.strip()
    return ""


def alt_text(cell, heading):
    """What a figure shows, in words: the figure's titles and labels, else the code's comment,
    else the section it belongs to. Never a file name."""
    descriptions = [o.get("metadata", {}).get("image/png", {}).get("description", "")
                    for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
    text = " / ".join(" ".join(d.split()) for d in descriptions if d) or first_comment(cell.source)
    text = text or f"the section “{heading}”"
    return f"Figure: {text}".replace("$", "")


def png_key(data):
    """40 characters from the middle of a PNG's base64 text: site/_static/widget-alt.js finds a
    figure drawn inside a widget by the same 40 characters of its data: URL."""
    data = "".join(data.split())
    return data[len(data) // 2:len(data) // 2 + 40]


def widget_figures(state, model_id):
    """{png_key: description} for every figure inside one displayed widget (an explorer's Output
    widgets, found by walking its children in the saved widget state), whose <img> the widget
    manager draws without alt text. The description is "" where the figure was not drawn through
    a matplotlib Figure (the explorer's painter sends PNG bytes)."""
    found, todo, seen, title = {}, [model_id], set(), ""
    while todo:
        model = state.get(todo.pop(0), {}).get("state", {})
        if model.get("_model_name") == "HTMLModel" and not title:  # the explorer's heading
            title = " ".join(re.sub(r"<[^>]+>", " ", model.get("value", "")).split())[:120]
        for output in model.get("outputs", []):
            png = output.get("data", {}).get("image/png")
            if png:
                text = output.get("metadata", {}).get("image/png", {}).get("description", "")
                found[png_key(png)] = " ".join(text.split())
        for child in model.get("children", []):
            child = child.removeprefix("IPY_MODEL_")
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return {key: text or (title and f"{title}: the explorer's first drawing") for key, text in found.items()}


def annotate(nb, name):
    """Alt text into each figure cell's metadata; a snapshot label above each widget."""
    heading = name
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = relink(cell.source, ROOT / "notebooks")
            titles = re.findall(r"^#+\s+(.+)$", cell.source, flags=re.M)
            heading = titles[-1].strip() if titles else heading
            continue
        outputs = cell.get("outputs", [])
        if any("image/png" in o.get("data", {}) for o in outputs):
            cell.metadata.setdefault("mystnb", {})["image"] = {"alt": alt_text(cell, heading)}
        if any(WIDGET in o.get("data", {}) for o in outputs):
            # the label, and the alt text of the figures the widget manager will draw (widget-alt.js)
            figures = {}
            for output in outputs:
                if WIDGET in output.get("data", {}):
                    figures.update(widget_figures(state, output["data"][WIDGET]["model_id"]))
            alts = {key: f"Figure: {text or 'the first drawing of the explorer in “' + heading + '”'}"
                    for key, text in figures.items()}
            alt_map = json.dumps(alts, ensure_ascii=False).replace("</", "<\\/")
            html = (f'<p class="snapshot-label">{SNAPSHOT_LABEL}</p>'
                    f'<script type="application/json" class="widget-alt">{alt_map}</script>')
            label = nbformat.v4.new_output("display_data", data={"text/html": html, "text/plain": SNAPSHOT_LABEL})
            cell.outputs = [label] + outputs
    return nb


# --- 4. vendor --------------------------------------------------------------------------------

def vendor_widgets(vendor):
    """@jupyter-widgets/html-manager's standalone embed.js and its fonts, from site/node_modules."""
    if not (WIDGET_DIST / "embed.js").exists():
        subprocess.run(["npm", "ci", "--prefix", str(SITE), "--no-audit", "--no-fund", "--ignore-scripts"], check=True)
    target = vendor / "widgets"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for path in WIDGET_DIST.iterdir():
        # embed.js only: the -amd builds need require.js and would fetch unknown widgets from a CDN
        if path.suffix != ".map" and "amd" not in path.name:
            shutil.copy2(path, target / path.name)


# --- 5. sphinx --------------------------------------------------------------------------------

def sphinx(src, vendor, html):
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", "-c", str(SITE),
               "-D", f"html_static_path=_static,{vendor}", str(src), str(html)]
    subprocess.run(command, check=True)
    # the download button offers the notebook as committed (no widget state, ~10x smaller)
    for notebook in (html / "_sources" / "notebooks").glob("*.ipynb"):
        shutil.copy2(ROOT / "notebooks" / notebook.name, notebook)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-execute", action="store_true", help="use the committed outputs (no explorer snapshots)")
    parser.add_argument("--execute", nargs="*", metavar="PREFIX",
                        help="re-run only the notebooks whose names start with these (default: all)")
    parser.add_argument("--out", type=Path, default=BUILD, help="build folder (default: site/_build)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    src, vendor, html = args.out / "src", args.out / "vendor", args.out / "html"

    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    run = [] if args.no_execute else [nb for nb in notebooks if args.execute is None
                                      or nb.name.startswith(tuple(args.execute))]
    store = os.environ.get("COLLAPSE_LAB_STORE")
    print(f"stage: {len(notebooks)} notebooks ({len(run)} to run, "
          f"{'runs read from the store ' + store if store else 'every run computed: no store'}) "
          f"and {len(DOCS)} docs into {src}")
    stage(notebooks, src)
    for notebook in notebooks:
        nb = execute(notebook) if notebook in run else nbformat.read(notebook, as_version=4)
        nbformat.write(annotate(nb, notebook.stem), src / "notebooks" / notebook.name)
    vendor_widgets(vendor)
    print("sphinx-build -W")
    sphinx(src, vendor, html)
    size = sum(p.stat().st_size for p in html.rglob("*") if p.is_file())
    print(f"built {html}/index.html in {time.perf_counter() - start:.0f} s, {size / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
