"""Figures: matplotlib from a History. No widgets, no theory, no lesson (those live in lessons/).

    style.py    the palette, labels, presets (TALK for a projector) and the style context
    curves.py   a metric over generations: metric, compare, survival, recall_buckets, quality_diversity
    samples.py  what a model wrote: histograms, scatter2d, rank_frequency, nll_histogram, words_table
    summary.py  one figure that sums up a run, whatever its world

Every function draws on the axes you pass (`ax=`) or on a new figure, and returns what it drew
on: the Axes for one panel, the Figure for several. All of them run headless.
"""
from .curves import (BUCKET_STYLE, FROM_ZERO, LINESTYLES, MARKERS, SHARES, band_label, compare, label_ends, metric,
                     quality_diversity, recall_buckets, spread_generations, survival, typical_seed)
from .samples import HTML, histograms, nll_histogram, rank_frequency, scatter2d, words_table
from .style import (COLORS, CYCLE, GENERATION_CMAP, LABELS, PALETTE, PRESETS, STYLE, TALK, current_style,
                    generation_colors, metric_label, new_axes, style, styled)
from .summary import SUMMARY, summary, world_kind

__all__ = ["BUCKET_STYLE", "FROM_ZERO", "LINESTYLES", "MARKERS", "SHARES", "band_label", "compare", "label_ends",
           "metric", "quality_diversity", "recall_buckets", "spread_generations", "survival", "typical_seed",
           "HTML", "histograms", "nll_histogram", "rank_frequency", "scatter2d", "words_table",
           "COLORS", "CYCLE", "GENERATION_CMAP", "LABELS", "PALETTE", "PRESETS", "STYLE", "TALK", "current_style",
           "generation_colors", "metric_label", "new_axes", "style", "styled", "SUMMARY", "summary", "world_kind"]
