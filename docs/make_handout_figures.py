"""Draw the four figures of the one-page handout (docs/handout.md), one per rule, from seeded runs.

    python docs/make_handout_figures.py     # writes docs/figures/rule1.png ... rule4.png (about 30 s)

Every curve is the median of 3 seeded runs of the course's engine, with the capstone's settings
(the 4-gram on the 2,000 most frequent English words, 2,000 words per generation, 10 generations),
so the figures match notebook 08 and can be redrawn whenever the engine changes. Each series has
its own line style as well as its own colour, so the figures read in grey and to a colour-blind reader.
"""
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from collapse_lab import plots, simulate  # noqa: E402
from collapse_lab.lessons import capstone  # noqa: E402
from collapse_lab.lessons.capstone import Recipe  # noqa: E402

OUT = Path(__file__).resolve().parent / "figures"
SIZE = (3.8, 2.3)  # inches: four of them fit one printed page beside the text


def _figure():
    fig, ax = plt.subplots(figsize=SIZE)
    return fig, ax


def _save(fig, ax, name, title, legend="best"):
    ax.set_title(title, fontsize=9)
    ax.set_xlabel(ax.get_xlabel() or "generation")
    ax.legend(fontsize=7, frameon=False, loc=legend)
    fig.set_layout_engine("tight")
    fig.savefig(OUT / name, dpi=150)
    plt.close(fig)
    return OUT / name


def rule1():
    """Keep real data in every training set: held-out NLL under replace, accumulate (all data, or
    2,000 words of it) and 5% fresh real data."""
    runs = {"replace (naive)": Recipe(), "5% fresh real": Recipe(0.05), "accumulate-subsample": Recipe(mode="accumulate-subsample"),
            "accumulate": Recipe(mode="accumulate")}
    fig, ax = _figure()
    colours = dict(zip(runs, (plots.COLORS["replace"], plots.COLORS["real"], plots.PALETTE["sky"], plots.COLORS["accumulate"])))
    plots.compare({name: capstone.score(r).history for name, r in runs.items()}, "heldout_nll", ax=ax, band=False,
                  colors=colours)
    ax.set_ylabel("held-out NLL\n(lower is better)")
    return _save(fig, ax, "rule1.png", "Keep real data: accumulate beats replace", legend="upper left")


def rule2():
    """Gates buy quality, not the tail: the tail part of notebook 08's score (tail recall after 10
    generations, relative to generation 0) for each gate, with no store of data (replace) and with
    data kept at equal compute (accumulate-subsample); 5% fresh real data in both."""
    _, scores = capstone.gate_table()
    gates = {"none": "no gate", "real": "spell-\nchecker", "top:0.95": "likeliest\n95%", "top:0.9": "likeliest\n90%"}
    modes = {"replace": ("replace (no store)", "vermillion", "//"),
             "accumulate-subsample": ("data kept (equal compute)", "blue", "")}
    fig, ax = _figure()
    width = 0.38
    for k, (mode, (label, colour, hatch)) in enumerate(modes.items()):
        x = [i + (k - 0.5) * width for i in range(len(gates))]
        ax.bar(x, [scores[mode, g].tail for g in gates], width, color=plots.PALETTE[colour], hatch=hatch,
               edgecolor="white", label=label)
    ax.set_xticks(range(len(gates)), list(gates.values()), fontsize=7)
    ax.set(ylabel="tail recall\n(vs generation 0)", ylim=(0, 0.8), xlabel="gate")
    return _save(fig, ax, "rule2.png", "Gates buy quality, not the tail", legend="upper right")


# rule 3's chains: a student the teacher's size (the capstone's 4-gram), 10 students, 3 seeds
RULE3_CHAINS = {"2,000 hard samples": {}, "+ fixed 20% real slice": {"real_fraction": 0.2, "real_source": "fixed"},
                "+ fresh 20% real": {"real_fraction": 0.2}, "soft labels": {"distill": "soft"},
                "20,000 samples": {"teacher_samples": 20000}}


def rule3_runs():
    """{name: History} of rule 3's chains (tests/test_lesson_08.py checks the handout's words against them)."""
    world, model = capstone._capstone_world(), capstone._model
    return {name: simulate(world, model(), student=model(), generations=10, samples=2000, seeds=3, seed=0, **kw)
            for name, kw in RULE3_CHAINS.items()}


def rule3():
    """Distillation drifts: a chain of students the teacher's size, each fitted on 2,000 sampled words of
    its teacher (hard labels), against a fixed or a fresh 20% of real data, soft labels and ten times the
    samples. Fresh real data, soft labels and more samples slow the drift most; a fixed slice less."""
    fig, ax = _figure()
    plots.compare(rule3_runs(), "heldout_nll", ax=ax, band=False)
    ax.set_ylabel("held-out NLL\n(lower is better)")
    ax.set_xlabel("student")
    return _save(fig, ax, "rule3.png", "Distillation drifts; fresh real data or soft labels slow it", legend="upper left")


def rule4():
    """Monitor against real data: the naive flywheel's anchored metrics (held-out NLL, tail recall)
    sound the alarm while raw-output diversity (distinct words) looks fine or even improves."""
    h = capstone.score(Recipe()).history
    fig, ax = _figure()
    series = {"held-out NLL (anchored)": ("heldout_nll", "vermillion", "-"),
              "tail recall (anchored)": ("recall_tail", "blue", "--"),
              "distinct words (raw output)": ("distinct_words", "black", ":")}
    for label, (name, colour, style) in series.items():
        ax.plot(h.median(name) / h.median(name)[0], color=plots.PALETTE[colour], linestyle=style, label=label)
    ax.axhline(1.0, color="0.6", linewidth=0.8)
    ax.set_ylim(0, 2.3)  # room above the curves for the legend
    ax.set_ylabel("relative to generation 0")
    return _save(fig, ax, "rule4.png", "Monitor against real data", legend="upper left")


def main():
    OUT.mkdir(exist_ok=True)
    plots.style()
    for draw in (rule1, rule2, rule3, rule4):
        print(draw())
    return 0


if __name__ == "__main__":
    sys.exit(main())
