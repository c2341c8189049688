"""Notebook 07's exercises (monitoring and provenance). Every right answer is computed, never typed in:
from the formula of provenance.excess_share, or from seeded runs with the lesson's settings.

    from collapse_lab.exercises.provenance import q1, q2, q3
"""
import numpy as np

from ..engine.cache import remembered
from ..engine.checks import Interval, validate_args
from ..lessons import monitoring, provenance
from ..worlds import NGramLM
from ..lessons.language import lesson_world
from .core import Exercise, Feedback, NumberExercise, Wrong

NAN = np.nan

# the lesson's settings, shared with the notebook (which builds the same numbers in view)
YEARS = np.arange(2021, 2030)
GRAPHITE = {2023: 0.39, 2024: 0.50}  # measured points (provenance.MEASURED_SHARES); held after 2024
SHARES = provenance.web_shares(YEARS[1:], GRAPHITE)  # machine share of each crawl, 2022 onwards
WEB = dict(samples=2000, seeds=3, seed=0, reference_samples=20000)

# exercise 1: Kobak et al.'s bound on made-up but typical marker rates
HUMAN_RATE, MACHINE_RATE, OBSERVED_RATE = 0.08, 0.95, 0.50


@validate_args({name: [Interval(float, 0, 1)] for name in ("observed", "human", "machine")})
def kobak_bound_and_estimate(observed=OBSERVED_RATE, human=HUMAN_RATE, machine=MACHINE_RATE):
    """[lower bound Δ, calibrated estimate s]: Δ = observed − human, s = Δ / (machine − human)."""
    if machine <= human:
        raise ValueError(f"The 'machine' parameter of kobak_bound_and_estimate must be above 'human' (machine documents "
                         f"hold the markers more often). Got machine={machine} and human={human} instead.")
    delta = observed - human
    return [delta, delta / (machine - human)]


q1 = NumberExercise(
    "Exercise 1 (excess vocabulary)",
    expected=kobak_bound_and_estimate,
    names=["the lower bound Δ", "the estimate s"],
    rtol=0.02, atol=0.005,
    wrong=[
        Wrong([OBSERVED_RATE, NAN], "0.50 is the share of documents with a marker, human ones included: subtract what "
                                    "human documents would show anyway (the counterfactual, 8%)."),
        Wrong(lambda: [NAN, kobak_bound_and_estimate()[0] / MACHINE_RATE],
              "dividing by 0.95 forgets that human documents hold markers too: divide by the gap 0.95 − 0.08."),
        Wrong(lambda: kobak_bound_and_estimate()[::-1], "the two are swapped: the bound first, then the estimate."),
        Wrong(lambda: [kobak_bound_and_estimate()[0]] * 2,
              "the bound is not yet the estimate: a machine document holds a marker only 95% of the time, and a "
              "human one 8% of the time, so divide Δ by 0.95 − 0.08."),
    ],
    hints=["If a share s of the documents is machine-written, the observed rate is s·0.95 + (1 − s)·0.08.",
           "Δ = 0.50 − 0.08; solve 0.50 = 0.08 + s·(0.95 − 0.08) for s."],
    solution="Δ = 0.50 − 0.08 = 0.42 is Kobak et al.'s lower bound: at least 42% of the documents are the "
             "machine's. Knowing the machine's own marker rate turns it into an estimate, s = 0.42 / 0.87 ≈ 0.48.",
    code="my_kobak = [0.50 - 0.08, (0.50 - 0.08) / (0.95 - 0.08)]   # [0.42, 0.483]",
)


@remembered(maxsize=2)
def _web(filter):
    """The lesson's web with one filter (about 2 s each; remembered)."""
    return provenance.contaminated_web(lesson_world(5000), NGramLM(order=3), SHARES, filter=filter, **WEB)


def labelled_web():
    """The lesson's web trained on the human documents of each crawl only, and the unfiltered one."""
    return _web("labels"), _web(None)


