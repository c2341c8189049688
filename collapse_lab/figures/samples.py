"""What a model wrote: histograms, scatters, rank-frequency plots and tables of its samples."""
import html

import numpy as np
from matplotlib.ticker import MaxNLocator

from ..engine.checks import check_number, shown
from .curves import LINESTYLES, _checked_seed, checked_run, pick_generations, seed_samples
from .style import COLORS, PALETTE, generation_colors, new_axes, styled


def _checked_world(world, owner, kinds, required=False):
    """None (unless required) or a world of one of the given kinds (its `kind`, engine/base.py)."""
    if world is None and not required:
        return None
    if getattr(world, "kind", None) not in kinds:
        raise ValueError(f"The 'world' parameter of {owner} must be {'' if required else 'None or '}a "
                         f"{' or '.join(kinds)} world. Got {shown(world)} instead.")
    return world


def _checked_bins(bins, owner):
    return check_number(bins, "bins", owner, low=1, high=1000, integer=True)


@styled
def histograms(history, generations=None, ax=None, bins=30, world=None, seed=0):
    """Histograms of the 1-D samples of a few snapshot generations, overlaid, early to late.

    world : draw its density (black) for comparison, if given.
    seed  : which run to show (None pools all seeds). Watch the tails go first.
    """
    checked_run(history, "histograms")
    bins, seed = _checked_bins(bins, "histograms"), _checked_seed(history, seed, "histograms")
    world = _checked_world(world, "histograms", ("gaussian", "mixture"))
    ax = new_axes(ax)
    gens = pick_generations(history, generations)
    data = [np.asarray(seed_samples(history, g, seed), float).ravel() for g in gens]
    everything = np.concatenate(data + [np.zeros(0)])
    lo, hi = np.nanpercentile(everything, [0.1, 99.9]) if everything.size else (-3, 3)
    if world is not None:  # keep the world's tails in view: they are what disappears
        centre, scale = _world_scale(world)
        lo, hi = min(lo, centre - 4 * scale), max(hi, centre + 4 * scale)
    edges = np.linspace(lo, hi, bins + 1)
    for i, (g, x, color) in enumerate(zip(gens, data, generation_colors(gens))):
        # counted with numpy and drawn as one outline (ax.hist's step histogram, at a fifth of the cost)
        density, _ = np.histogram(x, bins=edges, density=True)
        ax.stairs(density, edges, color=color, linewidth=1.5, label=f"generation {g}",
                  linestyle=LINESTYLES[i % len(LINESTYLES)])
    if world is not None:
        grid = np.linspace(lo, hi, 400)
        ax.plot(grid, np.exp(world.log_prob(grid[None, :])[0]), color=COLORS["world"], linewidth=1.2,
                linestyle=":", label="real world")
    ax.xaxis.set_major_locator(MaxNLocator(6))
    ax.yaxis.set_major_locator(MaxNLocator(4))
    ax.set_xlabel("sample value x")
    ax.set_ylabel("density")
    ax.legend(loc="upper right")
    return ax


def _world_scale(world):
    """(centre, scale) of a 1-D world, for choosing a plot range."""
    if world.kind == "gaussian":
        return float(world.mean), float(world.std)
    m, cov = world.total_moments()  # a mixture
    return float(m[0]), float(np.sqrt(cov[0, 0]))


