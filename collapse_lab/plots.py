"""Matplotlib figures from a History: one style, one palette, no widgets.

Every function draws on the axes you pass (`ax=`) or on a new figure, and returns what it drew
on: the Axes for one panel, the Figure for several. All of them run headless (the CLI and the
tests use the Agg backend), and the dashboards call them to redraw.

    h = simulate(Gaussian(), GaussianModel(), generations=100, seeds=50, seed=0)
    plots.metric(h, "std", theory=plots.gaussian_std_theory(100, 100))

Colours come from the Okabe–Ito palette (Okabe & Ito 2008), which stays distinguishable for
the common kinds of colour blindness; early-to-late generations use the sequential `viridis`
map, which does too, and prints readably in grey.
"""
import functools
import html
import warnings

import matplotlib as mpl
import numpy as np
from matplotlib.ticker import MaxNLocator

from . import metrics

# Okabe–Ito: eight colours that colour-blind readers can tell apart
PALETTE = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}

# one colour per condition, the same in every notebook
COLORS = {
    "replace": PALETTE["vermillion"],     # train on the newest samples only: collapse
    "accumulate": PALETTE["blue"],        # keep all data so far
    "real": PALETTE["green"],             # a fresh real-data anchor
    "gated": PALETTE["purple"],           # a quality gate
    "theory": PALETTE["black"],
    "world": PALETTE["black"],            # the true distribution
    "majority": PALETTE["sky"],
    "minority": PALETTE["orange"],
}
CYCLE = [PALETTE[c] for c in ("blue", "vermillion", "green", "orange", "purple", "sky", "yellow", "black")]
GENERATION_CMAP = "viridis"  # early (dark blue) → late (yellow)

# human-readable axis labels for the engine's metric names; unknown names are shown as they are
LABELS = {
    # Gaussian and 1-D mixture
    "mean": "mean μ",
    "std": "standard deviation σ",
    "tail_2sd": "mass beyond 2σ of the original",
    "tail_3sd": "mass beyond 3σ of the original",
    "wasserstein": "distance to the real distribution (W)",
    # mixtures
    "minority_weight": "weight of the minority mode",
    "minority_share": "share of samples from the minority",
    "spread": "spread (overall σ)",
    # categorical
    "support": "categories still alive",
    "entropy": "entropy (nats)",
    "kl": "KL(model ‖ world) (nats)",
    "tv": "total variation to the world",
    "rare_alive": "share of the rarest half still alive",
    # words
    "heldout_nll": "held-out NLL (nats/char)",
    "perplexity": "perplexity (per char)",
    "real_word_share": "share of real words (quality)",
    "distinct_words": "distinct words in the samples",
    "distinct_ngrams": "distinct character 3-grams",
    "recall_head": "head recall (frequent words)",
    "recall_torso": "torso recall",
    "recall_tail": "tail recall (rarest words)",
    "length_mean": "mean word length (chars)",
    "length_std": "spread of word length (chars)",
    "gen0_nll": "NLL under generation 0 (nats/word)",
}

STYLE = {
    "figure.dpi": 80,              # small inline images keep notebooks light
    "savefig.dpi": 100,
    "figure.figsize": (6.0, 3.6),
    "figure.constrained_layout.use": True,
    "font.size": 11,
    "axes.titlesize": 11,
    "axes.labelsize": 11,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "grid.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": mpl.cycler(color=CYCLE),
    "lines.linewidth": 1.8,
    "image.cmap": GENERATION_CMAP,
}


def metric_label(name, width=None):
    """The axis label for a metric name (the name itself if we have none), wrapped to `width` chars."""
    import textwrap

    text = LABELS.get(name, name.replace("_", " "))
    return textwrap.fill(text, width) if width else text


# the projector preset: the same look, larger type and thicker lines, for a room rather than a laptop
TALK = {
    **STYLE,
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "figure.figsize": (8.0, 4.8),
    "font.size": 16,
    "axes.titlesize": 16,
    "axes.labelsize": 16,
    "legend.fontsize": 13,
    "xtick.labelsize": 14,
    "ytick.labelsize": 14,
    "lines.linewidth": 3.0,
    "lines.markersize": 8,
    "grid.linewidth": 0.8,
}
PRESETS = {"default": STYLE, "talk": TALK}
_current = {"preset": "default"}


def current_style():
    """The rcParams of the preset in use ('default' unless plots.style("talk") was called)."""
    return PRESETS[_current["preset"]]


def style(preset="default"):
    """Use the course's figure style: call once (`plots.style()`), or scope it (`with plots.style("talk"):`).

    preset : "default" (laptop-sized inline figures) or "talk" (a projector: larger fonts and
             figures, thicker lines). Every plotting function below draws inside the preset in
             use, so figures look the same whether or not a notebook called it.
    """
    if preset not in PRESETS:
        raise ValueError(f"The 'preset' parameter of style must be one of 'default', 'talk'. Got {preset!r} instead.")
    chosen = PRESETS[preset]
    saved = {k: mpl.rcParams[k] for k in chosen}
    mpl.rcParams.update(chosen)
    previous, _current["preset"] = _current["preset"], preset
    return _StyleScope(saved, previous)


class _StyleScope:
    """What style() returns: a context manager that restores the old style on exit, and that
    displays as nothing when `plots.style()` is the last line of a notebook cell."""

    def __init__(self, saved, previous="default"):
        self.saved, self.previous = saved, previous

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        mpl.rcParams.update(self.saved)
        _current["preset"] = self.previous

    def _ipython_display_(self):
        pass


def _styled(func):
    """Draw inside the course style without changing the caller's settings."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with mpl.rc_context(current_style()):
            return func(*args, **kwargs)

    return wrapper


def _axes(ax):
    """The given axes, or the axes of a new figure (made with pyplot, so Jupyter shows it)."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    return ax


def _generation_colors(gens):
    cmap = mpl.colormaps[GENERATION_CMAP]
    last = max(max(gens), 1)
    # stop at 0.9: the top of viridis is a pale yellow that vanishes on white
    return [cmap(0.9 * g / last) for g in gens]


def spread_generations(history, most=5):
    """Up to `most` snapshot generations, evenly spread, first and last included."""
    return _pick_generations(history, None, most=most)


def typical_seed(history, name):
    """The run whose last value of `name` is closest to the median over runs: a typical run to show.

    A figure of one run should show what usually happens, not what seed 0 happened to do.
    """
    values = np.asarray(history[name], float)
    last = np.array([row[~np.isnan(row)][-1] if (~np.isnan(row)).any() else np.nan for row in values])
    if np.isnan(last).all():
        return 0
    return int(np.nanargmin(np.abs(last - np.nanmedian(last))))


def band_label(q, runs):
    """What a band covers, in words: 'the middle 80% of 20 runs'."""
    return f"the middle {q[1] - q[0]:.0%} of {runs} runs"


def _pick_generations(history, generations, most=5):
    """The snapshot generations to draw: the ones asked for, or up to `most` spread evenly."""
    have = sorted(history.snapshots)
    if not have:
        raise ValueError("This History has no snapshots: run simulate with snapshots > 0.")
    if generations is None:
        if len(have) <= most:
            return have
        return [have[i] for i in metrics.spread(len(have) - 1, most)]
    missing = [g for g in generations if g not in history.snapshots]
    if missing:
        raise ValueError(f"The 'generations' parameter must list snapshot generations, from {have}. "
                         f"Got {missing} instead.")
    return list(generations)


def _seed_samples(history, g, seed):
    """Snapshot g's samples of one seed (n, ...), or of all seeds pooled when seed is None."""
    if seed is not None and hasattr(history.snapshots, "one_seed"):
        return history.snapshots.one_seed(g, seed)  # drawn when read (exact path): draw this run only
    X = np.asarray(history.snapshots[g])
    if seed is None:
        return X.reshape((-1,) + X.shape[2:])
    return X[seed]


