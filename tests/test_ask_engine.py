"""/ask answer engine on a real SQLite file filled through the real pipeline (spaCy, figures, speakers)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.ask import MAX_MESSAGE, answer_question
from bot.telegram_html import parse_html, strip_html
from storage import ArticleSource, open_database
from summarize.pipeline import brief_from_text
from summarize.question import analyze_question, speaker_key
from tests.conftest import SEED_GOLD

T0 = datetime(2024, 12, 16, 8, 0, tzinfo=UTC)

# Two articles of our own about the same place, with different claims about the same thing.
DAM_MONDAY = """Shelling damages dam near Kherson, officials say

KHERSON, Ukraine — Russian shelling damaged the Dnipro river dam near Kherson on Monday, regional officials said.

The regional governor, Oleksandr Prokudin, said at least 12 civilians were killed and 40 were wounded in the attack.

"The water level is rising and we are evacuating the villages downstream," Prokudin told reporters.

Emergency crews evacuated about 2,300 residents from six villages, the emergency service said.

Russia's Defence Ministry denied targeting civilian infrastructure and said its forces struck a military depot.
"""

DAM_TUESDAY = """Kherson dam toll rises as evacuation widens

KHERSON, Ukraine — The number of people killed by Monday's shelling of the Dnipro dam rose on Tuesday.

Ukraine's prosecutor general said 17 civilians were killed and 52 were wounded near Kherson.

Mayor Roman Mrochko said the city would open four shelters for evacuated families.

