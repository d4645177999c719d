"""How a tentative transcript ends, per language, as whisper writes it."""

from __future__ import annotations

import pytest

from voicebox.speech.turn_shape import TurnShape, turn_shape

FINISHED, UNFINISHED, UNSURE = TurnShape.FINISHED, TurnShape.UNFINISHED, TurnShape.UNSURE


@pytest.mark.parametrize(("text", "language", "shape"), [
    # Finished questions and requests, as whisper closes them.
    ("What is the capital of France?", "en", FINISHED),
    ("What time is it?", "en", FINISHED),
    ("What is it about?", "en", FINISHED),
    ("Tell me about Rome.", "en", FINISHED),
    ("Set a timer for five minutes!", "en", FINISHED),
    ("Wie spät ist es?", "de", FINISHED),
    ("Was ist das?", "de", FINISHED),
    ("Quelle heure est-il ?", "fr", FINISHED),
    ("¿Qué hora es?", "es", FINISHED),
    ("¿Dónde está la?", "es", FINISHED),
    # Cut off mid-phrase, whatever the punctuation.
    ("What is the", "en", UNFINISHED),
    ("What is the.", "en", UNFINISHED),                # whisper closes what it hears
    ("Set a timer for", "en", UNFINISHED),
    ("Set a timer for.", "en", UNFINISHED),
    ("What's the weather like in...", "en", UNFINISHED),
    ("I want to know, um", "en", UNFINISHED),
    ("and", "en", UNFINISHED),
    ("Tell me about Rome and", "en", UNFINISHED),
    ("What is twelve times,", "en", UNFINISHED),
    # Whisper closes a cut-off phrase with "?" (measured with the dev model).
    ("What is the capital of?", "en", UNFINISHED),
    ("What is 12 times?", "en", UNFINISHED),
    ("What is the weather like in?", "en", UNFINISHED),
    ("How far is the moon from the?", "en", UNFINISHED),
    ("Tell me about the history of...", "en", UNFINISHED),
    ("Tell me what", "en", UNFINISHED),
    ("How many legs does?", "en", UNFINISHED),
    ("Tell me a story about.", "en", UNFINISHED),
    ("Stell einen Timer für", "de", UNFINISHED),
    ("Wie wird das Wetter morgen in", "de", UNFINISHED),
    ("Erzähl mir eine", "de", UNFINISHED),
    ("Quelle est la capitale de", "fr", UNFINISHED),
    ("Raconte-moi une", "fr", UNFINISHED),
    ("Euh", "fr", UNFINISHED),
    ("¿Cuál es la capital de", "es", UNFINISHED),
    ("Pon un temporizador y", "es", UNFINISHED),
    # Nothing to go on: the configured hang-over.
    ("Stop.", "en", UNSURE),                          # may open what follows
    ("Okay.", "en", UNSURE),
    ("Hi there!", "en", UNSURE),
    ("Wie spät?", "de", UNSURE),
    ("Tell me a story", "en", UNSURE),
    ("", "en", UNSURE),
    ("   ", "de", UNSURE),
    ("...", "en", UNSURE),
])
def test_shape(text: str, language: str, shape: TurnShape) -> None:
    assert turn_shape(text, language) is shape


def test_a_language_without_lists_is_judged_by_the_english_ones() -> None:
    assert turn_shape("the", "it") is UNFINISHED
    assert turn_shape("Che ore sono?", "it") is FINISHED


def test_only_the_questions_own_language_lists_apply() -> None:
    # "la" ends no French phrase but may end a Spanish question.
    assert turn_shape("Où est la", "fr") is UNFINISHED
    assert turn_shape("¿Dónde la?", "es") is FINISHED
    assert turn_shape("¿Dónde la", "es") is UNFINISHED
