"""Notebook 02's exercises (the tails of words). Every right answer is computed from theory.

    from collapse_lab.exercises.tails import q1, q2, q3, q4, q5

The lesson's world is the 1000 most frequent English words (`Categorical.words(1000)`), each
generation counts n = 5000 words, and the loop runs G = 100 generations.
"""
import functools

import numpy as np

from ..engine.checks import Interval, validate_args
from ..engine.decoding import TEMPERATURE_RANGE
from ..engine.decoding import decode
from ..lessons.tails import ever_lost_with_fresh_data, lost_in_one_generation  # noqa: F401 (public names)
from ..worlds import Categorical
from .core import FunctionExercise, NumberExercise, Wrong

N_WORDS, N, G = 1000, 5000, 100


@functools.lru_cache(maxsize=1)
def real_probs():
    """The real probabilities of the lesson's 1000 words, most frequent first."""
    return Categorical.words(n_words=N_WORDS).probabilities()


@validate_args({"low": [Interval(float, 0, None)], "high": [Interval(float, 0, None)],
                "n": [Interval(int, 1, None)]})
def bucket(low, high, n=N):
    """The words expected between `low` and `high` times among n samples (low <= n·p < high)."""
    p = real_probs()
    return p[(n * p >= low) & (n * p < high)]


@validate_args({"temperature": [Interval(float, *TEMPERATURE_RANGE)], "share": [Interval(float, 0, 1)]})
def tempered_share(temperature, share=0.5):
    """The share of sampled text that goes to the rarest `share` of the words at temperature T:
    word w is drawn with probability ∝ p(w)^(1/T)."""
    p = real_probs()
    weights = np.exp((np.log(p) - np.log(p.max())) / temperature)   # p^(1/T) scaled: no underflow to 0/0 at low T
    rare = np.argsort(p, kind="stable")[: int(share * p.size)]
    return weights[rare].sum() / weights.sum()


@validate_args({"top_p": [Interval(float, 0, 1, closed="right")],
                "temperature": [Interval(float, *TEMPERATURE_RANGE)]})
def nucleus_size(top_p, temperature=1.0):
    """How many of the words a model that knows the real frequencies ever writes under top-p."""
    return int((decode(real_probs()[None, :], temperature, None, top_p) > 0).sum())


RANK = 500  # the word of exercise 1


q1 = NumberExercise(
    "Exercise 1 (one generation)",
    expected=lambda: lost_in_one_generation(real_probs()[RANK - 1]), source="theory",
    rtol=0.03,
    wrong=[
        Wrong(lambda: 1 - lost_in_one_generation(real_probs()[RANK - 1]),
              "that is the chance that the word appears at least once; the question asks for the chance it is missing."),
        Wrong(lambda: 1 - real_probs()[RANK - 1],
              "that is the chance that ONE sample is not the word; all n = 5000 samples must miss it."),
        Wrong(lambda: N * real_probs()[RANK - 1],
              "that is how many copies the generation holds on average, n·p, not a probability."),
    ],
    hints=["Each of the n samples misses the word with probability 1 − p, independently.",
           f"p = world.probs[{RANK - 1}] (ranks start at 0); the answer is (1 − p) ** 5000."],
    solution=f"(1 − p)ⁿ with p the probability of the word of rank {RANK} and n = 5000, about e^(−n·p).",
    code=f"p_word = p[{RANK - 1}]                 # the word of rank {RANK}\n"
         "my_lost = (1 - p_word) ** n           # about np.exp(-n * p_word)",
)

q2 = NumberExercise(
    "Exercise 2 (no loop, no drift)",
    expected=lambda: ever_lost_with_fresh_data(bucket(3, 10)).mean(), source="theory",
    rtol=0.01,  # an exact formula; the share of words never missed is only 0.012 away
    wrong=[
        Wrong(lambda: lost_in_one_generation(bucket(3, 10)).mean(),
              "that is the chance of missing the word in ONE generation; with fresh data there are G + 1 = 101 chances."),
        Wrong(lambda: np.mean((1 - lost_in_one_generation(bucket(3, 10))) ** (G + 1)),
              "that is the chance of never missing it; the question asks for missing it at least once."),
        Wrong(lambda: np.mean(1 - lost_in_one_generation(bucket(3, 10)) ** (G + 1)),
              "that is 1 − ((1 − p)ⁿ)^(G+1): missing it every time. The word is lost at least once unless it "
              "appears in all G + 1 fits, which has probability (1 − (1 − p)ⁿ)^(G+1)."),
    ],
    hints=["Each fit counts fresh real text, so each misses the word independently with chance q = (1 − p)ⁿ.",
           "The word survives all G + 1 fits with chance (1 − q)^(G+1); average 1 minus that over the words."],
    solution="With fresh real text each of the G + 1 = 101 fits misses a word independently, so the share of "
             "words with 3 ≤ n·p < 10 missed at least once is the mean of 1 − (1 − (1 − p)ⁿ)^(G+1): about a half. "
             "Each of them comes back the next generation, because the next fit counts new real text; in the "
             "loop most of the same words are lost for good.",
    code="in_bucket = (expected >= 3) & (expected < 10)\n"
         "my_ever_lost = (1 - (1 - one_step[in_bucket]) ** (G + 1)).mean()   # about 0.5",
)

