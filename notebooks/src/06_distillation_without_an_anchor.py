# %% [markdown]
# # 06 · Distillation without an anchor
#
# [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/model-collapse-lab/model-collapse-lab/HEAD?urlpath=lab/tree/notebooks/06_distillation_without_an_anchor.ipynb)
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/model-collapse-lab/model-collapse-lab/blob/main/notebooks/06_distillation_without_an_anchor.ipynb)
#
# **Questions**
# - A student model trained on a teacher's outputs: when does it learn what the teacher knows,
#   and when does it lose the rare things?
# - What happens when that student teaches the next one, and so on?
# - Which levers decide it: how much the teacher writes, what the student is shown, real data?
#
# **Objectives**
# - Measure one distillation step with 2,000, 20,000 and 200,000 teacher samples, with **hard**
#   and with **soft** labels, against the same student trained on real words.
# - Watch a chain of students trained on small hard-label samples lose the tail, and find when a chain
#   on soft labels holds and when it slides too.
# - Show that a small anchor of *fresh* real data in every student's training set stops the slide,
#   say how small, and why a fixed slice of real data does not.
#
# **Time:** about 31 minutes (16 reading, 4 exercises × 3, 1 explorers × 2, 1 running).

# %% [markdown]
# **How this notebook works.** Run the cells in order (Shift+Enter). Where it says *Predict first*,
# pick your guess before running on: the next cells measure the answer and show it beside your guess.
# Each exercise has a cell for your answer: `q1.check(...)` says whether it is right and, if not,
# what is probably wrong; `q1.hint()` gives a nudge and `q1.solution()` the worked answer (also folded
# under the exercise). Terms in **bold** are defined where they first appear, and all of them in
# [the glossary](../docs/glossary.md).

# %%
# On Colab (or wherever the course is not installed yet) install this release of it; here this does nothing.
try:
    import collapse_lab
except ImportError:
    # %pip install -q "collapse-lab @ git+https://github.com/model-collapse-lab/model-collapse-lab@v0.2.0"
from collapse_lab.lesson import *    # np, plt, display, simulate, the worlds, models and gates, plots, predict, ...
from collapse_lab.exercises.distillation import q1, q2, q3    # this lesson's exercises
start("06")    # the course's figure style, help for cells run out of order, and the version

# %% [markdown]
# ## 1. Teachers and students
#
# **Distillation** trains a small, cheap **student** model on the outputs of a large **teacher**.
# It is everywhere: small language models are trained on text written by large ones, and the next,
# even cheaper model is often distilled from that student. What the student is shown comes in two kinds:
#
# - **Hard labels**: the teacher's *words*, sampled from it, and the student fits them as if they were
#   real text. This is *sequence-level* distillation (Kim & Rush 2016, who train the student on the
#   teacher's beam-search translations; we sample instead), and it is what "training on a model's
#   output" usually means for language models.
# - **Soft labels** (soft targets): at every context the student reads, the teacher's whole
#   probability distribution over the next character, not just the character that came next.
#   This is the distillation of Hinton et al. (2015), at temperature 1, and Kim & Rush's *word-level*
#   distillation (they read real sentences; our students read the contexts of the teacher's words).
#
# Our teacher is the character 4-gram of notebook 05 (smoothing 0.01), fitted on 2,000 real words; the
# students are 3-grams: they read one character less of context, so they are smaller. We run 3 seeds side by side.

# %% [markdown]
# Two yardsticks, both measured against real words. The **NLL** (negative log-likelihood) of a
# held-out sample of real words: how surprised the model is by real text, in **nats** (natural-log
# units) per character; lower is better. Its exponential, the **perplexity**, is the number of
# equally likely characters the model is as unsure as. And **recall** per frequency bucket (notebook 04):
# the share of a bucket's words the model gives at least 1% of their real probability. The **head** is the
# few words that make up half of all text, the **tail** the many rare words that make up the last 10%,
# the **torso** the rest. The buckets are this course's measure, not one from the papers we cite.
#
# > **Predict first.** Student 1 learns from 2,000 of the teacher's words (hard labels) instead of
# > 2,000 real words. Compared with the same student trained on real words, what will it know less of?

# %%
p1 = predict("Student 1, trained on 2,000 of the teacher's words, knows less of…",
             ["the frequent words", "the rare words", "neither: about the same"])

