"""The figures a notebook draws, under one name: `plots.metric(...)`, `plots.tale_of_tails(...)`.

A face, nothing more: the course's figures live in figures/ (any History) and each lesson's own
figures in lessons/<lesson>.py, next to the runs they draw. What a lesson computes (theory,
measurements) is called by its lesson's name instead, e.g. `lessons.language.nll_per_char`.

    h = simulate(Gaussian(), GaussianModel(), generations=100, seeds=50, seed=0)
    plots.metric(h, "std", theory=worlds.gaussian.std_theory(100, 100))
"""
from .figures import *  # noqa: F401,F403 -- the generic figures, under their own names
from .figures import __all__ as _figures
from .lessons.capstone import CAPSTONE_COLORS, CAPSTONE_PARTS, capstone_parts
from .lessons.distillation import DISTILL_STYLE, REFERENCE_STYLE, teacher_samples
from .lessons.gaussian import anchored_spread
from .lessons.language import nll_shift
from .lessons.mixture import LOOP_STYLE, survival_compare
from .lessons.provenance import WEB_LOOK, detector_scores, measured_shares, share_estimates, web_years
from .lessons.quality_gates import GATE_PANELS, acceptance_bars, gate_frontier, gate_runs, verifier_error
from .lessons.tails import TAILS_STYLE, forgetting_times, tale_of_tails

__all__ = list(_figures) + [
    "anchored_spread", "forgetting_times", "TAILS_STYLE", "tale_of_tails", "LOOP_STYLE", "survival_compare",
    "nll_shift", "GATE_PANELS", "gate_runs", "verifier_error", "acceptance_bars", "gate_frontier",
    "DISTILL_STYLE", "REFERENCE_STYLE", "teacher_samples", "measured_shares", "WEB_LOOK", "web_years",
    "detector_scores", "share_estimates", "CAPSTONE_COLORS", "CAPSTONE_PARTS", "capstone_parts",
]
