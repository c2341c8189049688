"""Notebook 05's exercises (quality gates); the verifier's formulas and the surprise filter live in lessons.quality_gates.

    from collapse_lab.exercises.quality_gates import q1, q2, q3, q4, SurpriseFilter

The right answers come from those formulas (what a gate does to one batch of words), never
typed in; the notebook checks the formulas against its seeded runs.
"""
import math
import numbers

import numpy as np

from ..engine.checks import Interval, validate_args
from ..lessons.quality_gates import SurpriseFilter, verified_share, verifier_acceptance  # noqa: F401 (public names)
from .core import Exercise, Feedback, FunctionExercise, NumberExercise, Wrong, _shown


@validate_args({"samples": [Interval(int, 0, None)], "k": [Interval(int, 1, None)]})
def distinct_needed(samples, k):
    """Fewest distinct words a training set of `samples` words can hold when no word has more than k copies."""
    return math.ceil(samples / k)


# --- exercises with three numbers as arguments ----------------------------------------------------

class _FormulaExercise(FunctionExercise):
    """A FunctionExercise whose function takes (q, false_accept, false_reject)."""

    expects = "a function of (q, fa, fr) (its name, without brackets)"

    def _run(self, fn, x):
        try:
            return "value", np.asarray(fn(*x), float)
        except Exception as error:  # the learner's code: any failure becomes feedback
            return "raise", error

    def judge(self, fn):
        try:
            first = fn(*self.inputs[0])
        except Exception:  # reported by FunctionExercise.judge, with the input that made it fail
            first = 0
        if first is None or first is Ellipsis:
            return Feedback("type", f"{self.title} expects {self.expects}, and your function returns {first!r}: "
                                    "replace the placeholder with a formula (and `return` it).", label="Your turn")
        return super().judge(fn)


# (q, false accept, false reject): generation 0's share of real words, and verifiers good and bad
VERIFIER_INPUTS = [(0.76, 0.0, 0.0), (0.76, 0.3, 0.1), (0.5, 0.2, 0.05), (0.9, 0.5, 0.5), (0.3, 0.1, 0.4)]

q1 = _FormulaExercise(
    "Exercise 1 (what a verifier costs)",
    reference=verifier_acceptance, inputs=VERIFIER_INPUTS, argname="(q, fa, fr)",
    wrong=[
        Wrong(lambda q, fa, fr: q, "that is a perfect verifier's acceptance rate; this one also lets through a "
                                   "share fa of the non-words and drops a share fr of the real words."),
        Wrong(lambda q, fa, fr: q * (1 - fr), "that counts the real words that pass, but a share fa of the "
                                              "non-words (1 − q of the draws) passes too."),
        Wrong(lambda q, fa, fr: q * (1 - fa) + (1 - q) * fr,
              "fa and fr are swapped: a real word passes with probability 1 − fr, a non-word with probability fa."),
        Wrong(lambda q, fa, fr: q * fr + (1 - q) * fa, "a real word passes unless it is falsely rejected: "
                                                      "with probability 1 − fr, not fr."),
    ],
    hints=["A drawn word is real with probability q. Which share of real words passes? Which share of non-words?",
           "acceptance = (real words that pass) + (non-words that pass) = q·(1 − fr) + (1 − q)·fa."],
    solution="A real word (probability q) passes with probability 1 − fr, a non-word (probability 1 − q) with "
             "probability fa, so the acceptance rate is q·(1 − fr) + (1 − q)·fa. With q = 0.76, fa = 0.3, fr = 0.1 "
             "that is 0.76 · 0.9 + 0.24 · 0.3 ≈ 0.76: the model must write about 1/0.76 ≈ 1.3 words for each it keeps.",
    code="def my_acceptance(q, fa, fr):\n    return q * (1 - fr) + (1 - q) * fa",
)

