"""The course website, in a real browser: built by tools/build_site.py, served from this machine,
opened in Debian's chromium through Playwright (the launch options of tests/test_browser.py).

The build here re-runs notebook 01 only (its explorer becomes the snapshot checked below); the
other notebooks keep their committed outputs. `make site` re-runs them all. Set
COLLAPSE_LAB_SITE=site/_build/html to test a site already built instead.
"""
import functools
import http.server
import os
import re
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import yaml

# Debian's chromium through Playwright, with the launch options and the CI rule (fail, not skip,
# without chromium) of the JupyterLab browser test
from test_browser import browser, chromium  # noqa: F401  (pytest fixtures)

pytestmark = pytest.mark.site

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
REPOSITORY = "https://github.com/model-collapse-lab/model-collapse-lab"
# One word for each lesson that a learner might search for, and the lesson it must find.
SEARCH_TERMS = {
    "00_start_here": "loop",
    "01_gaussian_collapse": "Gaussian",
    "02_tails_of_words": "forgotten",
    "03_modes_and_minorities": "minority",
    "04_language_model_collapse": "character",
    "05_quality_gates": "verifier",
    "06_distillation_without_an_anchor": "distillation",
    "07_monitoring_and_provenance": "provenance",
    "08_capstone_challenge": "capstone",
}
# An alt text that is a file name or a path: "../_build/jupyter_execute/ab12.png", "_images/x", "a/b".
PATH_LIKE = re.compile(r"\.(png|svg|jpe?g|gif)\b|^\.{0,2}/|^_|^\S*/\S*$", re.I)


# --- build, serve, browse ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if os.environ.get("COLLAPSE_LAB_SITE"):
        return Path(os.environ["COLLAPSE_LAB_SITE"]).resolve()
    out = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, str(ROOT / "tools" / "build_site.py"), "--execute", "01", "--out", str(out)],
                   check=True, cwd=ROOT, timeout=600)
    return out / "html"


