"""Lesson 06, distillation without an anchor: the lesson's figures.

Taught in notebook 06 (06_distillation_without_an_anchor.ipynb): how many samples a student
learns from, against the teacher it slides away from (`teacher_samples`).
"""
import numpy as np

from ..figures import COLORS, FROM_ZERO, PALETTE, metric_label, new_axes, styled


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
