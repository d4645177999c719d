"""The splitter as a stream: when each sentence leaves, reset and flush, and random answers
that must split the same however they are cut."""

from __future__ import annotations

import random

import pytest

from tests.unit.sentence_feeding import (
    DEFAULT,
    SPLIT,
    split,
)
from voicebox.speech.sentences import SentenceSplitter, SplitterRules


def test_a_sentence_is_emitted_as_soon_as_the_next_character_confirms_it() -> None:
    splitter = SentenceSplitter()
    assert splitter.feed("The first sentence is here.") == []
    assert splitter.feed(" ") == ["The first sentence is here."]
    assert splitter.feed("And the second") == []
    assert splitter.flush() == ["And the second"]


def test_a_decimal_point_is_held_back_until_the_digits_come() -> None:
    splitter = SentenceSplitter(SPLIT)
    assert splitter.feed("Pi is 3.") == []
    assert splitter.feed("14 and e is 2.") == []
    assert splitter.feed("71. More") == ["Pi is 3.14 and e is 2.71."]


def test_etc_waits_for_the_next_word() -> None:
    splitter = SentenceSplitter(SPLIT)
    assert splitter.feed("Apples, pears, etc. ") == []
    assert splitter.feed("They") == ["Apples, pears, etc."]


def test_a_list_marker_waits_until_it_is_certain() -> None:
    splitter = SentenceSplitter(SPLIT)
    assert splitter.feed("Intro.\n1") == ["Intro."]
    assert splitter.feed(". Item one.\n") == ["Item one."]


def test_reset_forgets_the_unfinished_answer() -> None:
    splitter = SentenceSplitter()
    assert splitter.feed("Yes. This half sentence") == []
    splitter.reset()
    assert splitter.feed("A new answer begins here. ") == ["A new answer begins here."]
    assert splitter.flush() == []


def test_reset_forgets_a_list_item_and_a_marker_in_progress() -> None:
    splitter = SentenceSplitter(SPLIT)
    splitter.feed("- an item that was cut off")
    splitter.reset()
    assert splitter.feed("Plain text\nwraps here. ") == ["Plain text wraps here."]
    splitter.feed("Intro. More\n2")
    splitter.reset()
    assert splitter.feed("Fresh start here. ") == ["Fresh start here."]


def test_reset_rearms_the_early_flush() -> None:
    text = "When you get up in the morning, drink a glass of water, and then stretch your legs. "
    splitter = SentenceSplitter()
    assert splitter.feed(text) == ["When you get up in the morning,",
                                   "drink a glass of water, and then stretch your legs."]
    assert splitter.feed(text) == [text.strip()]
    splitter.reset()
    assert splitter.feed(text)[0] == "When you get up in the morning,"


def test_flush_ends_the_stream_and_starts_a_new_one() -> None:
    splitter = SentenceSplitter()
    assert splitter.feed("Short.") == []
    assert splitter.flush() == ["Short."]
    assert splitter.flush() == []
    assert splitter.feed("1. A list item in the next answer.\n") == [
        "A list item in the next answer."]


def test_empty_pieces_and_empty_stream() -> None:
    splitter = SentenceSplitter()
    assert splitter.feed("") == []
    assert splitter.flush() == []
    assert split("  \n\n  ") == []


def test_a_small_llm_answer_becomes_spoken_sentences() -> None:
    answer = ("Sure! Here are some tips:\n\n1. **Drink water** regularly.\n2. Sleep 8 hours.\n\n"
              "Hope this helps!")
    assert split(answer) == ["Sure! Here are some tips:", "Drink water regularly.",
                             "Sleep 8 hours.", "Hope this helps!"]


def test_a_longer_markdown_answer_in_german() -> None:
    answer = ("## Tipps für besseren Schlaf\n\nGern! Hier sind ein paar Tipps, die Dr. Müller "
              "empfiehlt:\n\n- **Regelmäßig** schlafen, z.B. um 22:30 Uhr.\n- Kein Kaffee nach "
              "14 Uhr.\n\nMehr dazu auf [der Webseite](https://schlaf.example.de/tipps). "
              "Gute Nacht!")
    assert split(answer) == [
        "Tipps für besseren Schlaf",
        "Gern! Hier sind ein paar Tipps, die Dr. Müller empfiehlt:",
        "Regelmäßig schlafen, z.B. um 22:30 Uhr.",
        "Kein Kaffee nach 14 Uhr.",
        "Mehr dazu auf der Webseite.",
        "Gute Nacht!",
    ]


@pytest.mark.parametrize("rules", [
    pytest.param({"min_chars": -1}, id="negative-min"),
    pytest.param({"max_chars": 0}, id="zero-max"),
    pytest.param({"early_flush_chars": -1}, id="negative-early"),
    pytest.param({"max_chars": 50, "early_flush_chars": 60}, id="early-beyond-max"),
])
def test_invalid_rules_are_refused(rules: dict[str, int]) -> None:
    with pytest.raises(ValueError, match="invalid sentence splitter rules"):
        SplitterRules(**rules)


# Tricky pieces for random answers: every rule, glued together in any order.
FRAGMENTS = ["Hello", " world", ".", " ", "\n", "\n\n", "- ", "1. ", "2) ", "# ", "**", "*", "_",
             "`", "3.14", "10:30", "etc.", " The", " the", "...", "…", "?!", "!", "?", "Dr.", " J.",
             "e.g.", "U.S.", "No.", " 5", "«", "»", " « ", " » ", '"', ")", "(", ", ", "; ", ": ",
             " - ", "[link](http://x.org/a.b)", "https://example.com/p?q=1", "a@b.org", "1 000",
             "\u00a0", "¿", "¡", "Qué", "x" * 30, "\r\n", "#tag", "\t", "---"]
FUZZ_RULES = [DEFAULT, SPLIT, SplitterRules(min_chars=5, max_chars=30, early_flush_chars=25),
              SplitterRules(min_chars=0, max_chars=12, early_flush_chars=0)]


@pytest.mark.parametrize("seed", range(50))
def test_random_answers_split_the_same_however_they_are_streamed(seed: int) -> None:
    rng = random.Random(seed)
    text = "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 80)))
    for rules in FUZZ_RULES:
        for sentence in split(text, rules):
            assert sentence == " ".join(sentence.split())
            assert any(char.isalnum() for char in sentence)