# %%
world = Words(n_words=2000)
teacher, student = NGramLM(order=4, smoothing=0.01), NGramLM(order=3, smoothing=0.01)
RUN = dict(samples=2000, seeds=3, seed=0)      # 2,000 real words for the teacher; 3 runs side by side
BUCKETS = ("recall_head", "recall_torso", "recall_tail")

# generation 0 is the teacher; generation 1 the student, on 2,000 of the teacher's words (hard labels)
hard_2k = simulate(world, teacher, student=student, generations=1, **RUN)
on_real = simulate(world, student, generations=1, **RUN)      # generation 0: the student on real words

# %%
rows = {"teacher (4-gram), real words": (hard_2k, 0), "student (3-gram), real words": (on_real, 0),
        "student (3-gram), teacher's words": (hard_2k, 1)}   # model: (the run it is in, its generation)
print(f"{'':36s} {'head':>6} {'torso':>6} {'tail':>6} {'NLL':>6}")
for name, (h, g) in rows.items():
    print(f"{name:36s} " + " ".join(f"{h.median(b)[g]:6.2f}" for b in BUCKETS) + f" {h.median('heldout_nll')[g]:6.2f}")
distilled = {b: hard_2k.median(b)[1] for b in BUCKETS}   # student 1, taught by the teacher
direct = {b: on_real.median(b)[0] for b in BUCKETS}      # the same student, taught by real words
kept = {b: distilled[b] / direct[b] for b in BUCKETS}
reveal(p1, f"head recall {kept['recall_head']:.0%} and tail recall {kept['recall_tail']:.0%} of the real-word student's",
       answer="the rare words" if kept["recall_tail"] < kept["recall_head"] - 0.1 else "neither: about the same")

# %% [markdown]
# The student trained on the teacher's words knows about as many **head** words as one trained on
# real words, but clearly fewer **tail** words, and its NLL is higher. The teacher's 2,000 words are
# a *sample*: the frequent words show up in it many times, most rare words not at all, so a student
# that learns from the words never sees them. Real words would have been a sample too, but a sample of
# the *real* tail; the teacher's sample can only hold what the teacher itself puts probability on.
# (Exercise 2 counts how many of the tail words a sample of 2,000 misses.)
#
# ## 2. The levers of one step: how many samples, and which labels
#
# Two arguments of `simulate` set what each student learns from: `teacher_samples` (how many of the
# teacher's words; by default as many as the teacher's real words, 2,000) and `distill` ("hard" or
# "soft"). Every run below is one teacher and one student; only the student's lesson changes.
#
# > **Predict first.** Which student comes closer to the best a 3-gram can learn from this teacher:
# > hard labels from 20,000 of the teacher's words, or soft labels from 2,000?

# %%
p2 = predict("Closer to the best a 3-gram can learn from this teacher is…",
             ["hard labels, 20,000 words", "soft labels, 2,000 words", "neither: they are about the same"])

# %%
SIZES = (2_000, 20_000, 200_000)
# six first students: hard or soft labels, on 2,000, 20,000 or 200,000 of the teacher's words (some seconds)
one_step = {(labels, n): simulate(world, teacher, student=student, generations=1, teacher_samples=n,
                                  distill=labels, **RUN)
            for labels in ("hard", "soft") for n in SIZES}

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
for ax, name in zip(axes, ("heldout_nll", "recall_tail")):
    marks = {"teacher (4-gram)": hard_2k.median(name)[0], "student on 2,000 real words": on_real.median(name)[0]}
    plots.teacher_samples(one_step, name, ax=ax, references=marks)
axes[1].get_legend().remove()   # the left panel's legend serves both
fig.suptitle("One distillation step (median; bars: the middle 80% of 3 runs)")
plt.show()
first = {key: h.median("heldout_nll")[1] for key, h in one_step.items()}   # each first student's NLL
for n in SIZES:
    print(f"{n:>7,} teacher words: NLL hard {first['hard', n]:.3f}, soft {first['soft', n]:.3f} nats/char")
reveal(p2, f"hard from 20,000: {first['hard', 20_000]:.3f}; soft from 2,000: {first['soft', 2_000]:.3f}",
       answer="soft labels, 2,000 words" if first["soft", 2_000] < first["hard", 20_000] else "hard labels, 20,000 words")

