"""Lesson 06, distillation without an anchor: the lesson's figures.

Taught in notebook 06 (06_distillation_without_an_anchor.ipynb): how many samples a student
learns from, against the teacher it slides away from (`teacher_samples`).
"""
import numpy as np

from ..figures import COLORS, FROM_ZERO, PALETTE, metric_label, new_axes, styled
from ..explorers import Explorer, check_arguments
from ..explorers.controls import dropdown, float_slider, int_slider, toggle
from ..explorers.loop import first_last, runs_label
from ..engine.cache import remembered
from ..engine.checks import HISTORY, Interval, check_number, shown, validate_args
from ..engine.loop import Watcher, simulate
from ..figures import metric, recall_buckets
from ..worlds import NGramLM, Words
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
    checked = check_arguments("dashboards.distillation", run=run, world=world, samples=samples, seeds=seeds, seed=seed)
    samples, seeds, seed = checked["samples"], checked["seeds"], checked["seed"]
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
                        callback=Watcher(lambda h, g: tick(h, g + 1, v["generations"] + 1)))

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
        from ..explorers.wording import num   # the captions' shared wording rules

        def kept(x):   # a share over 100% says so
            return f"{x:.0%}" if round(100 * x) <= 100 else f"{x:.0%} (more than the teacher's: more than at the start)"

        return (f"After {g} student{'' if g == 1 else 's'} ({v['distill']} labels, {v['teacher_samples']:,} words each; "
                f"{runs_label(history)}): the head keeps {kept(left['head'])} of the teacher's recall, the torso "
                f"{kept(left['torso'])}, the tail {kept(left['tail'])}; held-out NLL {num(a)} (teacher) → "
                f"{num(first)} (student 1) → {num(b)}.")

    from ..explorers.tips import Tip

    def tail(seen):
        """The tail's recall after the last student, as a share of the teacher's (the caption's number)."""
        return seen.last("tail")

    tips = [Tip("Switch the <b>labels</b> to soft: does the chain still slide?", [{"distill": "soft"}],
                shows="with soft labels the last student keeps most of the teacher's tail (hard labels: under a fifth)",
                expect=lambda s: tail(s[1]) > 0.6 > 0.2 > tail(s[0])),
            Tip("Back to hard labels, set <b>samples</b> to 20,000: how much of the slide is left?",
                [{"teacher_samples": 20000}],
                shows="ten times the words per student leaves a smaller slide: the tail keeps several times more",
                expect=lambda s: tail(s[1]) > 2 * tail(s[0]) and tail(s[1]) < 0.9),
            Tip("Set <b>real data</b> to 5%, then 20% (fresh real words for every student; a fixed slice leaves "
                "most of the slide: §5): where does the slide stop?",
                [{"real_fraction": 0.05}, {"real_fraction": 0.2}],
                shows="each real anchor stops the slide higher: the tail keeps more with 5% than with none, "
                      "and more with 20%",
                expect=lambda s: tail(s[0]) < tail(s[1]) < tail(s[2])),
            Tip("Make the <b>student</b> order 4, as large as the teacher: does the tail still drain with hard labels?",
                [{"student_order": 4}],
                shows="yes: a student as large as its teacher still loses most of the tail with hard labels",
                expect=lambda s: tail(s[1]) < 0.3),
            Tip("Now soft labels with the <b>student</b> order 4, as large as the teacher: do soft labels still "
                "stop the slide?", [{"distill": "soft", "student_order": 4}],
                shows="less well: the same-size student on soft labels keeps less of the tail than the small one did "
                      "(soft labels help most where the words cover the student's contexts)",
                expect=lambda s: tail(s[1]) < 0.6)]
    explorer = Explorer("Distillation chain", controls, experiment=experiment, panels=panels, draw=draw,
                        caption=caption, tips=tips, defaults=defaults, owner="dashboards.distillation",
                        figsize=(7.8, 3.4), margins=dict(bottom=0.15, wspace=0.35), results_kept=4,
                        note="Each change reruns the chain: under half a second; 20,000 samples, a few seconds.")
    if run:
        explorer.run()
    return explorer


# --- self-check: each helper checks one section's claims at the lesson's settings ------------------

LESSON_RUN = dict(samples=2000, seeds=3, seed=0)   # the lesson's settings: real words for the teacher, runs, seed


def _teacher():
    return NGramLM(order=4, smoothing=0.01)


def _student():
    return NGramLM(order=3, smoothing=0.01)


@remembered(maxsize=32)
def chain(student=None, n_words=2000, **lever):
    """One seeded distillation chain at the lesson's settings (default: one generation, the 3-gram student)."""
    return simulate(Words(n_words=n_words), _teacher(), student=student or _student(),
                    **{"generations": 1, **LESSON_RUN, **lever})


@remembered(maxsize=2)
def real_student(n_words=2000):
    """The same student fitted on real words: simulate's generation 0 with the 3-gram."""
    return simulate(Words(n_words=n_words), _student(), generations=1, **LESSON_RUN)


def _generations(history, owner):
    """The last generation of a run of a language model (one with a held-out NLL), else the course's error."""
    if "heldout_nll" not in history.metrics:
        raise ValueError(f"The 'history' parameter of {owner} must be a run of a language model (with the metric "
                         f"heldout_nll). Got a run with {shown(', '.join(history.metrics))} instead.")
    return np.shape(history.metrics["heldout_nll"])[1] - 1


