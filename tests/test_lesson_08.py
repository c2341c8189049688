"""Lesson 08 (the capstone): its score, its exercises, its figure, and a learner who beats the references.

The capstone's runs are seeded and kept (capstone._run is cached), so tests that score the same
recipes share the work.
"""
import re
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from collapse_lab import plots  # noqa: E402
from collapse_lab.lessons import capstone  # noqa: E402
from collapse_lab.lessons.capstone import Recipe  # noqa: E402
from collapse_lab.exercises import capstone as ex  # noqa: E402
from lesson_runner import LearnerRun  # noqa: E402  (tests/ is on sys.path)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "src" / "08_capstone_challenge.py"
# a recipe that beats every reference recipe of the notebook (found by a grid over the levers)
BETTER = Recipe(real_fraction=0.05, mode="accumulate", gate="top:0.95")
REFERENCES = (Recipe(0.05, "accumulate", "real"), Recipe(0.05, "accumulate-subsample", "real"), Recipe(0.05, gate="real"))


# --- the score ------------------------------------------------------------------------------

def test_written_frequencies_are_what_sampling_writes():
    """The exact q_T(w) read off the model agrees with 100,000 sampled words at 4 standard errors
    (for the 100 most frequent words, where the counts are large enough for the normal approximation)."""
    world = capstone._capstone_world()
    rng = np.random.default_rng(3)
    model = capstone._model().fit(world.sample((1, 2000), rng))
    for temperature in (1.0, 0.7, 1.3):
        q = capstone.written_frequencies(model, world, temperature)[0]
        n = 100_000
        ranks = world.rank(model.sample(n, rng, temperature)[0])
        counted = np.bincount(ranks[ranks >= 0], minlength=len(world.words_)) / n
        se = np.sqrt(q[:100] * (1 - q[:100]) / n)
        assert np.all(np.abs(counted[:100] - q[:100]) < 4 * se + 1e-9), temperature
        assert abs((ranks >= 0).mean() - q.sum()) < 4 * np.sqrt(q.sum() * (1 - q.sum()) / n)


def test_frequency_fidelity_is_one_minus_total_variation_to_the_real_frequencies(monkeypatch):
    """frequency_fidelity normalises what the model writes to its real words and compares it with
    the real frequencies: 1 for the real distribution, less for a flat one and a head-heavy one."""
    world = capstone._capstone_world()
    real = world.probs_
    flat = np.full_like(real, 1 / len(real))
    head = np.where(np.arange(len(real)) < 20, real, 0.0)
    written = np.stack([0.8 * real, 0.5 * flat, head])      # non-words take the rest: not diversity's business
    monkeypatch.setattr(capstone, "written_frequencies", lambda model, w, t: written)
    got = capstone.frequency_fidelity(None, world, 1.0)
    by_hand = [1 - 0.5 * np.abs(q / q.sum() - real).sum() for q in written]
    assert np.allclose(got, by_hand) and np.isclose(got[0], 1.0)
    assert got[1] < 0.6 and got[2] < 0.8


def test_the_budget_is_a_share_of_the_training_set_after_gating(monkeypatch):
    """Every training set from generation 1 on holds exactly `samples` words however many the gate
    rejects, so 5% real is 5% of what is trained on (before refill, 10-14% for gated recipes)."""
    sizes = []

    class Spy(type(capstone._model())):
        def fit(self, X, mask=None, teacher=None):
            sizes.append(np.asarray(mask).sum(axis=1) if mask is not None else np.full(len(X), X.shape[1]))
            return super().fit(X, mask, teacher)

    monkeypatch.setattr(capstone, "_model", lambda: Spy(order=4, smoothing=0.01))
    monkeypatch.setitem(capstone.CAPSTONE, "generations", 3)   # a different key: not the cached runs
    result = capstone.score(Recipe(0.05, gate="real+cap:3"))
    assert result.scored and np.all(result.history["acceptance"][:, 1:] < 0.5)  # the gate rejected most words
    assert len(sizes) >= 4 and all(np.all(s == 2000) for s in sizes)   # the recipe (4 fits) and the baseline
    assert result.real_used == 2000 + 3 * 100