"Nobody should have to leave their home twice in one year," Mrochko said.
"""


@pytest.fixture(scope="module")
def briefs(nlp):
    return {
        "monday": brief_from_text(DAM_MONDAY, url="https://news.example/dam-monday", nlp=nlp),
        "tuesday": brief_from_text(DAM_TUESDAY, url="https://news.example/dam-tuesday", nlp=nlp),
    }


@pytest.fixture
async def db(tmp_path: Path, briefs):
    async with open_database(tmp_path / "ask.sqlite3") as database:
        await database.articles.add(1, ArticleSource("url", T0), briefs["monday"])
        await database.articles.add(1, ArticleSource("url", T0 + timedelta(days=1)), briefs["tuesday"])
        yield database


def test_question_types():
    assert analyze_question("How many civilians were killed?").kind == "how_many"
    assert analyze_question("What is the death toll?").kind == "how_many"
    said = analyze_question("What did President Zelensky say about the front line?")
    assert (said.kind, said.speaker) == ("who_said", "President Zelensky")
    assert [t.word for t in said.terms] == ["front", "line"]
    assert analyze_question("Who said the water level is rising?").kind == "who_said"
    assert analyze_question("When did the shelling start?").kind == "when"
    assert analyze_question("Where were the residents taken?").kind == "where"
    assert analyze_question("Who will Rutte meet?").kind == "who"  # an answer must name someone
    killed = analyze_question("How many soldiers were killed?")
    assert "killed" in killed.categories and "troops" not in killed.categories
    assert analyze_question("How much territory does Kiev control?").categories == ("territory",)


def test_speaker_key_resolves_name_forms():
    assert speaker_key("President Volodymyr Zelensky") == speaker_key("Zelensky") == "zelensky"
    assert speaker_key("Ukraine's military intelligence") == "intelligence"


async def test_how_many_shows_competing_claims_newest_first(db):
    answer = await answer_question(db, 1, "How many civilians were killed near Kherson?")
    assert answer.found
    values = [item.text for item in answer.items if item.kind == "figure"]
    assert values[:2] == ["17", "at least 12"], values  # Tuesday's claim first, then Monday's
    claimants = [item.claimant or "" for item in answer.items[:2]]
    assert "prosecutor" in claimants[0].lower() and "Prokudin" in claimants[1]
    assert answer.items[0].source.url == "https://news.example/dam-tuesday"
    assert answer.items[0].date == "2024-12-17" and answer.items[1].date == "2024-12-16"
    for item in answer.items:  # verbatim: every value stands in its sentence, every sentence in the text
        assert item.text in (item.sentence or item.text)


async def test_what_did_x_say_across_name_forms(db):
    for question in ("What did Prokudin say?", "What did governor Oleksandr Prokudin say?"):
        answer = await answer_question(db, 1, question)
        assert answer.found and answer.kind == "who_said"
        assert all(item.kind == "quote" and "Prokudin" in (item.claimant or "") for item in answer.items)
        assert any("water level is rising" in item.text for item in answer.items)
    mayor = await answer_question(db, 1, "What did Mrochko say?")
    assert any("leave their home twice" in item.text for item in mayor.items)
    assert not any("Prokudin" in (item.claimant or "") for item in mayor.items)


async def test_other_questions_use_ranked_sentences(db):
    answer = await answer_question(db, 1, "How many residents were evacuated?")
    assert answer.found and "2,300" in answer.to_text()
    where = await answer_question(db, 1, "Where will the city open shelters?")
    assert where.found and "four shelters" in where.items[0].text


async def test_unanswerable_questions_say_so(db):
    for question in (
        "How many tanks were destroyed in Bakhmut?",
        "What did Putin say?",
        "How many soldiers were captured?",
        "Who won the football match in Madrid?",
    ):
        answer = await answer_question(db, 1, question)
        assert not answer.found, (question, answer.items)
        searched = await db.articles.count(1)
        assert searched > 1 and answer.searched == searched
        assert answer.to_text().startswith(f"None of the {searched} articles in this chat says: “{question}”")
        if answer.kind == "how_many":
            assert "/figures" in answer.to_text()
        if answer.kind == "who_said":
            assert "/speakers" in answer.to_text()


async def test_answers_never_cross_chats_or_articles(db, briefs):
    other = await answer_question(db, 2, "How many civilians were killed near Kherson?")
    assert not other.found
    monday = await db.articles.add(1, ArticleSource("url", T0), briefs["monday"])  # a repeat: same id back
    scoped = await answer_question(db, 1, "How many civilians were killed?", article_id=monday.article_id)
    assert scoped.found and scoped.scoped
    assert {item.source.article_id for item in scoped.items} == {monday.article_id}
    assert scoped.to_text().startswith("From this article:")


async def test_rendering_is_escaped_and_within_limits(tmp_path: Path, nlp):
    text = (
        "Militia <b>claims</b> 5 & more killed in Tal Afar\n\n"
        "The militia said 5 fighters were killed in Tal Afar & nearby <villages>, its commander said.\n\n"
        + " ".join(f"Officials said {n} shells hit the town of Tal Afar on day {n}." for n in range(1, 60))
    )
    brief = brief_from_text(text, url="https://news.example/a?x=1&y=<2>", nlp=nlp)
    async with open_database(tmp_path / "render.sqlite3") as database:
        await database.articles.add(5, ArticleSource("url", T0), brief)
        answer = await answer_question(database, 5, "How many shells hit Tal Afar?")
        assert answer.found
        rendered = answer.to_html()
        assert len(rendered) <= MAX_MESSAGE and len(answer.to_text()) <= MAX_MESSAGE
        parsed = parse_html(rendered)  # raises on anything Telegram would refuse
        assert "&y=<2>" not in rendered and "<villages>" not in rendered
        assert strip_html(rendered).startswith("From what this chat has read:")
        assert parsed.text.count("•") == len(answer.items)


async def test_seed_follow_ups(tmp_path: Path, seed_text: str, nlp):
    gold = json.loads(SEED_GOLD.read_text(encoding="utf-8"))
    brief = brief_from_text(seed_text, nlp=nlp)
    async with open_database(tmp_path / "seed.sqlite3") as database:
        await database.articles.add(1, ArticleSource("text", T0), brief)
        for follow_up in gold["follow_up_questions"]:
            answer = await answer_question(database, 1, follow_up["ask"])
            assert answer.found, follow_up
            assert follow_up["answer_contains"].lower() in answer.to_text().lower(), (follow_up, answer)