@validate_args({"history": [HISTORY], "g": [Interval(int)]})
def nll(history, g):
    """Held-out NLL at generation g, median over the runs (nats per character)."""
    last = _generations(history, "nll")
    check_number(g, "g", "nll", low=-last - 1, high=last, integer=True)   # from the end: -1 is the last
    return history.median("heldout_nll")[g]


@validate_args({"history": [HISTORY]})
def slide(history):
    """How far a chain's held-out NLL rose from the first student to the last."""
    if _generations(history, "slide") < 1:
        raise ValueError("The 'history' parameter of slide must be a chain of at least one generation after "
                         "the teacher's (generations ≥ 1). Got a run of generation 0 only instead.")
    return nll(history, -1) - nll(history, 1)


def _check_first_student():
    """§1: the first student keeps the head, loses the tail, against the same student on real words."""
    hard, real = chain(), real_student()
    kept = {b: hard.median(b)[1] / real.median(b)[0] for b in ("recall_head", "recall_tail")}
    assert kept["recall_head"] > 0.95 and kept["recall_tail"] < 0.85, kept
    assert nll(hard, 1) > nll(real, 0) + 0.1


def _check_one_step_levers():
    """§2: hard labels need many samples, soft labels few; both meet below the real-word student."""
    hard, real = chain(), real_student()
    first = {(d, n): nll(chain(teacher_samples=n, distill=d), 1) for d in ("hard", "soft") for n in (2000, 20000, 200000)}
    assert abs(first["hard", 2000] - 2.16) < 0.03 and abs(first["hard", 20000] - 1.98) < 0.03, first
    assert abs(first["hard", 200000] - 1.92) < 0.02 and abs(first["soft", 20000] - 1.92) < 0.02, first
    assert abs(first["soft", 2000] - 1.95) < 0.02 and first["soft", 2000] < first["hard", 20000]
    assert abs(first["hard", 200000] - first["soft", 20000]) < 0.01, first
    assert max(first["hard", 200000], first["soft", 20000]) < nll(real, 0) - 0.02
    assert abs(nll(real, 0) - 1.96) < 0.02 and abs(nll(hard, 0) - 1.79) < 0.02


def _check_chain():
    """§3: the chain loses the tail first; more samples slow it; soft labels all but stop it for the 3-gram
    student, whose contexts 2,000 words cover, but not for a student the teacher's size."""
    hard10 = chain(generations=10)
    left = {b: hard10.median(b, relative=True)[-1] for b in ("recall_head", "recall_torso", "recall_tail")}
    assert left["recall_tail"] < left["recall_torso"] < left["recall_head"], left
    slides = {"hard 2k": slide(hard10), "hard 20k": slide(chain(generations=10, teacher_samples=20000)),
              "soft 2k": slide(chain(generations=10, distill="soft"))}
    assert slides["hard 2k"] > 0.8 and 0.15 < slides["hard 20k"] / slides["hard 2k"] < 0.35
    assert slides["soft 2k"] < 0.05, slides
    # a 4-gram student reads contexts the teacher's 2,000 words seldom visit: soft labels still slide
    same = chain(student=_teacher(), generations=10, distill="soft")
    tail = same.median("recall_tail")
    assert 0.2 < slide(same) < 0.35 and tail[-1] < 0.55 * tail[1], (slide(same), tail)
    # ... unless the transfer set covers them: 20,000 words per student, and the slide is gone
    assert abs(slide(chain(student=_teacher(), generations=10, distill="soft", teacher_samples=20000))) < 0.05


def _check_anchor():
    """§5: fresh real words: 5% about halve the slide, 20% all but stop it, and the tail levels off.
    A fixed slice of the teacher's real words: 5% is worth little, 20% only halves it; keeping all data does it."""
    hard_slide = slide(chain(generations=10))
    anchor = {f: chain(generations=10, real_fraction=f) for f in (0.05, 0.2)}
    assert 0.35 < slide(anchor[0.05]) / hard_slide < 0.65
    assert slide(anchor[0.2]) < 0.15 * hard_slide
    tail20 = anchor[0.2].median("recall_tail")
    assert abs(tail20[-1] - tail20[5]) < 0.02, tail20
    fixed = {f: slide(chain(generations=10, real_fraction=f, real_source="fixed")) / hard_slide for f in (0.05, 0.2)}
    assert fixed[0.05] > 0.8 and 0.4 < fixed[0.2] < 0.65, fixed
    assert abs(slide(chain(generations=10, mode="accumulate")) - 0.09) < 0.02     # exercise 4's "about 0.09"


def _check_solutions():
    """The exercises' solutions: a student as large as its teacher loses nothing with soft labels; hard labels cost it."""
    same = chain(student=_teacher(), teacher_samples=20000, distill="soft")
    assert abs(nll(same, 1) - nll(same, 0)) < 0.01
    assert abs(nll(chain(student=_teacher(), teacher_samples=20000), 1) - 1.97) < 0.03


def self_check():
    """Notebook 06's self-check: every claim above, from its own seeded runs. Returns the line to print."""
    _check_first_student()
    _check_one_step_levers()
    _check_chain()
    _check_anchor()
    _check_solutions()
    return "Self-check passed."
