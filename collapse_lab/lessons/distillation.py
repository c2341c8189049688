"""Lesson 06, distillation without an anchor: the lesson's figures.

Taught in notebook 06 (06_distillation_without_an_anchor.ipynb): how many samples a student
learns from, against the teacher it slides away from (`teacher_samples`).
"""
import numpy as np

from ..figures import COLORS, FROM_ZERO, PALETTE, metric_label, new_axes, styled
from ..explorers import Explorer
from ..explorers.controls import dropdown, float_slider, int_slider, toggle
from ..explorers.loop import first_last, runs_label
from ..engine.loop import simulate
from ..figures import metric, recall_buckets
from ..worlds import NGramLM
from .language import lesson_world


# hard labels (sampled words) in the colour of collapse, soft labels (the teacher's probabilities) in blue;
# each also has its own line style and marker, so neither is told apart by colour alone
DISTILL_STYLE = {"hard": (PALETTE["vermillion"], "-", "o"), "soft": (PALETTE["blue"], "--", "s")}


REFERENCE_STYLE = [(COLORS["world"], ":"), (COLORS["real"], "-.")]


@styled
def teacher_samples(runs, name="heldout_nll", ax=None, references=None, generation=1, q=(0.1, 0.9)):
    """One distillation step against the number of teacher samples: one line for hard labels, one
    for soft (notebook 06).

    runs       : {(distill, teacher_samples): History}, e.g. {("hard", 2000): h, ("soft", 2000): h, ...};
                 each History a teacher (generation 0) and its student (generation 1)
    name       : the metric of the student to draw ('heldout_nll', 'recall_tail', ...)
    references : {label: value}, horizontal lines to compare with (the teacher, the same student
                 trained on real words), each in its own colour and line style
    The median over seeds is the line; the error bar covers the middle 80% of the runs. The x axis
    is logarithmic: 2,000, 20,000 and 200,000 samples are equal steps.
    """
    ax = new_axes(ax)
    for distill, (color, linestyle, marker) in DISTILL_STYLE.items():
        sizes = sorted(n for d, n in runs if d == distill)
        if not sizes:
            continue
        values = np.array([np.asarray(runs[distill, n][name], float)[:, generation] for n in sizes])  # (sizes, seeds)
        median = np.median(values, axis=1)
        lo, hi = np.quantile(values, q, axis=1)
        ax.errorbar(sizes, median, yerr=[median - lo, hi - median], color=color, linestyle=linestyle, marker=marker,
                    capsize=3, markersize=5, label=f"{distill} labels")
    for (label, value), (color, linestyle) in zip((references or {}).items(), REFERENCE_STYLE * 2):
        ax.axhline(value, color=color, linestyle=linestyle, linewidth=1.3, label=label)
    ax.set_xscale("log")
    sizes = sorted({n for _, n in runs})
    ax.set_xticks(sizes, labels=[f"{n:,}" for n in sizes])
    ax.minorticks_off()
    ax.set_xlabel("teacher samples the student learns from")
    if name in FROM_ZERO:                       # recalls from 0: a short axis would exaggerate small gaps
        ax.set_ylim(bottom=0)
    ax.set_ylabel(metric_label(name, width=24))
    ax.legend(loc="best")
    return ax


# --- the explorer ------------------------------------------------------------------------------

# teacher samples the distillation explorer offers: a chain of 10 students on 20,000 soft labels
# takes several seconds; 200,000 (notebook 06's one-step figure) would take half a minute
DISTILL_SIZES = (2000, 5000, 20000)


def _labels_toggle():
    """Hard or soft labels: what a student learns from its teacher (notebook 06)."""
    return toggle(["hard", "soft"], "hard", "labels",
                  ["the words the teacher wrote (sequence-level distillation)",
                   "the teacher's next-character probabilities (Hinton et al. 2015)"])


def explorer(run=True, world=None, samples=2000, seeds=3, seed=0, **defaults):
    """Notebook 06: a teacher n-gram, a chain of student n-grams, and an optional real-data anchor.

    Controls: teacher_order, student_order, teacher_samples (words each student learns from),
    distill ('hard': the teacher's sampled words, sequence-level as in Kim & Rush 2016; 'soft': its
    next-character probabilities, Hinton et al. 2015), real_fraction (the anchor), generations (students).
    Left panel: head, torso and tail recall as shares of the teacher's; right: held-out NLL.
    Draws its default chain at once (run=False: wait for a control to change).
    """
    world = world or lesson_world(2000)
    controls = {
        "teacher_order": int_slider(4, 2, 6, "teacher", "the teacher's n-gram order: characters it reads, plus one"),
        "student_order": int_slider(3, 1, 6, "student", "each student's n-gram order: characters it reads, plus one"),
        "teacher_samples": dropdown([(f"{n:,}", n) for n in DISTILL_SIZES], DISTILL_SIZES[0], "samples"),
        "distill": _labels_toggle(),
        "real_fraction": float_slider(0.0, 0.0, 0.5, 0.05, "real data", fmt=".0%",
                                       tooltip="share of real words in each student's training set (the anchor)"),
        "generations": int_slider(10, 1, 20, "students", "how many students in the chain"),
    }
    controls["teacher_samples"].tooltip = "words of the previous model each student learns from"

    def experiment(v, tick):
        return simulate(world, NGramLM(order=v["teacher_order"], smoothing=0.01), generations=v["generations"],
                        student=NGramLM(order=v["student_order"], smoothing=0.01), real_fraction=v["real_fraction"],
                        teacher_samples=v["teacher_samples"], distill=v["distill"],
                        samples=samples, seeds=seeds, seed=seed,
                        callback=lambda h, g: tick(h, g + 1, v["generations"] + 1))

    def panels(fig):
        return fig.subplots(1, 2)

    def draw(history, v, axes):
        left, right = axes
        recall_buckets(history, ax=left)
        metric(history, "heldout_nll", ax=right, color=DISTILL_STYLE[v["distill"]][0],
                     linestyle=DISTILL_STYLE[v["distill"]][1])
        right.set_xlabel("generation (0 = teacher)")
        return {"tail": history.median("recall_tail", relative=True)}

    def caption(history, v):
        left = {b: history.median(f"recall_{b}", relative=True)[-1] for b in ("head", "torso", "tail")}
        a, b, g = first_last(history, "heldout_nll")
        first = history.median("heldout_nll")[1]
        return (f"After {g} students ({v['distill']} labels, {v['teacher_samples']:,} words each; {runs_label(history)}): "
                f"the head keeps {left['head']:.0%} of the teacher's recall, the torso {left['torso']:.0%}, "
                f"the tail {left['tail']:.0%}; held-out NLL {a:.2f} (teacher) → {first:.2f} (student 1) → {b:.2f}.")

    tips = ["Switch the <b>labels</b> to soft: does the chain still slide?",
            "Back to hard labels, set <b>samples</b> to 20,000: how much of the slide is left?",
            "Set <b>real data</b> to 5%, then 20%: where does the slide stop?",
            "Make the <b>student</b> order 4, as large as the teacher: does the tail still drain with hard labels?"]
    explorer = Explorer("Distillation chain", controls, experiment=experiment, panels=panels, draw=draw,
                        caption=caption, tips=tips, defaults=defaults, owner="dashboards.distillation",
                        figsize=(7.8, 3.4), margins=dict(bottom=0.15, wspace=0.35), results_kept=4,
                        note="Each change reruns the chain: under half a second; 20,000 samples, a few seconds.")
    if run:
        explorer.run()
    return explorer
