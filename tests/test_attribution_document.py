"""Issue 11 item 6: a statement or press release that is one speaker's words throughout gives its figures
and its own "we" to that speaker; an ordinary report's "I" stays nobody's claim. Invented texts."""

from __future__ import annotations

from summarize.pipeline import brief_from_text

RELEASE = (
    "Statement by the Ministry of Defence of Freedonia on the night attack\n\n"
    "Last night our air defence forces destroyed 18 drones over the southern region. "
    "We estimate that 40 enemy fighters were killed. "
    '"We will answer," the minister said, adding that 3 soldiers were wounded. '
    "We said last week that the border would stay closed."
)


def _by_value(brief, number: float):
    (figure,) = [f for f in brief.figures if f.number == number]
    return figure


def test_a_press_release_speaks_for_its_author():
    brief = brief_from_text(RELEASE)
    ministry = "the Ministry of Defence of Freedonia"
    assert _by_value(brief, 18).claimed_by == ministry
    assert _by_value(brief, 40).claimed_by == ministry
    assert _by_value(brief, 3).claimed_by == "the minister"  # a quoted speaker inside it keeps their words
    assert [s.speaker for s in brief.speakers if "border" in s.quote] == [ministry]


def test_a_minister_comments_title_names_the_speaker():
    brief = brief_from_text(
        "Minister Ana Lutz comments on the flood relief\n\n"
        "We have sent 200 tonnes of food to the valley. 5,000 families are still without power."
    )
    assert {f.claimed_by for f in brief.figures} == {"Minister Ana Lutz"}


def test_a_report_has_no_document_speaker():
    brief = brief_from_text(
        "Camp census\n\nI visited the camp last week. I counted 45 tents, and officials said 900 people live there."
    )
    assert _by_value(brief, 45).claimed_by is None
    assert _by_value(brief, 900).claimed_by == "officials"


def test_paragraphs_after_said_colon_are_the_speakers_words():
    brief = brief_from_text(
        "Minister for Eastern Affairs Jonas Pell comments on the siege of Tarvik\n\n"
        "Speaking after the fall of Tarvik, Foreign Office Minister Jonas Pell said:\n\n"
        "We have given £12 million in aid since March, and we will give more.\n\n"
        "The 4,000 people still in the city need safe passage now.\n\n"
        "Further information\n\n"
        "Follow the ministry online."
    )
    spoken = [s for s in brief.speakers if s.speaker.endswith("Jonas Pell")]
    assert [s.kind for s in spoken] == ["direct", "direct"]
    assert spoken[1].quote == "The 4,000 people still in the city need safe passage now"
    assert {f.claimed_by for f in brief.figures} <= {
        "Foreign Office Minister Jonas Pell",
        "Minister for Eastern Affairs Jonas Pell",
    }


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