def test_a_recipe_that_cannot_fill_its_training_set_is_not_scored_and_ranks_last():
    unfillable = capstone.score({"gate": "real+dedup"})
    naive = capstone.score(Recipe())
    assert not unfillable.scored and "too few to fill the training set" in unfillable.stopped
    assert all(np.isnan(v) for v in (unfillable.score, unfillable.quality, unfillable.diversity, unfillable.fidelity))
    assert [name for name, _ in capstone.ranked({"a": unfillable, "b": naive})] == ["b", "a"]
    table = capstone.leaderboard({"a": unfillable, "b": naive})
    assert "not scored" in table and "too few to fill" in table
    assert table.index("b ") < table.index("a ")


@pytest.mark.slow
def test_compute_is_stated_for_each_mode_and_gate():
    naive, acc, sub = (capstone.score(Recipe(mode=m)) for m in ("replace", "accumulate", "accumulate-subsample"))
    assert naive.trained_on == sub.trained_on == 11 * 2000 and acc.trained_on == 66 * 2000
    assert naive.generated == 10 * 2000 and naive.real_used == 2000
    capped = capstone.score(Recipe(0.05, "accumulate", "real+cap:3"))
    acceptance = capped.history["acceptance"][:, 1:]
    assert np.isclose(capped.generated, np.median((1900 / acceptance).sum(axis=1)))
    assert capped.generated > 4 * naive.generated and capped.compute == capped.trained_on + capped.generated
    assert not capstone.equal_compute(capped, naive) and capstone.equal_compute(sub, naive)   # a strict gate costs generated words


@pytest.mark.slow  # over ~0.8 s: make check stays under a minute
def test_accumulate_keeps_most_of_its_lead_at_equal_compute():
    naive, acc, sub = (capstone.score(Recipe(mode=m)) for m in ("replace", "accumulate", "accumulate-subsample"))
    assert naive.score < sub.score < acc.score
    assert sub.score - naive.score > acc.score - sub.score   # most of the gain is not the larger training set


@pytest.mark.slow
def test_a_learner_recipe_better_than_the_references_is_scored_and_ranked_first():
    refs = {f"reference {i}": capstone.score(r) for i, r in enumerate(REFERENCES)}
    mine = capstone.score(BETTER)
    assert mine.scored and mine.score > max(r.score for r in refs.values())
    assert capstone.ranked({**refs, "your recipe": mine})[0][0] == "your recipe"
    assert capstone.leaderboard({**refs, "your recipe": mine}).splitlines()[2].split()[1:3] == ["your", "recipe"]


def test_score_is_cached_per_settings(monkeypatch):
    first = capstone.score(Recipe())
    assert capstone.score(Recipe()).history is first.history          # the same run, not run again
    monkeypatch.setitem(capstone.CAPSTONE, "generations", 2)
    assert capstone.score(Recipe()).history.generations == 2          # other settings: another run


# --- the exercises ---------------------------------------------------------------------------

def _kind(feedback):
    return feedback.kind


def test_q1_total_variation():
    assert ex.q1.check([0.2, 0.2]).correct
    assert "without the ½" in ex.q1.check([0.4, 0.4]).message
    assert "largest single difference" in ex.q1.check([0.15, 0.15]).message
    assert "1 − TV" in ex.q1.check([0.8, 0.8]).message
    assert _kind(ex.q1.check("0.2")) == "type" and _kind(ex.q1.check(0.2)) == "type"
    assert _kind(ex.q1.check([..., ...])) == "type"


def test_q2_compute():
    assert ex.q2.check(6).correct and ex.q2.check(6.0).correct
    assert "last generation only" in ex.q2.check(11).message
    assert "divide by" in ex.q2.check(66).message
    assert "accumulate-subsample" in ex.q2.check(1).message
    assert _kind(ex.q2.check("six")) == "type"


