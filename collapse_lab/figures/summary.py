"""One figure that sums up a run, whatever its world (the CLI's --plot and notebook 00)."""
import numpy as np

from .curves import checked_run, metric
from .samples import histograms, nll_histogram, rank_frequency
from .style import COLORS, styled


# the three metrics each kind of world is summarised by; the fourth panel shows samples
SUMMARY = {
    "gaussian": ("std", "tail_2sd", "wasserstein"),
    "mixture": ("minority_weight", "spread", "wasserstein"),   # 2-D has no wasserstein: minority_share instead
    "categorical": ("support", "rare_alive", "kl"),
    "words": ("heldout_nll", "distinct_words", "recall_tail"),
}


def world_kind(history):
    """'gaussian', 'mixture', 'categorical' or 'words': the world's kind, as simulate recorded it
    (a History made by hand, without it, is judged by the metrics it holds)."""
    checked_run(history, "world_kind")
    if history.config.get("kind"):
        return history.config["kind"]
    names = set(history.metrics)
    if "heldout_nll" in names:
        return "words"
    if "minority_weight" in names:
        return "mixture"
    if "support" in names:
        return "categorical"
    return "gaussian"


@styled
def summary(history, kind=None, world=None, title=None):
    """The standard 2×2 figure for a History (the CLI's --plot): three key metrics and the samples.

    kind  : 'gaussian', 'mixture', 'categorical' or 'words' (guessed from the metrics if None;
            the CLI's world names 'mixture1d' and 'mixture2d' mean 'mixture')
    world : if given, used for the sample panel (density, minority colours, Zipf curve)
    """
    import matplotlib.pyplot as plt

    checked_run(history, "summary")
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
