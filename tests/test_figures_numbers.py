"""Pure number parsing: number words, digits, scales, qualifiers and units (no spaCy)."""

from __future__ import annotations

import pytest

from summarize.numbers import bounds, digit_value, match_unit, qualifier_kind, scaled_digit_value, words_value


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["three"], 3),
        (["twenty", "-", "five"], 25),
        (["two", "hundred", "and", "fifty"], 250),
        (["a", "dozen"], 12),
        (["1.2", "billion"], 1.2e9),
        (["6.5", "million"], 6.5e6),
        (["half", "a", "million"], 5e5),
        (["ten", "thousand"], 10_000),
        (["1,400"], 1400),
    ],
)
def test_words_value(words, expected):
    assert words_value(words) == pytest.approx(expected)


def test_words_value_rejects_two_numbers_in_a_row_and_non_numbers():
    assert words_value(["30", "40"]) is None
    assert words_value(["soldiers"]) is None
    assert words_value(["a"]) is None


def test_digits_and_money_scales():
    assert digit_value("1,400") == 1400
    assert digit_value("10,000") == 10_000
    assert digit_value("12.5") == 12.5
    assert digit_value("Su-34") is None
    assert digit_value("10:30") is None
    assert scaled_digit_value("1.2bn", money=True) == pytest.approx(1.2e9)
    assert scaled_digit_value("100m", money=True) == pytest.approx(1e8)
    # without a currency "300m" is metres, not millions
    assert scaled_digit_value("300m", money=False) is None


@pytest.mark.parametrize(
    ("qualifier", "low", "high"),
    [
        ("at least", 30, None),
        ("more than", 30, None),
        ("over", 30, None),
        ("up to", None, 30),
        ("nearly", None, 30),
        ("fewer than", None, 30),
        ("around", None, None),
        ("some", None, None),
        (None, None, None),
    ],
)
def test_bounds_follow_the_qualifier(qualifier, low, high):
    assert bounds(30.0, qualifier) == (low, high)


def test_vague_amounts_have_no_bounds():
    assert bounds(None, "at least") == (None, None)


def test_qualifier_kinds():
    assert qualifier_kind("between") == "range"
    assert qualifier_kind("or more") == "low"
    assert qualifier_kind("An Estimated") == "approx"
    assert qualifier_kind("quickly") is None


def test_units():
    unit, taken = match_unit(["square", "kilometres", "of", "territory"])
    assert (unit.name, unit.kind, taken) == ("square kilometres", "area", 2)
    assert match_unit(["years", "of"])[0].kind == "time"
    assert match_unit(["hryvnias"])[0].kind == "currency"
    assert match_unit(["%"])[0].kind == "percent"
    assert match_unit(["soldiers"]) is None
