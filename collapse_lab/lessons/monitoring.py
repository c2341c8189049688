"""Lesson 07, part 1: monitoring a flywheel — which numbers warn of collapse, and which do not.

Taught in notebook 07 (07_monitoring_and_provenance.ipynb), Part 1: the monitor explorer, the
alarms it sets (ALARMS: a metric, how far it may move from generation 0, and in which direction),
and the runs the lesson reads them from. Part 2 and 3 (whose words a corpus holds) are in
lessons/provenance.py.
"""
import numpy as np

from ..engine.cache import remembered
from ..engine.checks import HISTORY, Array, DictOf, HasAttributes, Interval, Options, shown, validate_args
from ..engine.gates import parse as parse_gate
from ..engine.loop import simulate
from ..explorers import Explorer, check_arguments
from ..explorers.controls import LANGUAGE_LIMITS, STRENGTH, GateControl, gate_spec, int_slider, loop_controls
from ..explorers.loop import run_loop
from ..figures import COLORS, PALETTE, metric, metric_label
from ..worlds.words import distinct_real_words
from .language import LANGUAGE_GATES, NGRAM_SMOOTHING_TIP, language_model, lesson_world, smoothing_slider


# the four alarms of notebook 07: metric → (view control, slider description, direction, default %)
ALARMS = {
    "heldout_nll": ("nll_rise", "NLL rise %", +1, 10),
    "distinct_words": ("distinct_drop", "distinct drop %", -1, 20),
    "recall_tail": ("tail_drop", "tail recall drop %", -1, 30),
    "entropy": ("entropy_drop", "entropy drop %", -1, 5),
}


@validate_args({"curve": [Array(ndim=1, finite=False)], "threshold": [Interval(float)],
                "direction": [Options(1, -1)]})
def first_alarm(curve, threshold, direction):
    """The first generation ≥ 1 whose value moved past `threshold` (a share of generation 0), or None.

    direction +1: an alarm on a rise (held-out NLL); −1: on a drop (diversity, tail recall).
    """
    curve = np.asarray(curve, float)
    if not curve[0]:
        return None  # nothing to lose (e.g. no tail recall at generation 0): no share can be crossed
    change = direction * (curve / curve[0] - 1.0)
    tripped = np.flatnonzero(change[1:] >= threshold)     # NaN (not run yet) never trips
    return int(tripped[0]) + 1 if tripped.size else None


# the monitor's default run (notebook 07), for runs that need its numbers but not its explorer
MONITOR_RUN = dict(n_words=5000, order=3, smoothing=0.1, generations=20, samples=2000, seeds=2, seed=0)


@validate_args({"gate": [Options("none", "top", "real", "dedup")]})
@remembered(maxsize=8)
def monitor_run(real_fraction=0.0, mode="replace", gate="none", **settings):
    """The flywheel `monitor(**same settings)` runs, without building the explorer or drawing:
    a History with the same numbers, in about a third of the time (notebook 07's self-check and
    exercises use it). gate: "none", "top", "real" or "dedup" (top at the explorer's default strength)."""
    run = {**MONITOR_RUN, **settings}
    world = lesson_world(run.pop("n_words"))
    model = language_model("ngram", run.pop("order"), run.pop("smoothing"))
    strength = STRENGTH[gate][4] if gate in STRENGTH else None
    gate = parse_gate(gate_spec(gate, strength), world) if gate != "none" else None
    return simulate(world, model, real_fraction=real_fraction, mode=mode, gate=gate, **run)


@validate_args({"history": [HISTORY],
                "thresholds": [None, DictOf(Interval(float, 0, None), key=Options(*ALARMS), empty=True,
                                            what=f"None or a dict {{metric: percent ≥ 0}} of {', '.join(ALARMS)}")]})
