"""A notebook's "Try this" list is its explorer's tips, word for word (issue 23, item 1).

Each explorer's tips are checked by tests/test_tips.py (the steps applied, the promise measured).
The list a notebook prints above the explorer, for a reader without a kernel, must be those same
tips in the same order, so no untested suggestion reaches a learner. Markdown's ** and ` and the
tips' <b> and <code> are dropped before comparing.
"""
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from test_tips import NOTEBOOK, TIP_COUNTS, built  # noqa: E402  (tests/ is on sys.path)

ROOT = Path(__file__).resolve().parents[1]
SOURCES = {path.name[:2]: path for path in sorted((ROOT / "notebooks" / "src").glob("[0-9][0-9]_*.py"))}
EXPLORER = re.compile(r"^\w+ = dashboards\.\w+\(", flags=re.M)


def plain(text):
    """A tip or a bullet as words: no markup, one space between words."""
    text = re.sub(r"<[^>]+>|\*\*|`", "", text)
    return re.sub(r"\s+", " ", text).strip()


def try_this_list(lesson):
    """The bullets of the "Try this" list in the markdown just above the lesson's explorer."""
    source = SOURCES[lesson].read_text()
    before = source[:EXPLORER.search(source).start()]
    markdown = before.rsplit("# %% [markdown]", 1)[1]
    lines = [line[2:] if line.startswith("# ") else line[1:] for line in markdown.splitlines()]
    start = next(i for i, line in enumerate(lines) if re.search(r"Try this|Things to try", line))
    bullets = []
    for line in lines[start + 1:]:
        if line.startswith("- "):
            bullets.append(line[2:])
        elif line.startswith("  ") and bullets:
            bullets[-1] += " " + line.strip()
        elif bullets:
            break
    return [plain(b) for b in bullets]


@pytest.mark.slow    # builds each explorer (run=False; 08's scores the naive flywheel: ~1.5 s cold)
@pytest.mark.parametrize("lesson", [k for k in NOTEBOOK if k in SOURCES])
def test_the_notebooks_try_this_list_is_its_explorers_tips(lesson):
    listed = try_this_list(lesson)
    tips = [plain(tip.text) for tip in built(lesson).tip_list]
    assert len(tips) == TIP_COUNTS[lesson]
    assert listed == tips


def test_the_reader_finds_the_list_in_every_lesson_with_an_explorer():
    for lesson in NOTEBOOK:
        if lesson in SOURCES:
            assert len(try_this_list(lesson)) >= 3, lesson
