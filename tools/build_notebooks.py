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
import ast
import base64
import html
import re
import shutil
import struct
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


# A deck is not the notebook: a projected slide cannot run a cell, and a page of prose plus a figure
# runs off a 1280×800 screen. `deck` rebuilds the notebook as its slides show it (a copy; the saved
# notebook keeps its cells): prose split at headings, and at paragraphs where it would not fit; a
# code cell's outputs split where they would not fit, so a figure moves to the next slide rather
# than off the bottom of this one; a widget's "run this cell" line left out (the explorers'
# pictures are in the cell after them, `explorer.figure`); a prediction shown as its question and
# choices (a show of hands); an exercise's "replace the placeholder" shown as its question.
# Heights are estimated in CSS pixels of reveal's 960×700 slide, from sizes fitted to what Chromium
# draws for the nine decks (no prose estimate more than 61 px short, printed output within 3 px,
# figures exact); tests/test_browser_slides.py checks every slide of every deck at 1280×800.
SLIDE_PX = 620          # what a slide holds: 700 minus reveal's margins, and headroom for a misjudged cell
PROSE_CHARS = 85        # characters in a line of prose
PROSE_PX = dict(line=28, title=120, section=55, subsection=35, paragraph=14, quote=85, item=18, row=56,
                badge=90, cell=20)
TEXT_CHARS, TEXT_LINE_PX, TEXT_CELL_PX = 90, 19, 30     # printed output (DECK_CSS): monospace lines
IMAGE_WIDTH_PX, IMAGE_CELL_PX = 920, 70                  # wider figures are scaled to this width
HTML_LINE_PX, HTML_ITEM_PX, HTML_ROW_PX, HTML_CELL_PX = 30, 25, 30, 60
PREDICT_HTML = "<p><strong>Predict first:</strong>"
# Printed output in a smaller monospace than the prose, so a table's 90-character rows fit the slide;
# a longer line wraps between words (the template breaks anywhere, even inside a word).
DECK_CSS = (".reveal .jp-OutputArea-output pre {font-size: 15px !important; line-height: 1.25 !important; "
            "word-break: normal; overflow-wrap: normal}")
NO_GUESS = "(No guess was recorded: choose one before running the cell that measures it.)"
EXPLORER = re.compile(r"\bdashboards\.\w+\(")   # a cell that makes an explorer (its picture follows it)
ITEM = re.compile(r"^\s*(?:[-*]|\d+\.) ")


