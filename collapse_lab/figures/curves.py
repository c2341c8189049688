"""Curves of a metric over generations: one run, many seeds, or several runs compared.

Every function draws on the axes you pass (`ax=`) or on a new figure, and returns what it drew on.
"""
import numbers
import warnings

import matplotlib as mpl
import numpy as np
from matplotlib.ticker import MaxNLocator

from ..engine import metrics
from ..engine.checks import check_array, check_number, shown
from .style import COLORS, CYCLE, PALETTE, metric_label, new_axes, styled


_ANY = object()   # checked_run's "no metric asked for" (None is a wrong name, not a missing one)


def checked_run(history, owner, name=_ANY):
    """The run a figure is given, or a ValueError in the course's template: a History (what simulate
    returns, or anything with its `metrics`, `snapshots` and `config`) and, with `name`, one of its metrics."""
    if not all(hasattr(history, part) for part in ("metrics", "snapshots", "config")):
        raise ValueError(f"The 'history' parameter of {owner} must be a History (what simulate returns). "
                         f"Got {shown(history)} instead.")
    if name is not _ANY and not (isinstance(name, str) and name in history.metrics):
        raise ValueError(f"The 'name' parameter of {owner} must be one of the run's metrics: "
                         f"{', '.join(history.metrics)}. Got {shown(name)} instead.")
    return history


def spread_generations(history, most=5):
    """Up to `most` snapshot generations, evenly spread, first and last included."""
    return pick_generations(history, None, most=most)


def typical_seed(history, name):
    """The run whose last value of `name` is closest to the median over runs: a typical run to show.

    A figure of one run should show what usually happens, not what seed 0 happened to do.
    """
    checked_run(history, "typical_seed", name)
    values = np.asarray(history[name], float)
    last = np.array([row[~np.isnan(row)][-1] if (~np.isnan(row)).any() else np.nan for row in values])
    if np.isnan(last).all():
        return 0
    return int(np.nanargmin(np.abs(last - np.nanmedian(last))))


def _band(q, owner):
    """A band's (low, high) quantiles: two numbers in [0, 1], low below high."""
    q = check_array(q, "q", owner, ndim=1, low=0, high=1)
    if len(q) != 2 or q[0] >= q[1]:
        raise ValueError(f"The 'q' parameter of {owner} must be two quantiles (low, high) in [0, 1], low below high. "
                         f"Got {q.tolist()} instead.")
    return q


def band_label(q, runs):
    """What a band covers, in words: 'the middle 80% of 20 runs'."""
    q = _band(q, "band_label")
    runs = check_number(runs, "runs", "band_label", low=1, integer=True)
    return f"the middle {q[1] - q[0]:.0%} of {runs} runs"


def pick_generations(history, generations, most=5):
    """The snapshot generations to draw: the ones asked for, or up to `most` spread evenly."""
    checked_run(history, "pick_generations")
    most = check_number(most, "most", "pick_generations", low=1, high=1000, integer=True)
    if generations is not None and not (isinstance(generations, (list, tuple, range, np.ndarray)) and all(
            isinstance(g, numbers.Integral) and not isinstance(g, bool) for g in generations)):
        raise ValueError(f"The 'generations' parameter must be None or a list of snapshot generations (ints). "
                         f"Got {shown(generations)} instead.")
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


def seed_samples(history, g, seed):
    """Snapshot g's samples of one seed (n, ...), or of all seeds pooled when seed is None."""
    checked_run(history, "seed_samples")
    if not isinstance(g, numbers.Integral) or g not in history.snapshots:
        raise ValueError(f"The 'g' parameter of seed_samples must be a snapshot generation, from "
                         f"{sorted(history.snapshots)}. Got {shown(g)} instead.")
    seed = _checked_seed(history, seed, "seed_samples")
    if seed is not None and hasattr(history.snapshots, "one_seed"):
        return history.snapshots.one_seed(g, seed)  # drawn when read (exact path): draw this run only
    X = np.asarray(history.snapshots[g])
    if seed is None:
        return X.reshape((-1,) + X.shape[2:])
    return X[seed]


def _checked_seed(history, seed, owner):
    """None (every run) or the index of one of the history's runs."""
    if seed is None:
        return None
    runs = next(iter(history.metrics.values())).shape[0] if history.metrics else 1
    return check_number(seed, "seed", owner, low=0, high=runs - 1, integer=True)


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