def monitor_alarms(history, thresholds=None):
    """The monitor's four alarms on a History: metric -> first generation past its threshold, or None.

    thresholds: {metric: percent} for any of the four (default: the monitor's, ALARMS)."""
    missing = [name for name in ALARMS if name not in history.metrics]
    if missing:
        raise ValueError(f"The 'history' parameter of monitor_alarms must be a run of a Words world, with the metrics "
                         f"{', '.join(ALARMS)}. Got a run without {', '.join(missing)} "
                         f"(its metrics: {shown(', '.join(history.metrics))}) instead.")
    thresholds = {**{name: default for name, (_, _, _, default) in ALARMS.items()}, **(thresholds or {})}
    return {name: first_alarm(history.median(name), thresholds[name] / 100, direction)
            for name, (_, _, direction, _) in ALARMS.items()}


def explorer(run=True, n_words=5000, **defaults):
    """Notebook 07: watch a language-model flywheel with alarms, and see which one trips first.

    Run controls: order, smoothing, real_fraction, mode, samples, generations, temperature, seeds, seed,
    gate, strength. View controls (no rerun): the alarm thresholds, in percent of generation 0:
    nll_rise, distinct_drop, tail_drop, entropy_drop. `.alarms` maps each watched metric to
    the first generation whose median crossed its threshold, or None.
    """
    n_words = check_arguments("dashboards.monitor", run=run, n_words=n_words)["n_words"]
    world = lesson_world(n_words)
    controls = {"order": int_slider(3, 1, 6, "n-gram order"), "smoothing": smoothing_slider(0.1, NGRAM_SMOOTHING_TIP)}
    controls.update(loop_controls(samples=2000, generations=20, seeds=2, max_seeds=10, limits=LANGUAGE_LIMITS))
    controls["gate"] = GateControl(LANGUAGE_GATES)
    view = {key: int_slider(default, 1, 90, text) for key, text, _, default in ALARMS.values()}

    def experiment(v, tick):
        return run_loop(world, language_model("ngram", v["order"], v["smoothing"]), v, tick)

    def panels(fig):
        return fig.subplots(2, 2).ravel()

    def draw(history, v, axes):
        alarms = {}
        for ax, (name, (key, _, direction, _)) in zip(axes, ALARMS.items()):
            metric(history, name, ax=ax, color=COLORS[v["mode"]], legend=False)
            ax.set_ylim(bottom=0)  # from 0: a few percent of entropy must not look like a cliff
            median = history.median(name)
            threshold = v[key] / 100
            ax.axhline(median[0] * (1 + direction * threshold), color=COLORS["theory"], linestyle="--",
                       linewidth=1.0, label="alarm threshold")
            alarms[name] = g = first_alarm(median, threshold, direction)
            if g is not None:
                ax.axvline(g, color=PALETTE["purple"], linewidth=2.0, linestyle="-.")
                ax.annotate(f"alarm at {g}", (g, 1.0), xycoords=("data", "axes fraction"), xytext=(4, -14),
                            textcoords="offset points", color=PALETTE["purple"], fontsize=9)
        axes[0].legend(loc="lower right")
        return {"alarms": alarms, **{name: history.median(name) for name in ALARMS}}

    def caption(history, v):
        alarms = explorer.alarms
        tripped = [f"{metric_label(n).split(' (')[0]} at generation {g}" for n, g in alarms.items() if g]
        quiet = [metric_label(n).split(' (')[0] for n, g in alarms.items() if not g]
        return ("Alarms: " + (", ".join(tripped) if tripped else "none") +
                (f". Quiet: {', '.join(quiet)}." if quiet else "."))

    def alarms(history, v, plotted):
        # `.alarms`: each watched metric → the first generation whose median crossed its threshold, or None
        return {"alarms": dict(plotted.get("alarms", {}))}

    from ..explorers.tips import Tip

    def alarm(seen, name):
        return seen.reported["alarms"][name]

    tips = [Tip("Lower <b>tail recall drop %</b> to 10: how much earlier does it trip?", [{"tail_drop": 10}],
                shows="the tail alarm trips earlier than at 30% (generation 1 rather than 2 here)",
                expect=lambda s: alarm(s[1], "recall_tail") < alarm(s[0], "recall_tail")),
            Tip("Set <b>real data</b> 0.2 and <b>training set</b> accumulate, then Run: any false alarm?",
                [{"real_fraction": 0.2, "mode": "accumulate"}],
                shows="a healthy flywheel trips no alarm",
                expect=lambda s: not any(s[1].reported["alarms"].values())),
            Tip("Lower <b>distinct drop %</b> and <b>entropy drop %</b> to 1: why do they still stay quiet?",
                [{"distinct_drop": 1, "entropy_drop": 1}],
                shows="they stay quiet at any threshold because distinct words and entropy rise while the model collapses",
                expect=lambda s: alarm(s[1], "distinct_words") is None and alarm(s[1], "entropy") is None
                and s[1].last("distinct_words") > s[1].first("distinct_words")
                and s[1].last("entropy") > s[1].first("entropy"))]
    explorer = Explorer("Monitoring a flywheel", controls, experiment=experiment, panels=panels, draw=draw,
                        caption=caption, on_result=alarms, view=view, defaults=defaults, owner="dashboards.monitor",
                        auto=False, live_first=True, note="Press Run; move the alarm thresholds any time.", tips=tips)
    if run:
        explorer.run()
    return explorer


