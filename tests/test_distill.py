"""Soft-label distillation: a student fitted to its teacher's next-character probabilities."""
import numpy as np
import pytest

from collapse_lab.worlds import NeuralLM, NGramLM
from collapse_lab.worlds.words import Words

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(scope="module")
def world():
    return Words()


@pytest.fixture(scope="module")
def teacher(world):
    return NGramLM(order=3).fit(world.sample((1, 20000), np.random.default_rng(0)))


def _nll(world, model):
    return world.measure(model, world.heldout_[None, :100])["heldout_nll"][0]


def test_soft_student_is_exact_where_it_saw_the_context():
    # teacher: p(a | '.') = 3/4, p(b | '.') = 1/4. The student sees only 'b' words, yet with soft
    # labels its first-character distribution is the teacher's, exactly
    teacher = NGramLM(order=2, smoothing=0).fit(np.array([["ab", "ab", "ab", "b"]]))
    student = NGramLM(order=2, smoothing=0).fit(np.array([["b", "b"]]), teacher=teacher)
    start = np.zeros((1, 1), dtype=np.int64)  # the context '.': the first character
    first = dict(zip(student.itos_.tolist(), student.next_char_probs(start)[0, 0]))
    assert np.isclose(first[ord("a")], 0.75) and np.isclose(first[ord("b")], 0.25)
    assert np.isclose(np.exp(student.log_prob(np.array([["b"]])))[0, 0], 0.25)  # p(b | .) · p(. | b) = 1/4 · 1
    hard = NGramLM(order=2, smoothing=0).fit(np.array([["b", "b"]]))
    assert hard.next_char_probs(start)[0, 0, 2:].tolist() == [1.0]  # hard labels: only 'b' was ever seen


def test_soft_ngram_student_recovers_its_teachers_heldout_nll(world, teacher):
    X = teacher.sample(20000, np.random.default_rng(1))
    soft = NGramLM(order=3).fit(X, teacher=teacher)
    assert abs(_nll(world, soft) - _nll(world, teacher)) < 0.01  # measured: 0.002 nats/char


def test_soft_labels_beat_hard_labels_at_the_same_number_of_teacher_samples(world, teacher):
    for n in (2000, 20000):
        X = teacher.sample(n, np.random.default_rng(n))
        soft = _nll(world, NGramLM(order=3).fit(X, teacher=teacher))
        hard = _nll(world, NGramLM(order=3).fit(X))
        assert soft < hard - 0.01  # measured: 1.992 vs 2.104 at 2,000, 1.955 vs 1.976 at 20,000


@pytest.mark.slow
def test_teacher_and_student_may_differ_in_class_and_alphabet(world):
    rng = np.random.default_rng(2)
    real = world.sample((1, 5000), rng)
    neural = NeuralLM(steps=200, seed=0).fit(real)
    X = np.array([[w for w in neural.sample(3000, rng)[0] if "z" not in w]])  # the student never sees a 'z'
    student = NGramLM(order=3).fit(X, teacher=neural)
    assert ord("z") in student.alphabet_  # the teacher's alphabet joins the student's
    soft, hard = _nll(world, student), _nll(world, NGramLM(order=3).fit(X))
    assert soft < hard
    # and the other way round: a neural student of an n-gram teacher, two seeds against one
    ngram = NGramLM(order=3).fit(real)
    X2 = ngram.sample(2000, rng)
    both = NeuralLM(steps=200, seed=0).fit(np.vstack([X2, X2]), teacher=ngram)
    assert both.log_prob(world.heldout_[None, :50]).shape == (2, 50)


def test_a_teacher_must_be_a_fitted_word_model_with_matching_seeds(teacher):
    X = np.array([["ab"], ["cd"]])
    with pytest.raises(ValueError, match="not fitted yet"):
        NGramLM().fit(X, teacher=NGramLM())
    two = NGramLM().fit(np.array([["ab"], ["cd"]]))
    with pytest.raises(ValueError, match="The 'teacher' parameter of NGramLM.fit"):
        NGramLM().fit(np.array([["ab"], ["cd"], ["ef"]]), teacher=two)
