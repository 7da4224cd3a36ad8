"""/ask finds stated facts asked in other words (issue 14: 24 % of answerable held-back questions were
declined): a two-word verb that only frames the question ("come from", "carried out") is not required,
a verb is met by its doer's noun ("conduct" / "conductor"), and "how long will …" is answered by a
stretch of time only; "who killed X" needs a doer, which "X died" does not name. A real SQLite file filled through the
real pipeline; the article is our own, invented for these tests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.ask_support import answer_text, chat_with_article

T0 = datetime(2025, 4, 2, 8, 0, tzinfo=UTC)

ORLIK = """Raid on the Orlik bridge

Sergeant Anton Velichko, of Vinnytsia, was wounded in Kharkiv on Monday.

Rebel fighters from the Kestrel brigade staged a raid on the Orlik bridge in the town of Zolochiv.

Maria Denko is the conductor of the Kharkiv Youth Choir, which sang at the bridge on Tuesday.

Two rebel attacks on the bridge were reported in May.

Forty medics were deployed to Zolochiv with the Red Cross convoy.

The medics will be deployed for three weeks, shorter than last year.

Corporal Ilya Serko, of Lviv, died on Sunday in Zolochiv in an accident.

On Monday, Kestrel snipers killed rebel commander Oleg Tur near the bridge.

Sixty-Two Reserve Engineers from the 12th Brigade left for a deployment to Zolochiv.
"""


@pytest.fixture
async def db(tmp_path: Path, nlp):
    url = "https://news.example/orlik"
    async with chat_with_article(tmp_path / "ask-recall.sqlite3", nlp, ORLIK, url, T0) as database:
        yield database


async def test_a_framing_two_word_verb_is_not_required(db):
    # "of Vinnytsia" never says "come from"; "staged a raid" never says "carried out".
    text = await answer_text(db, "Where does Anton Velichko come from?")
    assert text is not None and "Vinnytsia" in text
    text = await answer_text(db, "Who carried out the raid on the Orlik bridge?")
    assert text is not None and "Kestrel" in text


async def test_a_counted_verb_stays_required(db):
    # In a count the verb is what is counted: no sentence says how many raids were carried out by anyone
    # in Zolochiv, and "attacks … were reported" is not "carried out" there.
    assert await answer_text(db, "How many raids has the Kestrel brigade carried out?") is None


async def test_a_verb_is_met_by_its_doers_noun(db):
    text = await answer_text(db, "Which choir does Maria Denko conduct?")
    assert text is not None and "Kharkiv Youth Choir" in text


async def test_how_long_something_lasts_is_answered_by_a_stretch_of_time(db):
    # "Forty medics were deployed" counts the medics; it says nothing of how long.
    text = await answer_text(db, "How long will the medics be deployed?")
    assert text is not None and "three weeks" in text and "Forty" not in text
    assert await answer_text(db, "How long will the Red Cross convoy stay in Kharkiv?") is None


async def test_who_killed_needs_a_doer_not_a_death(db):
    # "Serko … died … in Zolochiv" names places, and no one who killed him.
    assert await answer_text(db, "Who killed Ilya Serko?") is None
    text = await answer_text(db, "Who killed Oleg Tur?")
    assert text is not None and "Kestrel snipers" in text


async def test_a_count_of_a_title_case_unit_is_a_count(db):
    # "Reserve" between the number and "Engineers" is part of the unit's title-case name, not whose
    # engineers they are (as "Ukrainian" is in "3,000 Ukrainian troops").
    text = await answer_text(db, "How many engineers deployed to Zolochiv?")
    assert text is not None and "Sixty-Two" in text
