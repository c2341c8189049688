"""Lesson 03, modes and minorities: the lesson's runs and figures.

Taught in notebook 03 (03_modes_and_minorities.ipynb): `lesson_run` is the lesson's seeded
experiment (a two-mode mixture refitted by EM on its own samples), `lost` reads off how many runs
lost the minority, and `survival_compare` draws the levers side by side.
"""
import numpy as np

from ..engine.cache import remembered
from ..engine.gates import parse as parse_gate
from ..engine.loop import simulate
from ..figures import CYCLE, LINESTYLES, PALETTE, new_axes, styled, survival
from ..worlds import Mixture, MixtureModel


# The lesson's settings: 200 points a generation, 60 generations, 40 seeds, a 10% minority.
SAMPLES, GENERATIONS, SEEDS, MINORITY = 200, 60, 40, 0.1


@remembered(maxsize=32)
def lesson_run(minority=MINORITY, *, samples=SAMPLES, generations=GENERATIONS, seeds=SEEDS, seed=0,
               gate="none", **levers):
    """simulate(Mixture.two_d(minority), MixtureModel(2), ...) with the lesson's settings.

    `gate` is a spec for gates.parse ('none', 'clip:2.5'); any other lever of simulate
    (real_fraction, real_source, mode, temperature) passes through. The run is remembered
    per set of arguments, however they are written (lesson_run() and lesson_run(0.1, seeds=40)
    are the same run; engine/cache.py); treat it as read-only.
    """
    world = Mixture.two_d(minority=minority)
    return simulate(world, MixtureModel(2), generations=generations, samples=samples, seeds=seeds, seed=seed,
                    gate=parse_gate(gate, world), **levers)


def lost(history, above=0.02, generation=-1):
    """Share of runs whose model gives the minority at most `above` weight at `generation`."""
    return float((np.asarray(history["minority_weight"])[:, generation] <= above).mean())



# one colour, line style and marker per way of bringing real data in (notebook 03). Colour-blind
# readers lose most hue differences between these colours, so no two share both dash and marker.
LOOP_STYLE = {
    "fully synthetic": (PALETTE["vermillion"], "-", None),
    "fixed real set": (PALETTE["orange"], "--", None),
    "fresh real data": (PALETTE["green"], "-.", None),
    "accumulate": (PALETTE["blue"], ":", None),
    "accumulate-subsample": (PALETTE["sky"], "-", "o"),
    "clip outliers": (PALETTE["purple"], "--", "s"),
}


@styled
def survival_compare(runs, name="minority_weight", above=0.02, ax=None, styles=None):
    """Survival curves of several runs side by side: the share of each run's seeds whose `name`
    is above `above`, generation by generation (plots.survival for each, one style each).

    runs   : {label: History}; a label found in LOOP_STYLE (or in `styles`, as (colour, dash,
             marker or None)) gets that style; other labels take the next colour and dash in turn
    Returns {label: share per generation}. The legend names each run and its number of seeds.
    """
    ax = new_axes(ax)
    styles = {**LOOP_STYLE, **(styles or {})}
    shares = {}
    for i, (label, history) in enumerate(runs.items()):
        color, dash, marker = styles.get(label, (CYCLE[i % len(CYCLE)], LINESTYLES[i % len(LINESTYLES)], None))
        seeds = np.asarray(history[name]).shape[0]
        shares[label] = survival(history, name, above, ax=ax, color=color, label=f"{label} ({seeds} runs)")
        line = ax.get_lines()[-1]
        line.set(linestyle=dash, linewidth=2.0)
        if marker:  # a few markers, not one per generation
            line.set(marker=marker, markersize=4, markevery=max(1, len(line.get_xdata()) // 12))
    ax.set_xlim(0, max(np.asarray(h[name]).shape[1] - 1 for h in runs.values()))
    ax.set_ylabel(f"share of runs whose model\ngives the minority > {above:.0%}")
    ax.legend(loc="lower left", fontsize=8)
    return shares