@pytest.mark.slow
def test_q3_what_the_cap_costs():
    assert ex.q3.check("diversity").correct and ex.q3.check(" Diversity ").correct
    capped = capstone.score(Recipe(0.05, "accumulate", "real+cap:3"))
    for part in ("quality", "fidelity", "tail"):   # each wrong answer quotes its own value, not "hardly moves"
        message = ex.q3.check(part).message
        assert f"{getattr(capped, part):.2f}" in message and "another part is lower" in message, part
    assert "keeps rare words" in ex.q3.check("tail").message
    assert _kind(ex.q3.check(2)) == "type" and _kind(ex.q3.check("coverage")) == "type"


@pytest.mark.slow
def test_q4_equal_compute_scores_the_learners_recipe():
    assert ex.q4.check(Recipe(0.05, "accumulate-subsample")).correct
    assert ex.q4.check({"real_fraction": 0.05, "mode": "accumulate-subsample"}).correct
    assert "times the naive flywheel" in ex.q4.check(Recipe(0.05, "accumulate", "real")).message
    assert "times the naive flywheel" in ex.q4.check(Recipe(0.05, "accumulate-subsample", "real+cap:4")).message  # generated words count
    assert "reachable" in ex.q4.check(Recipe(0.05)).message
    assert "not scored" in ex.q4.check(Recipe(0.05, gate="real+cap:2")).message
    assert _kind(ex.q4.check("accumulate")) == "type"
    over = ex.q4.check({"real_fraction": 0.5})
    assert _kind(over) == "type" and "budget" in over.message


# --- the figure and the explorer ---------------------------------------------------------------

def test_the_capstone_figure_passes_colour_vision():
    from helpers import confusable

    h = capstone.score(Recipe()).history
    fig, axes = plt.subplots(1, 4)
    plots.capstone_parts({name: h for name in plots.CAPSTONE_COLORS}, axes)
    assert not confusable(fig)
    assert "total variation" in axes[1].get_ylabel() and "tail recall" in axes[3].get_ylabel()
    plt.close(fig)


@pytest.mark.slow  # over ~0.8 s: make check stays under a minute
def test_the_explorer_reports_an_unfillable_recipe_in_words():
    from collapse_lab import dashboards

    explorer = dashboards.capstone()
    explorer.controls["gate"].value = "real+cap:2"
    explorer.controls["real_fraction"].value = 0.05
    explorer.run()   # what Run does (in a kernel it runs in a thread)
    assert "not scored" in explorer.caption.value
    assert explorer.controls["mode"].options == ("replace", "accumulate", "accumulate-subsample")


# --- the notebook, answered by a learner ---------------------------------------------------------

def learner_checks(printed):
    """Notebook 08 with every exercise answered by its solution, every prediction recorded, and
    the learner's recipe better than all the references: it runs, the learner's recipe tops the
    board, and the self-check still passes."""
    assert sum(line.startswith("Correct") for p in printed for line in p.splitlines()) == 4, printed
    board = next(p for p in printed if "equal-compute reference" in p and "hard-mode reference" in p)
    assert board.splitlines()[2].split()[1:3] == ["your", "recipe"], board
    assert "Self-check passed." in printed[-1]


# The learner's notebook is executed once per run, by nbval, as notebooks/08_*.ipynb (tests/conftest.py).
LEARNER_EDITS = {'Recipe(real_fraction=0.05, mode="replace", gate="none", temperature=1.0)   # edit me':
                 'Recipe(real_fraction=0.05, mode="accumulate", gate="top:0.95")',
                 '"fidelity", "tail"])': '"fidelity", "tail"], guess="diversity")',
                 '["under 80", "over 80"])': '["under 80", "over 80"], guess="over 80")'}
LEARNER = LearnerRun(NOTEBOOK, ex, LEARNER_EDITS, check=learner_checks)


# --- docs/solutions.py -----------------------------------------------------------------------------

