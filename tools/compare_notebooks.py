"""Compare the text a learner sees in two sets of built notebooks, cell by cell.

    python tools/compare_notebooks.py OLD_DIR NEW_DIR

For each notebook present in both folders, code cells are paired by position (their source may
have changed on purpose: a module renamed, a self-check made one line) and their text outputs are
compared: stream text, `text/plain` results and errors. Images and widget views are not compared.
What legitimately varies between two runs is masked first: timings ("took 1.2 s", "12.3 s"),
memory addresses (0x7f…), progress bars and carriage-return redraws.

Prints, per notebook, the number of code cells compared and every difference; exits 1 if any.
"""
import difflib
import json
import re
import sys
from pathlib import Path

# what varies from run to run, and what it is replaced by
MASKS = [
    (re.compile(r"0x[0-9a-fA-F]{6,}"), "0x…"),                                          # memory addresses
    (re.compile(r"\b\d+(?:\.\d+)?\s*(?:s|ms|sec|seconds|min|minutes)\b"), "<time>"),      # timings
    (re.compile(r"\d+%\|[^|\n]*\|[^\n]*"), "<progress>"),                                # tqdm progress bars
]


def mask(text):
    """The text with what varies masked; of a line redrawn with carriage returns, only the last draw."""
    text = "\n".join(line.rsplit("\r", 1)[-1] for line in text.split("\n"))
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    return text


def text_of(output):
    """One output's text as a learner reads it ("" for images and widget views)."""
    kind = output.get("output_type")
    if kind == "stream":
        return f"[{output.get('name', 'stream')}]\n" + "".join(output.get("text", ""))
    if kind == "error":
        return f"[error] {output.get('ename')}: {output.get('evalue')}"
    if kind in ("execute_result", "display_data"):
        plain = output.get("data", {}).get("text/plain")
        if plain is None or "application/vnd.jupyter.widget-view+json" in output.get("data", {}):
            return ""
        return "[text/plain]\n" + "".join(plain)
    return ""


def merged_streams(outputs):
    """Consecutive outputs of one stream joined, as a notebook shows them: how the kernel happens to cut
    its stdout into messages depends on timing, not on what was printed."""
    merged = []
    for output in outputs:
        if (output.get("output_type") == "stream" and merged and merged[-1].get("output_type") == "stream"
                and merged[-1].get("name") == output.get("name")):
            merged[-1] = {**merged[-1], "text": "".join(merged[-1].get("text", "")) + "".join(output.get("text", ""))}
        else:
            merged.append(output)
    return merged


def code_outputs(path):
    """Each code cell's outputs as masked text, in order."""
    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    return [mask("\n".join(t for t in map(text_of, merged_streams(c.get("outputs", []))) if t))
            for c in cells if c["cell_type"] == "code"]


def compare(old_path, new_path):
    """(cells compared, [(cell number, unified diff)]) for two builds of one notebook."""
    old, new = code_outputs(old_path), code_outputs(new_path)
    differences = []
    if len(old) != len(new):
        differences.append((None, f"code cells: {len(old)} before, {len(new)} after"))
    for i, (a, b) in enumerate(zip(old, new), start=1):
        if a != b:
            diff = difflib.unified_diff(a.splitlines(), b.splitlines(), "old", "new", lineterm="", n=1)
            differences.append((i, "\n".join(diff)))
    return min(len(old), len(new)), differences


def main(argv):
    if len(argv) != 2:
        print(__doc__)
        return 2
    old_dir, new_dir = map(Path, argv)
    any_difference = False
    for old_path in sorted(old_dir.glob("*.ipynb")):
        new_path = new_dir / old_path.name
        if not new_path.exists():
            print(f"{old_path.name}: missing in {new_dir}")
            any_difference = True
            continue
        compared, differences = compare(old_path, new_path)
        print(f"{old_path.name}: {compared} code cells compared, {len(differences)} differ")
        for cell, diff in differences:
            print(f"  code cell {cell}:" if cell else "  cell count:")
            print("    " + diff.replace("\n", "\n    "))
        any_difference |= bool(differences)
    return 1 if any_difference else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