# %% [markdown]
# Hard labels need many samples: the NLL falls from 2.16 (2,000 words) through 1.98 (20,000) to
# 1.92 (200,000), and the tail recall climbs with it. Soft labels get there almost at once: from
# 2,000 words the student is already at 1.95, better than hard labels from 20,000, and from 20,000
# words at the same 1.92 as hard labels from 200,000. Both meet where a 3-gram cannot do better with
# this teacher, and that is *better* than the same student trained on 2,000 real words (1.96): a
# teacher that writes enough, or shows its probabilities, passes on what it learned. Hinton et al.
# (2015, section 1) give the reason: when the soft targets have high entropy, they carry much more
# information per training case than hard ones, so a student needs far less data. The teacher's own 1.79 stays out of reach of a smaller
# student; exercise 1 gives the student the teacher's size.
#
# The mistake is therefore not distillation itself, but distilling from a *small* sample of *hard*
# labels, and then doing it again. (Soft labels have a limit too; §3 finds it.)
#
# ## 3. The chain
#
# Now let every student teach the next one, on 2,000 hard labels each, with no real data anywhere:
#
# ```
# real words ──► teacher (4-gram) ──► its words ──► student 1 (3-gram) ──► its words ──► student 2 ──► …
# ```
#
# > **Predict first.** After 10 students, which bucket has kept the *smallest share* of what the
# > teacher knew: head, torso or tail?

# %%
p3 = predict("After 10 hard-label students, the bucket that kept the smallest share is…", ["head", "torso", "tail"])

# %%
chain = simulate(world, teacher, student=student, generations=10, **RUN)   # 2,000 hard labels per student
ax = plots.recall_buckets(chain)  # head, torso and tail recall as shares of the teacher's
ax.set_title("10 students, 2,000 hard labels each, no real data (median; band: the middle 80% of 3 runs)",
             fontsize=10)
plt.show()
share_left = {b: chain.median(b, relative=True)[-1] for b in BUCKETS}
for b, v in share_left.items():
    print(f"{b:13s}: {v:.0%} of the teacher's recall left after 10 students")
reveal(p3, f"the tail kept {share_left['recall_tail']:.0%}", answer=min(share_left, key=share_left.get)[7:])

# %% [markdown]
# The tail goes first and furthest, the head last: each student can only pass on what it happened
# to sample, and a rare word that is missed once is gone for every later student. Shumailov et al.
# (2024) found the same direction for OPT-125m language models fine-tuned on their predecessors' text,
# measured differently: the perplexity of the original test data rises, and histograms of the
# perplexity the *first* model gives each generation's text grow a long tail of sequences it would
# never have written. The head, torso and tail split is this course's way of showing which words go.
#
# > **Predict first.** The same chain, but each student gets *soft* labels on the previous model's
# > 2,000 words. Will it slide like the hard-label chain?

# %%
p4 = predict("With soft labels on 2,000 words per student, the chain…",
             ["slides like the hard-label chain", "slides, but less", "hardly slides"])

# %%
chains = {"hard, 2,000": chain,
          "hard, 20,000": simulate(world, teacher, student=student, generations=10, teacher_samples=20_000, **RUN),
          "soft, 2,000": simulate(world, teacher, student=student, generations=10, distill="soft", **RUN),
          # a student as large as the teacher (a 4-gram), on the same soft labels
          "soft, 2,000, 4-gram": simulate(world, teacher, student=teacher, generations=10, distill="soft", **RUN)}
CHAIN_COLORS = {"hard, 2,000": plots.COLORS["replace"], "hard, 20,000": plots.PALETTE["orange"],
                "soft, 2,000": plots.PALETTE["blue"], "soft, 2,000, 4-gram": plots.PALETTE["purple"]}
ax = plots.compare(chains, "heldout_nll", colors=CHAIN_COLORS)
ax.set(xlabel="generation (0 = teacher)", title="labels, samples and student size (median of 3 runs)")
plt.show()

# %%
slide = {}   # how far each chain's NLL rose from the first student to the last
for name, h in chains.items():
    slide[name] = h.median("heldout_nll")[-1] - h.median("heldout_nll")[1]
    tail = h.median("recall_tail")
    print(f"{name:>19}: held-out NLL rose {slide[name]:.2f} nats/char from student 1 to student 10; "
          f"tail recall {tail[1]:.3f} → {tail[-1]:.3f}")
