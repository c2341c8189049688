# %% [markdown]
# # 00 · Start here: what is model collapse?
#
# [![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/model-collapse-lab/model-collapse-lab/HEAD?urlpath=lab/tree/notebooks/00_start_here.ipynb)
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/model-collapse-lab/model-collapse-lab/blob/main/notebooks/00_start_here.ipynb)
#
# **Questions**
# - What happens when a model is trained on the outputs of an earlier model, generation after generation?
# - How is this course laid out, and how do its interactive explorers work?
#
# **Objectives**
# - Say in one sentence what model collapse is, and what goes first.
# - Run a first collapse in one line and read its plot.
# - Check that your environment can show the interactive explorers.
#
# **Time:** about 10 minutes.

# %%
# On Colab (or wherever the course is not installed yet) install it; here this does nothing.
try:
    import collapse_lab
except ImportError:
    # %pip install -q git+https://github.com/model-collapse-lab/model-collapse-lab
from collapse_lab.lesson import *    # np, plt, display, simulate, the worlds, models and gates, plots, ...
start("00")    # the course's figure style, help for cells run out of order, and the version

# %% [markdown]
# ## Model collapse in one paragraph
#
# Models are more and more often trained on text, images and code that earlier models produced:
# on purpose (synthetic data, distillation) or by accident (the web fills up with model output).
# Run that loop for several *generations* — each model learning from the previous one's output —
# and the models degrade in a characteristic order: first the **tails** go (rare words, unusual
# cases, minority groups), then **diversity** shrinks, and finally **quality** drops as the model
# drifts away from the real world. Shumailov et al. (2024) called this *model collapse* and showed
# it happens even in the simplest possible model. That is where we start.
#
# Every experiment in this course runs the same loop:
#
# ```
# real data ──► train set ──► fit model ──► sample ──► (quality gate) ──┐
#                  ▲                                                     │
#                  └──── the next generation's train set ◄───────────────┘
#                        (optionally mixed with fresh real data)
# ```
#
# ## A first collapse
#
# The "model" is a normal distribution, fitted by its mean and standard deviation σ. The real world
# is N(0, 1). Generation 0 fits 20 real samples; every later generation fits 20 samples drawn from
# the previous generation's fit, and nothing else. We run 20 independent copies (*seeds*) side by side.
#
# > **Predict first.** Every fit is unbiased: on average, it gets the variance right.
# > After 100 generations, will σ be about 1, clearly above 1, or clearly below 1?

# %%
history = simulate(Gaussian(), GaussianModel(), generations=100, samples=20, seeds=20, seed=0)

ax = plots.metric(history, "std", log=True)
ax.axhline(1.0, color=plots.COLORS["world"], linestyle=":", linewidth=1.2, label="real world, σ = 1")
ax.legend(loc="lower left")
ax.set_title("σ of a Gaussian trained on its own samples (20 runs)")
sigma_final = history.median("std")[-1]
shrunk = int((history.final("std") < 1).sum())
print(f"median σ after 100 generations: {sigma_final:.2f} (the real world has σ = 1)")
print(f"runs whose σ ended below 1: {shrunk} of 20")

# %% [markdown]
# The line is the median of the 20 runs, the band holds the middle 80% of them. σ does not stay
# near 1: the median shrinks geometrically (a straight line on this log axis) and ends far below 1.
# Single runs wander up and down, and a few even end above 1, but most (see the count printed
# above) end below it. Each fit is unbiased, yet its small errors compound, and on a log scale they
# compound *downwards*. Notebook 01 shows why, and computes the rate exactly.
#
# ## The course map
#
# | notebook | what you do | time |
# |---|---|---|
# | [**00 Start here**](00_start_here.ipynb) | this page: what collapse is, a first demo, check your setup | 10 min |
# | [**01 Gaussian collapse**](01_gaussian_collapse.ipynb) | write the loop in numpy; σ's random walk to zero against theory; replace vs accumulate | 25 min |
# | [**02 Tails of words**](02_tails_of_words.ipynb) | real English word frequencies: rare words die first, and for good | 25 min |
# | [**03 Modes and minorities**](03_modes_and_minorities.ipynb) | a small minority cluster fades; a cleaning filter speeds it up; real data saves it | 20 min |
# | [**04 Language-model collapse**](04_language_model_collapse.ipynb) | a character language model on real words: perplexity, bland samples, tail recall | 30 min |
# | [**05 Quality gates**](05_quality_gates.ipynb) | filters between generations: which raise quality *and* keep diversity? | 30 min |
# | [**06 Distillation without an anchor**](06_distillation_without_an_anchor.ipynb) | students trained on a teacher's outputs, and their students in turn | 25 min |
# | [**07 Monitoring and provenance**](07_monitoring_and_provenance.ipynb) | alarms that catch collapse early; machine text leaking into "human" data | 30 min |
# | [**08 Capstone challenge**](08_capstone_challenge.ipynb) | design a synthetic-data pipeline that keeps quality and diversity | 45 min |
#
# Each notebook states its questions up front, asks you to **predict first** before every
# experiment, has an interactive **explorer**, exercises with folded solutions, and a
# **self-check** cell at the end that confirms the lesson's claims held on your run.
#
# ## How to use the explorers
#
# From notebook 01 on, the lessons have explorers: controls on the left, a figure on the right.
#
# - **Sliders**: drag them, or click one and use the arrow keys. The figure updates when you let go.
# - **Number boxes** (samples, generations, seed): type a number and press Enter or Tab. A value
#   that cannot work is explained in words under the controls, and the last figure stays.
# - **Run** and **Stop**: the toy explorers (01–03) rerun on every change, in a fraction of a
#   second. The language-model explorers (04 onwards) take longer: press **Run**, watch each
#   generation appear, and press **Stop** to end early.
# - The same **seed** always gives the same numbers, so you can share what you found.
# - Each explorer keeps its latest run: `explorer.history` holds every number it plotted.
#
# Under each explorer you also find a static picture of its default settings, so the notebook
# reads well even where no Python is running (on GitHub, for instance).
#
# ## Check your environment
#
# The explorers need `ipywidgets` 8 in the kernel and, in JupyterLab, the `jupyterlab_widgets`
# front-end extension. The next cell checks both and stops with the fix if something is missing.

