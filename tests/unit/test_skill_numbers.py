"""Spoken numbers per language: words, digits as whisper writes them, and what is no number."""

from __future__ import annotations

from fractions import Fraction

import pytest

from voicebox.skills.numbers import parse_number
from voicebox.skills.words import words

NUMBERS = [
    ("en", "twelve", 12), ("en", "twenty-one", 21), ("en", "one hundred and five", 105),
    ("en", "a hundred", 100), ("en", "two thousand three hundred forty five", 2345),
    ("en", "three point one four", Fraction(314, 100)), ("en", "1,000", 1000),
    ("en", "3.5", Fraction(7, 2)), ("en", "minus five", -5), ("en", "84", 84),
    ("en", "one and a half", Fraction(3, 2)), ("en", "2.5 million", 2_500_000),
    ("en", "zero", 0),
    ("de", "zwölf", 12), ("de", "dreiundzwanzig", 23), ("de", "zweihundertdreiundvierzig", 243),
    ("de", "siebenundsiebzig", 77), ("de", "3,5", Fraction(7, 2)), ("de", "1.000", 1000),
    ("de", "drei Komma fünf", Fraction(7, 2)), ("de", "eintausendzweihundert", 1200),
    ("de", "anderthalb", Fraction(3, 2)), ("de", "zweieinhalb", Fraction(5, 2)),
    ("de", "einhundert", 100), ("de", "sechzehn", 16),
    ("fr", "douze", 12), ("fr", "soixante-dix-sept", 77), ("fr", "quatre-vingt-dix-neuf", 99),
    ("fr", "soixante et onze", 71), ("fr", "vingt et un", 21), ("fr", "deux cents", 200),
    ("fr", "cent soixante-quinze", 175), ("fr", "quatre-vingts", 80), ("fr", "dix-sept", 17),
    ("fr", "3,5", Fraction(7, 2)), ("fr", "moins deux", -2),
    ("es", "doce", 12), ("es", "veintiuno", 21), ("es", "treinta y dos", 32),
    ("es", "ciento veinte", 120), ("es", "dos mil quinientos", 2500),
    ("es", "quinientos cincuenta y cinco", 555), ("es", "tres coma cinco", Fraction(7, 2)),
    ("es", "mil", 1000), ("es", "dieciséis", 16), ("es", "veintidós", 22),
]
NOT_NUMBERS = [
    ("en", "twelve seven"), ("en", "twenty twenty"), ("en", "hundred hundred"), ("en", "and"),
    ("en", "one and"), ("en", "a"), ("en", "seven apples"), ("en", "point five"),
    ("en", "thousand million"), ("de", "zwanzig zwanzig"), ("de", "zwölfundzwanzig"),
    ("de", "einhalb"), ("fr", "dix vingt"), ("es", "veinte treinta"), ("en", ""),
    ("xx", "twelve"), ("en", "12 13"), ("en", "12 apples"),
]


@pytest.mark.parametrize(("language", "said", "value"), NUMBERS)
def test_numbers_as_words_and_digits(language: str, said: str, value: Fraction) -> None:
    assert parse_number(words(said), language) == value


@pytest.mark.parametrize(("language", "said"), NOT_NUMBERS)
def test_what_is_not_exactly_a_number(language: str, said: str) -> None:
    assert parse_number(words(said), language) is None


def test_a_number_in_one_language_is_not_one_in_another() -> None:
    assert parse_number(words("zwölf"), "en") is None
    assert parse_number(words("twelve"), "de") is None


def test_words_are_folded_and_split_the_same_way_for_templates_and_transcripts() -> None:
    assert words("What's 12×7?") == ("what'", "s", "12", "×", "7")
    assert words("Quelle heure est-il ?") == ("quelle", "heure", "est", "il")
    assert words("¿Qué hora es?") == ("que", "hora", "es")
    assert words("l’heure, a 5-minute timer") == ("l'", "heure", "a", "5", "minute", "timer")
    assert words("Straße 12-7 7:30") == ("strasse", "12", "-", "7", "7:30")