@pytest.fixture(scope="module")
def server(site):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def open_page(browser, url, width=1280):
    """A page with its console errors and every request that tried to leave this machine."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.errors, page.outside = [], []
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))

    def only_local(route):
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            page.outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    page.goto(url, wait_until="networkidle")
    return page


def test_the_path_check_knows_a_path_from_a_description():
    for path in ["../_build/jupyter_execute/ab12.png", "_images/ab12.png", "figures/rule1", "/x/y"]:
        assert PATH_LIKE.search(path), path
    for text in ["Figure: held-out NLL (nats/word) over generations", "Binder logo"]:
        assert not PATH_LIKE.search(text), text


def pages(site):
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if "_static" not in p.parts)


# --- the tests --------------------------------------------------------------------------------

def test_every_lesson_and_doc_is_a_page(site):
    built = pages(site)
    for name in NOTEBOOKS:
        assert f"notebooks/{name}.html" in built
    for doc in ["glossary", "references", "instructor_guide", "handout", "quiz", "toy_to_practice"]:
        assert f"docs/{doc}.html" in built


def test_every_page_loads_without_errors_or_outside_requests(browser, server, site):
    problems = []
    for path in pages(site):
        page = open_page(browser, f"{server}/{path}")
        problems += [f"{path}: console: {e}" for e in page.errors]
        problems += [f"{path}: loads from outside: {u}" for u in page.outside]
        page.close()
    assert problems == []


def test_no_page_names_an_outside_script_or_stylesheet(site):
    outside = re.compile(r'<(script|link)[^>]+(src|href)="(https?:)?//', re.I)
    for path in pages(site):
        html = (site / path).read_text()
        for tag in outside.finditer(html):
            line = html[tag.start():html.find(">", tag.start()) + 1]
            assert 'rel="canonical"' in line or "rel=\"author\"" in line, f"{path}: {line}"


def test_search_finds_a_term_from_each_lesson(browser, server):
    page = open_page(browser, f"{server}/search.html")
    for name, term in SEARCH_TERMS.items():
        page.goto(f"{server}/search.html?q={term}", wait_until="networkidle")
        page.wait_for_selector("#search-results ul.search li", timeout=20_000)
        links = page.eval_on_selector_all("#search-results ul.search li a", "as => as.map(a => a.href)")
        assert any(f"notebooks/{name}.html" in link for link in links), (term, links[:5])
    assert page.errors == []
    page.close()


def launch_links(html):
    return dict(re.findall(r'href="([^"]+)"[^>]*title="Launch on (\w+)"', html)[::-1]) or {
        title: href for href, title in re.findall(r'<a href="([^"]+)"[^>]*>.*?Launch on (\w+)', html, re.S)}


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_launch_buttons_open_this_notebook(site, name):
    html = (site / "notebooks" / f"{name}.html").read_text().replace("&amp;", "&")
    hrefs = re.findall(r'href="(https://[^"]+)"', html)
    binder = [h for h in hrefs if h.startswith("https://mybinder.org/v2/gh/")]
    colab = [h for h in hrefs if h.startswith("https://colab.research.google.com/")]
    hub = [h for h in hrefs if "/hub/user-redirect/git-pull?" in h]
    assert binder and colab and hub, hrefs
    assert parse_qs(urlparse(binder[0]).query)["urlpath"] == [f"lab/tree/notebooks/{name}.ipynb"]
    assert colab[0] == f"https://colab.research.google.com/github/model-collapse-lab/model-collapse-lab/blob/main/notebooks/{name}.ipynb"
    query = parse_qs(urlparse(hub[0]).query)
    # where classroom/z2jh/config.yaml's postStart hook pulls the course (the learner's storage)
    z2jh = yaml.safe_load((ROOT / "classroom" / "z2jh" / "config.yaml").read_text())
    _, repo, branch, target = z2jh["singleuser"]["lifecycleHooks"]["postStart"]["exec"]["command"]
    assert query["repo"] == [repo] == [REPOSITORY] and query["branch"] == [branch]
    assert query["targetpath"] == [target]
    assert query["urlpath"] == [f"lab/tree/{target}/notebooks/{name}.ipynb"]
    assert f"../_sources/notebooks/{name}.ipynb" in html  # the download button


def test_every_image_has_alt_text_that_is_not_a_path(site):
    missing = []
    for path in pages(site):
        for tag in re.findall(r"<img\b[^>]*>", (site / path).read_text()):
            alt = re.search(r'\balt="([^"]*)"', tag)
            if alt is None or not alt.group(1).strip() or PATH_LIKE.search(alt.group(1)):
                missing.append(f"{path}: {tag[:160]}")
    assert missing == []


@pytest.mark.parametrize("width", [1280, 800])
def test_the_explorer_snapshot_is_visible_and_unclipped(browser, server, artifacts_dir, width):
    page = open_page(browser, f"{server}/notebooks/01_gaussian_collapse.html", width)
    label = page.locator(".snapshot-label", has_text="launch to interact")
    assert label.count() >= 1
    # the explorer: the cell whose code is `explorer = dashboards.gaussian()`
    cell = page.locator(".cell", has_text="dashboards.gaussian()").first
    widget = cell.locator(".jupyter-widgets.widget-container, .widget-hbox, .widget-vbox").first
    widget.wait_for(state="visible", timeout=20_000)
    widget.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / f"site-explorer-{width}.png"))
    box = widget.bounding_box()
    column = cell.bounding_box()
    assert box["width"] > 300 and box["height"] > 200, box
    assert box["x"] >= column["x"] - 1 and box["x"] + box["width"] <= min(column["x"] + column["width"], width) + 1
    # nothing inside it is cut off: no part wider than the space it is drawn in, no figure hidden
    clipped = widget.evaluate("""w => [...w.querySelectorAll('*')].filter(e => {
        const s = getComputedStyle(e);
        return s.overflowX !== 'visible' && s.overflowX !== 'auto' && s.overflowX !== 'scroll'
               && e.scrollWidth > e.clientWidth + 1;
    }).length""")
    assert clipped == 0
    images = widget.locator("img")
    assert images.count() >= 1
    for i in range(images.count()):
        img = images.nth(i).bounding_box()
        assert img["width"] > 100 and img["x"] + img["width"] <= box["x"] + box["width"] + 1
        # the widget manager draws these without alt; site/_static/widget-alt.js adds the figure's own
        alt = images.nth(i).get_attribute("alt") or ""
        assert alt.startswith("Figure: ") and len(alt) > 30 and not PATH_LIKE.search(alt), alt
    assert page.errors == [] and page.outside == []
    page.close()