# %%
import sys
from importlib.metadata import PackageNotFoundError, version


def installed(package):
    """The installed version of a package, or None."""
    try:
        return version(package)
    except PackageNotFoundError:
        return None


# %%
on_colab = "google.colab" in sys.modules
needed = ["ipywidgets"] if on_colab else ["ipywidgets", "jupyterlab_widgets"]  # Colab brings its own front end
found = {package: installed(package) for package in needed}
for package, v in found.items():
    print(f"{package:20s} {v or 'missing'}")

widgets_ok = found["ipywidgets"] is not None and int(found["ipywidgets"].split(".")[0]) >= 8
if not widgets_ok or None in found.values():
    raise RuntimeError(
        "The interactive explorers cannot work in this environment. Fix: run\n"
        "    %pip install 'ipywidgets==8.1.8' 'jupyterlab_widgets==3.0.16'\n"
        "then restart the kernel (Kernel ▸ Restart) and reload this browser tab."
    )

# %% [markdown]
# On Colab one more step: ipywidgets 8 shows only through Colab's custom widget manager, so switch it on.

# %%
if on_colab:
    from google.colab import output

    output.enable_custom_widget_manager()  # Colab shows ipywidgets 8 only through its custom manager
print("Widgets: OK.")

# %% [markdown]
# Finally, one widget to see that your browser draws them. You should see a slider below;
# if you see text such as `IntSlider(value=3, ...)` instead, the front end is missing its widget
# extension: install `jupyterlab_widgets` as above, then restart JupyterLab itself.

# %%
import ipywidgets as widgets

widgets.IntSlider(value=3, min=0, max=10, description="try me", continuous_update=False)

# %% [markdown]
# ## Glossary
#
# - **Synthetic data**: training data produced by a model rather than by people or by measuring the world.
# - **Generation**: one round of the loop: fit a model on the current training set, then sample from it.
# - **Model collapse**: the degradation of models trained, generation after generation, on the output of
#   earlier models: the tails disappear first, diversity shrinks, and the model drifts away from the
#   real world (Shumailov et al. 2024).
# - **Distillation**: training a (usually smaller) *student* model on the outputs of a *teacher* model.
# - **Fine-tuning**: further training of an already trained model on new, usually smaller, data.
# - **Tail**: the rare part of a distribution: rare words, unusual cases, small groups. It carries
#   little probability mass, so few samples land there and it is the first thing to be lost.
# - **Replace vs accumulate**: each generation trains either on the newest samples only (*replace*,
#   the setting in which collapse happens) or on all data gathered so far, real and synthetic
#   (*accumulate*, which bounds the damage; Gerstgrasser et al. 2024).
# - **Real-data anchor**: a share of fresh real data mixed into every generation's training set.
# - **Quality gate**: a filter between a model's output and the next training set (keep the most
#   likely samples, drop outliers, drop duplicates, keep only verified samples).
# - **Temperature**: sampling from p^(1/T); T < 1 favours likely samples and speeds up collapse.
#
# ## Key points
#
# - A model trained on its own output, generation after generation, forgets: even an unbiased fit of
#   a single Gaussian loses its spread.
# - Rare things go first; diversity follows; quality last.
# - Every lesson runs the same loop with a different world, model or filter.
#
# ## References
#
# - Shumailov, I., Shumaylov, Z., Zhao, Y., Papernot, N., Anderson, R. & Gal, Y. (2024).
#   AI models collapse when trained on recursively generated data. *Nature* 631, 755–759.
# - Gerstgrasser, M. et al. (2024). Is model collapse inevitable? Breaking the curse of recursion by
#   accumulating real and synthetic data. arXiv:2404.01413.
# - Alemohammad, S. et al. (2023). Self-consuming generative models go MAD. arXiv:2307.01850 (ICLR 2024).
#
# ## Self-check
#
# This cell confirms that what the page claims held on this run.

# %%
assert sigma_final < 0.25, f"σ should have collapsed far below 1 after 100 generations; median {sigma_final:.2f}"
assert shrunk >= 15, f"most runs should end with σ below 1; {shrunk} of 20 did"
assert widgets_ok
print("Self-check passed: σ collapsed in most runs, and the widgets are ready.")
