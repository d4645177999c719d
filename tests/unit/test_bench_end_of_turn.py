"""The end-of-turn benchmark's figures: cut-off questions, the sides, and the gain."""

from __future__ import annotations

import numpy as np

from benchmarks.voicebench.endofturn import cut_off, render_sides, summarize_sides
from benchmarks.voicebench.questions import PAUSED, Question, Spoken

PAUSED_ROME = Spoken(PAUSED[0], np.zeros(16, np.float32), (0, 16))
PLAIN = Spoken(Question("What is the capital of Italy?", "en"), np.zeros(16, np.float32),
               (0, 16))


def test_a_question_heard_as_two_turns_with_words_is_cut_off() -> None:
    assert cut_off(PLAIN, [[1, "answered", "What is the capital of Italy?"]]) is False
    assert cut_off(PLAIN, [[1, "cancelled", "What is the"], [2, "answered", "capital?"]])
    assert cut_off(PLAIN, [[1, "no speech", ""], [2, "answered", "What is it?"]]) is False
    assert cut_off(PLAIN, []) is False            # unheard: unanswered, not cut


def test_a_paused_question_missing_its_last_word_is_cut_off() -> None:
    whole = "Tell me about the history of the city of Rome."
    assert cut_off(PAUSED_ROME, [[1, "answered", whole]]) is False
    assert cut_off(PAUSED_ROME, [[1, "answered", "Tell me about the history of..."]])
    misheard = "Tell me about the history of the town of Rome."     # "city" misheard
    assert cut_off(PAUSED_ROME, [[1, "answered", misheard]]) is False


def turn(side: str, v2v: float | None, cut: bool = False, outcome: str = "answered",
         paused: bool = False) -> dict:
    return {"side": side, "voice_to_voice_s": v2v, "endpoint_s": 0.5 if side == "fixed" else 0.3,
            "cut_off": cut, "outcome": outcome, "paused": paused}


def test_the_sides_and_the_median_gain() -> None:
    turns = [turn("fixed", 1.2), turn("fixed", 1.4), turn("fixed", 1.3),
             turn("fixed", 0.1, cut=True, paused=True),      # answered before the voice ended
             turn("adaptive", 1.0), turn("adaptive", 1.1),
             turn("adaptive", None, outcome="no turn")]
    result = summarize_sides(turns)
    fixed, adaptive = result["sides"]["fixed"], result["sides"]["adaptive"]
    assert fixed["voice_to_voice_s"]["median"] == 1.3 and fixed["cut_off"] == 1
    assert adaptive["voice_to_voice_s"]["n"] == 2 and adaptive["unanswered"] == 1
    assert abs(result["median_gain_s"] - 0.25) < 1e-9
    table = render_sides(result)
    assert "gain over the fixed hang-over: 250 ms (target >= 150 ms: met)" in table
    assert "adaptive cut-off questions: 0 (target 0: met)" in table


def test_a_gain_below_the_target_or_a_cut_off_is_reported_missed() -> None:
    result = summarize_sides([turn("fixed", 1.2), turn("adaptive", 1.1, cut=True)])
    table = render_sides(result)
    assert "100 ms (target >= 150 ms: missed)" in table
    assert "adaptive cut-off questions: 1 (target 0: missed)" in table
    assert summarize_sides([turn("fixed", 1.2)])["median_gain_s"] is None

