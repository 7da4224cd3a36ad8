"""Key figures on real parses of hand-written war reports and on the seed article.

The articles are written for these tests (ranges, conflicting claims, killed and wounded stated apart,
money, areas, displaced people, equipment, quotes with the speaker after them, split and multi-sentence
quotes, pronoun speakers, non-English names, and dates, years, ages and times that must not be figures).
"""

from __future__ import annotations

import json
from dataclasses import asdict

import pytest

from summarize.figures import extract_figures, format_figure
from summarize.model import Figure
from summarize.parse import parse
from summarize.speakers import find_attributions
from tests.conftest import SCHEMA, SEED_GOLD

STRIKES = """Russian forces launched 12 drones and three cruise missiles at Kharkiv overnight, Ukraine's air force said on Tuesday, adding that air defences shot down 10 of the drones.

Regional governor Oleh Syniehubov said five civilians were killed and 23 were wounded in the strikes on the Saltivskyi district.

"Between 20 and 30 buildings were damaged, and more than 1,500 people have been evacuated from the area since Sunday," Syniehubov told reporters.

Russia's Defence Ministry claimed its troops had destroyed four Ukrainian tanks and killed up to 200 Ukrainian servicemen near Vovchansk. Kyiv disputed the figure.

Ukraine's General Staff put Russian losses at 1,250 soldiers killed or wounded over the past 24 hours.

The European Union approved $1.2 billion in military aid for Ukraine on March 3, 2024.

Ukrainian forces have recaptured about 800 square kilometres of territory since the counteroffensive began in 2023, according to the Institute for the Study of War.

The United Nations refugee agency estimates that 6.5 million Ukrainians remain refugees abroad.

A 45-year-old man was among those hurt, police said. The war, now in its third year, has forced tens of thousands of people from their homes in the Kharkiv region.
"""

GAZA = """Israeli strikes killed at least 40 people across the Gaza Strip on Saturday, the territory's health ministry said.

Mohammed Abu Salmiya, director of al-Shifa hospital, said the hospital had received 17 bodies. He added that 60 people were wounded, many of them children.

"We counted 35 dead in Jabalia alone," said Mahmoud Basal, a civil defence spokesman. "Rescuers are still searching for a dozen people under the rubble."

The Israeli military said it had struck 50 targets, including seven rocket launchers.

More than 1.9 million people have been displaced since October 7, 2023, according to the United Nations.

Qatar has pledged €50 million for reconstruction. Talks in Doha resumed at 10:30 a.m. local time.

One of the negotiators said the first phase of a ceasefire would last 42 days.
"""

CLAIMS = """Russia said its air defences destroyed 38 Ukrainian drones over the Belgorod and Kursk regions overnight.

Ukraine's military said only 20-30 drones had been launched, and that none of them was lost.

"Our units destroyed 14 Russian tanks near Avdiivka. They also shot down three Su-25 jets," the spokesman, Oleksandr Shtupun, said on Friday.

"We lost two soldiers," Shtupun said, "and nine were wounded."

Western officials estimate that Russia has suffered between 300,000 and 350,000 casualties since February 2022.

Some 2,000 Wagner fighters crossed into Belarus in 2023, the company's founder said in a voice message.

Article 5 of the NATO treaty was never invoked, and the 2014 Minsk agreement collapsed within a year.

Hundreds of civilians remain trapped in the city, where fighting has raged for nearly three weeks.
"""


def figures_of(nlp, text: str, *, with_speakers: bool = True) -> tuple[tuple[Figure, ...], object]:
    parsed = parse(text, nlp=nlp)
    attributions = find_attributions(parsed) if with_speakers else ()
    return extract_figures(parsed, attributions), parsed


def one(figures, value: str) -> Figure:
    matches = [f for f in figures if f.value == value]
    assert len(matches) == 1, f"{value!r}: {[f.value for f in figures]}"
    return matches[0]


def values(figures) -> set[str]:
    return {f.value for f in figures}


@pytest.fixture(scope="module")
def strikes(nlp):
    return figures_of(nlp, STRIKES)[0]


@pytest.fixture(scope="module")
def gaza(nlp):
    return figures_of(nlp, GAZA)[0]


@pytest.fixture(scope="module")
def claims(nlp):
    return figures_of(nlp, CLAIMS)[0]


# ------------------------------------------------------------------------------------ values and kinds


