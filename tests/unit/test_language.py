"""Choosing the answer language among the languages that have a voice."""

from __future__ import annotations

import pytest

from voicebox.speech.language import answer_language, choose_language

CASES = [
    # probabilities, allowed, threshold -> language, confident
    ({"de": 0.55, "en": 0.30, "it": 0.15}, ("en", "de"), 0.5, "de", True),
    ({"it": 0.60, "en": 0.30, "de": 0.10}, ("en", "de"), 0.5, "en", True),   # 0.75 of allowed
    ({"it": 0.90, "en": 0.05, "de": 0.05}, ("en", "de"), 0.6, "fr", False),  # 50/50: unsure
    ({"en": 0.20, "de": 0.10}, ("en",), 0.9, "en", True),                    # only one voice
    ({"ja": 1.00}, ("en", "de"), 0.5, "fr", False),                          # no allowed mass
    ({}, ("en", "de"), 0.5, "fr", False),
]


@pytest.mark.parametrize(("probabilities", "allowed", "threshold", "language", "confident"),
                         CASES)
def test_choice(probabilities: dict, allowed: tuple, threshold: float, language: str,
                confident: bool) -> None:
    choice = choose_language(probabilities, allowed, threshold, fallback="fr")
    assert (choice.language, choice.confident) == (language, confident)


def test_reports_what_whisper_detected_and_the_share() -> None:
    choice = choose_language({"it": 0.6, "en": 0.3, "de": 0.1}, ("en", "de"), 0.5, "en")
    assert choice.detected == "it"
    assert choice.probability == pytest.approx(0.75)


def test_a_language_without_a_voice_is_answered_in_the_fallback() -> None:
    assert answer_language("de", ("de", "en"), "en") == "de"
    assert answer_language("de", ("en",), "en") == "en"