def log_y(ax):
    """A log y axis with readable ticks at any range (plain numbers, few ticks: quick to draw)."""
    from matplotlib.ticker import FuncFormatter, NullLocator

    ax.set_yscale("log")
    ax.yaxis.set_major_locator(_ReadableLogLocator())
    ax.yaxis.set_major_formatter(FuncFormatter(_log_label))
    ax.yaxis.set_minor_locator(NullLocator())
    # set_yscale fitted the limits with matplotlib's own log locator; fit them again with this one
    ax.autoscale_view(scalex=False)


def quantiles(values, q):
    """NaN-aware quantiles over seeds without 'All-NaN slice' warnings for generations not yet run."""
    values = check_array(values, "values", "quantiles", ndim=(1, 2), finite=False).astype(float)
    q = _band(q, "quantiles")
    if not np.isnan(values).any():
        return np.quantile(values, q, axis=0)   # the common case, and several times faster
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanquantile(values, q, axis=0)


# metrics whose axis starts at 0, so a small change does not look like a fall off a cliff; shares of
# a whole also end at 1 (quality on its whole scale: noise must not look like a trend)
SHARES = {"real_word_share", "rare_alive"}


FROM_ZERO = {"support", "distinct_words", "distinct_real_words", "distinct_ngrams", "recall_head", "recall_torso",
             "recall_tail"}


# line styles in the order series get them: no two series differ by colour alone
LINESTYLES = ["-", "--", ":", "-."]


MARKERS = ["o", "s", "^", "D", "v", "P"]   # one shape per group: groups are told apart by shape too


@styled
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
    checked_run(history, "metric", name)
    ax = new_axes(ax)
    values = history.relative(name) if relative else np.asarray(history[name], float)  # (seeds, generations + 1)
    g = np.arange(values.shape[1])
    color = color or COLORS.get(str(label)) or CYCLE[len(ax.get_lines()) % len(CYCLE)]
    seeds = values.shape[0]
    median = history.median(name, relative=relative)
    text = label if label is not None else ("median" if seeds > 1 else None)
    short = np.isfinite(median).sum() <= 2          # a dot where a line would be invisible
    ax.plot(g, median, color=color, label=text, linestyle=linestyle, marker="o" if short else None, markersize=4)
    if band and seeds > 1:
        lo, hi = quantiles(values, q)
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
        log_y(ax)
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


@styled
def compare(histories, name, ax=None, band=True, log=False, colors=None, theory=None, relative=False):
    """Several runs' medians (and bands) of one metric on one axes: {label: History}.

    Labels 'replace', 'accumulate' and 'real' get their condition colours; others cycle. Each
    series also gets its own line style and a label at its end, so none is told apart by colour
    alone (and the figure reads in grey, and to a colour-blind reader).
    """
    if not isinstance(histories, dict) or not histories:
        raise ValueError(f"The 'histories' parameter of compare must be a dict {{label: History}}. "
                         f"Got {shown(histories)} instead.")
    for history in histories.values():
        checked_run(history, "compare", name)
    ax = new_axes(ax)
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


@styled
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
    if not (isinstance(points, (list, tuple)) and points and all(
            isinstance(p, dict) and all(isinstance(p.get(k), numbers.Real) for k in ("quality", "diversity"))
            for p in points)):   # NaN allowed: a grid cell that stopped is drawn as no point
        raise ValueError(f"The 'points' parameter of quality_diversity must be a list of dicts with numbers "
                         f"'quality' and 'diversity'. Got {shown(points)} instead.")
    ax = new_axes(ax)
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
        stacked_labels(ax, points)
    ax.set_xlabel(diversity_label + " →")
    ax.set_ylabel(quality_label + " →")
    if any(g != "" for g in groups) or reference is not None:
        ax.legend(loc="lower left", fontsize=8)
    return ax


def stacked_labels(ax, points, gap=9):
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
    checked_run(history, "survival", name)
    above = check_number(above, "above", "survival")
    ax = new_axes(ax)
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


@styled
def recall_buckets(history, ax=None):
    """Head, torso and tail recall as shares of generation 0's (the teacher's), over generations.

    Each bucket has its own colour and line style, and its name at the end of its line.
    """
    checked_run(history, "recall_buckets")
    if not all(f"recall_{name}" in history.metrics for name in BUCKET_STYLE):
        raise ValueError(f"The 'history' parameter of recall_buckets must be a words run with head, torso and tail "
                         f"recall (recall_head, recall_torso, recall_tail). Got one with {', '.join(history.metrics)}.")
    ax = new_axes(ax)
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
