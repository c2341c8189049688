"""How long does each lesson take? The course-wide time rule (issues 19 and 20, item 5), computed
from the notebook sources in notebooks/src/.

The rule: a lesson's estimated minutes are
    W / 150      reading: W = words in its markdown cells, not counting <details>…</details> folds
  + 3 per exercise   each "**Exercise N" heading (outside folds)
  + 2 per explorer   each code cell that shows an explorer (`dashboards.x(...)`, a lesson's `explorer()`)
  + 1                for running the cells.
The first markdown cell states it on one line:
    **Time:** about NN minutes (R reading, E exercises × 3, K explorers × 2, 1 running).
with R = round(W / 150) and NN = R + 3E + 2K + 1. NN must be under 40, no markdown cell may hold
more than 250 words outside folds, and exercises are numbered in page order (1, 2, 3, ...).

A word is a whitespace-separated token with at least one letter or digit in it, so markdown's own
marks (table pipes, bullets, "---", "#") are not words; a link or a formula token is one word.

    python tools/lesson_time.py          # the table for every notebook, then the problems found
    python tools/lesson_time.py 05 08    # only the notebooks whose names start with these
    python tools/lesson_time.py --markdown   # the table the instructor guide quotes (docs/instructor_guide.md)
Exits 1 when a notebook breaks the rule, so it can guard a commit.
"""
import re
import sys
from pathlib import Path

import jupytext

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "notebooks" / "src"

WORDS_PER_MINUTE = 150
MINUTES_PER_EXERCISE = 3
MINUTES_PER_EXPLORER = 2
MINUTES_RUNNING = 1
MAX_MINUTES = 39          # "under 40"
MAX_CELL_WORDS = 250

FOLD = re.compile(r"<details>.*?</details>", re.DOTALL)        # a fold closed in the same cell
WORD = re.compile(r"\S*\w\S*")                                   # a token with a letter or digit
EXERCISE = re.compile(r"^\s*(?:\*\*|#+\s+)Exercise\s+(\d+)", re.MULTILINE)  # "**Exercise 3 (...)" or "## Exercise 3"
EXPLORER = re.compile(r"\bdashboards\.\w+\(|\bexplorer\(|\bExplorer\(")
STATED = re.compile(
    r"^\*\*Time:\*\* about (\d+) minutes \((\d+) reading, (\d+) exercises? × 3, "
    r"(\d+) explorers? × 2, 1 running\)\.\s*$",
    re.MULTILINE,
)


def unfolded(text):
    """A markdown cell's text without its <details> folds (solutions, "going further" boxes)."""
    return FOLD.sub(" ", text)


def count_words(text):
    return len(WORD.findall(text))


def shows_explorer(code):
    """Does this code cell build an explorer? Comment lines do not count (e.g. `# q1.hint()`)."""
    lines = [line for line in code.splitlines() if not line.lstrip().startswith("#")]
    return bool(EXPLORER.search("\n".join(lines)))


def measure(path):
    """The rule's numbers for one notebook source, and the time it states (None if it states none)."""
    notebook = jupytext.read(path)
    markdown = [unfolded(c.source) for c in notebook.cells if c.cell_type == "markdown"]
    code = [c.source for c in notebook.cells if c.cell_type == "code"]
    cell_words = [count_words(text) for text in markdown]
    words = sum(cell_words)
    exercises = [int(n) for text in markdown for n in EXERCISE.findall(text)]  # in page order
    explorers = sum(shows_explorer(c) for c in code)
    reading = round(words / WORDS_PER_MINUTE)
    minutes = reading + MINUTES_PER_EXERCISE * len(exercises) + MINUTES_PER_EXPLORER * explorers + MINUTES_RUNNING
    found = STATED.search(markdown[0]) if markdown else None
    stated = tuple(int(x) for x in found.groups()) if found else None   # (NN, R, E, K)
    return {
        "name": path.stem, "words": words, "reading": reading, "exercises": exercises,
        "explorers": explorers, "minutes": minutes, "stated": stated,
        "biggest_cell": max(cell_words, default=0),
    }