q2 = NumberExercise(
    "Exercise 2 (perfect provenance)",
    expected=lambda: labelled_web()[0].median("recall_tail")[-1],
    rtol=0.0, atol=0.002,
    wrong=[
        Wrong(lambda: labelled_web()[1].median("recall_tail")[-1],
              "that is the unfiltered web's 2029 tail recall: pass filter=\"labels\" to contaminated_web."),
        Wrong(lambda: labelled_web()[0].median("recall_tail")[0],
              "that is year 0 (2021), before any machine text: take the last year, [-1]."),
        Wrong(lambda: labelled_web()[0].median("heldout_nll")[-1],
              "that is the held-out NLL; the question asks for the tail recall, median('recall_tail')."),
    ],
    hints=["provenance.contaminated_web(world, NGramLM(order=3), SHARES, filter=\"labels\", **WEB)",
           "Then .median(\"recall_tail\")[-1]: the 2029 model, median over the seeds."],
    solution="Perfect labels leave only the human half of each crawl: about as much tail recall as the unfiltered "
             "crawl, and a worse held-out NLL, because 1,000 human words teach less than 2,000 words of which half "
             "are plausible machine words. Provenance pays off when you keep the human data across years.",
    code="my_labelled = provenance.contaminated_web(world, NGramLM(order=3), SHARES, filter=\"labels\", **WEB)\n"
         "my_tail = my_labelled.median(\"recall_tail\")[-1]",
)


def monitor_runs():
    """The collapsing and the healthy flywheel of Part 1, at the monitor's default settings (remembered)."""
    return monitoring.monitor_run(), monitoring.monitor_run(real_fraction=0.2, mode="accumulate")


def _alarm_verdict(answer):
    """answer = [NLL rise %, tail recall drop %] -> Feedback."""
    collapsing, healthy = monitor_runs()
    nll, tail = answer
    if nll <= 0 or tail <= 0:
        return Feedback("incorrect", "thresholds are percentages above 0: an alarm at 0% trips on noise.")
    watch = {"heldout_nll": (nll / 100, +1), "recall_tail": (tail / 100, -1)}
    early = [monitoring.first_alarm(collapsing.median(n), t, d) for n, (t, d) in watch.items()]
    false = {n: monitoring.first_alarm(healthy.median(n), t, d) for n, (t, d) in watch.items()}
    if any(g is not None for g in false.values()):
        name = next(n for n, g in false.items() if g is not None)
        moved = healthy.median(name)
        return Feedback("incorrect", f"false alarm: the healthy run trips the {name} alarm at generation {false[name]} "
                                     f"(its largest move is {np.nanmax(np.abs(moved / moved[0] - 1)):.0%}). Raise it.")
    if not any(g is not None and g <= 2 for g in early):
        return Feedback("incorrect", f"too lax: the collapsing run first trips at {early} (NLL, tail); "
                                     "one of them should trip by generation 2. Lower a threshold.")
    return Feedback("correct", f"the collapsing run trips at generation {min(g for g in early if g)}, the healthy "
                               "run stays quiet for all 20.")


class AlarmExercise(Exercise):
    expects = "two numbers in a list, [NLL rise %, tail recall drop %]"

    def coerce(self, answer):
        return NumberExercise.coerce(self, answer)

    @property
    def expected(self):
        return np.zeros(2)

    def judge(self, answer):
        return _alarm_verdict(answer)


q3 = AlarmExercise(
    "Exercise 3 (tune the alarms)",
    hints=["The healthy run's held-out NLL moves by only a few percent over 20 generations.",
           "The monitor's defaults, [10, 30], already work; try lower values and see where false alarms start."],
    solution="The defaults already do it: a rise of 10% in held-out NLL or a drop of 30% in tail recall trips in "
             "the collapsing run within two generations and never in the healthy run. Thresholds on distinct "
             "words or entropy cannot catch this collapse at any setting, because those numbers rise.",
    code="my_thresholds = [10, 30]",
)

__all__ = ["q1", "q2", "q3", "YEARS", "GRAPHITE", "SHARES", "WEB", "kobak_bound_and_estimate", "labelled_web",
           "monitor_runs"]
