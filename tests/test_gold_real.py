"""The real-article gold set (evaluation/gold_real.json) is valid, and its scorer counts what it should.

The set is checked without running any extractor: values verbatim at their offsets, spans in range and on
their anchors, categories from the schema, the recorded split. The scorer is checked on a small article
written here, with answers known by construction."""

from __future__ import annotations

import json
import random
from pathlib import Path
from types import SimpleNamespace

import pytest

from evaluation.gold_real import (
    CATEGORIES,
    GOLD_FILE,
    GoldArticle,
    GoldStatement,
    HarmTally,
    _wanted_splits,
    load_real,
    place,
    score_extracted,
    tune_errors,
    validate,
)
from evaluation.speakers import Item, _Words
from tests.conftest import SCHEMA

GOLD = json.loads(GOLD_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def real(shared_dir: Path) -> list[GoldArticle]:
    articles = load_real(shared_dir)
    if isinstance(articles, str):
        pytest.skip(articles)
    return articles


def test_the_gold_set_is_valid(real) -> None:
    assert validate(real) == []
    assert len(real) >= 50
    assert sum(a.split == "tune" for a in real) == sum(a.split == "test" for a in real)
    assert sum(a.split == "tune2" for a in real) >= 10
    assert sum(a.split == "tune3" for a in real) >= 6
    assert all("wire" in a.kind or "report" in a.kind for a in real if a.split == "tune3")
    assert sum(a.split == "tune4" for a in real) >= 8
    assert all("wire" in a.kind or "report" in a.kind for a in real if a.split == "tune4")
    assert {a.name.split(":")[0] for a in real} == {"re3d", "aebn", "frank"}
    assert sum(len(a.figures) for a in real) >= 100 and sum(len(a.statements) for a in real) >= 150


def test_categories_are_the_schemas() -> None:
    if SCHEMA.is_file():
        schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
        enum = schema["properties"]["figures"]["items"]["properties"]["category"]["enum"]
        assert set(enum) == CATEGORIES


def test_split_is_the_recorded_seeded_shuffle() -> None:
    ids = sorted(a["id"] for a in GOLD["articles"] if a["split"] in ("tune", "test"))
    random.Random(GOLD["split_rule"]["seed"]).shuffle(ids)
    tune = set(ids[: len(ids) // 2])
    assert {a["id"] for a in GOLD["articles"] if a["split"] == "tune"} == tune


def test_the_file_holds_no_article_text() -> None:
    """Values, names, short phrases and offsets only: no string longer than a counted phrase."""

    def strings(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key not in ("note", "split_rule"):
                    yield from strings(value)
        elif isinstance(node, list):
            for value in node:
                yield from strings(value)
        elif isinstance(node, str):
            yield node

    longest = max(strings(GOLD["articles"]), key=len)
    assert len(longest) <= 140, longest
    assert all(len(s["anchor"].split()) <= 4 for a in GOLD["articles"] for s in a["speakers"])


def test_validate_reports_broken_gold() -> None:
    text = "Officials said 12 drones were shot down over the city."
    broken = GoldArticle(
        "x", "dev", "wire", text,
        ({"value": "12", "offset": 3, "number": 12, "category": "drones", "claimed_by": None},),
        (GoldStatement(15, 900, "Officials", "direct", "12 drones"), GoldStatement(15, 20, "", "said", "x")),
    )  # fmt: skip
    problems = validate([broken])
    assert any("split" in p for p in problems)
    assert any("not verbatim" in p for p in problems)
    assert any("category 'drones'" in p for p in problems)
    assert any("out of range" in p for p in problems)
    assert any("kind 'said'" in p for p in problems)
    assert any("no speaker" in p for p in problems)


def test_place_finds_the_same_occurrence_across_whitespace() -> None:
    source = 'He said "no".  Later\n  she said "no".'
    cleaned = 'He said "no". Later she said "no".'
    second = source.rindex("no")
    assert place(source, second, second + 2, cleaned) == (cleaned.rindex("no"), cleaned.rindex("no") + 2)
    assert place(source, 14, 21, cleaned) == (14, 19)  # "Later\n" + spaces collapsed
    assert place(source, 0, 2, "nothing of it") is None


def _figure(value, category, claimed_by, counts=None):
    return SimpleNamespace(
        value=value, category=category, claimed_by=claimed_by, counts=counts, where=None, when=None
    )


def test_scorer_counts_a_constructed_example() -> None:
    text = (
        "The ministry said 12 drones were shot down. Officials said 40 people died. "
        'Rescuers found 3 bodies. "We will rebuild," the mayor, Anna Kovalenko, said.'
    )
    gold_figures = [
        {"value": "12", "category": "equipment", "counts": "drones shot down", "claimed_by": "the ministry"},
        {"value": "40", "category": "killed", "counts": "people died", "claimed_by": "Officials",
         "claimed_by_also": ["local officials"]},
        {"value": "3", "category": "killed", "counts": "bodies found", "claimed_by": None},
        {"value": "seven", "category": "wounded", "counts": "wounded", "claimed_by": None},
    ]  # fmt: skip
    ours = [
        _figure("12", "equipment", "the ministry"),  # right claimant, right category
        _figure("40", "casualties", "the mayor"),  # wrong claimant shown, wrong category
        _figure("3", "killed", "Rescuers"),  # a claimant on an unattributed figure: wrong
        _figure("2025", "time", None),  # no gold value
    ]
    said = text.index("12 drones"), text.index(" were shot down.") + len(" were shot down")
    died = text.index("40 people"), text.index("died") + len("died")
    quote = text.index("We will"), text.index("rebuild,") + len("rebuild,")
    gold = [Item((said,), "The ministry"), Item((died,), "Officials"), Item((quote,), "Anna Kovalenko")]
    pred = [
        Item((said,), "the ministry"),  # right speaker
        Item((died,), "the ministry"),  # wrong speaker shown
        Item(((0, 3),), "Rescuers"),  # overlaps nothing: not matched, not a wrong speaker
    ]
    t = score_extracted(ours, gold_figures, _Words(text), gold, pred)
    assert (t.figures, t.found, t.predicted, t.predicted_gold_value) == (4, 3, 4, 3)
    assert t.category_ok == 2
    assert (t.attributed, t.claimant_ok, t.unattributed, t.null_ok) == (2, 1, 1, 0)
    assert (t.shown_with_claimant, t.wrong_claimant) == (3, 2)
    assert (t.statements, t.matched, t.speaker_ok, t.wrong_speaker) == (3, 2, 1, 1)


def test_scorer_accepts_any_listed_claimant_name_and_sums_tallies() -> None:
    gold = [
        {
            "value": "40",
            "category": "killed",
            "claimed_by": "Rupert Colville",
            "claimed_by_also": ["Mr Colville"],
        }
    ]
    t = score_extracted([_figure("40", "killed", "Mr Colville")], gold, _Words(""), [], [])
    assert (t.claimant_ok, t.wrong_claimant) == (1, 0)
    total = HarmTally()
    total.add(t)
    total.add(t)
    assert (total.articles, total.found, total.claimant_ok) == (2, 2, 2)


def test_tune_errors_never_lists_the_test_split(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        tune_errors(tmp_path, ("tune", "test"))
    with pytest.raises(ValueError):
        tune_errors(tmp_path, ("tune3", "test"))
    with pytest.raises(ValueError):
        tune_errors(tmp_path, ("tune4", "test"))


def test_gold_splits_env_accepts_the_tuning_splits_and_rejects_unknown(monkeypatch) -> None:
    monkeypatch.setenv("CONFLICTBRIEF_GOLD_SPLITS", "tune, tune2")
    assert _wanted_splits() == ["tune", "tune2"]
    monkeypatch.setenv("CONFLICTBRIEF_GOLD_SPLITS", "tune,tune2,tune3")
    assert _wanted_splits() == ["tune", "tune2", "tune3"]
    monkeypatch.setenv("CONFLICTBRIEF_GOLD_SPLITS", "tune,tune2,tune3,tune4")
    assert _wanted_splits() == ["tune", "tune2", "tune3", "tune4"]
    monkeypatch.setenv("CONFLICTBRIEF_GOLD_SPLITS", "tune,dev")
    with pytest.raises(ValueError):
        _wanted_splits()


def test_a_claimant_with_the_title_before_the_gold_name_is_right() -> None:
    from evaluation.figures import same_claimant

    assert same_claimant("Deputy Minister for the North Sara Lind", "Sara Lind")
    assert not same_claimant("Deputy Minister for the North Sara Lind", "Lind")  # one word: too weak alone
