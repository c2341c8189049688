"""docs/toy_to_practice.md maps every toy quantity the kit promises (issue 20, item 6) to a real
pipeline, says where the analogy stops, and cites only sources it lists."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
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
