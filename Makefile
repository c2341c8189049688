# Two commands for people:  make lab   (open the course)   and   make test   (run every test);
# for developers:           make check   (the fast tests, under a minute: run it after each change);
# For instructors:           make slides   (every notebook as reveal.js slides, in slides/)
#                            make site     (the course website from the notebooks, in site/_build/html)
# and for a workshop:        make hub   (a JupyterHub for a class on this machine, classroom/README.md;
#                            it first computes the notebooks' runs once for everyone: collapse_lab warm).
# Each first makes sure .venv holds the locked environment (requirements.lock); that step is
# skipped while requirements.lock and pyproject.toml are unchanged since the last install.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
# The stamp lives inside .venv, so deleting .venv also forgets the install.
STAMP  := $(VENV)/.installed-stamp
# Jupyter refuses to run as root unless told to (containers, CI machines).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: lab test check slides hub site lock

lab: $(STAMP)
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/00_start_here.ipynb

# Everything: the tests in tests/ and each notebook once, as a learner leaves it (tests/conftest.py).
# Two steps: first everything but the browser, hub and site tests, spread over the machine's cores
# (pytest-xdist; --dist loadfile keeps each file, so each notebook's cells, on one worker; at most 4
# workers, so a laptop's kernels stay within its memory); then those three one at a time, since
# they start servers and time what a learner would wait for.
test: $(STAMP)
	$(BIN)/python -m pytest -n auto --maxprocesses=4 --dist loadfile -m "not browser and not hub and not site"
	$(BIN)/python -m pytest -m "browser or hub or site"

# The inner loop: tests/ only (so no notebook runs), without the tests marked slow, browser or hub;
# -x stops at the first failure.
check: $(STAMP)
	$(BIN)/python -m pytest tests -m "not slow and not browser and not hub and not site" -q -x

# slides/NAME.slides.html from the committed notebooks; reveal.js is fetched once with npm into
# slides/_static/, so the slides then work offline (open them from a local web server, e.g.
# `python -m http.server -d slides`). slides/ is not committed.
slides: $(STAMP)
	$(BIN)/python tools/build_notebooks.py --slides

# The store of the notebooks' runs that `make hub` and `make site` read (python -m collapse_lab warm)
CLASSROOM_STORE ?= $(or $(CLASSROOM_DATA),classroom/.data)/store

# The course website in site/_build/html (gitignored): every notebook re-run with its widget state,
# the docs, search, launch and download buttons (tools/build_site.py; 73 s on 2 cores, then only
# changed notebooks re-run). Where `make hub` has built its store, the kernels read the notebooks'
# runs from it (re-warmed first if the course's code changed since): 29 s. Warming a store only for
# the site would cost more than it saves (76 s), so without one every run is computed.
# The widget JavaScript comes from npm, as site/package-lock.json pins it. Look at it with
# `python -m http.server -d site/_build/html`.
SITE_STORE = $(if $(wildcard $(CLASSROOM_STORE)/.warmed),$(CLASSROOM_STORE))
site: $(STAMP) site/node_modules/.package-lock.json $(if $(SITE_STORE),$(CLASSROOM_STORE)/.warmed)
	$(if $(SITE_STORE),COLLAPSE_LAB_STORE=$(abspath $(SITE_STORE)) )$(BIN)/python tools/build_site.py

site/node_modules/.package-lock.json: site/package-lock.json
	npm ci --prefix site --no-audit --no-fund --ignore-scripts
	touch $@

# The hub's proxy comes from npm, exactly as classroom/package-lock.json pins it. Before the hub
# starts, every notebook's runs are computed once into the store its learners read
# (classroom/jupyterhub_config.py, CLASSROOM_STORE); again only when the course's code changed.
hub: $(STAMP) classroom/node_modules/.package-lock.json $(CLASSROOM_STORE)/.warmed
	$(BIN)/jupyterhub -f classroom/jupyterhub_config.py

$(CLASSROOM_STORE)/.warmed: $(STAMP) $(shell find collapse_lab -name '*.py') $(wildcard notebooks/*.ipynb)
	$(BIN)/python -m collapse_lab warm --clear --store $(CLASSROOM_STORE)
	touch $@

classroom/node_modules/.package-lock.json: classroom/package-lock.json
	npm ci --prefix classroom --no-audit --no-fund
	touch $@

# Everything from the lock (every package pinned, the same set CI and Binder install); the course
# package itself with --no-deps, so nothing outside the lock slips in.
$(STAMP): requirements.lock pyproject.toml binder/overrides.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	# JupyterLab's defaults for this environment: save the widgets' state with the notebook, so a
	# notebook reopened after its kernel stopped shows each explorer's last picture, not an error
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp binder/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	touch $@

# After editing requirements.txt: re-resolve the lock and regenerate binder/requirements.txt.
lock: $(STAMP)
	$(BIN)/python tools/lock.py