def test_ranges_and_qualifiers(strikes, claims):
    between = one(strikes, "Between 20 and 30")
    assert (between.number, between.low, between.high, between.qualifier) == (None, 20, 30, "between")
    dashed = one(claims, "20-30")
    assert (dashed.number, dashed.low, dashed.high) == (None, 20, 30)
    at_least = one(strikes, "more than 1,500")
    assert (at_least.number, at_least.low, at_least.high, at_least.qualifier) == (
        1500,
        1500,
        None,
        "more than",
    )
    up_to = one(strikes, "up to 200")
    assert (up_to.low, up_to.high, up_to.qualifier) == (None, 200, "up to")
    some = one(claims, "Some 2,000")
    assert (some.number, some.qualifier) == (2000, "some")
    wide = one(claims, "between 300,000 and 350,000")
    assert (wide.low, wide.high, wide.category) == (300_000, 350_000, "casualties")


def test_number_words_and_vague_amounts(strikes, gaza, claims):
    assert one(strikes, "three").number == 3
    assert one(gaza, "a dozen").number == 12
    vague = one(strikes, "tens of thousands")
    assert (vague.number, vague.low, vague.high) == (None, None, None)
    assert one(claims, "Hundreds").counts == "civilians"


def test_killed_and_wounded_stated_apart_are_never_added_up(strikes, claims):
    killed, wounded = one(strikes, "five"), one(strikes, "23")
    assert (killed.category, wounded.category) == ("killed", "wounded")
    assert not any(f.number == 28 for f in strikes)
    assert one(claims, "nine").category == "wounded"


def test_lumped_casualties(strikes):
    lumped = one(strikes, "1,250")
    assert lumped.category == "casualties"
    assert "killed or wounded" in lumped.counts


def test_money_area_displaced_equipment_time(strikes, gaza, claims):
    money = one(strikes, "$1.2 billion")
    assert (money.category, money.number, money.unit) == ("money", 1.2e9, "dollars")
    assert "military aid" in money.counts
    euros = one(gaza, "€50 million")
    assert (euros.category, euros.number, euros.unit) == ("money", 5e7, "euros")
    area = one(strikes, "about 800 square kilometres")
    assert (area.category, area.number, area.unit, area.qualifier) == (
        "territory",
        800,
        "square kilometres",
        "about",
    )
    assert "territory" in area.counts
    assert one(strikes, "more than 1,500").category == "displaced"
    assert one(gaza, "More than 1.9 million").category == "displaced"
    assert one(strikes, "tens of thousands").category == "displaced"  # forced from their homes
    assert one(strikes, "12").category == "equipment"
    assert one(gaza, "seven").category == "equipment"
    assert one(claims, "three").counts == "Su-25 jets shot down"
    duration = one(claims, "nearly three weeks")
    assert (duration.category, duration.number, duration.high, duration.unit) == ("time", 3, 3, "weeks")
    assert one(gaza, "42 days").category == "time"


def test_counts_say_what_is_counted_with_the_event(strikes, gaza):
    assert one(strikes, "five").counts == "civilians killed"
    assert one(strikes, "up to 200").counts == "Ukrainian servicemen killed"
    assert one(strikes, "10").counts == "drones shot down"
    assert one(gaza, "at least 40").counts.startswith("people killed")


def test_dates_years_ages_times_ordinals_and_names_are_not_figures(strikes, gaza, claims):
    everything = values(strikes) | values(gaza) | values(claims)
    for not_a_figure in (
        "2024",
        "2023",
        "3",
        "45",
        "24",
        "7",
        "10:30",
        "One",
        "first",
        "5",
        "2014",
        "25",
        "2022",
    ):
        assert not any(not_a_figure in v.split() or v == not_a_figure for v in everything), not_a_figure
    assert not any("past 24 hours" in v or v == "year" for v in everything)


# ----------------------------------------------------------------------------------------- claimants


def test_subject_of_reporting_verb_and_according_to(strikes, gaza):
    assert one(strikes, "12").claimed_by == "Ukraine's air force"
    assert one(strikes, "up to 200").claimed_by == "Russia's Defence Ministry"
    assert one(strikes, "1,250").claimed_by == "Ukraine's General Staff"  # "put ... at"
    assert one(strikes, "about 800 square kilometres").claimed_by == "the Institute for the Study of War"
    assert one(gaza, "More than 1.9 million").claimed_by == "the United Nations"
    assert one(strikes, "6.5 million").claimed_by == "The United Nations refugee agency"  # "estimates that"


def test_article_own_statements_have_no_claimant(strikes, gaza, claims):
    assert one(strikes, "$1.2 billion").claimed_by is None
    assert one(strikes, "tens of thousands").claimed_by is None
    assert one(gaza, "€50 million").claimed_by is None
    assert one(claims, "Hundreds").claimed_by is None


def test_conflicting_claims_keep_their_own_sources(claims):
    russian, ukrainian = one(claims, "38"), one(claims, "20-30")
    assert russian.claimed_by == "Russia"
    assert ukrainian.claimed_by == "Ukraine's military"
    assert russian.category == ukrainian.category == "equipment"


