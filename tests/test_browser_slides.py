"""Notebook 01's slides in headless Chromium, offline: the deck starts, has its slides, and shows
its figures. reveal.js comes from slides/_static/ (fetched once with npm by tools/build_notebooks.py),
served from a loopback HTTP server; every request to any other host is refused and recorded.

    pytest -m browser tests/test_browser_slides.py
"""
import functools
import importlib.util
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("build_notebooks", ROOT / "tools" / "build_notebooks.py")
build_notebooks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_notebooks)

# the launch settings of tests/test_browser.py: no sandbox as root, no calls home
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


JS_REVEAL = """() => {
  if (!window.Reveal && window.require) require(["./_static/reveal.js/dist/reveal.js"], R => { window.Reveal = R; });
  return !!(window.Reveal && window.Reveal.isReady && window.Reveal.isReady());
}"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def deck_url(tmp_path_factory, ci):
    try:
        build_notebooks.vendor_javascript(build_notebooks.SLIDES / "_static")
    except (RuntimeError, OSError) as error:
        if ci:
            pytest.fail(f"reveal.js could not be fetched: {error}")
        pytest.skip(f"reveal.js could not be fetched: {error}")
    folder = tmp_path_factory.mktemp("deck")
    shutil.copytree(build_notebooks.SLIDES / "_static", folder / "_static")
    deck = build_notebooks.export_slides(ROOT / "notebooks" / "01_gaussian_collapse.ipynb", folder)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{deck.name}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def page(deck_url, ci, artifacts_dir):
    chromium = shutil.which("chromium")
    if chromium is None:
        if ci:
            pytest.fail("Debian's chromium is not installed; CI must run the browser tests")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.refused, page.errors = [], []

        def offline(route):  # the deck must not need the internet
            if route.request.url.startswith("http://127.0.0.1"):
                route.continue_()
            else:
                page.refused.append((route.request.resource_type, route.request.url))
                route.abort()

        page.route("**/*", offline)
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.goto(deck_url, wait_until="load")
        # the deck loads reveal.js through require.js: ask require.js for the same module
        page.wait_for_function(JS_REVEAL, timeout=30_000)
        (artifacts_dir / "browser").mkdir(exist_ok=True)
        page.screenshot(path=str(artifacts_dir / "browser" / "slides-01-title.png"))
        yield page
        browser.close()


def test_deck_starts_offline_with_10_to_24_slides(page):
    total = page.evaluate("() => Reveal.getTotalSlides()")
    assert 10 <= total <= 24, total
    assert page.errors == [], page.errors
    # only the Binder/Colab badge images of the title slide point elsewhere; no script or style does
    assert all(kind == "image" for kind, _ in page.refused), page.refused


def test_every_figure_is_shown_on_its_slide(page, artifacts_dir):
    figures = page.evaluate("() => document.querySelectorAll('.slides img[src^=\"data:image/png\"]').length")
    assert figures >= 5
    seen, shot = set(), False
    for _ in range(page.evaluate("() => Reveal.getTotalSlides()")):
        shown = page.evaluate("""() => Array.from(document.querySelectorAll(
              '.slides section.present img[src^="data:image/png"]'))
            .filter(img => img.complete && img.naturalWidth > 100 && img.getBoundingClientRect().width > 100)
            .map(img => img.src.slice(-40))""")
        if shown and not shot:
            page.screenshot(path=str(artifacts_dir / "browser" / "slides-01-first-figure.png"))
            shot = True
        seen.update(shown)
        page.evaluate("() => Reveal.next()")
        page.wait_for_timeout(150)  # reveal's transition
    assert len(seen) == figures, f"{len(seen)} of {figures} figures were shown"
