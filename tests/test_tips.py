"""Every "Try this" line of every explorer keeps its promise (issue 23, item 1).

Each explorer is built as its notebook builds it, each tip followed as a learner would (Reset,
then its steps, a run after each; `explorers.tips.try_tip`), and the tip's own `expect` checked:
what the caption and the curves must then show, and the comparison the tip invites coming out as
the lesson says. No run may stop early unless the tip says so, and no run may be refused.

Runs in the calling thread (COLLAPSE_LAB_SYNC=1, as in Colab). The runs are small and mostly kept
by the lessons' caches; the neural tip runs one generation only (see its test).
"""
import functools

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from collapse_lab import dashboards  # noqa: E402
from collapse_lab.explorers import Tip, try_tip  # noqa: E402
from collapse_lab.explorers import explorer as explorer_module  # noqa: E402

# each explorer as its notebook builds it (dashboards.AS_IN_NOTEBOOKS, which `warm` follows too); 05 also with its own defaults
NOTEBOOK = {**dashboards.AS_IN_NOTEBOOKS, "05-defaults": lambda: dashboards.gates(run=False)}
# how many tips each has: written out, so collecting these tests builds no explorer (the first test checks it)
TIP_COUNTS = {"01": 5, "02": 5, "03": 5, "04": 5, "05": 5, "05-defaults": 5, "06": 5, "07": 3, "08": 4}
SLOW_TIPS = {("04", 4)}    # the neural model: its test runs generation 1 only (~25 s with PyTorch's start)


@functools.lru_cache(maxsize=None)
def built(lesson):
    return NOTEBOOK[lesson]()


@functools.lru_cache(maxsize=None)
def followed(lesson, i):
    """What following tip i showed (kept, so tests/test_captions.py reads the same runs' captions)."""
    return tuple(try_tip(built(lesson), built(lesson).tip_list[i]))


def tip_cases():
    cases = []
    for lesson in NOTEBOOK:
        if lesson == "05-defaults":       # the same tips as 05's (each names the grid it needs): checked once
            continue
        for i in range(TIP_COUNTS[lesson]):
            # seconds each (the runs behind a tip): slow, so `make check` stays quick; CI runs them
            cases.append(pytest.param(lesson, i, id=f"{lesson}-tip{i + 1}", marks=[pytest.mark.slow]))
    return cases


def first_generation_only(explorer, monkeypatch):
    """The neural tip's runs stop after generation 1, as if Stop were pressed: the time guard must
    accept the tip's settings, and the curve must already move the promised way (a full run: ~1 min)."""
    tick = explorer._tick

    def stop_after_one(partial, done, total):
        return tick(partial, done, total) and done < 2

    monkeypatch.setattr(explorer, "_tick", stop_after_one)


@pytest.fixture(autouse=True)
def sync(monkeypatch):
    monkeypatch.setenv(explorer_module.SYNC_FLAG, "1")


@pytest.mark.slow   # builds every explorer (a few seconds)
def test_every_explorer_has_tips_and_every_tip_is_a_promise():
    for lesson in NOTEBOOK:
        tips = built(lesson).tip_list
        assert tips and len(tips) == TIP_COUNTS[lesson], f"{lesson}: {len(tips)} tips; update TIP_COUNTS"
        for tip in tips:
            assert isinstance(tip, Tip) and tip.steps and tip.shows and callable(tip.expect), (lesson, tip)


@pytest.mark.parametrize("lesson, i", tip_cases())
def test_the_tip_shows_what_it_promises(lesson, i, monkeypatch):
    tip = built(lesson).tip_list[i]
    if (lesson, i) in SLOW_TIPS:
        first_generation_only(built(lesson), monkeypatch)
    seen = followed(lesson, i)
    for run in seen:
        assert "⚠" not in run.message, f"{tip.text}: refused or failed: {run.message}"
        if not tip.stops:
            assert not run.stopped_early, f"{tip.text}: a run stopped early: {run.stopped_early}"
    assert tip.expect(seen), (f"{lesson}, tip {i + 1}: {tip.text}\npromised: {tip.shows}\nsaw: "
                              + "\n     ".join(run.caption for run in seen))
