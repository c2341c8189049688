"""Notebook 08's exercises (the capstone). Every right answer is computed, never typed in:
from the definition of total variation, from capstone.words_trained, or from seeded capstone runs.

    from collapse_lab.exercises.capstone import q1, q2, q3, q4
"""
import numpy as np

from ..lessons import capstone
from ..engine.metrics import total_variation
from .core import Exercise, Feedback, NumberExercise, Wrong

# q1: a toy world of four words, and two models that got it wrong in opposite ways
REAL = np.array([0.4, 0.3, 0.2, 0.1])          # the real frequencies
HEAD_HEAVY = np.array([0.55, 0.35, 0.1, 0.0])  # a collapsing model: the head grows, the rarest word is gone
FLAT = np.array([0.25, 0.25, 0.25, 0.25])      # a model flattened by a cap: every word equally likely

q1 = NumberExercise(
    "Exercise 1 (total variation)",
    expected=lambda: [total_variation(HEAD_HEAVY, REAL), total_variation(FLAT, REAL)],
    names=["head-heavy model", "flat model"],
    rtol=0.01, atol=0.002,
    wrong=[
        Wrong(lambda: [2 * total_variation(HEAD_HEAVY, REAL), 2 * total_variation(FLAT, REAL)],
              "that is Σ|q − p| without the ½: total variation is half of it, so that it runs from 0 to 1 "
              "(the mass one distribution has too much of is exactly what the other has too little of)."),
        Wrong(lambda: [np.abs(HEAD_HEAVY - REAL).max(), np.abs(FLAT - REAL).max()],
              "that is the largest single difference; total variation adds up the differences over all words (and halves the sum)."),
        Wrong(lambda: [1 - total_variation(HEAD_HEAVY, REAL), 1 - total_variation(FLAT, REAL)],
              "that is 1 − TV, the capstone's frequency fidelity; the question asks for the distance itself."),
        Wrong(lambda: [0.5 * (HEAD_HEAVY - REAL).sum(), 0.5 * (FLAT - REAL).sum()],
              "the differences need their absolute value: signed, they always add up to 0 (both distributions sum to 1)."),
    ],
    hints=["Total variation is ½ · Σ over the words of |q(w) − p(w)|.",
           "For the flat model: ½ · (|0.25 − 0.4| + |0.25 − 0.3| + |0.25 − 0.2| + |0.25 − 0.1|)."],
    solution="Both are 0.2 away from the real frequencies: the head-heavy model puts 0.2 too much on its two "
             "most frequent words, the flat model 0.2 too much on the two rarest. That is why the capstone "
             "scores diversity by 1 − TV: more distinct words is not better when it flattens the real "
             "frequencies, and a distribution can be wrong in either direction.",
    code="my_tv = [0.5 * np.abs(q - p).sum() for q, p in ((HEAD_HEAVY, REAL), (FLAT, REAL))]   # [0.2, 0.2]",
)


def _trained_ratio():
    g = capstone.CAPSTONE["generations"]
    return (capstone.words_trained("accumulate", g, 1).sum() / capstone.words_trained("replace", g, 1).sum())


q2 = NumberExercise(
    "Exercise 2 (compute)",
    expected=_trained_ratio,
    rtol=0.01,
    wrong=[
        Wrong(lambda: capstone.CAPSTONE["generations"] + 1,
              "that is the ratio at the last generation only (11 sets' worth against one); the question asks for "
              "the words trained on summed over all 11 generations, 0 to 10."),
        Wrong(lambda: sum(range(1, capstone.CAPSTONE["generations"] + 2)),
              "that is how many sets of 2,000 words accumulate trains on in all; divide by what replace trains on (11 sets)."),
        Wrong(lambda: sum(range(2, capstone.CAPSTONE["generations"] + 2)) / capstone.CAPSTONE["generations"],
              "generation 0 counts too: it trains on 2,000 real words in both modes."),
        Wrong(1.0, "that is accumulate-subsample: it keeps all data but trains on 2,000 words a generation, like replace."),
    ],
    hints=["replace trains every generation on 2,000 words; accumulate at generation g on (g + 1) × 2,000.",
           "Add (g + 1) for g = 0 … 10 and divide by 11."],
    solution="Accumulate trains on 1 + 2 + … + 11 = 66 sets of 2,000 words, replace on 11: six times the "
             "compute (and 11 times at the last generation). Accumulate-subsample keeps all the data but trains "
             "on 2,000 words a generation: the fair comparison with replace.",
    code="my_ratio = sum(g + 1 for g in range(11)) / 11   # 6.0",
)


class ChoiceExercise(Exercise):
    """The answer is one of a few words; the right one is computed (e.g. from a seeded run) when checked."""

    def __init__(self, title, options, expected, *, why=None, wrong=None, **kw):
        super().__init__(title, **kw)
        self.options, self._expected, self._why, self.wrong = list(options), expected, why, dict(wrong or {})

    @property
    def expects(self):
        return "one of " + ", ".join(repr(o) for o in self.options)

    def coerce(self, answer):
        if not isinstance(answer, str):
            raise TypeError(f"Got {type(answer).__name__} {answer!r}, which is not a word in quotes.")
        if answer.strip().lower() not in self.options:
            raise ValueError(f"Got {answer!r}.")
        return answer.strip().lower()

    def judge(self, answer):
        right = self._expected()
        if answer == right:
            return Feedback("correct", self._why() if callable(self._why) else (self._why or "right."))
        why = self.wrong.get(answer, f"not {answer!r}: compare the parts of the score.")
        return Feedback("incorrect", why() if callable(why) else why)


