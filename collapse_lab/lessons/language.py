"""Lesson 04, a language model trained on its own words: what the lesson computes and draws.

Taught in notebook 04 (04_language_model_collapse.ipynb): held-out NLL per character
(`nll_per_char`), how its histogram shifts over generations (`nll_shift`), and the share of
held-out words a model finds much less likely than generation 0 did (`nll_shares`).
"""
import numpy as np

from ..figures import LINESTYLES, PALETTE, generation_colors, new_axes, styled
from ..figures.curves import pick_generations


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


@styled
def nll_shift(history, generations=None, ax=None, cap=4.0, width=0.2, seed=None, log=True):
    """Histograms of `nll_per_char` for a few generations, with the overflow bin labelled.

    The share of words (not a density) in bins of `width` nats per character from 0 to `cap`;
    every word above `cap` (and any the generation-0 model cannot produce) is counted in one
    last bin, drawn past a gap and labelled "≥ cap", so nothing is silently clipped. Shumailov
    et al. (2024, Fig. 1b,c) found both shapes in one figure: mass moving to *more probable*
    text (left) and a longer tail of improbable text (right).
    seed : one run, or None (default) to pool all seeds. log : a log scale for the shares.
    """
    ax = new_axes(ax)
    gens = pick_generations(history, generations)
    edges = np.arange(0.0, cap + width / 2, width)
    over_at = cap + 2 * width                       # the overflow bin, one bin's gap past the last
    for i, (g, color) in enumerate(zip(gens, generation_colors(gens))):
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
