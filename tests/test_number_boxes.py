"""Number boxes say what they did with what was typed (issue 23, item 4).

The browser review typed into 01's samples box: "1e6" became 16, "2.5" became 25, 99999999 the
maximum, all without a word. The explorers' whole-number boxes (controls.NumberBox) now read the
text themselves: a number in any usual spelling is read, one beyond the range is set to the
nearest end with a line saying so, and a share, a fraction or a word is refused with a line saying
why. 05's "real fractions" box takes shares as 0.2 or 20%.
"""
import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from collapse_lab import dashboards  # noqa: E402
from collapse_lab.explorers.controls import NumberBox, int_box, read_whole_number  # noqa: E402


def typed(box, text):
    box.text.value = text
    return box.value, box.note.value


@pytest.mark.parametrize("text, number", [("1e6", 1_000_000), ("1,000", 1000), (" 2000 ", 2000), ("5e3", 5000),
                                          ("-5", -5), ("1_000", 1000)])
def test_usual_spellings_of_a_whole_number_are_read(text, number):
    assert read_whole_number(text) == (number, "")


@pytest.mark.parametrize("text, why", [("2.5", "not a whole number"), ("20%", "is a share"),
                                       ("abc", "not a number"), ("", "not a number"), ("nan", "not a number")])
def test_what_is_not_a_whole_number_is_refused_in_words(text, why):
    number, reason = read_whole_number(text)
    assert number is None and why in reason


def test_a_value_beyond_the_range_is_set_to_its_end_and_the_box_says_so():
    box = int_box(100, 2, 100_000, "samples / gen")
    value, note = typed(box, "1e6")
    assert value == 100_000 and box.text.value == "100000"
    assert "1e6" in note and "largest" in note and "set to 100,000" in note
    value, note = typed(box, "-5")
    assert value == 2 and "smallest" in note and "set to 2" in note
    value, note = typed(box, "5000")               # inside the range: read as typed, and the note goes
    assert value == 5000 and note == "" and box.note.layout.display == "none"


def test_a_refused_value_keeps_the_box_as_it_was():
    box = int_box(100, 2, 100_000, "samples / gen")
    for text, why in [("2.5", "not a whole number"), ("20%", "is a share"), ("lots", "not a number")]:
        value, note = typed(box, text)
        assert value == 100 and box.text.value == "100", text
        assert why in note and "Kept 100" in note and "samples / gen" in note


def test_a_value_set_from_code_shows_in_the_box_and_clears_an_old_note():
    box = int_box(100, 2, 1000, "generations")
    typed(box, "2.5")
    box.value = 300
    assert box.text.value == "300" and box.note.value == ""
    box.value = 10**9                               # from code too, never outside the range
    assert box.value == 1000 and box.text.value == "1000"


def test_typing_into_an_explorer_box_reruns_with_the_number_read():
    explorer = dashboards.gaussian(run=False, samples=100, generations=5, seeds=2)
    box = explorer.controls["samples"]
    assert isinstance(box, NumberBox)
    typed(box, "1e3")
    assert explorer.history.config["samples"] == 1000 and "σ" in explorer.summary
    typed(box, "2.5")                               # refused: no rerun, the last run stays
    assert explorer.history.config["samples"] == 1000
    explorer.reset()                                # Reset puts the lesson's number back in the box
    assert box.value == 100 and box.text.value == "100" and box.note.value == ""


@pytest.mark.slow   # runs three cells of notebook 05's grid (about 2 s)
def test_the_real_fractions_box_takes_percent():
    explorer = dashboards.gates(run=False, gates="none", real_fractions="0")
    explorer.controls["real_fractions"].value = "0, 20%"
    explorer.run()
    assert sorted(f for _, f in explorer.result) == [0.0, 0.2] and "⚠" not in explorer.message.value
    explorer.controls["real_fractions"].value = "150%"
    explorer.run()
    assert "0% to 100%" in explorer.message.value
