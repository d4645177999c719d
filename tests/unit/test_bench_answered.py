"""The questions-answered benchmark: its question set, the reasons, and the targets."""

from __future__ import annotations

from benchmarks.voicebench.answered import (
    questions,
    reason,
    render_answered,
    summarize_answered,
)


def test_every_english_question_is_asked_clean_and_at_10_db_in_three_voices() -> None:
    asked = questions()
    clean = [q for q in asked if not q.noise]
    noisy = [q for q in asked if q.noise]
    assert len(clean) == len(noisy) == 40
    assert {q.snr_db for q in noisy} == {10.0} and {q.noise for q in noisy} == {"white", "fan"}
    assert {q.voice for q in asked} == {"piper", "en-us", "en-gb"}
    assert [q.text for q in clean] == [q.text for q in noisy]


def turn(outcome: str, log: list, condition: str = "clean") -> dict:
    return {"outcome": outcome, "turn_log": log, "condition": condition}


def test_the_reason_is_the_gate_that_stopped_the_question() -> None:
    assert reason(turn("answered", [[1, "answered", "What time is it?"]])) == "answered"
    assert reason(turn("no turn", [])) == "no turn"
    assert reason(turn("no speech", [[3, "no speech", ""]])) == "no speech"
    # Cut in two: the first part was answered, the last turn was not.
    assert reason(turn("cancelled", [[1, "answered", "What"], [2, "cancelled", "time"]])) == (
        "cancelled")


def test_shares_reasons_and_targets_per_condition() -> None:
    turns = [{**turn("answered", []), "reason": "answered"} for _ in range(19)]
    turns.append({**turn("no speech", []), "reason": "no speech"})
    turns += [{**turn("answered", [], "10 dB"), "reason": "answered"} for _ in range(19)]
    turns.append({**turn("no turn", [], "10 dB"), "reason": "no turn"})
    result = summarize_answered(turns)
    clean, noisy = result["conditions"]["clean"], result["conditions"]["10 dB"]
    assert (clean["answered"], clean["share"], clean["reasons"]) == (19, 0.95, {"no speech": 1})
    assert noisy["reasons"] == {"no turn": 1}
    table = render_answered(result)
    assert "clean            20       19     95%    100%  no speech 1  (missed)" in table
    assert "10 dB            20       19     95%     95%  no turn 1  (met)" in table
