"""The NLP core end to end: cleaning, the one parse, the summary, the Brief JSON contract, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from summarize.clean import MAX_CHARS, clean_text
from summarize.errors import BinaryInput, EmptyInput, NoArticleFound, NotEnglish
from summarize.model import Brief
from summarize.pipeline import brief_from_bytes, brief_from_html, brief_from_text, decode_input
from summarize.rank import summary_length
from tests.conftest import SCHEMA

ARTICLES = Path(__file__).parent / "articles"


def check_invariants(brief: Brief) -> None:
    """The contract every brief keeps (ARCHITECTURE.md): verbatim spans and sentence indices."""
    sentences = brief.sentence_texts()
    assert brief.sentences == len(sentences)
    for item in brief.summary:
        assert item.text in brief.text
        assert sentences[item.sentence] == item.text
    indices = [item.sentence for item in brief.summary]
    assert indices == sorted(indices), "summary is printed in article order"
    for figure in brief.figures:
        assert figure.value in sentences[figure.sentence]
    for statement in brief.speakers:
        assert statement.quote in brief.text
        assert 0 <= statement.sentence < len(sentences)


class CountingNLP:
    """A spy around the real spaCy pipeline: counts how often an article is parsed."""

    def __init__(self, nlp) -> None:
        self.nlp = nlp
        self.calls = 0

    def __call__(self, text: str):
        self.calls += 1
        return self.nlp(text)


@pytest.fixture(scope="module")
def seed_brief(nlp, seed_text) -> Brief:
    return brief_from_text(seed_text, nlp=nlp)


def test_seed_brief_is_schema_valid_and_keeps_invariants(seed_brief: Brief) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(seed_brief.to_json()), schema)
    check_invariants(seed_brief)


def test_seed_title_and_dateline_are_lifted_out_of_the_body(seed_brief: Brief) -> None:
    assert seed_brief.title == "At least 30 N Korean soldiers killed, wounded in Kursk: Ukraine"
    assert seed_brief.dateline == "KIEV"
    assert seed_brief.title not in seed_brief.text
    assert not seed_brief.text.startswith("KIEV")
    for item in seed_brief.summary:
        assert "N Korean soldiers killed, wounded in Kursk" not in item.text


def test_seed_summary_leads_with_the_casualty_claim(seed_brief: Brief) -> None:
    texts = [item.text for item in seed_brief.summary]
    assert len(texts) == 3
    assert any("killed or wounded at least 30 North Korean soldiers" in text for text in texts)


def test_exactly_one_parse_per_article(nlp, seed_text) -> None:
    counting = CountingNLP(nlp)
    brief = brief_from_text(seed_text, nlp=counting)
    assert counting.calls == 1
    assert brief.summary  # the parse fed the whole brief


def test_exactly_one_parse_for_html(nlp) -> None:
    html = _article_html((ARTICLES / "harbour_strike.txt").read_text(encoding="utf-8"))
    counting = CountingNLP(nlp)
    brief_from_html(html, url="https://example.org/harbour", nlp=counting)
    assert counting.calls == 1


def test_brief_json_round_trips(seed_brief: Brief) -> None:
    again = Brief.from_json(
        seed_brief.to_json(), text=seed_brief.text, sentence_spans=seed_brief.sentence_spans
    )
    assert again == seed_brief


def test_wire_dateline_prefix_and_boilerplate_are_removed(nlp) -> None:
    brief = brief_from_text((ARTICLES / "harbour_strike.txt").read_text(encoding="utf-8"), nlp=nlp)
    check_invariants(brief)
    assert brief.title == "Drone strike hits Black Sea harbour, port authority says"
    assert brief.dateline == "ODESA, Ukraine"
    assert brief.text.startswith("A drone strike on the harbour of Odesa")
    for furniture in ("Advertisement", "Read more", "Reporting by"):
        assert furniture not in brief.text
    assert "killed four dock workers" in brief.summary[0].text


def test_cleaning_normalises_whitespace_and_keeps_words_verbatim() -> None:
    raw = "Shelling\u00a0hit   the city\r\nof Kharkiv overnight,\nthe mayor said.\r\n\r\n\r\nTwo  people\twere hurt.\u200b"
    cleaned = clean_text(raw)
    assert (
        cleaned.text == "Shelling hit the city of Kharkiv overnight, the mayor said.\n\nTwo people were hurt."
    )


def test_hard_wrapped_lines_are_joined_within_a_paragraph() -> None:
    raw = "Officials said the strike killed at least\n12 people and wounded\ndozens more in the city centre.\n\nNext paragraph."
    assert clean_text(raw).text.startswith(
        "Officials said the strike killed at least 12 people and wounded dozens"
    )


def test_glued_sentences_from_scraped_text_are_separated() -> None:
    cleaned = clean_text("The bridge was hit twice.Engineers said it would take weeks to repair.")
    assert cleaned.text == "The bridge was hit twice. Engineers said it would take weeks to repair."


def test_redundant_sentences_are_not_both_in_the_summary(nlp) -> None:
    text = (
        "Russian missiles struck the power station in Kharkiv on Sunday, officials said.\n\n"
        "Officials said Russian missiles struck the Kharkiv power station on Sunday.\n\n"
        "Repair crews expect to restore electricity to most homes within two days.\n\n"
        "The city has been hit by more than 40 attacks on energy facilities this year.\n\n"
        "Schools will move to remote lessons until the heating is back on."
    )
    brief = brief_from_text(text, nlp=nlp)
    texts = " ".join(s.text for s in brief.summary)
    assert not (
        "struck the power station in Kharkiv" in texts and "struck the Kharkiv power station" in texts
    )
    assert len(brief.summary) == 3


def test_summary_length_grows_with_long_articles_and_can_be_overridden(nlp) -> None:
    places = [
        "Bakhmut",
        "Avdiivka",
        "Kupiansk",
        "Lyman",
        "Pokrovsk",
        "Toretsk",
        "Vuhledar",
        "Siversk",
        "Kherson",
        "Sumy",
    ]
    actors = [
        "Artillery crews",
        "Medics",
        "Engineers",
        "Volunteers",
        "Police officers",
        "Drone operators",
        "Railway workers",
        "Teachers",
    ]
    actions = [
        "evacuated families from",
        "repaired a bridge outside",
        "delivered generators to",
        "cleared mines around",
        "rebuilt a school in",
        "set up a field hospital near",
        "restored water pipes in",
        "counted damaged homes in",
    ]
    times = [
        "on Monday",
        "overnight",
        "last week",
        "before dawn",
        "on Friday",
        "this morning",
        "at the weekend",
        "in March",
    ]
    paragraphs = [
        f"{actors[i % 8]} {actions[(i // 8) % 8]} {places[i % 10]} {times[(i * 3) % 8]}, report number {i} said."
        for i in range(80)
    ]
    long_text = "\n\n".join(paragraphs)
    assert summary_length(80) == 5
    assert len(brief_from_text(long_text, nlp=nlp).summary) == 5
    assert len(brief_from_text(long_text, sentences=2, nlp=nlp).summary) == 2


def test_empty_and_whitespace_input_is_refused(nlp) -> None:
    for text in ("", "   \n\t  \n"):
        with pytest.raises(EmptyInput, match="no text"):
            brief_from_text(text, nlp=nlp)
    with pytest.raises(EmptyInput):
        brief_from_bytes(b"  \n ", nlp=nlp)


def test_binary_input_is_refused() -> None:
    for data in (
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"\x89PNG\r\n\x1a\n\x00\x00",
        b"\x7fELF\x02\x01\x01\x00\x00",
    ):
        with pytest.raises(BinaryInput, match="text or a link"):
            decode_input(data)


def test_non_english_text_is_refused_with_the_language_named(nlp) -> None:
    german = (
        "Die Ukraine hat am Montag erklärt, dass ihre Truppen mindestens 30 nordkoreanische Soldaten "
        "getötet oder verwundet haben. Die Soldaten waren von Russland in die Region Kursk verlegt worden."
    )
    ukrainian = "Україна заявила в понеділок, що її війська вбили або поранили щонайменше 30 північнокорейських солдатів."
    with pytest.raises(NotEnglish, match="German; only English"):
        brief_from_text(german, nlp=nlp)
    with pytest.raises(NotEnglish) as error:
        brief_from_text(ukrainian, nlp=nlp)
    assert error.value.language in {"uk", "ru", "bg", "mk", "sr", "be"}


def test_english_text_dense_with_foreign_names_is_accepted(nlp) -> None:
    text = "Oleksandr Syrskyi met Dmytro Kuleba and Volodymyr Zelensky in Kyiv on Monday to discuss Zaporizhzhia."
    brief = brief_from_text(text, nlp=nlp)
    assert brief.language == "en"


def test_very_short_text_is_briefed_with_a_notice(nlp) -> None:
    brief = brief_from_text(
        "Two drones were shot down over Kyiv overnight, the city administration said.", nlp=nlp
    )
    assert [s.text for s in brief.summary] == [
        "Two drones were shot down over Kyiv overnight, the city administration said."
    ]
    assert any("very short" in notice for notice in brief.notices)


def test_too_long_text_is_cut_and_says_so(nlp) -> None:
    paragraph = "Troops repaired the damaged road near the front line during the night, officials said. " * 20
    text = "\n\n".join(f"Part {i}. {paragraph.strip()}" for i in range(MAX_CHARS // len(paragraph) + 40))
    cleaned = clean_text(text)
    assert len(cleaned.text) <= MAX_CHARS
    assert any("longer than 200,000 characters" in notice for notice in cleaned.notices)


def test_broken_and_empty_html_gets_a_clear_error(nlp) -> None:
    for html in (
        "<html><body><div><p>",
        "<html><head><title>Home</title></head><body><nav>News | Sport</nav></body></html>",
    ):
        with pytest.raises(NoArticleFound, match="[Pp]aste"):
            brief_from_html(html, nlp=nlp)


def test_html_article_is_extracted_with_title(nlp) -> None:
    html = _article_html((ARTICLES / "ceasefire_talks.txt").read_text(encoding="utf-8"))
    brief = brief_from_text(html, url="https://example.org/talks", nlp=nlp)  # detected as HTML
    check_invariants(brief)
    assert brief.title == "Ceasefire talks stall as both sides trade claims over front-line village"
    assert brief.url == "https://example.org/talks"
    assert "<p>" not in brief.text
    assert brief.summary[0].text.startswith("Negotiators from both sides left the talks")


def _article_html(text: str) -> str:
    """A realistic page around one of our test articles: head, nav, article, footer."""
    title, *paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs if p != title)
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title} | Example News</title>"
        f"<meta property='og:title' content='{title}'></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/sport'>Sport</a></nav>"
        f"<article><h1>{title}</h1>{body}</article>"
        "<footer>© 2026 Example News. All rights reserved.</footer></body></html>"
    )


def test_errors_survive_the_process_pool_with_their_arguments() -> None:
    import pickle

    from summarize.errors import HttpStatusError

    for error in (
        NotEnglish("This text looks like German.", "de"),
        HttpStatusError("The site answered 404.", 404),
    ):
        again = pickle.loads(pickle.dumps(error))
        assert type(again) is type(error)
        assert again.message == error.message and str(again) == str(error)
        assert vars(again) == vars(error)


ODD_TEXTS = [
    "Kyiv, Monday.\n\nSirens.\n\nThree drones down over the capital.\n\nNo casualties.",
    "BREAKING: EXPLOSIONS REPORTED IN KHARKIV\n\nMORE TO FOLLOW",
    "- 12 drones shot down\n- 3 missiles intercepted\n- 2 injured in Odesa\n- power cut in 4 districts",
    '"We will not retreat." "Not one step." "Never."',
    "According to. Said. He said, she said: they said that.",
    "2024-12-16 14:05 UTC | 1,400 km² | $1.2bn | 30-40 | 10:30 a.m. | 3rd | 50%",
    "Follow live updates 👉 https://example.org/live 🔴🔴🔴 #Ukraine #Kursk @news",
    "def main():\n    return 42\n\nif __name__ == '__main__':\n    main()",
]


@pytest.mark.parametrize("text", ODD_TEXTS)
def test_odd_shapes_of_text_brief_or_refuse_cleanly(nlp, text: str) -> None:
    """Headlines, lists, bare quotes and fragments: a Brief with its invariants, or a clear BriefError."""
    from summarize.errors import BriefError

    try:
        brief = brief_from_text(text, nlp=nlp)
    except BriefError as error:
        assert error.message.endswith(".")
        return
    check_invariants(brief)


def test_control_and_bidi_override_characters_are_removed() -> None:
    raw = "Shelling hit Zarichne on Tues\x00day, killing 3.\u202e Officials said the\u2066 toll may rise.\x07"
    cleaned = clean_text(raw)
    assert cleaned.text == "Shelling hit Zarichne on Tuesday, killing 3. Officials said the toll may rise."


def test_utf16_text_files_are_read() -> None:
    text = "Two drones were shot down over Kyiv overnight, the city administration said."
    assert decode_input(text.encode("utf-16")) == text


def test_encyclopedia_reference_marks_are_dropped_so_sentences_split() -> None:
    # Copied reference pages glue "[4]" marks to words and full stops; left in, spaCy does not end the
    # sentence at "retreated.[2][3]" and the next sentence's speaker is read as part of the count.
    cleaned = clean_text(
        "About 40 defenders died in the assault on the fort.[2][3] A nurse from the garrison, Ilse Varga, "
        "said 12 more were wounded[4] and the rest retreated.[citation needed] Lists [1] and [2] stay."
    )
    assert cleaned.text == (
        "About 40 defenders died in the assault on the fort. A nurse from the garrison, Ilse Varga, "
        "said 12 more were wounded and the rest retreated. Lists [1] and [2] stay."
    )


def test_a_claimant_after_reference_marks_is_not_glued_to_the_previous_sentence(nlp) -> None:
    brief = brief_from_text(
        "The assault on the river fort lasted three days.\n\n"
        "About 40 defenders died in the assault on the fort.[2][3] A nurse from the garrison, Ilse Varga, "
        "said 12 more were wounded.[4]\n\nThe fort was abandoned in the spring.",
        nlp=nlp,
    )
    twelve = next(f for f in brief.figures if f.value == "12")
    assert twelve.claimed_by in ("Ilse Varga", "A nurse from the garrison, Ilse Varga")
    assert all("[" not in s.text for s in brief.summary)