@styled
def scatter2d(history, generations=None, axes=None, world=None, seed=0, most=4, legend=True):
    """2-D samples of a few snapshot generations side by side, on shared axes.

    world : colour each point by the world's verdict, majority or minority mode
            (world.minority_posterior(x) > 0.5), so you can watch the minority thin out.
    axes  : a sequence of axes, one per generation; a new figure if None. Returns the Figure.
    """
    checked_run(history, "scatter2d")
    seed = _checked_seed(history, seed, "scatter2d")
    world = _checked_world(world, "scatter2d", ("mixture",))
    gens = pick_generations(history, generations, most=most)
    if axes is None:
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(1, len(gens), figsize=(2.6 * len(gens) + 0.4, 3.0), sharex=True, sharey=True,
                                 squeeze=False)
        axes = axes[0]
    fig = axes[0].figure
    for ax, g in zip(axes, gens):
        P = np.asarray(seed_samples(history, g, seed), float)      # (n, 2)
        if world is not None:
            minority = world.minority_posterior(P[None])[0] > 0.5
            # shape as well as colour: dots for the majority, triangles for the minority
            # markers on a line with no line: what ax.scatter draws for same-size points, at a third of the cost
            ax.plot(*P[~minority].T, "o", markersize=6 ** 0.5, color=COLORS["majority"], alpha=0.6,
                    markeredgewidth=0, label="majority")
            ax.plot(*P[minority].T, "^", markersize=4, color=COLORS["minority"], alpha=0.95,
                    markeredgecolor=PALETTE["black"], markeredgewidth=0.3, label="minority")
            share = minority.mean()       # "0% minority" beside a visible minority point would mislead
            ax.set_title(f"generation {g}\n{share:.1%} minority" if 0 < share < 0.01 else
                         f"generation {g}\n{share:.0%} minority")
        else:
            ax.plot(*P.T, "o", markersize=5 ** 0.5, color=COLORS["majority"], alpha=0.6, markeredgewidth=0)
            ax.set_title(f"generation {g}")
        ax.set_xlabel("x₁")
        ax.set_aspect("equal", adjustable="box")
        ax.xaxis.set_major_locator(MaxNLocator(3, integer=True))
        ax.yaxis.set_major_locator(MaxNLocator(4, integer=True))
    axes[0].set_ylabel("x₂")
    if world is not None and legend:
        axes[-1].legend(loc="lower right", markerscale=2, fontsize=8)
    return fig


def _ranks(world, X):
    """Frequency rank of each sample: categories are their rank; words are looked up."""
    X = np.asarray(X)
    return world.rank(X) if world.kind == "words" else X.astype(int)


def _world_probs(world):
    p = getattr(world, "probs_", None)
    p = np.asarray(world.probs if p is None else p, float)
    return p / p.sum()