class _ReadableLogLocator(mpl.ticker.LogLocator):
    """Log ticks a reader can use at any range: 1-2-5 within about a decade, every decade up to
    five, and every k-th decade beyond (never none, never a crowd)."""

    def __init__(self):
        super().__init__(base=10.0)

    def tick_values(self, vmin, vmax):
        if not (np.isfinite(vmin) and np.isfinite(vmax)) or vmin <= 0 or vmax <= 0:
            return super().tick_values(vmin, vmax)
        vmin, vmax = sorted((vmin, vmax))
        decades = np.log10(vmax / vmin)
        lo, hi = np.floor(np.log10(vmin)), np.ceil(np.log10(vmax))
        if decades <= 1.5:
            subs = (1.0, 2.0, 5.0)
        elif decades <= 3.5:
            subs = (1.0, 3.0)
        else:
            subs = (1.0,)
        step = max(1, int(np.ceil((hi - lo) / 6)))    # at most about 6 decade ticks
        exponents = np.arange(lo - step, hi + step + 1, step)
        ticks = np.array([m * 10.0 ** e for e in exponents for m in subs])
        inside = ticks[(ticks >= vmin * (1 - 1e-9)) & (ticks <= vmax * (1 + 1e-9))]
        if inside.size < 2:                            # a very narrow range: ends and middle
            inside = np.geomspace(vmin, vmax, 3)
        return inside

    def view_limits(self, vmin, vmax):
        """Round limits (axes.autolimit_mode 'round_numbers', as the explorers use): out to the
        next 1, 2 or 5 × 10^k rather than to whole decades, which would leave most of the panel empty."""
        if mpl.rcParams["axes.autolimit_mode"] != "round_numbers" or not (0 < vmin < vmax < np.inf):
            return super().view_limits(vmin, vmax)
        steps = np.array([1.0, 2.0, 5.0, 10.0])
        low = 10.0 ** np.floor(np.log10(vmin))
        high = 10.0 ** np.floor(np.log10(vmax))
        return (low * steps[steps * low <= vmin * (1 + 1e-9)].max(),
                high * steps[steps * high >= vmax * (1 - 1e-9)].min())


def _log_label(value, _pos=None):
    """0.2, 1, 50 as plain numbers; 1e-05 and 2e+07 beyond."""
    return f"{value:.2g}" if 1e-3 <= value < 1e4 else f"{value:.0e}"


def _log_y(ax):
    """A log y axis with readable ticks at any range (plain numbers, few ticks: quick to draw)."""
    from matplotlib.ticker import FuncFormatter, NullLocator

    ax.set_yscale("log")
    ax.yaxis.set_major_locator(_ReadableLogLocator())
    ax.yaxis.set_major_formatter(FuncFormatter(_log_label))
    ax.yaxis.set_minor_locator(NullLocator())
    # set_yscale fitted the limits with matplotlib's own log locator; fit them again with this one
    ax.autoscale_view(scalex=False)


def _quantiles(values, q):
    """NaN-aware quantiles over seeds without 'All-NaN slice' warnings for generations not yet run."""
    if not np.isnan(values).any():
        return np.quantile(values, q, axis=0)   # the common case, and several times faster
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanquantile(values, q, axis=0)


# ---------------------------------------------------------------------------------------------
# metrics over generations
# ---------------------------------------------------------------------------------------------

def gaussian_std_theory(samples, generations, temperature=1.0, q=(0.1, 0.9)):
    """What theory predicts for σ of a Gaussian refitted on its own `samples`, generation by generation.

    Each fit multiplies σ² by χ²(n−1)/(n−1), independently, so log σ² is a random walk with
    drift log_var_drift(n) and step variance log_var_spread(n). Generation 0 is already one
    fit (on real data, σ = 1), so generation g is g + 1 steps from the truth; sampling at
    temperature T adds log T per synthetic generation. Summed, the walk is close to normal,
    which gives the median and the q-quantiles of σ:
        σ_g ≈ exp(((g+1)·drift + g·log T ± z_q·sqrt((g+1)·spread)) / 2).
    Returns (median, low, high), each of shape (generations + 1,). Valid with no real data,
    mode 'replace' and no gate (the setting of Shumailov et al. 2024, Theorem 3.1).
    """
    from scipy.stats import norm

    from .worlds.gaussian import log_var_drift, log_var_spread

    g = np.arange(generations + 1)
    centre = (g + 1) * log_var_drift(samples) + g * np.log(temperature)
    spread = np.sqrt((g + 1) * log_var_spread(samples))
    z_lo, z_hi = norm.ppf(q[0]), norm.ppf(q[1])
    return np.exp(centre / 2), np.exp((centre + z_lo * spread) / 2), np.exp((centre + z_hi * spread) / 2)


# metrics whose axis starts at 0, so a small change does not look like a fall off a cliff; shares of
# a whole also end at 1 (quality on its whole scale: noise must not look like a trend)
SHARES = {"real_word_share", "rare_alive"}
FROM_ZERO = {"support", "distinct_words", "distinct_real_words", "distinct_ngrams", "recall_head", "recall_torso",
             "recall_tail"}
# line styles in the order series get them: no two series differ by colour alone
LINESTYLES = ["-", "--", ":", "-."]
MARKERS = ["o", "s", "^", "D", "v", "P"]   # one shape per group: groups are told apart by shape too


@_styled
def metric(history, name, ax=None, label=None, color=None, band=True, theory=None, log=False, q=(0.1, 0.9),
           relative=False, linestyle="-", legend=True):
    """One metric over generations: the median over seeds, and a band covering the middle 80% of runs.

    relative : draw each seed's values as a share of its generation 0 (what is left of it).

    theory : None, an array over generations (drawn dashed), or a tuple (median, low, high)
             such as `gaussian_std_theory(...)` (drawn dashed with a hatched band).
    log    : a logarithmic y axis (σ shrinks geometrically, so log shows it as a straight line).
    Generations not run yet (NaN) are left blank, so a live redraw keeps its x axis fixed; a
    curve with one point so far (generation 0 alone) is drawn as a dot, never as empty axes.
    Shares of a whole (real-word share, rare words alive) are drawn on [0, 1]; counts and
    recalls from 0. legend=False leaves the legend out (a panel beside one that has it).
    """
    ax = _axes(ax)
    values = history.relative(name) if relative else np.asarray(history[name], float)  # (seeds, generations + 1)
    g = np.arange(values.shape[1])
    color = color or COLORS.get(str(label)) or CYCLE[len(ax.get_lines()) % len(CYCLE)]
    seeds = values.shape[0]
    median = history.median(name, relative=relative)
    text = label if label is not None else ("median" if seeds > 1 else None)
    short = np.isfinite(median).sum() <= 2          # a dot where a line would be invisible
    ax.plot(g, median, color=color, label=text, linestyle=linestyle, marker="o" if short else None, markersize=4)
    if band and seeds > 1:
        lo, hi = _quantiles(values, q)
        ax.fill_between(g, lo, hi, color=color, alpha=0.2, linewidth=0,
                        label=band_label(q, seeds) if label is None else None)
    if theory is not None:
        if isinstance(theory, tuple):
            mid, lo, hi = (np.asarray(t, float)[: len(g)] for t in theory)
            ax.fill_between(g[: len(mid)], lo, hi, facecolor="none", edgecolor=COLORS["theory"],
                            hatch="///", alpha=0.35, linewidth=0, label="theory, middle 80%")
        else:
            mid = np.asarray(theory, float)[: len(g)]
        ax.plot(g[: len(mid)], mid, "--", color=COLORS["theory"], linewidth=1.4, label="theory")
    if log:
        _log_y(ax)
    else:
        # four round ticks: readable, and each tick label is a text to lay out on every redraw
        # (labels are most of the cost of an explorer's redraw)
        ax.yaxis.set_major_locator(MaxNLocator(4))
        if name in SHARES and not relative:
            ax.set_ylim(0, 1.02)
        elif (name in FROM_ZERO or relative) and np.nanmin(values, initial=np.inf) >= 0:
            ax.set_ylim(bottom=0)
    ax.xaxis.set_major_locator(MaxNLocator(4, integer=True))
    ax.set_xlim(0, max(g[-1], 1))
    ax.set_xlabel("generation")
    ax.set_ylabel(metric_label(name, width=24) + ("\n(share of generation 0)" if relative else ""))
    if legend and ax.get_legend_handles_labels()[0]:
        ax.legend(loc="best")
    return ax