def test_quote_speaker_after_the_quote_and_pronoun_speakers(gaza):
    assert "Mahmoud Basal" in one(gaza, "35").claimed_by
    assert "Mahmoud Basal" in one(gaza, "a dozen").claimed_by  # the quote's second sentence
    assert one(gaza, "60").claimed_by == "Mohammed Abu Salmiya"  # "He added that ..."
    assert one(gaza, "17").claimed_by.startswith("Mohammed Abu Salmiya")


@pytest.mark.parametrize("with_speakers", [True, False])
def test_multi_sentence_and_split_quotes(nlp, with_speakers):
    figures, _ = figures_of(nlp, CLAIMS, with_speakers=with_speakers)
    assert "Oleksandr Shtupun" in one(figures, "14").claimed_by
    assert "Oleksandr Shtupun" in one(figures, "three").claimed_by
    assert one(figures, "two").claimed_by == "Shtupun"
    assert one(figures, "nine").claimed_by == "Shtupun"


def test_estimate_owner(claims):
    assert one(claims, "between 300,000 and 350,000").claimed_by == "Western officials"


# ------------------------------------------------------------------------------------ where and when


def test_where_and_when(strikes, gaza):
    assert "Vovchansk" in one(strikes, "up to 200").where
    assert one(strikes, "$1.2 billion").when == "March 3, 2024"
    assert one(strikes, "1,250").when == "the past 24 hours"
    assert one(gaza, "at least 40").when == "Saturday"
    assert "Gaza Strip" in one(gaza, "at least 40").where


# ------------------------------------------------------------------------------------------ contract


@pytest.mark.parametrize("text", [STRIKES, GAZA, CLAIMS])
def test_values_are_verbatim_in_their_sentence_and_match_the_schema(nlp, text, shared_dir):
    jsonschema = pytest.importorskip("jsonschema")
    item_schema = json.loads(SCHEMA.read_text(encoding="utf-8"))["properties"]["figures"]["items"]
    figures, parsed = figures_of(nlp, text)
    assert figures
    for figure in figures:
        assert 0 <= figure.sentence < len(parsed.sentences)
        assert figure.value in parsed.sentences[figure.sentence].text
        jsonschema.validate(asdict(figure), item_schema)
    assert [f.sentence for f in figures] == sorted(f.sentence for f in figures)


def test_no_second_parse(nlp):
    calls = []

    def counting(text):
        calls.append(text)
        return nlp(text)

    parsed = parse(GAZA, nlp=counting)
    extract_figures(parsed, find_attributions(parsed))
    assert len(calls) == 1


# ---------------------------------------------------------------------------------------------- seed


@pytest.fixture(scope="module")
def seed(nlp, seed_text):
    from evaluation.figures import seed_body

    gold = json.loads(SEED_GOLD.read_text(encoding="utf-8"))
    parsed = parse(seed_body(seed_text, gold), nlp=nlp)
    return extract_figures(parsed, find_attributions(parsed)), gold


def test_seed_targets(seed):
    from evaluation.figures import score_seed

    figures, gold = seed
    scores = score_seed(figures, gold["key_figures"])
    assert scores["found"] == scores["gold"] == 6
    assert scores["claimant_ok"] == scores["attributed"]
    assert scores["null_ok"] == scores["unattributed"]
    assert scores["correct"] / scores["predicted"] >= 0.8


def test_seed_first_figure_reads_as_the_issue_shows(seed):
    figures, _ = seed
    quoted = next(f for f in figures if f.value == "At least 30")
    assert (quoted.category, quoted.low, quoted.claimed_by) == (
        "casualties",
        30,
        "Ukraine's military intelligence",
    )
    assert quoted.when == "Dec. 14 and 15"
    assert quoted.where.startswith("near the villages of Plekhovo, Vorozhba, Martynovka in the Kursk region")
    line = format_figure(quoted)
    assert line.startswith("At least 30 soldiers killed and wounded (Ukraine's military intelligence; ")
    assert "near Plekhovo, Vorozhba, Martynovka, Kursk region" in line and line.endswith("; Dec. 14 and 15)")
    # the day in "Dec. 14 and 15" is a date, not a figure
    assert not any(f.value in ("15", "14") for f in figures)


def test_seed_lead_figure_counts_the_event(seed):
    figures, _ = seed
    lead = next(f for f in figures if f.value == "at least 30")
    assert lead.counts == "North Korean soldiers killed or wounded"
    assert lead.claimed_by == "Ukraine"
    assert one(figures, "at least 10,000").counts.startswith("soldiers sent by North Korea")
    assert one(figures, "nearly three years").category == "time"
