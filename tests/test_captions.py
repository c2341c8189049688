"""Every explorer's caption keeps the wording rules (issue 23, item 3; explorers/wording.py).

Read for each explorer's defaults and after each of its tips (the runs tests/test_tips.py follows,
kept: in one session they are not run twice). The rules: equal numbers say "stayed at", never
"fell from 0.99 to 0.99"; one number format ("to 1" beside "from 0.99" is two); a share over 100%
says "more than at the start"; "1 generation", never "1 generations" or "over 0 generations";
a ratio is called one; and during a run the caption says "running…", not the last run's story.
"""
import re

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from collapse_lab.explorers import Explorer, int_slider  # noqa: E402
from collapse_lab.explorers import wording  # noqa: E402
from test_tips import SLOW_TIPS, built, followed, tip_cases  # noqa: E402  (tests/ is on sys.path)

NUMBER = r"-?\d[\d,]*(?:\.\d+)?(?:e[-+]\d+)?"


def broken_rules(caption):
    """The wording rules a caption breaks, in words (empty: it keeps them all)."""
    broken = []
    for a, b in re.findall(rf"from ({NUMBER}) to ({NUMBER})", caption):
        if a == b:
            broken.append(f"'from {a} to {b}': equal numbers should say 'stayed at'")
        elif "e" not in a + b and len(a.split(".")[-1]) != len(b.split(".")[-1]) and "." in a + b:
            broken.append(f"'from {a} to {b}': two number formats")
    for sentence in re.split(r"(?<=[.;])\s", caption):
        for share in re.findall(r"(\d+)%", sentence):
            if int(share) > 100 and "more than" not in sentence:
                broken.append(f"'{share}%' over 100% without 'more than at the start': {sentence}")
    if re.search(r"\b1 generations\b|\bover 0 generations?\b|\b1 students\b", caption):
        broken.append("a count of 1 (or 0 generations) in the wrong words")
    if re.search(rf"\b({NUMBER}) of generation 0's", caption):
        value = float(re.search(rf"\b({NUMBER}) of generation 0's", caption).group(1).replace(",", ""))
        if value > 1:
            broken.append("a ratio over 1 read as a share ('of generation 0's'): call it 'times'")
    return broken


def test_the_rules_catch_what_the_review_saw():
    """The browser review's captions break the rules; the same numbers in the shared wording keep them."""
    for seen in ["σ rose from 0.99 to 0.99 over 100 generations", "σ fell from 1.00 to 1 over 9 generations",
                 "127% of the mass beyond 2σ is left.", "Words the model knows fell from 662 to 662 over 1 generations",
                 "most diverse: real+cap:4 (1.70 of generation 0's distinct real words)"]:
        assert broken_rules(seen), seen
    said = [wording.change("σ", 0.991, 0.989) + " " + wording.over(1),
            wording.change("σ", 1.0, 0.996), wording.share_left(0.04, 0.05, "the mass beyond 2σ") + ".",
            wording.ratio(1.7, "generation 0's distinct real words")]
    assert said[0] == "σ stayed at 0.99 over 1 generation"
    assert said[1] == "σ stayed at 1.00" and wording.change("σ", 0.99, 8.6e-11) == "σ fell from 0.99 to 8.6e-11"
    assert "more than at the start" in said[2]
    for text in said:
        assert not broken_rules(text), text


@pytest.mark.slow   # the tips' runs (shared with tests/test_tips.py in one session)
@pytest.mark.parametrize("lesson, i", [pytest.param(lesson, i, id=f"{lesson}-tip{i + 1}")
                                       for lesson, i in [(p.values[0], p.values[1]) for p in tip_cases()]
                                       if (lesson, i) not in SLOW_TIPS])
def test_every_caption_keeps_the_rules(lesson, i, monkeypatch):
    monkeypatch.setenv("COLLAPSE_LAB_SYNC", "1")
    for run in followed(lesson, i):       # run 0 is the explorer's defaults
        assert run.caption and run.caption != wording.RUNNING
        assert not broken_rules(run.caption), (lesson, i, run.caption, broken_rules(run.caption))


def test_the_caption_says_running_during_a_run_then_the_new_caption():
    seen_during = []

    def experiment(values, tick):
        for step in range(3):
            seen_during.append(explorer.caption.value)
            tick([values["n"]] * (step + 1), step + 1, 3)
        return [values["n"]] * 3

    explorer = Explorer("count", {"n": int_slider(1, 1, 10, "n")}, experiment=experiment,
                        panels=lambda fig: fig.subplots(), draw=lambda r, v, ax: ax.plot(r) and {},
                        caption=lambda r, v: f"n is {v['n']}")
    explorer.run()
    assert "n is 1" in explorer.caption.value
    seen_during.clear()
    explorer.controls["n"].value = 2              # runs again (outside a kernel: at once)
    assert seen_during and all(wording.RUNNING in c for c in seen_during), seen_during
    assert "n is 2" in explorer.caption.value and wording.RUNNING not in explorer.caption.value


def test_a_refused_run_puts_back_the_last_caption():
    def experiment(values, tick):
        if values["n"] > 5:
            raise ValueError("The 'n' parameter of count must be at most 5. Got 6 instead.")
        return [values["n"]]

    explorer = Explorer("count", {"n": int_slider(1, 1, 10, "n")}, experiment=experiment,
                        panels=lambda fig: fig.subplots(), draw=lambda r, v, ax: ax.plot(r) and {},
                        caption=lambda r, v: f"n is {v['n']}")
    explorer.run()
    explorer.controls["n"].value = 6
    assert "n is 1" in explorer.caption.value and "⚠" in explorer.message.value