@_styled
def compare(histories, name, ax=None, band=True, log=False, colors=None, theory=None, relative=False):
    """Several runs' medians (and bands) of one metric on one axes: {label: History}.

    Labels 'replace', 'accumulate' and 'real' get their condition colours; others cycle. Each
    series also gets its own line style and a label at its end, so none is told apart by colour
    alone (and the figure reads in grey, and to a colour-blind reader).
    """
    ax = _axes(ax)
    colors = colors or {}
    for i, (text, history) in enumerate(histories.items()):
        color = colors.get(text) or COLORS.get(str(text)) or CYCLE[i % len(CYCLE)]
        metric(history, name, ax=ax, label=text, color=color, band=band, log=log, relative=relative,
               linestyle=LINESTYLES[i % len(LINESTYLES)])
        if i >= len(LINESTYLES):              # a fifth series on: a marker too, as the styles repeat
            ax.get_lines()[-1].set(marker=MARKERS[(i // len(LINESTYLES)) % len(MARKERS)], markevery=0.1,
                                   markersize=4)
    if theory is not None:
        mid = theory[0] if isinstance(theory, tuple) else theory
        ax.plot(np.arange(len(mid)), mid, "--", color=COLORS["theory"], linewidth=1.4, label="theory")
        ax.legend(loc="best")
    return ax


def label_ends(ax, lines=None, fontsize=None):
    """Write each line's label at its right end (direct labels), nudged apart where they would overlap."""
    lines = [ln for ln in (lines or ax.get_lines()) if not str(ln.get_label()).startswith("_")]
    ends = []
    for line in lines:
        x, y = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
        ok = np.isfinite(y)
        if ok.any():
            ends.append([x[ok][-1], y[ok][-1], line])
    ends.sort(key=lambda e: e[1])
    placed = []                                   # label heights in points, kept ≥ 10 pt apart
    for x, y, line in ends:
        py = ax.transData.transform((x, y))[1] * 72 / ax.figure.dpi
        shift = max([0.0] + [p + 10 - py for p in placed])
        placed.append(py + shift)
        ax.annotate(str(line.get_label()), (x, y), xytext=(4, shift), textcoords="offset points", va="center",
                    color=line.get_color(), fontsize=fontsize or mpl.rcParams["legend.fontsize"])


# ---------------------------------------------------------------------------------------------
# what the samples look like
# ---------------------------------------------------------------------------------------------

@_styled
def histograms(history, generations=None, ax=None, bins=30, world=None, seed=0):
    """Histograms of the 1-D samples of a few snapshot generations, overlaid, early to late.

    world : draw its density (black) for comparison, if given.
    seed  : which run to show (None pools all seeds). Watch the tails go first.
    """
    ax = _axes(ax)
    gens = _pick_generations(history, generations)
    data = [np.asarray(_seed_samples(history, g, seed), float).ravel() for g in gens]
    everything = np.concatenate(data + [np.zeros(0)])
    lo, hi = np.nanpercentile(everything, [0.1, 99.9]) if everything.size else (-3, 3)
    if world is not None:  # keep the world's tails in view: they are what disappears
        centre, scale = _world_scale(world)
        lo, hi = min(lo, centre - 4 * scale), max(hi, centre + 4 * scale)
    edges = np.linspace(lo, hi, bins + 1)
    for i, (g, x, color) in enumerate(zip(gens, data, _generation_colors(gens))):
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
    if hasattr(world, "std") and np.isscalar(world.std):
        return float(world.mean), float(world.std)
    m, cov = world._total_moments()
    return float(m[0]), float(np.sqrt(cov[0, 0]))


@_styled
def scatter2d(history, generations=None, axes=None, world=None, seed=0, most=4, legend=True):
    """2-D samples of a few snapshot generations side by side, on shared axes.

    world : colour each point by the world's verdict, majority or minority mode
            (world.minority_posterior(x) > 0.5), so you can watch the minority thin out.
    axes  : a sequence of axes, one per generation; a new figure if None. Returns the Figure.
    """
    gens = _pick_generations(history, generations, most=most)
    if axes is None:
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(1, len(gens), figsize=(2.6 * len(gens) + 0.4, 3.0), sharex=True, sharey=True,
                                 squeeze=False)
        axes = axes[0]
    fig = axes[0].figure
    for ax, g in zip(axes, gens):
        P = np.asarray(_seed_samples(history, g, seed), float)      # (n, 2)
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
    return world.rank(X) if hasattr(world, "rank") else X.astype(int)


def _world_probs(world):
    p = getattr(world, "probs_", None)
    p = np.asarray(world.probs if p is None else p, float)
    return p / p.sum()


@_styled
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

    if by not in ("own", "world"):
        raise ValueError(f"The 'by' parameter of rank_frequency must be 'own' or 'world'. Got {by!r} instead.")
    ax = _axes(ax)
    p = _world_probs(world)
    K = len(p)
    ax.plot(np.arange(1, K + 1), np.sort(p)[::-1], color=COLORS["world"], linestyle=":", linewidth=1.6,
            label="real world (Zipf)")
    gens = _pick_generations(history, generations)
    for i, (g, color) in enumerate(zip(gens, _generation_colors(gens))):
        r = _ranks(world, _seed_samples(history, g, seed)).ravel()
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


@_styled
def nll_histogram(history, generations=None, ax=None, bins=40, seed=None):
    """How surprising each generation's samples are to the generation-0 model (Shumailov et al. 2024, Fig. 1).

    For each snapshot, the NLL −log p₀(x) of its samples under `history.model0`, as overlaid
    histograms. Over generations the mass shifts to low NLL (the likely samples) while a tail
    of high-NLL samples grows: errors the original model would never have made.
    seed : one run, or None (default) to pool all seeds (each scored by its own model0).
    """
    ax = _axes(ax)
    if history.model0 is None:
        raise ValueError("This History has no model0 to score its samples with.")
    gens = _pick_generations(history, generations)
    data = []
    for g in gens:
        X = np.asarray(history.snapshots[g])
        nll = -np.asarray(history.model0.log_prob(X), float)             # (seeds, n)
        nll = nll[seed] if seed is not None else nll.ravel()
        data.append(nll[np.isfinite(nll)])                                # a word model0 cannot make has NLL ∞
    everything = np.concatenate(data)
    lo, hi = np.percentile(everything, [0.0, 99.5]) if everything.size else (0, 1)
    edges = np.linspace(lo, hi if hi > lo else lo + 1, bins + 1)
    for i, (g, x, color) in enumerate(zip(gens, data, _generation_colors(gens))):
        ax.hist(np.clip(x, lo, edges[-1]), bins=edges, density=True, histtype="step", color=color,
                linewidth=1.5, label=f"generation {g}", linestyle=LINESTYLES[i % len(LINESTYLES)])
    ax.set_xlabel("NLL under the generation-0 model (nats per sample)")
    ax.set_ylabel("density")
    ax.legend(loc="upper right")
    return ax




@_styled
def quality_diversity(points, ax=None, quality_label="quality", diversity_label="diversity", annotate=True,
                      reference=None, quality_range=None):
    """Quality against diversity for several runs, with each group's frontier.

    points : list of dicts {label, quality, diversity, group} (higher is better on both axes:
             pass −NLL rather than NLL). A group's frontier joins its points that no other point
             of the group beats on both axes (the Pareto frontier). Each group has its own colour,
             marker and line style; the labels of points that would overprint are stacked.
    reference     : (diversity, quality) of generation 0, drawn as a star.
    quality_range : fixed y limits, e.g. (0, 1) for a share, so noise does not look like a trend.
    """
    ax = _axes(ax)
    groups = list(dict.fromkeys(p.get("group", "") for p in points))
    for i, group in enumerate(groups):
        color = COLORS.get(str(group)) or CYCLE[i % len(CYCLE)]
        mine = [p for p in points if p.get("group", "") == group]
        q = np.array([p["quality"] for p in mine], float)
        d = np.array([p["diversity"] for p in mine], float)
        ax.scatter(d, q, color=color, s=34, zorder=3, marker=MARKERS[i % len(MARKERS)],
                   label=str(group) if group != "" else None)
        order = np.argsort(-d)
        frontier, best = [], -np.inf
        for j in order:                                   # from most diverse down: keep new quality records
            if q[j] > best:
                frontier.append(j)
                best = q[j]
        ax.plot(d[frontier], q[frontier], color=color, linewidth=1.2, alpha=0.8, linestyle=LINESTYLES[i % 4])
    if reference is not None:
        ax.scatter([reference[0]], [reference[1]], marker="*", s=160, color=COLORS["world"], zorder=4,
                   label="generation 0")
    if quality_range is not None:
        ax.set_ylim(*quality_range)
    ax.margins(x=0.15)                                    # room for the labels of the rightmost points
    if annotate:
        _stacked_labels(ax, points)
    ax.set_xlabel(diversity_label + " →")
    ax.set_ylabel(quality_label + " →")
    if any(g != "" for g in groups) or reference is not None:
        ax.legend(loc="lower left", fontsize=8)
    return ax


def _stacked_labels(ax, points, gap=9):
    """Label each point; labels that would overprint one another go one line apart (in points)."""
    transform = ax.transData
    taken = []                                            # (x, y) of labels placed, in points
    to_points = 72 / ax.figure.dpi
    for p in sorted(points, key=lambda p: (-p["quality"], p["diversity"])):
        x, y = transform.transform((p["diversity"], p["quality"])) * to_points
        dy = 3
        while any(abs(x - tx) < 45 and abs(y + dy - ty) < gap for tx, ty in taken):
            dy -= gap
        taken.append((x, y + dy))
        ax.annotate(str(p.get("label", "")), (p["diversity"], p["quality"]), textcoords="offset points",
                    xytext=(5, dy), fontsize=8, color="0.2", va="bottom")


def survival(history, name, above, ax=None, color=None, label=None):
    """The share of runs that still have something, over generations: value of `name` > `above`.

    For an outcome that is either there or gone (a minority mode, a word), the median hides
    what happens (it drops to 0 the generation half the runs lose it); the survival curve shows
    how many runs keep it. Returns the share per generation (NaN where no run has data).
    """
    ax = _axes(ax)
    values = np.asarray(history[name], float)
    runs = values.shape[0]
    alive = np.where(np.isnan(values).all(axis=0), np.nan, np.nansum(values > above, axis=0) / runs)
    ax.step(np.arange(values.shape[1]), alive, where="post", color=color or COLORS["replace"],
            label=label or f"{metric_label(name)} > {above:g}")
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlim(0, max(values.shape[1] - 1, 1))
    ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
    ax.set_xlabel("generation")
    ax.set_ylabel(f"share of {runs} runs that\nstill have it")
    return alive


BUCKET_STYLE = {"head": (PALETTE["blue"], "-"), "torso": (PALETTE["orange"], "--"), "tail": (PALETTE["vermillion"], ":")}


@_styled
def recall_buckets(history, ax=None):
    """Head, torso and tail recall as shares of generation 0's (the teacher's), over generations.

    Each bucket has its own colour and line style, and its name at the end of its line.
    """
    ax = _axes(ax)
    for name, (color, linestyle) in BUCKET_STYLE.items():
        metric(history, f"recall_{name}", ax=ax, label=name, color=color, relative=True, linestyle=linestyle)
    ax.axhline(1.0, color=COLORS["world"], linestyle=(0, (1, 3)), linewidth=1)
    ax.set_ylim(0, 1.1)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("generation (0 = teacher, 1 = first student, …)")
    ax.set_ylabel("share of the teacher's recall")
    if ax.get_legend():
        ax.get_legend().remove()
    label_ends(ax)
    ax.set_xlim(0, ax.get_xlim()[1] * 1.12)                # room for the labels
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
    gens = _pick_generations(history, generations)
    columns = [np.asarray(history.snapshots[g])[seed][:n] for g in gens]
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


# ---------------------------------------------------------------------------------------------
# the standard figure for a History
# ---------------------------------------------------------------------------------------------

# the three metrics each kind of world is summarised by; the fourth panel shows samples
SUMMARY = {
    "gaussian": ("std", "tail_2sd", "wasserstein"),
    "mixture": ("minority_weight", "spread", "wasserstein"),   # 2-D has no wasserstein: minority_share instead
    "categorical": ("support", "rare_alive", "kl"),
    "words": ("heldout_nll", "distinct_words", "recall_tail"),
}


def world_kind(history):
    """Guess 'gaussian', 'mixture', 'categorical' or 'words' from the metrics a History holds."""
    names = set(history.metrics)
    if "heldout_nll" in names:
        return "words"
    if "minority_weight" in names:
        return "mixture"
    if "support" in names:
        return "categorical"
    return "gaussian"


@_styled
def summary(history, kind=None, world=None, title=None):
    """The standard 2×2 figure for a History (the CLI's --plot): three key metrics and the samples.

    kind  : 'gaussian', 'mixture', 'categorical' or 'words' (guessed from the metrics if None;
            the CLI's world names 'mixture1d' and 'mixture2d' mean 'mixture')
    world : if given, used for the sample panel (density, minority colours, Zipf curve)
    """
    import matplotlib.pyplot as plt

    kind = kind or world_kind(history)
    kind = "mixture" if str(kind).startswith("mixture") else kind
    if kind not in SUMMARY:
        raise ValueError(f"The 'kind' parameter of summary must be one of {', '.join(map(repr, SUMMARY))}. "
                         f"Got {kind!r} instead.")
    fig, axes = plt.subplots(2, 2, figsize=(9.5, 6.4))
    axes = axes.ravel()
    color = COLORS["accumulate"] if history.config.get("mode") == "accumulate" else COLORS["replace"]
    for i, (ax, name) in enumerate(zip(axes, SUMMARY[kind])):
        if name == "wasserstein" and name not in history.metrics:
            name = "minority_share"
        if name in history.metrics:
            metric(history, name, ax=ax, color=color)
            if i > 0 and ax.get_legend():      # one legend says what the line and band are
                ax.get_legend().remove()
        else:
            ax.text(0.5, 0.5, f"no '{name}' in this History", ha="center", va="center", transform=ax.transAxes)
            ax.set_axis_off()
    last = axes[3]
    sample_ndim = np.asarray(history.snapshots[min(history.snapshots)]).ndim if history.snapshots else 0
    if kind == "words":
        nll_histogram(history, ax=last)
    elif kind == "categorical":
        if world is not None:
            rank_frequency(history, world, ax=last)
        else:
            metric(history, "entropy", ax=last)
    elif sample_ndim == 3:
        # a 2-D mixture: the first generation's points (circles) against the last one's (crosses)
        first, final = min(history.snapshots), max(history.snapshots)
        for g, marker in ((first, "o"), (final, "x")):
            P = np.asarray(history.snapshots[g][0], float)
            last.scatter(*P.T, s=6, marker=marker, alpha=0.6, label=f"generation {g}",
                         color=COLORS["majority"] if g == first else COLORS["replace"])
        last.set_xlabel("x₁")
        last.set_ylabel("x₂")
        last.legend(loc="upper left", markerscale=2)
    elif sample_ndim == 2:
        histograms(history, ax=last, world=world)
    if title or history.config:
        c = history.config
        fig.suptitle(title or f"{c.get('mode', '')}, real fraction {c.get('real_fraction', 0):g}, "
                     f"{c.get('samples')} samples, {c.get('seeds')} seeds", fontsize=11)
    return fig


# ---------------------------------------------------------------------------------------------
# figures added by lessons 00-08 (issues 11 and 12): each lesson's new code goes under its own
# heading below, so lessons rebuilt side by side never edit the same lines.
# ---------------------------------------------------------------------------------------------

# --- lesson 00 ---



# --- lesson 01 ---

def anchored_log_var_sd(samples, real_fraction):
    """Theory: the standard deviation of log σ² once a loop with fresh real data has settled.

    Each generation fits n = `samples` points, a share ρ = `real_fraction` of them fresh from the
    real N(0, 1). Near σ = 1 one refit is, to first order,
        σ²_next ≈ ρ·1 + (1 − ρ)·σ² + noise,   noise variance ≈ 2/n
    (the sampling error of a variance fitted to n points). That is an AR(1) process pulled back to
    1 at rate ρ per generation; its stationary variance is (2/n) / (1 − (1 − ρ)²) = 2 / (n·ρ·(2 − ρ)),
    and on the log scale (near σ² = 1) the same. A single fit to N real points has
    Var(log σ²) ≈ 2/(N − 1), so the loop leaves σ² as uncertain as a fit to N ≈ n·ρ·(2 − ρ) + 1,
    about 2ρn real samples: the median stays at 1, the spread does not shrink to a fit on n.
    Checked against simulate in tests/test_lesson_01.py (and notebook 01's self-check).
    """
    rho = np.asarray(real_fraction, float)
    return np.sqrt(2.0 / (samples * rho * (2.0 - rho)))


def equivalent_real_samples(samples, real_fraction):
    """How many real samples, fitted once, are as uncertain as the anchored loop: n·ρ·(2 − ρ) + 1."""
    rho = np.asarray(real_fraction, float)
    return samples * rho * (2.0 - rho) + 1.0


@_styled
def anchored_spread(histories, samples, ax=None):
    """How uncertain σ stays with fresh real data: the spread of log σ² against the real fraction.

    histories : {real_fraction: History} of Gaussian loops with fresh real data, run long enough
                to settle (a few times 1/ρ generations).
    Draws the standard deviation of log σ² over runs at the last generation (dots), the theory
    line `anchored_log_var_sd`, and the same spread for a single fit to
    N = `equivalent_real_samples` real points (sqrt(ψ'((N − 1)/2)), ψ' the trigamma function).
    """
    from scipy.special import polygamma

    ax = _axes(ax)
    rhos = np.array(sorted(histories), float)
    measured = [np.log(histories[r].final("std") ** 2).std() for r in rhos]
    runs = histories[rhos[0]].final("std").size
    grid = np.geomspace(rhos.min() * 0.8, min(rhos.max() * 1.2, 1.0), 100)
    ax.plot(grid, anchored_log_var_sd(samples, grid), "--", color=COLORS["theory"], linewidth=1.4,
            label="theory for the loop")
    dof = equivalent_real_samples(samples, grid) - 1      # a fit to N points: σ² ~ χ²(N − 1)/(N − 1)
    ax.plot(grid, np.sqrt(polygamma(1, dof / 2)), ":", color=PALETTE["blue"], linewidth=1.8,
            label="one fit to n·ρ·(2 − ρ) + 1 real samples")
    ax.plot(rhos, measured, "o", color=COLORS["real"], markersize=6, label=f"simulated, {runs} runs each")
    ax.set_xscale("log")
    ax.set_xticks(rhos, labels=[f"{r:.0%}" for r in rhos])
    ax.xaxis.set_minor_locator(mpl.ticker.NullLocator())
    ax.set_ylim(bottom=0)
    ax.set_xlabel(f"real fraction ρ (fresh real data in every generation, n = {samples})")
    ax.set_ylabel("spread of log σ² once settled\n(standard deviation over runs)")
    ax.legend(loc="upper right")
    return ax


# --- lesson 02 ---

def forgetting_slope(expected, median_first_loss, generations, low=2.0):
    """Generations per expected copy: the least-squares slope through the origin of the words' median
    first-loss generation against n·p, over the words with n·p >= low that most runs lost in time."""
    expected, first = np.asarray(expected, float), np.asarray(median_first_loss, float)
    use = (expected >= low) & (first < generations)    # rarer words die of one unlucky draw, not of drift
    return float(np.sum(expected[use] * first[use]) / np.sum(expected[use] ** 2))


@_styled
def forgetting_times(expected, first_loss, generations, n, ax=None, xmax=40):
    """Notebook 02: when each word is first forgotten, against its expected copies per generation n·p.

    first_loss: (seeds, words), the generation in which each run's model first gives the word
    probability 0 (generations + 1 if never). Dots: each word's median over runs. Dashed: the median
    waiting time if the word kept its real probability p (a geometric wait with success chance (1 − p)ⁿ).
    Solid: a straight line through the origin fitted to the words most runs lost -- Suresh, Thangaraj &
    Khandavally (AISTATS 2025) prove that in this loop a word's forgetting time grows about linearly
    with the number of times it occurred in the original corpus.
    """
    ax = _axes(ax)
    expected = np.asarray(expected, float)
    median = np.median(first_loss, axis=0)
    shown = expected <= xmax
    ax.scatter(expected[shown], median[shown], s=10, alpha=0.6, color=PALETTE["blue"], linewidths=0,
               label="one word: median of the runs")
    grid = np.linspace(max(expected.min(), 1e-3), xmax, 300)
    stay = (1 - grid / n) ** n
    fixed = np.ceil(np.log(0.5) / np.log1p(-stay)) - 1
    ax.plot(grid, np.minimum(fixed, generations + 50), "--", color=COLORS["theory"], label="if p stayed fixed")
    slope = forgetting_slope(expected, median, generations)
    ax.plot(grid, slope * grid, "-", color=PALETTE["vermillion"], linewidth=1.6,
            label=f"about linear: {slope:.1f} generations per copy")
    ax.axhline(generations, color="0.5", linestyle=":", linewidth=1, label="end of the run")
    ax.set(xlim=(0, xmax), ylim=(-2, generations + 8), xlabel="expected copies of the word per generation, n·p",
           ylabel="generation of first loss (median)", title="forgetting time grows with a word's count")
    ax.legend(loc="lower right")
    return ax


def plateau_scores(world, generator, temperature=1.0, top_p=None, top_k=None):
    """The level a student reaches on endless synthetic data: the scores (scaling.word_scores) of the
    distribution the generator's decoding samples from, p^(1/T) then truncated, renormalised."""
    from .engine.decoding import decode
    from .scaling import word_scores

    weights = decode(np.atleast_2d(generator.probs_), temperature, top_k, top_p)

    class _Decoded:  # what a student fitted on infinitely many of these samples would learn
        probs_ = weights / weights.sum(axis=1, keepdims=True)

    return word_scores(world)(_Decoded)


TAILS_STYLE = {  # label -> (colour, line style): told apart by style as well as colour
    "real": (COLORS["real"], "-"),
    "synthetic, T = 1": (PALETTE["sky"], "--"),
    "synthetic, T = 0.8": (PALETTE["vermillion"], "-."),
    "synthetic, top-p 0.9": (PALETTE["blue"], (0, (4, 1, 1, 1, 1, 1))),
}


@_styled
def tale_of_tails(curves, plateaus=None, fig=None):
    """Notebook 02 (Dohmatob et al. 2024): two scaling curves against the training-set size, log x.

    curves: {label: (nll_curve, seen_curve)}, two results of scaling.scaling_curve on the same data with
    measure=scaling.word_scores(world): one for a smoothed student (held-out NLL) and one for an
    unsmoothed one (the share of real text it has never seen). The label "real" takes each result's
    "real" curve; every other label its "synthetic" curve. plateaus: {label: plateau_scores(...)},
    drawn as thin dotted lines of the curve's colour. Left: held-out NLL above the real text's entropy
    (log y); right: the share of real text the student has never seen (linear y, so 0 is on the axis).
    Labels in TAILS_STYLE get their colour and line style; others take the next of the cycle.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    fig = fig or plt.figure(figsize=(9.8, 3.8))
    left, right = fig.subplots(1, 2)
    for i, (label, (nll, seen)) in enumerate(curves.items()):
        kind = "real" if label == "real" else "synthetic"
        color, line = TAILS_STYLE.get(label, (CYCLE[i % len(CYCLE)], LINESTYLES[i % len(LINESTYLES)]))
        for ax, result, name in ((left, nll, "excess_nll"), (right, seen, "missing_mass")):
            y = np.median(result[kind][name], axis=0)
            ax.plot(result["sizes"], y, color=color, linestyle=line, marker="o", markersize=3.5, label=label)
            level = (plateaus or {}).get(label)
            if level is not None and np.isfinite(np.median(level[name])):
                ax.axhline(np.median(level[name]), color=color, linestyle=":", linewidth=1.1)
    left.set(xscale="log", yscale="log", xlabel="training words", ylabel="held-out NLL − entropy (nats/word)",
             title="held-out NLL above the best possible")
    right.set(xscale="log", ylim=(0, None), xlabel="training words", ylabel="share of real text never seen",
              title="real words the student never saw")
    handles, _ = left.get_legend_handles_labels()
    handles.append(Line2D([], [], color="0.4", linestyle=":", linewidth=1.1, label="level with endless synthetic text"))
    left.legend(handles=handles, loc="lower left", fontsize="small")
    return fig


# --- lesson 03 ---

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


@_styled
def survival_compare(runs, name="minority_weight", above=0.02, ax=None, styles=None):
    """Survival curves of several runs side by side: the share of each run's seeds whose `name`
    is above `above`, generation by generation (plots.survival for each, one style each).

    runs   : {label: History}; a label found in LOOP_STYLE (or in `styles`, as (colour, dash,
             marker or None)) gets that style; other labels take the next colour and dash in turn
    Returns {label: share per generation}. The legend names each run and its number of seeds.
    """
    ax = _axes(ax)
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



# --- lesson 04 ---

def nll_per_char(history, generation, model=None):
    """How surprising each word of a snapshot is to the generation-0 model, in nats per character.

    −log p₀(word) / (len(word) + 1): the negative log-likelihood (natural log, so in nats) that
    `history.model0` gives the word, divided by the characters it predicts, the end of the word
    included. The same unit as the held-out NLL of `Words.measure`, so the two can be compared.
    Shumailov et al. (2024, Fig. 1b,c) score each generation's text with the first model the same way
    (as perplexity per token). Returns (seeds, n); a word model0 cannot produce at all is +inf.
    model : score with this model instead of model0.
    """
    model = history.model0 if model is None else model
    if model is None:
        raise ValueError("This History has no model0 to score its samples with.")
    words = np.asarray(history.snapshots[generation])
    return -np.asarray(model.log_prob(words), float) / (np.char.str_len(words) + 1)


@_styled
def nll_shift(history, generations=None, ax=None, cap=4.0, width=0.2, seed=None, log=True):
    """Histograms of `nll_per_char` for a few generations, with the overflow bin labelled.

    The share of words (not a density) in bins of `width` nats per character from 0 to `cap`;
    every word above `cap` (and any the generation-0 model cannot produce) is counted in one
    last bin, drawn past a gap and labelled "≥ cap", so nothing is silently clipped. Shumailov
    et al. (2024, Fig. 1b,c) found both shapes in one figure: mass moving to *more probable*
    text (left) and a longer tail of improbable text (right).
    seed : one run, or None (default) to pool all seeds. log : a log scale for the shares.
    """
    ax = _axes(ax)
    gens = _pick_generations(history, generations)
    edges = np.arange(0.0, cap + width / 2, width)
    over_at = cap + 2 * width                       # the overflow bin, one bin's gap past the last
    for i, (g, color) in enumerate(zip(gens, _generation_colors(gens))):
        nll = nll_per_char(history, g)
        nll = (nll[seed] if seed is not None else nll).ravel()
        share, _ = np.histogram(nll[nll < cap], bins=edges)      # words at or above cap: the overflow bin only
        share = share / nll.size
        over = float(np.mean(nll >= cap))
        style = LINESTYLES[i % len(LINESTYLES)]
        # one series: the bins, a gap (NaN: nothing drawn), then the overflow bin
        ax.stairs(np.concatenate([share, [np.nan, over]]), np.concatenate([edges, [over_at, over_at + width]]),
                  color=color, linewidth=1.5, linestyle=style, label=f"generation {g} ({over:.1%} ≥ {cap:g})")
    ax.axvline(cap + width, color=PALETTE["black"], linewidth=0.8, linestyle=":")
    ticks = list(np.arange(0, cap + 0.5, 1.0))
    ax.set_xticks(ticks + [over_at + width / 2], labels=[f"{t:g}" for t in ticks] + [f"≥{cap:g}"])
    ax.set_xlabel("NLL under the generation-0 model (nats per character)")
    ax.set_ylabel("share of the words")
    if log:
        ax.set_yscale("log")
    ax.legend(loc="upper right", fontsize="small")
    return ax


def nll_shares(history, generations, low=0.8, high=3.0):
    """{generation: (share below `low`, share above `high`)} of `nll_per_char`, all seeds pooled:
    how much of a generation's text the original model finds very likely, and how much very unlikely."""
    out = {}
    for g in generations:
        nll = nll_per_char(history, g)
        out[g] = (float(np.mean(nll < low)), float(np.mean(nll > high)))
    return out




# --- lesson 05 ---


GATE_PANELS = {"real_word_share": "share of real words (quality)",
               "distinct_real_words": "distinct real words (diversity)",
               "recall_tail": "tail recall (rarest words)",
               "acceptance": "acceptance rate\n(words kept / words drawn)"}


@_styled
def gate_runs(histories, colors=None, axes=None, names=GATE_PANELS):
    """Notebook 05: quality, diversity, tail recall and acceptance rate over generations, one line per gate.

    histories : {gate spec: History}. Each gate has its own colour AND line style (plots.compare),
    and one legend serves the whole figure. The acceptance rate is the share of the words drawn
    that passed the gate (History metric "acceptance"; 1 where no gate is set): its inverse is how
    many words the model wrote for each word it trained on. Returns the Figure.
    """
    import matplotlib.pyplot as plt

    if axes is None:
        fig, axes = plt.subplots(1, len(names), figsize=(3.1 * len(names), 3.3))
    fig = axes[0].figure
    for ax, (name, label) in zip(axes, names.items()):
        shown = {spec: _with_acceptance(h) for spec, h in histories.items()} if name == "acceptance" else histories
        compare(shown, name, ax=ax, colors=colors or {})
        ax.set_ylabel(label)
        ax.relim()                                       # every series in view, not only the first one drawn
        ax.autoscale(enable=True, axis="y")              # (metric() fixed the first series' limits)
        ax.set_ylim(0, 1.04) if name in ("real_word_share", "acceptance") else ax.set_ylim(bottom=0)
        if ax is not axes[0] and ax.get_legend():
            ax.get_legend().remove()
    axes[0].legend(loc="lower left", fontsize=8)
    return fig


def _with_acceptance(history):
    """The history itself, or for an ungated run a view whose acceptance is 1 (nothing is filtered)."""
    if "acceptance" in history.metrics:
        return history
    import copy

    view = copy.copy(history)
    view.metrics = {**history.metrics, "acceptance": np.ones_like(np.asarray(history["real_word_share"], float))}
    return view


def mean_acceptance(history):
    """The acceptance rate over generations 1 … G (median over seeds, then the mean over generations).

    Generation 0 trains on real data that no gate filters, so it is left out. 1 for an ungated run.
    """
    if "acceptance" not in history.metrics:
        return 1.0
    per_generation = history.median("acceptance")[1:]
    return float(np.nanmean(per_generation)) if np.isfinite(per_generation).any() else float("nan")


@_styled
def verifier_error(results, reference=None, axes=None):
    """Notebook 05: the outcome after the last generation against the verifier's false-accept rate.

    results   : {(false_accept, false_reject): History}; one line per false-reject rate, each with
                its own colour, line style and marker.
    reference : {"generation 0": History-like value dict or History, "no gate": History}: drawn as
                horizontal lines (generation 0 dotted black, no gate dashed vermillion).
    Panels: share of real words, tail recall, and acceptance rate (mean over generations 1 … G).
    """
    import matplotlib.pyplot as plt

    if axes is None:
        fig, axes = plt.subplots(1, 3, figsize=(10.5, 3.3))
    fig = axes[0].figure
    panels = [("real_word_share", "share of real words\nafter the last generation"),
              ("recall_tail", "tail recall\nafter the last generation"),
              ("acceptance", "acceptance rate\n(mean over generations)")]
    rejects = sorted({fr for _, fr in results})
    styles = [(PALETTE["blue"], "-", "o"), (PALETTE["orange"], "--", "s"), (PALETTE["purple"], ":", "^")]
    for ax, (name, label) in zip(axes, panels):
        for i, fr in enumerate(rejects):
            fas = sorted(fa for fa, r in results if r == fr)
            values = [mean_acceptance(results[fa, fr]) if name == "acceptance" else results[fa, fr].median(name)[-1]
                      for fa in fas]
            color, line, marker = styles[i % len(styles)]
            ax.plot(fas, values, color=color, linestyle=line, marker=marker, markersize=5,
                    label=f"false-reject rate {fr:g}")
        if reference:
            g0, none = reference.get("generation 0"), reference.get("no gate")
            if g0 is not None and name != "acceptance":
                ax.axhline(g0.median(name)[0], color=COLORS["world"], linestyle=(0, (1, 2)), linewidth=1.2,
                           label="generation 0")
            if none is not None and name != "acceptance":
                ax.axhline(none.median(name)[-1], color=COLORS["replace"], linestyle="-.", linewidth=1.2,
                           label="no gate, last generation")
        ax.set_xlabel("false-accept rate\n(share of non-words let through)")
        ax.set_ylabel(label)
        ax.set_xlim(-0.03, 1.03)
        ax.set_ylim(0, 1.04 if name != "recall_tail" else None)
        if name == "recall_tail":
            ax.set_ylim(bottom=0)
    axes[0].legend(loc="lower left", fontsize=8)
    return fig


@_styled
def acceptance_bars(points, ax=None):
    """Notebook 05: what each gate cost, its acceptance rate as a horizontal bar (1 = nothing rejected).

    points : as dashboards.frontier_points gives them (label, group, acceptance, stopped).

    Cells whose seeds stopped are marked in words, not drawn as a bar of 0.
    """
    ax = _axes(ax)
    labels = [f"{p['label']}  ({p['group']})" for p in points]
    values = [p["acceptance"] for p in points]
    y = np.arange(len(points))[::-1]
    ax.barh(y, np.nan_to_num(values), color=COLORS["gated"], height=0.6)
    for yi, p, value in zip(y, points, values):
        text = "stopped" if p["stopped"] else f"{value:.2f}"
        ax.text(min(np.nan_to_num(value), 1.0) + 0.02, yi, text, va="center", fontsize=8)
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlim(0, 1.25)
    ax.set_xticks([0, 0.5, 1])
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("what each gate costs:\nacceptance rate\n(kept / drawn)")
    return ax


@_styled
def gate_frontier(points, ax=None, reference=None):
    """Notebook 05's quality–diversity frontier: `quality_diversity`, with labels that never overprint.

    Each label tries a few places around its point (right, left, above, below, further out) and
    takes the first that overlaps no other label, no point and not the legend.
    """
    ax = quality_diversity(points, ax=ax, quality_label="share of real words (quality)",
                           diversity_label="distinct real words, share of generation 0's", annotate=False,
                           reference=reference, quality_range=(0, 1.05))
    _place_labels(ax, points)
    return ax


def _place_labels(ax, points, fontsize=8):
    from matplotlib.transforms import Bbox

    fig = ax.figure
    fig.draw_without_rendering()                    # the final layout, so positions are where they will be drawn
    renderer = fig._get_renderer()                  # works for a figure with no canvas too (the explorers')
    shown = [p for p in points if np.isfinite(p["quality"]) and np.isfinite(p["diversity"])]
    centres = [ax.transData.transform((p["diversity"], p["quality"])) for p in shown]
    dots = [Bbox.from_extents(x - 4, y - 4, x + 4, y + 4) for x, y in centres]
    taken = [ax.get_legend().get_window_extent(renderer)] if ax.get_legend() else []
    step = 10
    offsets = [(dx, dy) for ring in (0, 1, 2, 3) for dy in (ring * step, -(ring + 1) * step) for dx in (5, -5)]
    for i, p in enumerate(shown):
        others = taken + dots[:i] + dots[i + 1:]
        for dx, dy in offsets:
            text = ax.annotate(str(p.get("label", "")), (p["diversity"], p["quality"]), textcoords="offset points",
                               xytext=(dx, dy), fontsize=fontsize, color="0.2", va="bottom",
                               ha="left" if dx > 0 else "right")
            box = text.get_window_extent(renderer)
            if not any(box.overlaps(b) for b in others):
                break
            text.remove()
        else:                                           # nowhere free: keep the first place
            text = ax.annotate(str(p.get("label", "")), (p["diversity"], p["quality"]), textcoords="offset points",
                               xytext=offsets[0], fontsize=fontsize, color="0.2", va="bottom")
            box = text.get_window_extent(renderer)
        taken.append(box)


# --- lesson 06 ---

# hard labels (sampled words) in the colour of collapse, soft labels (the teacher's probabilities) in blue;
# each also has its own line style and marker, so neither is told apart by colour alone
DISTILL_STYLE = {"hard": (PALETTE["vermillion"], "-", "o"), "soft": (PALETTE["blue"], "--", "s")}
REFERENCE_STYLE = [(COLORS["world"], ":"), (COLORS["real"], "-.")]


@_styled
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
    ax = _axes(ax)
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



# --- lesson 07 ---


@_styled
def measured_shares(estimates, ax=None):
    """The measured shares of machine-written text (provenance.MEASURED_SHARES): one row per estimate,
    a bar from its low to its high value (a point where they agree), the population named beside it.
    Told apart by their row and label, not by colour."""
    ax = _axes(ax)
    markers = {"Kobak": "D", "Graphite": "o", "Ahrefs": "s"}
    for row, e in enumerate(estimates):
        marker = next((m for key, m in markers.items() if e["source"].startswith(key)), "o")
        ax.plot([e["low"], e["high"]], [row, row], "-", color=PALETTE["blue"], linewidth=3, solid_capstyle="butt")
        ax.plot([e["low"], e["high"]], [row, row], marker, color=PALETTE["blue"], markersize=7, linestyle="none")
        ax.annotate(f"{e['population']}, {e['year']}", (max(e["high"], e["low"]), row), xytext=(8, 0),
                    textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(range(len(estimates)), [e["source"] for e in estimates])
    ax.set_ylim(len(estimates) - 0.5, -0.5)
    ax.set_xlim(0, 1)  # the whole range of a share: nothing truncated
    ax.xaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0))
    ax.set_xlabel("share of the text written (wholly or partly) by a machine")
    return ax


WEB_LOOK = {  # label -> (colour, line style, marker): style and marker tell the lines apart, not colour alone
    "crawl as it is": (COLORS["replace"], "-", "o"),
    "frozen 2021 snapshot": (COLORS["world"], ":", "."),
    "word filter, t = 0": (COLORS["gated"], (0, (6, 2, 1, 2, 1, 2)), "v"),
    "document filter": (PALETTE["sky"], "--", "s"),
    "detector resampling": (COLORS["real"], "-.", "D"),
    "low: 13.5% (Kobak)": (PALETTE["sky"], "--", "s"),
    "measured: Graphite": (COLORS["replace"], "-", "o"),
    "high: 74% (Ahrefs)": (COLORS["gated"], "-.", "v"),
}


@_styled
def web_years(webs, years, axes=None, shown=("recall_tail", "heldout_nll", "real_word_share"), frozen=None):
    """Notebook 07: a contaminated web's metrics by year, one line per way of building the training data.

    webs : {label: History from provenance.contaminated_web}, years : the crawl years (x axis).
    frozen : a History whose year-0 model stands for a snapshot never retrained (a flat dotted line).
    Every y axis starts at 0 except the held-out NLL's, whose axis says so: a small change looks small.
    """
    import matplotlib.pyplot as plt

    if axes is None:
        _, axes = plt.subplots(1, len(shown), figsize=(11, 3.4))
    lines = dict(webs)
    if frozen is not None:
        lines["frozen 2021 snapshot"] = frozen
    for ax, name in zip(axes, shown):
        for label, h in lines.items():
            color, style, marker = WEB_LOOK.get(label, (PALETTE["black"], "-", "o"))
            y = h.median(name)
            if label == "frozen 2021 snapshot":
                y = np.full(len(years), y[0])  # never retrained
            ax.plot(years, y, linestyle=style, color=color, label=label, marker=marker, markersize=4)
        if name == "heldout_nll":
            ax.set_ylabel(metric_label(name) + "\n(axis not from 0)")
        else:
            ax.set_ylim(bottom=0)
            ax.set_ylabel(metric_label(name))
        ax.set_xlabel("year of the crawl")
    axes[0].legend(loc="lower left", fontsize=8)
    return axes


@_styled
def detector_scores(score, is_machine, thresholds=(0, 2), ax=None, clip=(-10, 20), unit="word"):
    """The detector's scores on a labelled mix: human and machine histograms (solid and dashed),
    the thresholds as labelled dotted lines, and the clipped end bins marked as such."""
    ax = _axes(ax)
    low, high = clip
    bins = np.linspace(low, high, 61)
    score, is_machine = np.asarray(score, float).ravel(), np.asarray(is_machine, bool).ravel()
    ax.hist(np.clip(score[~is_machine], low, high), bins=bins, histtype="step", linewidth=1.6, density=True,
            color=COLORS["real"], label=f"human {unit}s")
    ax.hist(np.clip(score[is_machine], low, high), bins=bins, histtype="step", linewidth=1.6, density=True,
            color=COLORS["replace"], linestyle="--", label=f"machine {unit}s")
    for i, t in enumerate(thresholds):
        ax.axvline(t, color=COLORS["theory"], linestyle=":", linewidth=1.2,
                   label=f"thresholds t = {', '.join(f'{v:g}' for v in thresholds)}" if i == 0 else None)
    for x, side in ((low, "left"), (high, "right")):  # the end bins hold every score beyond them
        ax.annotate("and beyond", (x, 0.98), xycoords=("data", "axes fraction"), ha=side, va="top", fontsize=8)
    ax.set_xlabel(f"score = log q_machine − log p_human (nats; clipped to [{low}, {high}])")
    ax.set_ylabel("density")
    ax.legend(fontsize=8, loc="upper center")
    return ax


@_styled
def share_estimates(true_shares, estimates, ax=None):
    """Estimates of a corpus's machine share against the true share: one marker and line style per
    method, and the diagonal where an estimate would be exact. estimates: {method: values}."""
    ax = _axes(ax)
    ax.plot([0, 1], [0, 1], ":", color=COLORS["theory"], linewidth=1.2, label="exact")
    looks = [("o", "-", PALETTE["vermillion"]), ("s", "--", PALETTE["blue"]), ("D", "-.", PALETTE["green"])]
    for (label, values), (marker, style, color) in zip(estimates.items(), looks):
        ax.plot(true_shares, values, style, marker=marker, color=color, label=label)
    ax.set(xlim=(0, 1), ylim=(0, 1), xlabel="true machine share of the documents", ylabel="estimated share")
    ax.xaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0))
    ax.yaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0))
    ax.legend(fontsize=8, loc="upper left")
    return ax