q3 = NumberExercise(
    "Exercise 3 (temperature)",
    expected=lambda: tempered_share(0.8), source="theory",
    rtol=0.03,
    wrong=[
        Wrong(lambda: tempered_share(1.0),
              "that is the rarest half's share in real text (T = 1): raise p to the power 1/T first."),
        Wrong(lambda: tempered_share(1 / 0.8),
              "that raises p to the power T; temperature T draws words ∝ p^(1/T), so T < 1 favours the frequent ones."),
        Wrong(lambda: (real_probs() ** 1.25)[np.argsort(real_probs(), kind="stable")[:500]].sum(),
              "p^(1/T) no longer sums to 1: divide by the sum over all 1000 words."),
    ],
    hints=["The rarest half are the 500 words of lowest probability: p[500:] (p is sorted, most frequent first).",
           "weights = p ** (1 / 0.8); the share is weights[500:].sum() / weights.sum()."],
    solution="With p^(1/T) at T = 0.8 the 500 rarest words get a clearly smaller share of the text than they have "
             "in real English, every generation, on top of the sampling noise: a steady push towards the head, so "
             "the vocabulary shrinks faster.",
    code="weights = p ** (1 / 0.8)\nmy_rare_share = weights[500:].sum() / weights.sum()",
)


@validate_args({"distinct": [Interval(float, 1, None, array=True)]})
def dedup_probability(distinct):
    """After a Dedup gate, every word that appeared is counted once: probability 1 / (distinct words)."""
    return 1 / np.asarray(distinct, float)


q4 = FunctionExercise(
    "Exercise 4 (the dedup gate)",
    reference=dedup_probability, inputs=[1, 2, 5, 50, 633, 1000], argname="distinct",
    wrong=[
        Wrong(lambda distinct: real_probs()[0] + 0 * distinct,
              "that is the real frequency of 'the'. After deduplication its thousands of copies count once."),
        Wrong(lambda distinct: 1 / N + 0 * distinct,
              "the next model counts what the gate kept: one copy of each distinct word, so `distinct` words in all."),
        Wrong(lambda distinct: 1 / N_WORDS + 0 * distinct,
              "that assumes all 1000 words survived; only the `distinct` words that appeared are counted."),
    ],
    hints=["After the gate the training set holds exactly one copy of each word that appeared.",
           "'the' is one of `distinct` words, each counted once."],
    solution="1 / distinct: the next model is uniform over the words that appeared. The frequent words lose their "
             "frequency and rare words seen once are promoted to the level of 'the': a different kind of collapse.",
    code="def my_prob_the(distinct):\n    return 1 / distinct",
)

q5 = NumberExercise(
    "Exercise 5 (what top-p writes)",
    expected=lambda: nucleus_size(0.9),
    # ±2.5 words: decode keeps every word tied with the last one in (wordfreq's frequencies are rounded,
    # so several share a value) and counts 508; the glossary's definition, (np.cumsum(p) < 0.9).sum() + 1,
    # gives 506. Both count the nucleus right; the lesson never teaches the tie rule (review 00-04, gap 6).
    rtol=0.0, atol=2.5,
    wrong=[
        Wrong(900, "top-p 0.9 keeps the likeliest words holding 90% of the probability, not 90% of the words."),
        Wrong(N_WORDS, "words outside the nucleus are never written: count only the words top-p keeps."),
        Wrong(lambda: N_WORDS - nucleus_size(0.9),
              "that is how many words it never writes; the question asks how many it writes."),
    ],
    hints=["collapse_lab.engine.decoding.decode(p[None, :], 1.0, None, 0.9) gives the weights top-p leaves; 0 means never.",
           "Count the words whose weight is above 0."],
    solution="A generator that knows the real frequencies exactly, decoded with top-p 0.9, writes only about half "
             "of the 1000 words: on a Zipf curve the head holds most of the probability. The other words, about "
             "10% of real text, never appear in its output, however much of it a student reads.",
    code="from collapse_lab.engine.decoding import decode\n"
         "my_nucleus = int((decode(p[None, :], 1.0, None, 0.9) > 0).sum())",
)

__all__ = ["q1", "q2", "q3", "q4", "q5", "real_probs", "lost_in_one_generation", "ever_lost_with_fresh_data",
           "bucket", "tempered_share", "nucleus_size", "dedup_probability"]