reveal(p4, f"{slide['soft, 2,000']:.3f} nats/char", answer="hardly slides" if slide["soft, 2,000"] < 0.1 else "slides, but less")

# %% [markdown]
# With hard labels from 2,000 words the chain slides far: the NLL rises by more than 0.8 nats per
# character after the first student. Ten times more teacher samples slow it to about a quarter of
# that, but it still slides. Soft labels on the same 2,000 words all but stop it for our 3-gram
# students (a rise of about a hundredth): each copies its teacher's probabilities rather than a
# sample of them, so there is little sampling error to compound.

# %% [markdown]
# But give the student the teacher's size (a 4-gram) and the soft-label chain slides again: the NLL
# rises by about a quarter of a nat and the tail recall halves. Soft labels only reach the
# **contexts the student reads**. A 3-gram student has 27² = 729 contexts, and 2,000 words (about
# 12,000 characters) visit all the ones that matter; a 4-gram has 27³ ≈ 20,000, and the contexts the
# teacher seldom writes are never shown, so each student forgets them a little more. With 20,000
# words per student (exercise 1's transfer set) the 4-gram chain holds again. A language model's
# contexts are never all covered, so soft labels slow a chain; they do not replace real data.

# %% [markdown]
# ## 4. Explorer: teacher, student, labels, anchor
#
# Change the teacher and the student (their n-gram order: the characters they read, plus one),
# the teacher samples and labels each student learns from, the share of real words, and the chain's
# length. The left panel shows the buckets as in the chain figure above, the right the held-out NLL.
#
# **Try this**
# - Switch the **labels** to soft: does the chain still slide?
# - Back to hard labels, set **samples** to 20,000: how much of the slide is left?
# - Set **real data** to 5%, then 20% (fresh real words for every student; a fixed slice leaves most
#   of the slide: §5): where does the slide stop?
# - Make the **student** order 4, as large as the teacher: does the tail still drain with hard
#   labels?
# - Now soft labels with the **student** order 4, as large as the teacher: do soft labels still stop
#   the slide?

# %%
explorer = dashboards.distillation(world=world, **RUN)
explorer

# %% [markdown]
# The explorer's figure at its default settings (teacher order 4, student order 3, 2,000 hard labels,
# no real data, 10 students), as a picture for readers without a running kernel:

# %%
explorer.figure

# %% [markdown]
# ## 5. A real-data anchor
#
# When a pipeline can only afford small hard-label samples, there is a cheap fix: mix some fresh
# **real** words into every student's training set (`real_fraction`), the **anchor**. The rest is
# still the previous model's words, hard labels as before. *Fresh* means new real words for every
# student; we also try a **fixed** anchor (`real_source="fixed"`): the same slice of the teacher's
# own real words, reused by every student.
#
# > **Predict first.** Which share of real words stops the chain from sliding further after the
# > first student: 5%, 20% or 50%?

# %%
p5 = predict("The share of real words that stops the slide after student 1 is about…", ["5%", "20%", "50%"])

# %%
anchored = {f"{f:.0%} real": simulate(world, teacher, student=student, generations=10, real_fraction=f, **RUN)
            for f in (0.05, 0.2)}
runs = {"no anchor": chain, **anchored}
ANCHOR_COLORS = {"no anchor": plots.COLORS["replace"], "5% real": plots.PALETTE["orange"], "20% real": plots.COLORS["real"]}
fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
plots.compare(runs, "recall_tail", ax=axes[0], colors=ANCHOR_COLORS)
plots.compare(runs, "heldout_nll", ax=axes[1], colors=ANCHOR_COLORS)
axes[1].get_legend().remove()   # the left panel's legend serves both
for ax in axes:
    ax.set_xlabel("generation (0 = teacher)")
fig.suptitle("Hard labels on 2,000 words, with real words in every student's training set (median of 3 runs)")
plt.show()

# %%
for name, h in runs.items():
    nll, tail = h.median("heldout_nll"), h.median("recall_tail")
    slide[name] = nll[-1] - nll[1]
    print(f"{name:>9}: tail recall {tail[1]:.3f} (student 1) → {tail[-1]:.3f} (student 10); "
          f"NLL rose {slide[name]:.2f} nats/char after student 1")
