"""Notebooks 00-02: each key point, as written in its lesson module's CLAIMS, checked at the lesson's
setting and in its neighbourhood (other seed sets, half and double the sample size, for 02 twice the
vocabulary and, in §7, another generator and a shifted range of training sizes; fixed vs fresh real data
is one of 01's claims).

A claim that failed somewhere in its neighbourhood was restated in the notebook with its condition, and
its check asserts the condition (issue 19, item 2). The Gaussian checks use the exact path and closed
forms; all of these together take about 15-20 s of CPU.
"""
import pytest

from collapse_lab.lessons import gaussian, start, tails

CASES = [pytest.param(check, setting, id=f"{module.__name__.rsplit('.', 1)[-1]}.{check.__name__}"
                                          f"[{','.join(f'{k}={v}' for k, v in setting.items())}]")
         for module in (start, gaussian, tails)
         for _, check in module.CLAIMS
         for setting in module.NEIGHBOURHOOD[check]]


@pytest.mark.slow
@pytest.mark.parametrize("check, setting", CASES)
def test_claim_holds_in_its_neighbourhood(check, setting):
    check(**setting)


@pytest.mark.parametrize("module", [start, gaussian, tails])
def test_every_claim_has_a_neighbourhood(module):
    """At least the lesson's setting, three other seed sets, and a smaller and a larger sample."""
    for sentence, check in module.CLAIMS:
        settings = module.NEIGHBOURHOOD[check]
        seeds = {s["seed"] for s in settings if "seed" in s}
        assert len(seeds) >= 4 and 0 in seeds, sentence
        assert len(settings) - len(seeds) >= 2, f"{sentence}: no neighbour beyond seeds"


def test_a_claim_check_can_fail():
    """The checks are not vacuous: the collapse claim fails where σ cannot have collapsed yet."""
    with pytest.raises(AssertionError):
        start.claim_collapse(samples=100_000)      # so much data that σ barely moves in 100 generations


def test_objective_checks_answer_back():
    from collapse_lab.exercises import Exercise
    for judge, right in ((start.CHECK_COLLAPSE, "b"), (gaussian.CHECK_THEOREM, "c"),
                         (tails.CHECK_REMEDY, "b"), (tails.CHECK_TAIL, "b")):
        check = Exercise("Check", judge=judge)
        assert check.check(right).correct and check.check(f"({right.upper()})").correct
        assert not check.check("a" if right != "a" else "b").correct
        assert "one letter" in check.check("z").message and "one letter" in check.check(3).message
        assert check.check(...).kind == "type"