@validate_args({"world": [HasAttributes("is_real", what="a Words world (e.g. Words(n_words=5000))")]})
def check_alarms(world):
    """Part 1: the NLL and tail alarms trip early; the raw-output alarms never do, because those numbers rise."""
    runs = {name: monitor_run(**kw) for name, kw in {"collapsing": {}, "healthy": dict(
        real_fraction=0.2, mode="accumulate"), "gated": dict(gate="top")}.items()}
    alarms = {name: monitor_alarms(h) for name, h in runs.items()}
    a = alarms["collapsing"]
    assert a["heldout_nll"] is not None and a["heldout_nll"] <= 3 and a["recall_tail"] is not None and a["recall_tail"] <= 3, a
    assert a["distinct_words"] is None and a["entropy"] is None, a
    assert all(g is None for g in alarms["healthy"].values()), alarms        # the healthy run stays quiet
    # the steady run (50% fresh real data, replace) settles a little lower and holds: quiet at the defaults,
    # "by generation 20 NLL up about 3%, tail recall down about 10% (17% at its lowest); a tail threshold of 15% cries wolf"
    steady = monitor_run(real_fraction=0.5)
    assert all(g is None for g in monitor_alarms(steady).values())
    nll, tail = (steady.median(m) for m in ("heldout_nll", "recall_tail"))
    assert abs(nll[-1] / nll[0] - 1.03) < 0.01 and abs(tail[-1] / tail[0] - 0.9) < 0.015, (nll, tail)
    assert abs(1 - tail.min() / tail[0] - 0.17) < 0.01 and monitor_alarms(steady, {"recall_tail": 15})["recall_tail"]
    assert all(g is not None for g in alarms["gated"].values()), alarms      # the gated one trips all four
    run = runs["collapsing"]
    run.metrics["distinct_real_words"] = distinct_real_words(run, world)
    watch = {"heldout_nll": +1, "gen0_nll": +1, "recall_tail": -1, "recall_head": -1, "real_word_share": -1,
             "distinct_real_words": -1, "distinct_words": -1, "distinct_ngrams": -1, "entropy": -1}
    for name, direction in watch.items():
        curve = run.median(name)
        change = curve[~np.isnan(curve)][-1] / curve[0] - 1
        if name in ("distinct_words", "distinct_ngrams", "entropy"):
            assert change > 0, (name, change)                                               # "all rise"
        else:
            assert direction * change > 0.1, (name, change)                                 # "all warn"
    return a