stopped = [name for name in anchored if slide[name] < 0.15 * slide["no anchor"]]   # under 15% of the slide left
reveal(p5, f"slide {slide['5% real']:.2f} with 5% real words, {slide['20% real']:.2f} with 20%",
       answer=stopped[0][:-5] if stopped else "50%")

# %%
# the same shares, but a fixed slice of the teacher's real words, reused by every student
fixed_slice = {f"{f:.0%} fixed": simulate(world, teacher, student=student, generations=10, real_fraction=f,
                                          real_source="fixed", **RUN) for f in (0.05, 0.2)}
for name, h in fixed_slice.items():
    slide[name] = h.median("heldout_nll")[-1] - h.median("heldout_nll")[1]
    print(f"{name:>9}: NLL rose {slide[name]:.2f} nats/char after student 1 "
          f"({slide[name] / slide['no anchor']:.0%} of the slide without an anchor)")

# %% [markdown]
# Without an anchor the tail keeps draining and the NLL keeps rising. With **5%** real words the
# slide after the first student is about halved; with **20%** it all but stops: the tail recall
# levels off and the NLL barely moves after student 1 (numbers above). The first student's loss
# remains (its data were 80% the teacher's sample), but the chain no longer compounds it. The anchor
# does what accumulating data did in notebook 01: every generation sees some of the real tail
# again, so a word lost once can come back.

# %% [markdown]
# That needs **fresh** real words. A fixed slice of the teacher's own words is worth little: 5% of
# it leaves almost all of the slide, 20% about half (numbers above). The slice holds only the tail
# words it happened to draw, the same ones every time, so every other tail word still drains away.
# (The fresh anchors also bring more real data: 5% of 10 students' 2,000 words is 1,000 new real
# words.) A pipeline without new real data can still *keep* what it has: a chain that trains on all
# data so far (`mode="accumulate"`, Gerstgrasser et al. 2024), with no real words after the teacher's,
# rises by only about 0.09 (exercise 4).
#
# ## Exercises
#
# Each exercise has a cell for your answer. Put your code in your own names (`my_…`): nothing else
# in the notebook uses them, so try anything. `check` answers back; uncomment `hint()` or
# `solution()` when you are stuck. The solutions are also folded under each exercise.
#
# **Exercise 1. A student as large as its teacher.** Give the student the teacher's size (order 4) and soft
# labels on 20,000 of the teacher's words. By how much does its held-out NLL differ from the teacher's
# (student minus teacher, medians, nats per character)?

# %%
my_difference = ...         # your answer: the first student's median held-out NLL minus the teacher's
q1.check(my_difference)
# q1.hint()
# q1.solution()

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# same_size = simulate(world, teacher, student=NGramLM(order=4, smoothing=0.01), generations=1,
#                      teacher_samples=20_000, distill="soft", **RUN)
# nll = same_size.median("heldout_nll")
# my_difference = nll[1] - nll[0]   # the student (generation 1) minus the teacher (generation 0)
# ```
# About −0.0045 (student 1.785, teacher 1.789), and between −0.0044 and −0.0047 at every seed set we
# tried: a student that can hold everything the teacher knows, given the teacher's probabilities on
# 20,000 words, recovers the teacher, tail and all, a hair better. With hard labels from the same
# 20,000 words it is 0.18 worse (1.97): a 4-gram has about 20,000 possible
# contexts (27³), and the ones that real words need but the teacher seldom writes are seen a handful of
# times, if at all. A soft label hands over the teacher's whole distribution at a context seen once.
# </details>
#
# **Exercise 2. The words a sample misses.** A typical tail word has a real probability of about
# 1 in 10,000. Write `my_missed(n)`: the chance that such a word is *absent* from n independent samples.

# %%
def my_missed(n):
    return ...              # your answer: a formula in n, for a word of probability 1/10,000
q2.check(my_missed)
# q2.hint()
# q2.solution()

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def my_missed(n):
#     return (1 - 1e-4) ** n
# ```
# 0.82 for 2,000 samples, 0.14 for 20,000 and 2·10⁻⁹ for 200,000: from 2,000 of the teacher's words a
# hard-label student never sees most tail words; from 200,000 it sees nearly all of them. Soft labels
# do not wait for a word to be sampled: every context the student reads carries the teacher's
# probability for *every* next character, including the ones that spell rare words.
# </details>
#
# **Exercise 3. What the anchor leaves.** For the chain with 20% real words, how far does the held-out NLL rise
# from the first student to the tenth (nats per character)?

