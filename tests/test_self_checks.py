"""Each lesson module's self_check() passes when called directly, outside any notebook, and its
text starts with what the learner run reads (tests/lesson_runner.py: "Self-check passed.")."""
import matplotlib

matplotlib.use("Agg")
import pytest  # noqa: E402

from collapse_lab import lessons  # noqa: E402


# one self-check per notebook; 07's lives in provenance and calls monitoring's part
NOTEBOOK_CHECKS = [name for name in lessons.__all__ if name != "monitoring"]


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOK_CHECKS)
def test_self_check_passes_when_called_directly(name):
    printed = getattr(lessons, name).self_check()
    assert printed.startswith("Self-check passed."), printed
