"""The course's one figure style: a colour-blind-safe palette, readable labels, presets for a projector.

Colours come from the Okabe–Ito palette (Okabe & Ito 2008), which stays distinguishable for
the common kinds of colour blindness; early-to-late generations use the sequential `viridis`
map, which does too, and prints readably in grey.
"""
import contextlib
import functools

import matplotlib as mpl

from ..engine.checks import Interval, ListOf, Options, validate_args


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


@validate_args({"name": [str], "width": [None, Interval(int, 1, 1000)]})
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


@validate_args({"preset": [Options(*PRESETS)]})
def style(preset="default"):
    """Use the course's figure style: call once (`plots.style()`), or scope it (`with plots.style("talk"):`).

    preset : "default" (laptop-sized inline figures) or "talk" (a projector: larger fonts and
             figures, thicker lines). Every plotting function below draws inside the preset in
             use, so figures look the same whether or not a notebook called it.
    """
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


@contextlib.contextmanager
def rc_scope(params):
    """Use `params` for a block, then put back those keys, and only those, as they were.

    Not mpl.rc_context: it puts back every rcParam, so a pyplot figure made inside it loses what
    the inline backend switched on while drawing it (interactive mode), and every later figure of
    that kernel stays blank (notebook 00's figure vanished when its cell was re-run).
    """
    saved = {key: mpl.rcParams[key] for key in params}
    mpl.rcParams.update(params)
    try:
        yield
    finally:
        mpl.rcParams.update(saved)


def styled(func):
    """Draw inside the course style without changing the caller's settings (nor the backend's modes)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with rc_scope(current_style()):
            return func(*args, **kwargs)

    return wrapper


def new_axes(ax):
    """The given axes, or the axes of a new figure (made with pyplot, so Jupyter shows it)."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    return ax


@validate_args({"gens": [ListOf(Interval(int, 0, None))]})
def generation_colors(gens):
    """One colour per generation in `gens` (ints ≥ 0), early to late on the viridis map."""
    cmap = mpl.colormaps[GENERATION_CMAP]
    last = max(max(gens), 1)
    # stop at 0.9: the top of viridis is a pale yellow that vanishes on white
    return [cmap(0.9 * g / last) for g in gens]
