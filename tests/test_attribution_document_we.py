"""Issue 11 item 6: a release written in a named body's own "we" ("The Task Force follows ... We will keep up
the pressure") gives its unattributed figures to that body; a report's stray "we" and a wire report's do not.
Invented texts."""

from __future__ import annotations

from summarize.pipeline import brief_from_text


def _by_value(brief, number: float):
    (figure,) = [f for f in brief.figures if f.number == number]
    return figure


def test_a_release_written_as_a_bodys_we_is_that_bodys():
    brief = brief_from_text(
        "Allied Task Force strikes depot\n\n"
        "On Monday, rebel units shelled the river town of Osk and wounded 14 villagers. "
        "Allied aircraft then conducted 9 strikes on the rebel depot. "
        "The Task Force follows the laws of war and takes every care to spare civilians. "
        "We will keep up the pressure in support of our partners."
    )
    assert {f.claimed_by for f in brief.figures} == {"the Task Force"}


def test_a_reports_lone_we_makes_no_document_speaker():
    brief = brief_from_text(
        "Talks stall\n\n"
        "Rebel units shelled the town of Osk and wounded 14 villagers, officials said. "
        "The Task Force keeps 300 troops in the area. We have asked the ministry for comment."
    )
    assert _by_value(brief, 300).claimed_by is None
    assert _by_value(brief, 14).claimed_by == "officials"


def test_a_wire_reports_we_makes_no_document_speaker():
    brief = brief_from_text(
        "OSK, Freedonia (Wire) — Rebel units wounded 14 villagers on Monday. The Task Force keeps 300 troops "
        "in the area. We could not reach the rebels, and our calls to the ministry went unanswered."
    )
    assert _by_value(brief, 300).claimed_by is None


def test_a_columnists_we_makes_no_document_speaker():
    brief = brief_from_text(
        "Notes from the valley\n\n"
        "I grew up near Osk. The Task Force keeps 300 troops there now. "
        "We all know what our towns have lost, and we should say so."
    )
    assert _by_value(brief, 300).claimed_by is None


def test_long_copy_saying_we_makes_no_document_speaker():
    filler = " ".join(f"Day {n} in the valley passed quietly." for n in range(1, 22))
    brief = brief_from_text(
        "A season in Osk\n\n" + filler + " The Task Force keeps 300 troops there now. "
        "We all know what our towns have lost, and we should say so."
    )
    assert _by_value(brief, 300).claimed_by is None