@styled
def rank_frequency(history, world, generations=None, ax=None, seed=0, by="own"):
    """Word frequencies against rank, log–log, one curve per snapshot generation, with the world's Zipf curve.

    `history.model` is only the last model, so each generation's curve is measured from its
    snapshot: the share of that generation's samples (one seed) that is each word.
    by="own"   : each generation's words sorted by their own frequency (the classic Zipf plot).
                 A curve ends where that generation's vocabulary ends: watch it get shorter.
    by="world" : each word at its rank in the real world (dots); the words a generation no
                 longer produces leave gaps, most of them in the tail (high ranks).
    Works for Categorical worlds (samples are ranks) and Words worlds (samples are words).
    """
    from matplotlib.ticker import NullLocator

    checked_run(history, "rank_frequency")
    world = _checked_world(world, "rank_frequency", ("categorical", "words"), required=True)
    seed = _checked_seed(history, seed, "rank_frequency")
    if by not in ("own", "world"):
        raise ValueError(f"The 'by' parameter of rank_frequency must be 'own' or 'world'. Got {by!r} instead.")
    ax = new_axes(ax)
    p = _world_probs(world)
    K = len(p)
    ax.plot(np.arange(1, K + 1), np.sort(p)[::-1], color=COLORS["world"], linestyle=":", linewidth=1.6,
            label="real world (Zipf)")
    gens = pick_generations(history, generations)
    for i, (g, color) in enumerate(zip(gens, generation_colors(gens))):
        r = _ranks(world, seed_samples(history, g, seed)).ravel()
        n = r.size
        freq = np.bincount(r[r >= 0], minlength=K)[:K] / max(n, 1)        # non-words have no rank
        if by == "own":
            f = np.sort(freq[freq > 0])[::-1]
            # a vocabulary of one or two words is a dot, not an invisible line
            ax.plot(np.arange(1, len(f) + 1), f, color=color, marker="o" if len(f) <= 2 else None, markersize=4,
                    linestyle=LINESTYLES[i % len(LINESTYLES)],
                    label=f"generation {g}: {len(f)} word{'s' if len(f) != 1 else ''} sampled")
        else:
            alive = np.flatnonzero(freq)
            ax.scatter(alive + 1, freq[alive], s=6, color=color, linewidths=0, label=f"generation {g}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.xaxis.set_minor_locator(NullLocator())   # decades are enough, and minor ticks are slow to draw
    ax.yaxis.set_minor_locator(NullLocator())
    ax.set_xlabel("rank (by frequency in this generation)" if by == "own" else "rank in the real world")
    ax.set_ylabel("share of samples")
    ax.legend(loc="lower left")
    return ax


@styled
def nll_histogram(history, generations=None, ax=None, bins=40, seed=None):
    """How surprising each generation's samples are to the generation-0 model (Shumailov et al. 2024, Fig. 1).

    For each snapshot, the NLL −log p₀(x) of its samples under `history.model0`, as overlaid
    histograms. Over generations the mass shifts to low NLL (the likely samples) while a tail
    of high-NLL samples grows: errors the original model would never have made.
    seed : one run, or None (default) to pool all seeds (each scored by its own model0).
    """
    checked_run(history, "nll_histogram")
    bins, seed = _checked_bins(bins, "nll_histogram"), _checked_seed(history, seed, "nll_histogram")
    ax = new_axes(ax)
    if history.model0 is None:
        raise ValueError("This History has no model0 to score its samples with.")
    gens = pick_generations(history, generations)
    data = []
    for g in gens:
        X = np.asarray(history.snapshots[g])
        nll = -np.asarray(history.model0.log_prob(X), float)             # (seeds, n)
        nll = nll[seed] if seed is not None else nll.ravel()
        data.append(nll[np.isfinite(nll)])                                # a word model0 cannot make has NLL ∞
    everything = np.concatenate(data)
    lo, hi = np.percentile(everything, [0.0, 99.5]) if everything.size else (0, 1)
    edges = np.linspace(lo, hi if hi > lo else lo + 1, bins + 1)
    for i, (g, x, color) in enumerate(zip(gens, data, generation_colors(gens))):
        ax.hist(np.clip(x, lo, edges[-1]), bins=edges, density=True, histtype="step", color=color,
                linewidth=1.5, label=f"generation {g}", linestyle=LINESTYLES[i % len(LINESTYLES)])
    ax.set_xlabel("NLL under the generation-0 model (nats per sample)")
    ax.set_ylabel("density")
    ax.legend(loc="upper right")
    return ax


class HTML(str):
    """A string of HTML that Jupyter renders as HTML (and tests can read as text)."""

    def _repr_html_(self):
        return str(self)


def words_table(history, generations=None, n=12, seed=0, world=None):
    """A table of sample words per snapshot generation, to read them turn bland. Returns HTML.

    One column per generation: the first `n` samples of one seed. With a `world` that can
    tell real words (world.is_real), made-up words are shown in grey italics.
    """
    checked_run(history, "words_table")
    n = check_number(n, "n", "words_table", low=1, high=1000, integer=True)
    seed = _checked_seed(history, seed, "words_table")
    world = _checked_world(world, "words_table", ("words",))
    gens = pick_generations(history, generations)
    columns = [np.asarray(seed_samples(history, g, seed))[:n] for g in gens]   # seed None: all seeds pooled
    real = [np.asarray(world.is_real(c), bool) if world is not None else np.ones(len(c), bool) for c in columns]
    head = "".join(f"<th style='padding:2px 8px;text-align:left'>gen {g}</th>" for g in gens)
    # a fixed cell width: a long made-up word is cut with an ellipsis, never widens the table
    cell = ("<td style='padding:1px 8px;font-family:monospace;max-width:9em;overflow:hidden;"
            "text-overflow:ellipsis;white-space:nowrap'>{}</td>")
    rows = []
    for i in range(max(len(c) for c in columns)):
        cells = []
        for c, ok in zip(columns, real):
            word = html.escape(str(c[i])) if i < len(c) else ""
            cells.append(cell.format(word if i >= len(c) or ok[i] else f"<i style='color:#777'>{word}</i>"))
        rows.append(f"<tr>{''.join(cells)}</tr>")
    note = ("<caption style='caption-side:bottom;font-size:85%;color:#555'>grey italics: not a real word</caption>"
            if world is not None else "")
    return HTML(f"<table style='border-collapse:collapse;font-size:90%;table-layout:fixed'>{note}<thead><tr>{head}</tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table>")
