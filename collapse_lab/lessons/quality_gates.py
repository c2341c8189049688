"""Lesson 05, quality gates: the lesson's runs and figures.

Taught in notebook 05 (05_quality_gates.ipynb): each gate's run (`gate_runs`), what filtering
costs (`mean_acceptance`, `acceptance_bars`), a verifier's errors (`verifier_error`), and the
quality-diversity frontier (`gate_frontier`).
"""
import numpy as np

from ..figures import COLORS, PALETTE, compare, new_axes, quality_diversity, styled


GATE_PANELS = {"real_word_share": "share of real words (quality)",
               "distinct_real_words": "distinct real words (diversity)",
               "recall_tail": "tail recall (rarest words)",
               "acceptance": "acceptance rate\n(words kept / words drawn)"}


@styled
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


@styled
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


@styled
def acceptance_bars(points, ax=None):
    """Notebook 05: what each gate cost, its acceptance rate as a horizontal bar (1 = nothing rejected).

    points : as dashboards.frontier_points gives them (label, group, acceptance, stopped).

    Cells whose seeds stopped are marked in words, not drawn as a bar of 0.
    """
    ax = new_axes(ax)
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


@styled
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