q2 = _FormulaExercise(
    "Exercise 2 (what a verifier buys)",
    reference=verified_share, inputs=VERIFIER_INPUTS, argname="(q, fa, fr)",
    wrong=[
        Wrong(lambda q, fa, fr: q * (1 - fr), "that is the share of ALL drawn words that are real and pass; "
                                              "divide by the acceptance rate to get the share among the words kept."),
        Wrong(lambda q, fa, fr: 1 - fa, "the share of real words among the kept ones depends on q: a model that "
                                        "writes mostly non-words hands the verifier more chances to slip."),
        Wrong(lambda q, fa, fr: q * (1 - fa) / (q * (1 - fa) + (1 - q) * fr),
              "fa and fr are swapped: a real word passes with probability 1 − fr, a non-word with probability fa."),
    ],
    hints=["Of the words that pass (your acceptance rate from exercise 1), which share are real words?",
           "real words that pass / all words that pass = q·(1 − fr) / (q·(1 − fr) + (1 − q)·fa)."],
    solution="q·(1 − fr) / (q·(1 − fr) + (1 − q)·fa). It is above q exactly when 1 − fr > fa: a verifier that is "
             "better than a coin raises the share of real words in every training set, so over generations the "
             "model climbs above generation 0's quality. False rejects are random, so they cost draws, not quality.",
    code="def my_verified_share(q, fa, fr):\n    return q * (1 - fr) / (q * (1 - fr) + (1 - q) * fa)",
)

q3 = NumberExercise(
    "Exercise 3 (what a cap needs)",
    expected=lambda: distinct_needed(2000, 3),
    rtol=0.0, atol=0.34,  # 667, or 666.67 unrounded; not 666, which fills only 1,998 places (review 05-08, gap 10)
    wrong=[
        Wrong(666, "666 words at 3 copies each fill only 1,998 of the 2,000 places: round up, not down "
                   "(math.ceil), since a share of a word cannot be written.", rtol=0.0),
        Wrong(2000 * 3, "that is how many words the cap would allow with 2,000 distinct words; the question is the "
                        "fewest distinct words that fill 2,000 slots with at most 3 copies each."),
        Wrong(2000, "that is what dedup (one copy each) would need; with up to 3 copies each, fewer distinct words suffice."),
        Wrong(3, "3 is the cap on copies; how many distinct words fill 2,000 places at 3 copies each?"),
    ],
    hints=["Each distinct word can fill at most 3 of the 2,000 places in the training set.",
           "2,000 / 3, rounded up."],
    solution="At most 3 copies each, 2,000 places need at least ⌈2000/3⌉ = 667 distinct real words. The model "
             "writes fewer than that even in 100,000 draws, so `real+cap:3` cannot fill its training set: "
             "simulate stops the seed and says why (History.stopped).",
    code="my_distinct = int(np.ceil(2000 / 3))   # 667",
)


def _judge_surprise(gate):
    """Run the learner's gate on a fixed batch from a fitted 4-gram and compare with SurpriseFilter(0.9)."""
    model, samples, mask = _surprise_batch()
    mask = mask.copy()
    mask[:, ::10] = False  # what an earlier gate dropped: a gate that ignores `mask` re-admits these
    given = samples.copy()  # the batch is cached: a gate that writes into it would corrupt every later check
    try:
        kept = gate(given, model, mask.copy())
    except (Exception, SystemExit) as error:  # the learner's code: any failure becomes feedback
        return Feedback("incorrect", f"your gate raised {type(error).__name__}: {error}.")
    if not np.array_equal(given, samples):
        return Feedback("incorrect", "your gate wrote into `samples`: a gate only reads them and returns a new mask "
                                     "(in the loop, those samples are the next generation's training data).")
    if kept is None or kept is Ellipsis:
        return Feedback("type", "Exercise 4 expects a gate that returns a boolean mask: replace the placeholder "
                                "with the mask of words to keep (and `return` it).", label="Your turn")
    kept = np.asarray(kept)
    if kept.shape != mask.shape or kept.dtype != bool:
        return Feedback("type", f"Exercise 4 expects a boolean mask of shape {mask.shape} (one True/False per "
                                f"sample). Got an array of shape {kept.shape} and dtype {kept.dtype} instead.")
    if np.any(kept & ~mask):
        return Feedback("incorrect", "your gate keeps samples an earlier gate had already dropped: combine with `mask &`.")
    nll = -model.log_prob(samples)
    pooled = mask & (nll > np.quantile(nll, 0.1))  # the quantile over both seeds at once
    if np.array_equal(kept, pooled) or np.array_equal(kept, mask & (nll >= np.quantile(nll, 0.1))):
        return Feedback("incorrect", "that takes one 10% quantile over all seeds together; each seed is its own "
                                     "run, so rank within each seed: np.quantile(nll, 0.1, axis=1, keepdims=True).")
    share = kept.sum(axis=1) / mask.sum(axis=1)
    dropped = mask & ~kept
    # per seed: the least surprising word kept, and the most and least surprising words dropped
    kept_low = np.where(kept, nll, np.inf).min(axis=1)
    dropped_high = np.where(dropped, nll, -np.inf).max(axis=1)
    dropped_low = np.where(dropped, nll, np.inf).min(axis=1)
    kept_high = np.where(kept, nll, -np.inf).max(axis=1)
    if np.all(kept_high <= dropped_low + 1e-9) and np.all(share > 0.5):
        return Feedback("incorrect", "that keeps the words the model finds MOST likely: the likelihood filter "
                                     "top:0.9. Surprise is high NLL, so keep the least likely 90%.")
    if np.all(share < 0.2):
        return Feedback("incorrect", "you keep about 10% of the words: the filter should keep 90% and drop "
                                     "the 10% the model finds most likely.")
    if np.any(share > 0.9 + SHARE_TOLERANCE[1]) and np.all(kept_low >= dropped_high - 1e-9):
        return Feedback("incorrect", f"you keep {np.round(share, 2)} of each seed's words: the copies of the commonest "
                                     "word all share one NLL, and a cut with >= keeps every one of them. Use a strict >.")
    if np.any((share < 0.9 - SHARE_TOLERANCE[0]) | (share > 0.9 + SHARE_TOLERANCE[1])):
        return Feedback("incorrect", f"you keep {np.round(share, 2)} of each seed's words; keep about 0.9 of them.")
    if np.any(kept_low < dropped_high - 1e-9):
        return Feedback("incorrect", "you keep about 90% of the words, but not the most surprising ones: rank "
                                     "by NLL within each seed (axis=1), highest first.")
    return Feedback("correct", "your gate keeps the 90% of each seed's words the model finds most surprising.")


