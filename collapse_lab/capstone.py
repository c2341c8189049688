"""The capstone (notebook 08): a synthetic-data pipeline design, and one comparable score for it.

    Recipe(real_fraction, mode, gate, temperature)   what each generation trains on
    score(recipe) -> Score                           quality, diversity and fidelity against the naive flywheel
    leaderboard(scores)                              the results as a table

Everything is seeded: the same arguments give the same numbers.
"""
import numbers
from dataclasses import asdict, dataclass, fields
from functools import lru_cache

import numpy as np

from ._checks import check_choice, check_number
from .gates import parse
from .loop import MODES, History, simulate
from .words import distinct_real_words


BUDGET = 0.05  # the most fresh real data a recipe may add per generation, as a share of the training set
               # after gating (accumulate also keeps older data)
# refill: with True, gated generations draw until their training set is full, so the budget is a share
# of what is trained on. False (for now) keeps notebook 08's scores and reference recipes as they were
# designed: a gate's rejects are not replaced, so the budget is a share of the set before gating.
CAPSTONE = dict(n_words=2000, order=4, smoothing=0.01, samples=2000, generations=10, seeds=3, seed=0, refill=False)


@dataclass(frozen=True)
class Recipe:
    """A synthetic-data pipeline design: what each generation trains on.

    real_fraction : share of fresh real data in each generation's training set, in [0, BUDGET].
                    With CAPSTONE["refill"] the training set is counted *after* gating: a gated
                    generation draws more synthetic words until its set is full (simulate's refill),
                    so 5% real means 5% of what the model trains on. Without it (today's capstone)
                    the share is of the set before gating, and a gate's rejects raise it.
    mode          : 'replace' (newest data only), 'accumulate' (keep all data so far) or
                    'accumulate-subsample' (keep all data, train on a fixed-size sample of it)
    gate          : a gate spec: 'none', or '+'-joined 'top:Q', 'dedup', 'real', 'real:FA,FR', 'cap:K'.
                    A gate that cannot fill the training set within simulate's draw budget stops
                    the run (the recipe then scores 0, with the reason in Score.stopped).
    temperature   : sampling temperature in (0, 2]
    """

    real_fraction: float = 0.0
    mode: str = "replace"
    gate: str = "none"
    temperature: float = 1.0

    def __post_init__(self):
        owner = "Recipe"
        rf = self.real_fraction
        if isinstance(rf, bool) or not isinstance(rf, numbers.Real) or not 0 <= rf <= BUDGET:
            raise ValueError(f"The 'real_fraction' parameter of {owner} must be a float in the range [0, {BUDGET:g}] "
                             f"(the budget: at most {BUDGET:.0%} real data per generation). Got {rf!r} instead.")
        check_choice(self.mode, "mode", owner, MODES)
        check_number(self.temperature, "temperature", owner, low=0, high=2, closed=(False, True))
        parse(self.gate, _capstone_world())  # fails now if the spec is wrong

    def __str__(self):
        return f"{self.real_fraction:.0%} real, {self.mode}, gate {self.gate}, T={self.temperature:g}"


@dataclass
class Score:
    """One recipe's result. score = 100 · geometric mean of the three parts, each capped at 1.

    quality   : real-word share at the last generation / at the baseline
    diversity : distinct real words in the last generation's samples / at the baseline
    fidelity  : exp(-nll_drift) = the baseline's perplexity / the last generation's:
                how well the model still explains held-out real words
    The baseline is the same for every recipe: the model trained on real data only (generation 0),
    sampled at temperature 1. So 100 means "as good as the model trained on real data".
    stopped   : None, or why the recipe's run stopped early (its gate could not fill the training
                set): such a recipe scores 0, and its parts are those of the seeds still running.
    """

    recipe: Recipe
    score: float
    quality: float
    diversity: float
    fidelity: float
    nll_drift: float
    real_word_share: float
    distinct_real_words: float
    history: History = None
    stopped: str = None

    def row(self):
        """The numbers as a plain dict (no History), for tables."""
        return {k: v for k, v in asdict(self).items() if k != "history"} | {"recipe": str(self.recipe)}


