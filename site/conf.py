"""Sphinx configuration of the course website; tools/build_site.py stages the sources and runs it.

Everything the pages load is served from the site itself: the theme's files, the search index and
the widget manager (vendored from npm by the builder). Notebooks are never executed by Sphinx: the
builder has already run them, with widget state.
"""
import os
from urllib.parse import urlencode

project = "Model Collapse Lab"
author = "Model Collapse Lab contributors"
copyright = "Model Collapse Lab contributors, MIT licence"

REPOSITORY = "https://github.com/model-collapse-lab/model-collapse-lab"
BRANCH = "main"
# The class's hub (classroom/z2jh/config.yaml). Set COLLAPSE_LAB_HUB_URL when building for a class.
HUB_URL = os.environ.get("COLLAPSE_LAB_HUB_URL", "https://hub.example.org")
# Where the z2jh config's postStart hook pulls the course: inside the learner's persistent storage.
HUB_TARGET = "work/model-collapse-lab"

extensions = ["myst_nb"]
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
myst_enable_extensions = ["html_image"]  # docs/handout.md's <img> tags become images with their alt text
myst_heading_anchors = 3                 # links such as glossary.md#model-collapse work
suppress_warnings = ["myst.header"]      # notebooks open with "# 01 · ...", then "## 1." (no h2 skipped)

# --- notebooks: run by the builder already; widgets from the vendored embed.js --------------
nb_execution_mode = "off"
nb_ipywidgets_js = {"widgets/embed.js": {}}  # _static/widgets/, copied from site/node_modules
nb_merge_streams = True

# --- theme --------------------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "Model Collapse Lab"
html_static_path = ["_static", "_build/vendor"]  # the builder passes its own vendor/ with -D
html_css_files = ["snapshot.css"]
html_js_files = ["widget-alt.js"]  # alt text for the figures inside explorer snapshots
html_copy_source = True  # the download button offers each .ipynb
html_theme_options = {
    "repository_url": REPOSITORY,
    "repository_branch": BRANCH,
    "path_to_docs": "",            # the site's paths are the repository's: notebooks/NAME.ipynb
    "use_repository_button": True,
    "use_download_button": True,
    "launch_buttons": {
        "binderhub_url": "https://mybinder.org",
        "colab_url": "https://colab.research.google.com",
        "jupyterhub_url": HUB_URL,
        "notebook_interface": "jupyterlab",
    },
}


def hub_link(app, pagename, templatename, context, doctree):
    """The theme's JupyterHub link pulls into ~/model-collapse-lab; the class hub keeps the course
    in work/model-collapse-lab (its persistent storage), so nbgitpuller must pull there."""
    for group in context.get("header_buttons", []):
        for button in group.get("buttons", []):
            if button.get("text") == "JupyterHub":
                button["url"] = f"{HUB_URL}/hub/user-redirect/git-pull?" + urlencode({
                    "repo": REPOSITORY, "branch": BRANCH, "targetpath": HUB_TARGET,
                    "urlpath": f"lab/tree/{HUB_TARGET}/{pagename}.ipynb"})


def setup(app):
    app.connect("html-page-context", hub_link, priority=900)  # after the theme adds its buttons


# Light or dark as the reader's system says; without a default the theme logs a console error
# ("Got invalid theme mode") on a reader's first visit.
html_context = {"default_mode": "auto"}