_BATCH = {}
# copies of one word share an NLL, so a cut at a quantile keeps a little less than 90% (a strict >) or more (>=)
SHARE_TOLERANCE = (0.1, 0.05)


def _surprise_batch():
    """A fitted 4-gram on 500 real words, 2 seeds, and 400 of its samples (cached: about 0.1 s).

    The two seeds differ on purpose, so that the checker can tell the usual slips apart (review
    05-08, gap 10): seed 1 is sampled at temperature 1.5, so its words are more surprising and a
    10% quantile pooled over both seeds drops mostly seed 0's. (The checker also drops every
    tenth word as an earlier gate would, so that a gate that ignores `mask` shows.)
    """
    if not _BATCH:
        from ..worlds import NGramLM
        from ..worlds.words import Words
        world = Words(n_words=500)
        rng = np.random.default_rng(5)
        model = NGramLM(order=4, smoothing=0.01).fit(world.sample((2, 500), rng), np.ones((2, 500), bool))
        samples = model.sample(400, rng, 1.0)
        samples[1] = model.sample(400, rng, 1.5)[1]
        _BATCH.update(model=model, samples=samples, mask=np.ones(samples.shape[:2], bool))
    return _BATCH["model"], _BATCH["samples"], _BATCH["mask"]


class _GateExercise(Exercise):
    expects = "a gate: a function gate(samples, model, mask) that returns the mask of samples to keep"

    def coerce(self, answer):
        if not callable(answer) or isinstance(answer, (numbers.Number, np.ndarray)):
            raise TypeError(f"Got {type(answer).__name__} {_shown(answer)}, which cannot be called. "
                            "Pass the function itself: check(my_surprise_gate), without brackets.")
        return answer


q4 = _GateExercise(
    "Exercise 4 (filtering for surprise)",
    judge=_judge_surprise,
    hints=["-model.log_prob(samples) is each sample's NLL, shape (seeds, n). Rank within each seed (axis=1).",
           "Drop the 10% with the LOWEST NLL: keep nll > its 10% quantile per seed, "
           "np.quantile(nll, 0.1, axis=1, keepdims=True), and combine with `mask &`."],
    solution="Keep the words whose NLL is above the seed's 10% quantile (copies of the commonest word share one NLL, so a strict > drops all of them and keeps a little under 90%). Run in the flywheel, the surprise "
             "filter keeps the rare words the likelihood filter drops, and the misspellings with them: without a "
             "verifier its quality collapses. Behind the verifier (real first) it keeps a little more of the tail "
             "than the verifier alone.",
    code="def my_surprise_gate(samples, model, mask):\n"
         "    nll = -model.log_prob(samples)                                  # (seeds, n): surprise\n"
         "    return mask & (nll > np.quantile(nll, 0.1, axis=1, keepdims=True))",
)

__all__ = ["q1", "q2", "q3", "q4", "SurpriseFilter", "verifier_acceptance", "verified_share", "distinct_needed"]