# %%
my_slide = ...              # your answer: NLL of student 10 minus NLL of student 1, 20% real words
q3.check(my_slide)
# q3.hint()
# q3.solution()

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# anchored_20 = simulate(world, teacher, student=student, generations=10, real_fraction=0.2, **RUN)
# nll = anchored_20.median("heldout_nll")
# my_slide = nll[10] - nll[1]
# ```
# Under a tenth of the unanchored chain's rise. Counting from the teacher instead (nll[10] − nll[0])
# would include the first student's own loss, which no anchor in later generations can undo.
# </details>
#
# **Exercise 4. For the discussion.** In a real distillation pipeline, what plays the role of the "real
# words" anchor, and when can a pipeline do without one?
#
# <details><summary>Some answers</summary>
#
# New human-written data with known provenance for every student: fresh human-labelled examples,
# new curated text, newly licensed corpora that predate generated text (see notebook 07). A fixed
# slice of the teacher's original training set, reused by every student, is *not* enough: in §5 a
# fixed 5% left almost all of the slide. A pipeline with no new real data should keep all the data
# it has (`mode="accumulate"`, Gerstgrasser et al. 2024): here that chain, with no real words after
# the teacher's, rose by about 0.09 against 0.83. Soft labels help when the transfer set covers the
# student's contexts (§3), which a large student on a small transfer set does not; one that trains
# each model on a small sample of its predecessor's text needs the anchor.
# </details>

# %% [markdown]
# ## Key points
#
# - A student trained on a *small sample* of a teacher's words (hard labels) learns the head well and
#   the **tail badly**: it can only learn what the teacher happened to write.
# - Enough teacher samples, or **soft labels** (the teacher's probabilities), let a student learn what
#   the teacher knows: here soft labels from 2,000 words beat hard labels from 20,000, and a student
#   as large as the teacher, on 20,000 words, recovered the teacher.
# - Chains of students on small hard-label samples compound the loss, tail first. Soft labels slow the
#   slide a lot when the transfer set covers the student's contexts (a 3-gram on 2,000 words); a
#   student the teacher's size on the same words still slides. They do not replace an anchor.
# - A small anchor of **fresh** real data stops the slide: 5% halved it, 20% all but stopped it. A
#   fixed slice of the teacher's real words helps far less (5% of it hardly at all); a pipeline
#   without new real data should keep all its data.

# %% [markdown]
# > **From toy to practice.** The teacher and students are n-grams over characters; in practice they
# > are language models, and the student is trained on the teacher's generated text (hard labels,
# > sequence-level distillation, as in most "synthetic data" pipelines) or on its next-token
# > probabilities (soft labels, which need access to the teacher's logits). "Contexts the student
# > reads" stand for the prompts and prefixes of the transfer set: a real transfer set never covers
# > all of them. The anchor stands for new human-written data in every training run. Where the
# > analogy stops: our students cannot generalise from one context to a similar one, as a neural
# > network does, so a context never shown is simply lost here; a real student may partly recover it,
# > or invent something.

# %% [markdown]
# ## References
#
# - Hinton, G., Vinyals, O. & Dean, J. (2015). Distilling the knowledge in a neural network.
#   arXiv:1503.02531. Soft targets; section 1: they carry more information per training case than hard ones.
# - Kim, Y. & Rush, A. M. (2016). Sequence-level knowledge distillation. EMNLP 2016, arXiv:1606.07947.
#   Word-level distillation (soft labels per token) and sequence-level distillation (training on the
#   teacher's beam-search output).
# - Shumailov, I. et al. (2024). AI models collapse when trained on recursively generated data.
#   *Nature* 631, 755–759. OPT-125m chains: perplexity on the original data, and perplexity histograms
#   of each generation's text under the first model.
# - Gerstgrasser, M. et al. (2024). Is model collapse inevitable? Breaking the curse of recursion by
#   accumulating real and synthetic data. arXiv:2404.01413.
#
# ## Self-check
#
# Confirms that every claim above holds. `lessons.distillation.self_check()` recomputes what it asserts from its
# own seeded runs at the lesson's settings, so whatever you changed or tried above cannot make it fail.
# Its claims, one short function per section, are in `collapse_lab/lessons/distillation.py`.

# %%
print(lessons.distillation.self_check())