# --- lesson 08 ---

# the capstone's recipes: one colour each, and compare() adds a line style per series
CAPSTONE_COLORS = {"naive flywheel": PALETTE["vermillion"], "5% real": PALETTE["green"],
                   "accumulate": PALETTE["blue"], "accumulate-subsample": PALETTE["sky"],
                   "reference": PALETTE["purple"], "equal-compute reference": PALETTE["orange"],
                   "hard-mode reference": PALETTE["green"], "your recipe": PALETTE["black"]}
CAPSTONE_PARTS = {"real_word_share": "real-word share (quality)",
                  "frequency_fidelity": "1 − total variation to the\nreal word frequencies (diversity)",
                  "heldout_nll": "held-out NLL, nats/char\n(fidelity: lower is better)"}


@_styled
def capstone_parts(histories, axes=None):
    """Notebook 08: what the capstone scores, over generations, one line per recipe ({name: History}).

    Three panels, one per part of the score: the real-word share (quality), frequency fidelity =
    1 − total variation distance to the real word frequencies (diversity; see capstone.frequency_fidelity)
    and the held-out NLL (fidelity). Each recipe has its own colour and line style, labelled in the
    first panel's legend. A recipe whose gate could not fill its training set shows where it stopped.
    """
    if axes is None:
        import matplotlib.pyplot as plt

        _, axes = plt.subplots(1, 3, figsize=(11, 3.4))
    for ax, (name, label) in zip(axes, CAPSTONE_PARTS.items()):
        compare(histories, name, ax=ax, band=False, colors=CAPSTONE_COLORS)
        ax.set_ylabel(label)
        if name == "frequency_fidelity":
            ax.set_ylim(0, 1)  # the whole range: a truncated axis would exaggerate small changes
        if ax is not axes[0] and ax.get_legend():
            ax.get_legend().remove()
    return axes