@lru_cache(maxsize=1)
def _capstone_world():
    from .words import Words

    return Words(n_words=CAPSTONE["n_words"])


def _run(recipe, seed, generations):
    """simulate() with the capstone's fixed world, model and sizes; adds distinct_real_words."""
    from .charlm import NGramLM

    c, world = CAPSTONE, _capstone_world()
    h = simulate(world, NGramLM(order=c["order"], smoothing=c["smoothing"]), generations=generations,
                 samples=c["samples"], seeds=c["seeds"], seed=seed, real_fraction=recipe.real_fraction,
                 mode=recipe.mode, gate=parse(recipe.gate, world), temperature=recipe.temperature,
                 refill=c["refill"])
    h.metrics["distinct_real_words"] = distinct_real_words(h, world)
    return h


SCORED = ("real_word_share", "distinct_real_words", "heldout_nll")


@lru_cache(maxsize=8)
def _baseline(seed):
    """What every recipe is compared with: generation 0 of the naive flywheel (the model trained on
    real data only, sampled at temperature 1), median over seeds. The same for every recipe."""
    h = _run(Recipe(), seed, generations=1)
    return {name: float(h.median(name)[0]) for name in SCORED}


def score(recipe, seed=CAPSTONE["seed"]):
    """Run a recipe for 10 generations with fixed seeds and score it: -> Score.

    recipe : a Recipe, or a dict of its fields, e.g. {"real_fraction": 0.05, "mode": "accumulate"}.
    seed   : keep the default to compare with everyone else; change it to see how much is luck.
    Raises ValueError for an unknown field or a recipe over the real-data budget.
    """
    if isinstance(recipe, dict):
        unknown = set(recipe) - {f.name for f in fields(Recipe)}
        if unknown:
            raise ValueError(f"The 'recipe' parameter of score must have keys from "
                             f"{', '.join(f.name for f in fields(Recipe))}. Got {sorted(unknown)[0]!r} instead.")
        recipe = Recipe(**recipe)
    if not isinstance(recipe, Recipe):
        raise ValueError(f"The 'recipe' parameter of score must be a Recipe or a dict. Got {recipe!r} instead.")
    h = _run(recipe, seed, CAPSTONE["generations"])
    first = _baseline(seed)
    last = {name: float(h.median(name)[-1]) for name in SCORED}  # median over seeds, last generation
    quality = last["real_word_share"] / first["real_word_share"]
    diversity = last["distinct_real_words"] / first["distinct_real_words"]
    drift = last["heldout_nll"] - first["heldout_nll"]
    fidelity = float(np.exp(-drift))
    parts = np.minimum([quality, diversity, fidelity], 1.0)
    stopped = next((why for why in h.stopped if why), None)
    # a pipeline that cannot fill its training set has failed, whatever its surviving seeds show
    total = 0.0 if stopped else 100 * float(np.prod(parts)) ** (1 / 3)
    return Score(recipe, total, quality, diversity, fidelity, drift, last["real_word_share"],
                 last["distinct_real_words"], h, stopped)


def leaderboard(results):
    """A plain-text table of Scores, best first (reads the same in a notebook and on GitHub).

    results : a list of Scores, or a dict {name: Score} to show a name column too.
    """
    named = results.items() if isinstance(results, dict) else [("", r) for r in results]
    width = max([len(name) for name, _ in named] + [0])
    pad = (lambda name: f"{name:{width}} ") if width else (lambda name: "")
    head = f"{'':>3} {pad('')}{'score':>6} {'quality':>8} {'diversity':>10} {'fidelity':>9}  recipe"
    lines = [head, "-" * len(head)]
    for i, (name, r) in enumerate(sorted(named, key=lambda nr: -nr[1].score), start=1):
        lines.append(f"{i:>3} {pad(name)}{r.score:6.1f} {r.quality:8.2f} {r.diversity:10.2f} "
                     f"{r.fidelity:9.2f}  {r.recipe}" + ("  (stopped: the gate could not fill the training set)"
                                                         if r.stopped else ""))
    return "\n".join(lines)