def _solutions():
    sys.path.insert(0, str(ROOT / "docs"))
    try:
        import solutions
    finally:
        sys.path.remove(str(ROOT / "docs"))
    return solutions


def test_solutions_finds_every_exercise_module_when_it_runs(tmp_path, monkeypatch, capsys):
    import collapse_lab.exercises as package

    solutions = _solutions()
    # a lesson module added later is found without any list to update
    (tmp_path / "zz_new_lesson.py").write_text(
        '"""Notebook 42\'s exercises."""\nfrom collapse_lab.exercises.core import NumberExercise\n'
        'q1 = NumberExercise("Exercise 1 (new)", expected=1.0, solution="one", code="my_x = 1")\n')
    monkeypatch.setattr(package, "__path__", [*package.__path__, str(tmp_path)])
    found = {lesson: m.__name__ for lesson, m in solutions.exercise_modules()}
    assert found["01"] == "collapse_lab.exercises.gaussian" and found["08"] == "collapse_lab.exercises.capstone"
    assert found["42"].endswith("zz_new_lesson") and "collapse_lab.exercises.core" not in found.values()
    assert solutions.main(["42"]) == 0
    out = capsys.readouterr().out
    assert "Lesson 42" in out and "Exercise 1 (new)" in out and "my_x = 1" in out
    sys.modules.pop("collapse_lab.exercises.zz_new_lesson", None)


def test_solutions_prints_every_solution_of_a_lesson_in_order(capsys):
    solutions = _solutions()
    assert solutions.main(["08"]) == 0
    out = capsys.readouterr().out
    titles = re.findall(r"--- (q\d+): ", out)
    assert titles == ["q1", "q2", "q3", "q4"]
    for name in titles:
        assert getattr(ex, name).solution().message in out


def test_solutions_refuses_a_bad_lesson_number(capsys):
    with pytest.raises(SystemExit) as stop:
        _solutions().main(["8"])
    assert stop.value.code == 2 and "two digits" in capsys.readouterr().err


# --- the instructor's kit: handout and quiz ----------------------------------------------------------

def test_the_handout_has_four_rules_each_with_its_figure_and_alt_text():
    text = (ROOT / "docs" / "handout.md").read_text(encoding="utf-8")
    rules = re.findall(r"\*\*(\d)\. [^*]+\*\*", text)
    images = re.findall(r'<img src="([^"]+)" width="\d+" alt="([^"]{20,})">', text)
    assert rules == ["1", "2", "3", "4"] and len(images) == 4
    for src, _ in images:
        assert (ROOT / "docs" / src).is_file(), src


def test_the_quiz_has_six_to_ten_questions_each_with_an_answer():
    text = (ROOT / "docs" / "quiz.md").read_text(encoding="utf-8")
    questions, answers = text.split("## Answers")
    asked = re.findall(r"^\*\*(\d+)\.\*\*", questions, flags=re.M)
    answered = re.findall(r"^\| (\d+) \| \*\*([abc])\*\* \|", answers, flags=re.M)
    assert 6 <= len(asked) <= 10 and [int(a) for a in asked] == list(range(1, len(asked) + 1))
    assert [q for q, _ in answered] == asked
    for number, letter in answered:   # each answer is one of its question's options
        block = re.search(rf"^\*\*{number}\.\*\*(.*?)(?=^\*\*\d+\.\*\*|\Z)", questions, flags=re.M | re.S).group(1)
        assert f"- ({letter}) " in block


