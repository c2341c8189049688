"""A "Try this" line as a promise: what to set, and what the learner will then see.

    Tip("Set <b>real data</b> to 0.1: does σ still fall?",
        {"real_fraction": 0.1},
        shows="with 10% fresh real data σ ends higher than without",
        expect=lambda seen: seen[1].last("std") > seen[0].last("std"))

A tip's steps are applied one after another, starting from the explorer's defaults (Reset), each
followed by a run, as a learner following the line would. `expect(seen)` reads what each run
showed: seen[0] is the defaults, seen[k] the run after step k. tests/test_tips.py applies every
tip of every explorer with `try_tip` and checks its `expect`, and that no run stopped early
(unless the tip says `stops=True`).
"""
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Tip:
    """text: the line shown (HTML); steps: control name → value, one dict a step; shows: the promise
    in words (what a failing test prints); expect(seen) -> bool; stops: a run may stop early."""
    text: str
    steps: tuple = field(default_factory=tuple)
    shows: str = ""
    expect: object = None
    stops: bool = False

    def __str__(self):
        return self.text


@dataclass
class Seen:
    """What one run of a tip showed: the settings, the caption, the arrays drawn, the message line."""
    values: dict
    caption: str
    plotted: dict
    result: object
    history: object
    message: str
    reported: dict

    def last(self, name):
        """The last finite value of an array the explorer drew (a median over seeds)."""
        series = np.asarray(self.plotted[name], dtype=float)
        return series[np.isfinite(series)][-1]

    def first(self, name):
        series = np.asarray(self.plotted[name], dtype=float)
        return series[np.isfinite(series)][0]

    @property
    def stopped_early(self):
        """The reason some seed stopped early, or "" (every seed ran every generation)."""
        histories = self.result.values() if isinstance(self.result, dict) else [self.result]
        for history in histories:
            reasons = [reason for reason in getattr(history, "stopped", []) if reason]
            if reasons:
                return reasons[0]
        return ""


def try_tip(explorer, tip):
    """Follow `tip` on `explorer` as a learner would: Reset, then each step and a run. Returns [Seen]."""
    seen = []
    for step in ({},) + tuple(tip.steps):
        if not step:
            explorer.reset()
        with explorer.hold():                     # several controls at once: one run, not one each
            for name, value in step.items():
                explorer.controls[name].value = value
        explorer.run()
        seen.append(Seen(explorer.values(), explorer.summary, dict(explorer.plotted), explorer.result,
                         explorer.history, explorer.message.value,
                         # a copy of each report: an explorer may update its dict in place on the next run
                         {k: dict(v) if isinstance(v, dict) else v for k, v in explorer.reported.items()}))
    return seen