def problems(m):
    """What breaks the rule in one notebook's numbers (an empty list when nothing does)."""
    found = []
    E, K = len(m["exercises"]), m["explorers"]
    if m["stated"] is None:
        found.append("the first markdown cell has no line '**Time:** about NN minutes "
                     "(R reading, E exercises × 3, K explorers × 2, 1 running).'")
    else:
        nn, r, e, k = m["stated"]
        if abs(r - m["reading"]) > 1:  # ±1: word counters differ a little on what a word is
            found.append(f"states {r} reading minutes; {m['words']} words / {WORDS_PER_MINUTE} gives {m['reading']}")
        if e != E:
            found.append(f"states {e} exercises; the page has {E}")
        if k != K:
            found.append(f"states {k} explorers; the page shows {K}")
        if nn != r + MINUTES_PER_EXERCISE * e + MINUTES_PER_EXPLORER * k + MINUTES_RUNNING:
            found.append(f"states {nn} minutes, but its own parts add up to "
                         f"{r + MINUTES_PER_EXERCISE * e + MINUTES_PER_EXPLORER * k + MINUTES_RUNNING}")
    if m["minutes"] > MAX_MINUTES:
        found.append(f"takes about {m['minutes']} minutes by the rule; a lesson must stay under 40")
    if m["biggest_cell"] > MAX_CELL_WORDS:
        found.append(f"a markdown cell holds {m['biggest_cell']} words outside folds (at most {MAX_CELL_WORDS})")
    if m["exercises"] != list(range(1, E + 1)):
        found.append(f"exercises appear in the order {m['exercises']}, not 1, 2, 3, ...")
    return found


def sources(prefixes=()):
    paths = sorted(SRC.glob("[0-9][0-9]_*.py"))
    return [p for p in paths if not prefixes or p.name.startswith(tuple(prefixes))]


def markdown_table(rows):
    """The estimates as the instructor guide prints them (tests/test_lesson_time.py keeps the two equal)."""
    lines = ["| notebook | reading | exercises | explorers | running | estimate |", "|---|---|---|---|---|---|"]
    for m in rows:
        lines.append(f"| {m['name']} | {m['reading']} | {len(m['exercises'])} × 3 | {m['explorers']} × 2 | "
                     f"1 | **{m['minutes']} min** |")
    return "\n".join(lines)


def main(argv=None):
    args = sys.argv[1:] if argv is None else list(argv)
    as_markdown = "--markdown" in args
    prefixes = [a for a in args if a != "--markdown"]
    rows = [measure(p) for p in sources(prefixes)]
    if as_markdown and rows:
        print(markdown_table(rows))
        return 0
    if not rows:
        print(f"no notebook sources in {SRC}" + (f" starting with {' or '.join(prefixes)}" if prefixes else ""))
        return 1
    width = max(len(m["name"]) for m in rows)
    print(f"{'notebook':<{width}}  {'W':>5}  {'R':>3}  {'E':>2}  {'K':>2}  {'NN':>3}  {'stated':>6}  {'biggest cell':>12}")
    for m in rows:
        stated = str(m["stated"][0]) if m["stated"] else "—"
        print(f"{m['name']:<{width}}  {m['words']:>5}  {m['reading']:>3}  {len(m['exercises']):>2}  "
              f"{m['explorers']:>2}  {m['minutes']:>3}  {stated:>6}  {m['biggest_cell']:>12}")
    print("W words outside folds, R = round(W/150) reading minutes, E exercises, K explorers, "
          "NN = R + 3E + 2K + 1 minutes (an estimate by the course's time rule)")
    broken = [(m["name"], p) for m in rows for p in problems(m)]
    for name, problem in broken:
        print(f"{name}: {problem}")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
