"""The pre/post quiz (docs/quiz.md) measures learning, not test-taking (issue 20, item 6).

A learner who always picks the same letter, or always the longest option, must not score well on
the pre-test, or the pre/post comparison the instructor guide proposes means nothing. Every option
carries a one-line explanation, and the key, the explanations and the questions agree.
"""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUIZ = (ROOT / "docs" / "quiz.md").read_text(encoding="utf-8")
QUESTIONS, ANSWERS = QUIZ.split("\n## Answers\n")
# A learner guessing at random among 3 options scores 33%; one fixed habit may do a little better
# by chance on 10 items (4 of 10), not more.
MOST = 0.40


def _blocks(text):
    """{question number: its text} for the '**N.**' blocks in `text`."""
    parts = re.split(r"^\*\*(\d+)\.\*\*", text, flags=re.M)[1:]
    return {int(n): body for n, body in zip(parts[::2], parts[1::2])}


def _options(body):
    return dict(re.findall(r"^- \(([a-d])\) (.+)$", body, flags=re.M))


QUESTION = {n: _options(body) for n, body in _blocks(QUESTIONS).items()}
KEY = {int(n): letter for n, letter in re.findall(r"^\| (\d+) \| \*\*([a-d])\*\* \|", ANSWERS, flags=re.M)}
WHY = {n: body for n, body in _blocks(ANSWERS.split("one line on why", 1)[1]).items()}


def test_every_question_has_options_a_key_and_an_explanation_per_option():
    assert list(QUESTION) == list(range(1, len(QUESTION) + 1)) and 8 <= len(QUESTION) <= 10
    assert set(KEY) == set(QUESTION) == set(WHY)
    for n, options in QUESTION.items():
        assert list(options) == ["a", "b", "c"][: len(options)] and len(options) >= 3, n
        assert KEY[n] in options, n
        explained = dict(re.findall(r"^- \(([a-d])\) (.+)$", WHY[n], flags=re.M))
        assert list(explained) == list(options), f"question {n}: one explanation per option"
        right = [letter for letter, line in explained.items() if line.startswith("**Right")]
        assert right == [KEY[n]], f"question {n}: the explanations mark {right} right, the key {KEY[n]}"


def test_no_single_letter_scores_over_40_percent():
    for letter in "abc":
        share = sum(k == letter for k in KEY.values()) / len(KEY)
        assert share <= MOST, f"always answering ({letter}) scores {share:.0%}"


def test_the_right_option_is_not_given_away_by_its_length():
    # the right option stands out when it is strictly the longest (or shortest) of its question
    def stands_out(n, pick):
        right, others = len(QUESTION[n][KEY[n]]), [len(t) for k, t in QUESTION[n].items() if k != KEY[n]]
        return right > max(others) if pick == "longest" else right < min(others)
    longest = sum(stands_out(n, "longest") for n in QUESTION)
    shortest = sum(stands_out(n, "shortest") for n in QUESTION)
    assert longest / len(QUESTION) <= MOST, f"the right option is the longest in {longest} of {len(QUESTION)}"
    assert shortest / len(QUESTION) <= MOST, f"the right option is the shortest in {shortest} of {len(QUESTION)}"
    for n, options in QUESTION.items():   # alike in length: no option twice as long as another
        lengths = [len(text) for text in options.values()]
        assert max(lengths) <= 2 * min(lengths), f"question {n}: options of {lengths} characters"


def test_the_quiz_asks_about_provenance_and_verifier_error():
    text = {n: "".join(options.values()) + _blocks(QUESTIONS)[n] for n, options in QUESTION.items()}
    assert any("excess" in t and "share" in t for t in text.values()), "a provenance item (Kobak et al.'s excess words)"
    assert any("false accept" in t and "false reject" in t for t in text.values()), "a verifier-error item"


def test_the_verifier_item_is_arithmetic_the_explanation_shows():
    # question 10: real share q = 0.76, false accept 0.3, false reject 0.1 -> share of real words passed
    q, fa, fr = 0.76, 0.3, 0.1
    passed_real = q * (1 - fr)
    share = passed_real / (passed_real + (1 - q) * fa)
    assert round(share, 2) == 0.90 and "(c) 90%" in QUESTIONS and KEY[10] == "c"
    assert f"{passed_real:.3f}" in WHY[10] and f"{passed_real + (1 - q) * fa:.3f}" in WHY[10]


def test_the_total_variation_item_is_right():
    p, q = [0.4, 0.3, 0.2, 0.1], [0.25] * 4
    tv = 0.5 * sum(abs(a - b) for a, b in zip(p, q))
    assert QUESTION[8][KEY[8]] == f"{tv:.2f}"
