"""The nine decks in headless Chromium at 1280×800, offline: each starts, every slide fits the
screen and every figure is on a slide; notebook 01's deck is also stepped through as a presenter does. reveal.js comes from slides/_static/ (fetched once with npm by tools/build_notebooks.py),
served from a loopback HTTP server; every request to any other host is refused and recorded.

    pytest -m browser tests/test_browser_slides.py
"""
import functools
import importlib.util
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import nbformat
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


NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SCREEN = {"width": 1280, "height": 800}   # a laptop or a projector's common size

# Runs in the page: every slide shown in turn (no transition waits: layout is read synchronously),
# with its height on the screen (reveal scales its 960×700 slide to the window) and its figures.
JS_SLIDES = """() => {
  const scale = Reveal.getScale(), slides = [];
  Reveal.getHorizontalSlides().forEach((column, h) => {
    const stack = column.querySelectorAll(':scope > section');
    (stack.length ? Array.from(stack) : [column]).forEach((slide, v) => {
      Reveal.slide(h, v);
      slides.push({h, v, px: Math.round(slide.scrollHeight * scale),
                   text: (slide.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 80),
                   figures: Array.from(slide.querySelectorAll('img[src^="data:image/png"]'))
                     .filter(img => img.complete && img.naturalWidth > 100).length});
    });
  });
  Reveal.slide(0, 0);
  return slides;
}"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def decks(tmp_path_factory, ci):
    """Every notebook's deck, exported as `make slides` does, served from a loopback HTTP server."""
    try:
        build_notebooks.vendor_javascript(build_notebooks.SLIDES / "_static")
    except (RuntimeError, OSError) as error:
        if ci:
            pytest.fail(f"reveal.js could not be fetched: {error}")
        pytest.skip(f"reveal.js could not be fetched: {error}")
    folder = tmp_path_factory.mktemp("deck")
    shutil.copytree(build_notebooks.SLIDES / "_static", folder / "_static")
    for notebook in NOTEBOOKS:
        build_notebooks.export_slides(notebook, folder)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser(ci):
    chromium = shutil.which("chromium")
    if chromium is None:
        if ci:
            pytest.fail("Debian's chromium is not installed; CI must run the browser tests")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def open_deck(browser, url):
    """A page showing the deck at `url`, offline: requests to any other host are refused and recorded."""
    page = browser.new_page(viewport=SCREEN)
    page.refused, page.errors = [], []

    def offline(route):  # the deck must not need the internet
        if route.request.url.startswith("http://127.0.0.1"):
            route.continue_()
        else:
            page.refused.append((route.request.resource_type, route.request.url))
            route.abort()

    page.route("**/*", offline)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(url, wait_until="load")
    # the deck loads reveal.js through require.js: ask require.js for the same module
    page.wait_for_function(JS_REVEAL, timeout=30_000)
    return page


@pytest.fixture(scope="module")
def page(decks, browser, artifacts_dir):
    """Notebook 01's deck."""
    page = open_deck(browser, f"{decks}/01_gaussian_collapse.slides.html")
    (artifacts_dir / "browser").mkdir(exist_ok=True)
    page.screenshot(path=str(artifacts_dir / "browser" / "slides-01-title.png"))
    yield page
    page.close()


def test_deck_starts_offline_with_20_to_60_slides(page):
    total = page.evaluate("() => Reveal.getTotalSlides()")
    assert 20 <= total <= 60, total     # about a slide a minute of a 30–45 minute lesson
    assert page.errors == [], page.errors
    # nothing points elsewhere: no script or style, and the Binder/Colab badges are plain links
    assert page.refused == [], page.refused


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


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_every_slide_fits_a_1280x800_screen_and_shows_the_explorers_pictures(notebook, decks, browser,
                                                                            artifacts_dir):
    # issue 23, item 6: no slide taller than the screen (a projected slide cannot be scrolled
    # comfortably), and each explorer as its last picture (the saved notebook's `explorer.figure`)
    page = open_deck(browser, f"{decks}/{notebook.stem}.slides.html")
    try:
        slides = page.evaluate(JS_SLIDES)
        assert page.errors == [], page.errors
        tall = [s for s in slides if s["px"] > SCREEN["height"]]
        if tall:
            page.evaluate(f"() => Reveal.slide({tall[0]['h']}, {tall[0]['v']})")
            page.wait_for_timeout(500)
            page.screenshot(path=str(artifacts_dir / "browser" / f"slides-{notebook.stem[:2]}-too-tall.png"))
        assert not tall, "slides taller than 800 px: " + "; ".join(
            f"{s['h']}/{s['v']} ({s['px']} px): {s['text']}" for s in tall)
        figures = page.evaluate("() => document.querySelectorAll('.slides img[src^=\"data:image/png\"]').length")
        assert sum(s["figures"] for s in slides) == figures, "a figure is not on a slide, or did not load"
        text = page.inner_text(".slides")
        assert "run this cell" not in text and "Replace the placeholder" not in text
        saved = nbformat.read(notebook, as_version=4)
        explorers = sum(bool(EXPLORER.search(c.source)) for c in saved.cells if c.cell_type == "code")
        assert figures >= explorers
        print(f"{notebook.stem}: {len(slides)} slides, tallest {max(s['px'] for s in slides)} px, {figures} figures")
    finally:
        page.close()


EXPLORER = build_notebooks.EXPLORER
