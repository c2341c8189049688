"""The instructor's kit holds together (issue 20, item 6): docs/toy_to_practice.md maps every toy
quantity it promises to a real pipeline, says where the analogy stops and cites only sources it
lists; the README and the guide give one set of memory figures."""
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUIDE = (ROOT / "docs" / "instructor_guide.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")
PAGE = (ROOT / "docs" / "toy_to_practice.md").read_text(encoding="utf-8")
TABLE, SOURCES = PAGE.split("\n## What the toys leave out\n")[0], PAGE.split("\n## Sources\n")[1]
ROWS = [[c.strip() for c in line.strip("|").split(" | ")] for line in TABLE.splitlines()
        if line.startswith("| **")]
PROMISED = ["misspelling", "verifier", "tail recall", "real-word share", "fine-tune weight",
            "a document of 20 words", "a crawl", "a detector", "soft labels", "the real-data fraction"]


def test_every_promised_quantity_has_a_row_with_its_limit():
    toys = [row[0].lower() for row in ROWS]
    for name in PROMISED:
        assert any(name in toy for toy in toys), name
    for row in ROWS:
        assert len(row) == 3 and all(len(cell) > 40 for cell in row[1:]), row[0]


def test_every_cited_author_is_in_the_sources():
    # "Feng et al. (2024)", "Ji et al. 2023", "Kim & Rush 2016": each must be a line of the sources
    cited = set(re.findall(r"([A-Z][a-z]+) (?:et al\.|& [A-Z][a-z]+) \(?(\d{4})", TABLE))
    assert len(cited) >= 15
    missing = sorted(f"{name} {year}" for name, year in cited
                     if not re.search(rf"^- {name}\b.*\({year}\)", SOURCES, flags=re.M))
    assert missing == []


def _guide_memory():
    """{notebook: (MB computed in the kernel, MB read from the store)} from the guide's table."""
    table = GUIDE.split("<!-- memory: begin -->\n", 1)[1].split("<!-- memory: end -->", 1)[0]
    head, _, computed, stored = table.strip().splitlines()
    names = [c.strip() for c in head.strip("|").split("|")][1:]
    values = [[int(c) for c in row.strip("|").split("|")[1:]] for row in (computed, stored)]
    return dict(zip(names, zip(*values)))


def test_the_readme_and_the_guide_give_the_same_memory_figures():
    guide = _guide_memory()
    readme = {nb: (int(a), int(b)) for nb, a, b in re.findall(r"\b(0\d) (\d+) / (\d+)\b", README)}
    notebooks = sorted(p.stem[:2] for p in (ROOT / "notebooks" / "src").glob("[0-9][0-9]_*.py"))
    assert list(guide) == notebooks, "measure the new notebooks: python benchmarks/notebooks.py"
    assert readme == guide


def test_the_guide_prose_matches_its_memory_table():
    guide = _guide_memory()
    highest = max(guide, key=lambda nb: guide[nb][0])
    assert highest == max(guide, key=lambda nb: guide[nb][1]) == "06"           # "notebook 06 the highest"
    assert max(max(v) for v in guide.values()) < 750                             # "peaks under 750 MB"
    assert f"at {guide['06'][1]} MB with the hub's store" in GUIDE               # the sizing rule's figure
    per_learner = 0.9                                                            # GB, the sizing rule
    # the load test's learners on notebook 06, server and kernel (classroom/results/loadtest-prestart-06.json)
    measured = json.loads((ROOT / "classroom" / "results" / "loadtest-prestart-06.json").read_text())["rows"]
    assert max(row["memory_peak_mb"] for row in measured) * 2**20 / 1e9 <= per_learner and "0.9 GB per learner" in GUIDE