def _prose_px(text):
    """Estimated height of a piece of markdown on a slide (CSS pixels)."""
    text = re.sub(r"<details>.*?</details>", "<details>", text, flags=re.S)   # shown closed: one line
    size = PROSE_PX
    height = size["cell"]
    for block in re.split(r"\n>?\s*\n", text.strip()):
        height += size["paragraph"] + (size["quote"] if block.startswith(">") else 0)
        lines = []    # the block's lines as drawn: a list item or a table row starts a new one
        for raw in (line for line in block.split("\n") if line.strip()):
            line = raw.lstrip("> ").rstrip()
            if re.match(r"#{1,4} ", line):
                height += size[{1: "title", 2: "section"}.get(len(line.split(" ")[0]), "subsection")]
            elif line.startswith("|"):
                height += 0 if re.fullmatch(r"\|[\s:|-]+\|", line) else size["row"]
            elif line.startswith("```"):
                continue
            elif ITEM.match(raw.lstrip("> ")) or not lines:
                height += size["item"] if ITEM.match(raw.lstrip("> ")) else 0
                lines.append(line)
            else:
                lines[-1] += " " + line
        for line in lines:
            if re.fullmatch(r"(\s*\[?!\[[^\]]*\]\([^)]*\)\]?(\([^)]*\))?\s*)+", line):   # badges
                height += size["badge"]
                continue
            shown = re.sub(r"[*`]", "", re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line))  # a link shows its text
            height += size["line"] * max(1, -(-len(shown) // PROSE_CHARS))
    return height


def _output_px(output):
    """Estimated height of one output on a slide (CSS pixels)."""
    data = output.get("data", {})
    if "image/png" in data:
        width, height = struct.unpack(">II", base64.b64decode(data["image/png"][:44])[16:24])
        return height * min(1.0, IMAGE_WIDTH_PX / width) + IMAGE_CELL_PX
    if "text/html" in data:
        html = re.sub(r"\s+", " ", data["text/html"])
        parts = re.split(r"<(?:p|div|li|tr|br|h\d|ol|ul|table)\b[^>]*>", html)
        texts = [t for t in (re.sub(r"<[^>]+>", "", part).strip() for part in parts) if t]
        return (HTML_LINE_PX * sum(-(-len(t) // PROSE_CHARS) for t in texts) + HTML_ITEM_PX * html.count("<li")
                + HTML_ROW_PX * html.count("<tr") + HTML_CELL_PX)
    text = output.get("text", "") if output.get("output_type") == "stream" else data.get("text/plain", "")
    return TEXT_LINE_PX * sum(map(_wrapped_lines, text.rstrip("\n").split("\n"))) + TEXT_CELL_PX


def _wrapped_lines(line):
    """The lines a line of printed output takes on a slide: wrapped between words (DECK_CSS)."""
    lines, used = 1, 0
    for word in re.split(r"(?<= )", line.rstrip()):
        if used and used + len(word) > TEXT_CHARS:
            lines, used = lines + 1, 0
        used += len(word)
        while used > TEXT_CHARS:          # a word longer than a line breaks where it must
            lines, used = lines + 1, used - TEXT_CHARS
    return lines


def _split_prose(source):
    """A markdown cell as pieces: a new piece at every ## or ### heading, and within a piece taller
    than a slide, at paragraph breaks (never inside a <details> block, a fenced code block or a list)."""
    pieces = re.split(r"\n(?=#{2,3} )", source.strip())
    out = []
    for piece in pieces:
        blocks, merged = re.split(r"\n>?\s*\n", piece), []   # a quote's empty ">" line is a break too
        for block in blocks:   # keep <details> … </details> and ``` … ``` together
            if merged and (merged[-1].count("<details") > merged[-1].count("</details>")
                           or merged[-1].count("```") % 2 == 1):
                merged[-1] += "\n\n" + block
            else:
                merged.append(block)
        current = ""
        for block in merged:
            if current and _prose_px(current + "\n\n" + block) > SLIDE_PX:
                out.append(current)
                current = block
            else:
                current = current + "\n\n" + block if current else block
        out.append(current)
    return out


def _exercise_question(source, html):
    """An exercise's "replace the placeholder" feedback, as the question it asks (for a slide)."""
    title = re.search(r"</strong>\s*(.*?) expects", html)
    title = title.group(1) if title else "an exercise"
    asked = re.findall(r"#\s*your answer:?\s*(.*)", source)
    question = f" {html_escape(asked[0])}" if asked else " (in the notebook)"
    return f"<p><strong>Your turn · {html_escape(title)}:</strong>{question}</p>"


def html_escape(text):
    """Text as HTML inside an element (quotes left as they are)."""
    return html.escape(text, quote=False)


def _prediction(output):
    """A prediction's saved output, as the question and its choices."""
    plain = output["data"].get("text/plain", "")
    question = output["data"]["text/html"]
    choices = re.search(r"^\s*choices: (.*)$", plain, flags=re.M)
    if choices:   # the choices as the prediction's repr lists them: Python literals
        items = ast.literal_eval(f"[{choices.group(1)}]")
        question += ("<ol style=\"list-style-type: lower-alpha\">"
                     + "".join(f"<li>{html_escape(str(item))}</li>" for item in items) + "</ol>")
    return question


def deck(nb, code=False):
    """The notebook as its slides show it: a new notebook of pieces, each with its slide type (see above).
    With `code` a code cell stays one piece (its source shown once, above its outputs)."""
    nb = slide_types(nbformat.from_dict(nb))    # the saved types say what is skipped
    cells, height = [], 0

    def add(cell, px, kind):
        nonlocal height
        if kind == "-" and cells and height + px > SLIDE_PX:
            kind = "subslide"
        height = px if kind in ("slide", "subslide") else height + px
        cell.metadata["slideshow"] = {"slide_type": kind}
        cells.append(cell)

    for cell in nb.cells:
        kind = cell.metadata["slideshow"]["slide_type"]
        if kind == "skip":
            continue
        if cell.cell_type == "markdown":
            # a badge (an image from mybinder.org or colab) as a plain link: a deck is shown offline
            source = re.sub(r"\[!\[([^\]]*)\]\([^)]*\)\]\(([^)]*)\)", r"[\1](\2)", cell.source)
            for i, piece in enumerate(_split_prose(source)):
                heading = re.match(r"(#{1,3}) ", piece)
                piece_kind = ("slide" if heading and len(heading.group(1)) <= 2 else "subslide") if i else kind
                add(nbformat.v4.new_markdown_cell(piece), _prose_px(piece), piece_kind)
            continue
        outputs = []
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if data.get("text/plain") == WIDGET_PLACEHOLDER:
                continue     # a widget cannot run on a slide; an explorer's picture is the next cell's output
            output = nbformat.from_dict(output)
            if data.get("text/html", "").startswith(PREDICT_HTML):
                output.data = {"text/html": _prediction(output)}
            elif "<strong>Your turn:</strong>" in data.get("text/html", ""):
                output.data = {"text/html": _exercise_question(cell.source, data["text/html"])}
            elif NO_GUESS in data.get("text/html", ""):   # a deck records no guesses: the answer alone
                output.data = {"text/html": data["text/html"].replace(" " + NO_GUESS, "")}
            outputs.append(output)
        # the outputs in groups that fit: a group goes where the last piece is if it fits there, or
        # starts a sub-slide; the next output that would overflow its place starts the next group
        group, group_px = [], TEXT_LINE_PX * (cell.source.count("\n") + 2) if code else 0
        for output in outputs:
            px = _output_px(output)
            base = height if height + group_px <= SLIDE_PX else 0
            if group and not code and base + group_px + px > SLIDE_PX:
                add(nbformat.v4.new_code_cell(cell.source, outputs=group), group_px, "-")
                group, group_px = [], 0
            group.append(output)
            group_px += px
        if group:
            add(nbformat.v4.new_code_cell(cell.source, outputs=group), group_px, "-")
    nb.cells = cells
    return nb


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
    nb = deck(nbformat.read(notebook, as_version=4), code=code)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": Path(notebook).stem}})
    body = body.replace("</head>", f"<style>{DECK_CSS}</style>\n</head>", 1)
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