PARTS = ("quality", "diversity", "fidelity", "tail")


def _capped_parts():
    """The parts of the reference recipe with cap:3 added to its verifier."""
    capped = capstone.score(capstone.Recipe(0.05, "accumulate", "real+cap:3"))
    return {part: getattr(capped, part) for part in PARTS}


def _cap_answer():
    parts = _capped_parts()
    return min(parts, key=parts.get)


def _cap_why():
    parts = _capped_parts()
    return ("diversity is lowest at {:.2f}: at most 3 copies of each word makes the frequent words too rare and "
            "the rare ones too frequent, a flatter distribution than real text, which total variation counts "
            "as error.".format(parts["diversity"]))


q3 = ChoiceExercise(
    "Exercise 3 (what the cap costs)",
    PARTS, _cap_answer,
    why=_cap_why,
    wrong={"quality": lambda: "quality is {quality:.2f}; another part is lower.".format(**_capped_parts()),
           "fidelity": lambda: "fidelity is {fidelity:.2f}; another part is lower.".format(**_capped_parts()),
           "tail": lambda: ("tail is {tail:.2f}: the cap keeps rare words (it only cuts copies of frequent ones); "
                            "another part is lower.").format(**_capped_parts())},
    hints=["Score Recipe(0.05, 'accumulate', 'real+cap:3') and read its four parts.",
           "Which part is measured against the real word *frequencies*?"],
    solution="Diversity. Capping copies flattens the word frequencies: the head is cut down to 3 copies per "
             "word while rare words keep theirs, so more distinct words are written but their frequencies drift "
             "away from real text, which 1 − total variation counts as a loss.",
    code="print(capstone.leaderboard([capstone.score(Recipe(0.05, 'accumulate', 'real+cap:3'))]))\n"
         "my_part = 'diversity'   # the lowest part",
)


EQUAL_COMPUTE_TARGET = 70  # the score to reach with the naive flywheel's compute (words trained + generated)


class RecipeExercise(Exercise):
    """The answer is a recipe (a Recipe or a dict): it is scored, and judged on its score and its compute."""

    expects = "a Recipe, e.g. Recipe(real_fraction=0.05, mode='accumulate-subsample')"

    def coerce(self, answer):
        if isinstance(answer, dict):
            return capstone.Recipe(**answer)
        if not isinstance(answer, capstone.Recipe):
            raise TypeError(f"Got {type(answer).__name__} {answer!r}, which is not a Recipe.")
        return answer  # a recipe over budget or with an unknown gate raises ValueError: check() says why


def _judge_equal_compute(recipe):
    result = capstone.score(recipe)
    naive = capstone.score(capstone.Recipe())
    if not result.scored:
        return False, f"your gate could not fill the training set, so the recipe is not scored ({result.stopped})."
    if not capstone.equal_compute(result, naive):
        return False, (f"it scores {result.score:.1f}, but uses {result.compute / 1000:.0f}k words trained + generated, "
                       f"{result.compute / naive.compute:.1f} times the naive flywheel's {naive.compute / 1000:.0f}k "
                       f"(at most {capstone.EQUAL_COMPUTE:g} times counts as equal): train on 2,000 words a "
                       f"generation (replace or accumulate-subsample) and avoid a gate that rejects most words.")
    if result.score < EQUAL_COMPUTE_TARGET:
        return False, (f"it uses {result.compute / 1000:.0f}k words, as it should, but scores "
                       f"{result.score:.1f}; {EQUAL_COMPUTE_TARGET} is reachable. Which of your parts is lowest?")
    return True, (f"{result.score:.1f} with {result.compute / 1000:.0f}k words trained + generated, the naive "
                  f"flywheel's compute ({naive.score:.1f} for the naive flywheel itself).")


q4 = RecipeExercise(
    "Exercise 4 (equal compute)",
    judge=_judge_equal_compute,
    hints=["accumulate-subsample keeps every word ever made but trains on 2,000 of them a generation, "
           "as replace does.",
           "Start from Recipe(mode='accumulate-subsample') and spend the real-data budget."],
    solution=f"Keep all the data but train on a fixed-size sample of it (accumulate-subsample), and spend "
             f"the budget: Recipe(0.05, 'accumulate-subsample') scores above {EQUAL_COMPUTE_TARGET} with the naive "
             f"flywheel's compute. It scores below accumulate-everything: part of accumulate's lead is its larger "
             f"training sets, but most of it survives at equal compute (Kazdan et al. 2024 find the same in "
             f"their settings: test loss grows, slowly and gradually rather than explosively).",
    code="my_equal_compute = Recipe(real_fraction=0.05, mode='accumulate-subsample')",
)

__all__ = ["q1", "q2", "q3", "q4", "REAL", "HEAD_HEAVY", "FLAT", "ChoiceExercise", "RecipeExercise"]