@pytest.mark.browser
@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_handout_prints_on_one_page(paper, tmp_path, ci):
    """Rendered as GitHub renders Markdown (raw HTML allowed) and printed by Chromium with 1 cm
    margins, the handout fits one page of A4 and of Letter."""
    import shutil

    chromium = shutil.which("chromium")
    if chromium is None:
        if ci:
            pytest.fail("Debian's chromium is not installed; CI must run the browser tests")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from markdown_it import MarkdownIt
    from playwright.sync_api import sync_playwright

    body = MarkdownIt("commonmark", {"html": True}).enable("table").render(
        (ROOT / "docs" / "handout.md").read_text(encoding="utf-8"))
    page_html = tmp_path / "handout.html"
    page_html.write_text(
        "<!doctype html><meta charset='utf-8'><style>body{font-family:Helvetica,Arial,sans-serif;font-size:16px;"
        "line-height:1.5;max-width:980px;margin:0 auto;padding:16px}table{border-collapse:collapse}"
        f"td{{border:1px solid #d0d7de;padding:6px 13px}}</style>{body}", encoding="utf-8")
    shutil.copytree(ROOT / "docs" / "figures", tmp_path / "figures")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"], headless=True)
        page = browser.new_page()
        page.goto(page_html.as_uri())
        pdf = page.pdf(format=paper, margin={side: "1cm" for side in ("top", "bottom", "left", "right")})
        browser.close()
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1


def _plan(guide, heading):
    """[(start, end)] minutes of each row of the lesson plan under `heading` in the instructor guide."""
    section = guide.split(heading, 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
    minutes = lambda t: int(t.split(":")[0]) * 60 + int(t.split(":")[1])  # noqa: E731
    return [(minutes(a), minutes(b)) for a, b in re.findall(r"^\| (\d:\d\d)–(\d:\d\d) \|", section, flags=re.M)]


def test_the_lesson_plans_add_up():
    guide = (ROOT / "docs" / "instructor_guide.md").read_text(encoding="utf-8")
    short = _plan(guide, "### 90 minutes")
    half = _plan(guide, "### Half day (4 h 15 min: 3 h 55 min of teaching and two 10-minute breaks)")
    for plan in (short, half):
        assert plan[0][0] == 0 and all(end == start for (_, end), (start, _) in zip(plan, plan[1:]))
        assert all(end > start for start, end in plan)
    assert short[-1][1] == 90 and half[-1][1] == 4 * 60 + 15
    short_rows = guide.split("### 90 minutes", 1)[1].split("### Half day", 1)[0]
    for notebook in ("06 Distillation", "07 Monitoring"):   # two of the four rules, 10 minutes or more each
        row = next(row for row in short_rows.splitlines() if notebook in row)
        (start, end), = _plan("\n" + row, "\n")
        assert end - start >= 10, notebook


@pytest.mark.slow  # over ~0.8 s: make check stays under a minute
def test_exercise_answers_the_notebook_quotes():
    """Moved from the notebook's self-check: the cap costs diversity; the equal-compute recipe passes."""
    assert ex.q3.check("diversity").correct and ex.q4.check(Recipe(0.05, "accumulate-subsample")).correct


@pytest.mark.slow  # five chains of 10 students × 3 seeds, ~5 s
def test_the_handouts_rule_3_says_what_its_chains_show():
    """Rule 3 (students the teacher's size): fresh real data, soft labels and 10× the samples each drift about a
    third as far as hard samples alone; a fixed real slice about two-thirds; the alt text's end points."""
    sys.path.insert(0, str(ROOT / "docs"))
    try:
        import make_handout_figures as figures
    finally:
        sys.path.remove(str(ROOT / "docs"))
    nll = {name: h.median("heldout_nll") for name, h in figures.rule3_runs().items()}
    rise = {name: v[-1] - v[0] for name, v in nll.items()}
    hard = rise.pop("2,000 hard samples")
    share = {name: r / hard for name, r in rise.items()}
    assert all(0.2 < share[name] < 0.45 for name in ("+ fresh 20% real", "soft labels", "20,000 samples")), share
    assert 0.5 < share["+ fixed 20% real slice"] < 0.75, share
    ends = {name: round(v[-1], 1) for name, v in nll.items()}
    assert ends["2,000 hard samples"] == 2.8 and ends["+ fixed 20% real slice"] == 2.4
    assert all(abs(nll[name][-1] - 2.1) < 0.1 for name in ("+ fresh 20% real", "soft labels", "20,000 samples")), ends
