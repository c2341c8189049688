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
from .core import Exercise, Feedback, NumberExercise, OtherRun, Wrong

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
    names=["the lower bound Δ", "the estimate s"], source="calculation",
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
    source="run", setting='filter="labels" and **WEB (seeds=3, seed=0)',
    reference_run=lambda: labelled_web()[0],
    # Run-to-run noise (benchmarks/exercise_noise.py, seed sets 0-5): labelled 0.190, 0.187, 0.195, 0.194,
    # 0.196, 0.191 (at most 3% from seed 0's); the unfiltered crawl 0.197, 0.194, 0.200, 0.197, 0.195, 0.192.
    # The two are the same within the noise, which is the exercise's point (review 05-08, gap 10): the
    # unfiltered crawl's number is recognised and the learner told which run it is.
    rtol=0.04,
    others=[OtherRun(lambda: labelled_web()[1].median("recall_tail")[-1], "the unfiltered web (no filter)")],
    wrong=[
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


# Run-to-run noise of the two runs at the monitor's settings (seed sets 0-5, 2 runs each; measured as in
# benchmarks/exercise_noise.py): the healthy run's largest NLL rise is 0.6, 0.5, 0.5, 0.7, 0.5, 0.5% and
# its largest tail-recall drop 3.9, 5.7, 4.2, 4.3, 4.6, 1.7%; the collapsing run by generation 2 rises
# 10.9-12.3% in NLL and drops 31.8-35.0% in tail recall. The check runs seed 0 only (about 4 s), so a
# threshold must clear seed 0's healthy move by HEALTHY_MARGIN (NLL 0.65 / 0.61 ≈ 1.1, tail 5.7 / 3.9 ≈ 1.5)
# and sit below seed 0's collapsing move by COLLAPSE_MARGIN (12.0 / 10.9 ≈ 1.1): otherwise another seed
# set would show a false alarm or a late one.
HEALTHY_MARGIN, COLLAPSE_MARGIN = {"heldout_nll": 1.1, "recall_tail": 1.5}, 1.1
DEFAULT_THRESHOLDS = (10, 30)  # the monitor's own (lessons.monitoring)


def _alarm_verdict(answer):
    """answer = [NLL rise %, tail recall drop %] -> Feedback."""
    nll, tail = answer
    if nll <= 0 or tail <= 0:
        return Feedback("incorrect", "thresholds are percentages above 0: an alarm at 0% trips on noise.")
    if nll < 1 and tail < 1:
        return Feedback("incorrect", f"those look like shares ({nll:g}, {tail:g}); give percentages, e.g. 10 for 10%.")
    collapsing, healthy = monitor_runs()
    watch = {"heldout_nll": (nll / 100, +1), "recall_tail": (tail / 100, -1)}
    for name, (threshold, direction) in watch.items():  # the healthy run must stay quiet, with room for seed noise
        curve = healthy.median(name)
        largest = float(np.nanmax(direction * (curve / curve[0] - 1)))  # in the alarm's own direction
        what = "rise" if direction > 0 else "drop"
        if monitoring.first_alarm(curve, threshold, direction) is not None:
            return Feedback("incorrect", f"false alarm: the healthy run trips the {name} alarm at generation "
                                         f"{monitoring.first_alarm(curve, threshold, direction)} (its largest "
                                         f"{what} is {largest:.1%}). Raise it.")
        if threshold < HEALTHY_MARGIN[name] * largest:
            return Feedback("incorrect", f"the healthy run's largest {name} {what} is {largest:.1%} at seed 0, and up "
                                         f"to about {HEALTHY_MARGIN[name]:g} times that at other seeds: your "
                                         f"{threshold:.1%} would raise a false alarm there. Raise it.")
    early = {}
    for name, (threshold, direction) in watch.items():
        curve = collapsing.median(name)
        moved = float(np.nanmax(direction * (curve[1:3] / curve[0] - 1)))  # by generation 2
        early[name] = moved >= COLLAPSE_MARGIN * threshold
    if not any(early.values()):
        trips = [monitoring.first_alarm(collapsing.median(n), t, d) for n, (t, d) in watch.items()]
        return Feedback("incorrect", f"too lax: by generation 2 neither alarm trips with room to spare for other "
                                     f"seeds (first trips at {trips}, NLL and tail; at other seeds the collapsing "
                                     "run moves up to 10% less). Lower a threshold.")
    first = min(monitoring.first_alarm(collapsing.median(n), t, d) or 99 for n, (t, d) in watch.items())
    nudge = (" Those are the monitor's defaults: lower each threshold until the healthy run trips, to see how "
             "much room there is." if tuple(answer) == DEFAULT_THRESHOLDS else "")
    return Feedback("correct", f"the collapsing run trips at generation {first}, the healthy run stays quiet for "
                               f"all 20, with room for another seed set's noise.{nudge}")


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
    hints=["The healthy run's held-out NLL moves by under 1% over 20 generations; its tail recall by a few percent.",
           "Leave room for other seeds: the healthy tail recall drops up to about 6% at some seed sets, and "
           "the collapsing run's NLL rises about 11-12% by generation 2."],
    solution="Anything from about [1, 6] to [10, 30] (the monitor's defaults) works: the healthy run's NLL "
             "moves by under 1% and its tail recall by up to about 6% (across six seed sets), while by generation "
             "2 the collapsing run's NLL has risen 11-12% and its tail recall dropped about a third. Thresholds on "
             "distinct words or entropy cannot catch this collapse at any setting, because those numbers rise.",
    code="my_thresholds = [5, 15]",
)

__all__ = ["q1", "q2", "q3", "YEARS", "GRAPHITE", "SHARES", "WEB", "kobak_bound_and_estimate", "labelled_web",
           "monitor_runs"]
