"""Units, currencies and clock times spelt out for the voice, per language; markdown gone."""

from __future__ import annotations

import pytest

from voicebox.speech.markup import read_aloud
from voicebox.speech.sentences import SentenceSplitter


@pytest.mark.parametrize(("language", "text", "spoken"), [
    ("en", "It is 5 km away and 20°C.", "It is 5 kilometres away and 20 degrees Celsius."),
    ("en", "1 km, then 1.5 km", "1 kilometre, then 1.5 kilometres"),
    ("en", "Drive at 100 km/h.", "Drive at 100 kilometres per hour."),
    ("en", "It costs $5 or €3.50.", "It costs 5 dollars or 3.50 euros."),
    ("en", "Meet at 3:05 pm or 15:30.", "Meet at 3 oh 5 pm or 15 30."),
    ("en", "Boil it for 10 min in 2 l of water with 5 g of salt.",
     "Boil it for 10 minutes in 2 litres of water with 5 grams of salt."),
    ("de", "Um 15:30 Uhr sind es 20 °C.", "Um 15 Uhr 30 sind es 20 Grad Celsius."),
    ("de", "Nimm 500 g Mehl und 250 ml Milch.", "Nimm 500 Gramm Mehl und 250 Milliliter Milch."),
    ("fr", "À 10:00, il fait 5 °C.", "À 10 heures, il fait 5 degrés Celsius."),
    ("es", "A las 7:30 hay 3 km.", "A las 7 y 30 hay 3 kilómetros."),
])
def test_units_currencies_and_times(language: str, text: str, spoken: str) -> None:
    assert read_aloud(text, language) == spoken


@pytest.mark.parametrize("text", ["version 3.5.1", "the ratio 3:2", "5 kmh", "room 101 m2",
                                  "a kg of", "km 5"])
def test_what_is_not_a_unit_after_a_number_is_left_alone(text: str) -> None:
    assert read_aloud(text, "en") == text


def test_a_language_without_a_table_is_left_alone() -> None:
    assert read_aloud("5 km", "it") == "5 km"


def test_markdown_lists_become_sentences_without_marks() -> None:
    splitter = SentenceSplitter()
    answer = "# Tips\nHere are **three** tips:\n- Drink `water`.\n- Sleep 8 hours.\n"
    sentences = splitter.feed(answer) + splitter.flush()
    assert sentences == ["Tips", "Here are three tips:", "Drink water.", "Sleep 8 hours."]
