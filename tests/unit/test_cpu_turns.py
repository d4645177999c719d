"""The LLM waits while a sentence is synthesised, and never waits for a cancelled turn."""

from __future__ import annotations

import threading

from voicebox.conductor.cpu import SynthesisFirst
from voicebox.messages import Turn

JOIN_S = 5.0


def _waiter(gate: SynthesisFirst, turn: Turn, stopping: threading.Event,
            results: list[bool]) -> threading.Thread:
    thread = threading.Thread(target=lambda: results.append(gate.wait_turn(turn, stopping)))
    thread.start()
    return thread


def test_no_wait_when_nothing_is_synthesised() -> None:
    assert SynthesisFirst().wait_turn(Turn(), threading.Event()) is True


def test_generation_resumes_only_after_the_synthesis_ends() -> None:
    gate, results = SynthesisFirst(), []
    with gate.synthesis():
        waiter = _waiter(gate, Turn(), threading.Event(), results)
        waiter.join(0.3)
        assert waiter.is_alive() and results == []  # still held back
    waiter.join(JOIN_S)
    assert results == [True]


def test_two_overlapping_syntheses_both_hold_the_gate() -> None:
    gate, results = SynthesisFirst(), []
    first, second = gate.synthesis(), gate.synthesis()
    first.__enter__()
    second.__enter__()
    waiter = _waiter(gate, Turn(), threading.Event(), results)
    first.__exit__(None, None, None)
    waiter.join(0.3)
    assert waiter.is_alive()
    second.__exit__(None, None, None)
    waiter.join(JOIN_S)
    assert results == [True]


def test_a_cancelled_turn_stops_waiting_at_once() -> None:
    gate, results, turn = SynthesisFirst(), [], Turn()
    with gate.synthesis():
        waiter = _waiter(gate, turn, threading.Event(), results)
        turn.cancel.set()
        waiter.join(JOIN_S)
        assert results == [False]


def test_stopping_ends_the_wait() -> None:
    gate, results, stopping = SynthesisFirst(), [], threading.Event()
    with gate.synthesis():
        waiter = _waiter(gate, Turn(), stopping, results)
        stopping.set()
        waiter.join(JOIN_S)
        assert results == [False]


def test_a_failed_synthesis_releases_the_gate() -> None:
    gate, results = SynthesisFirst(), []
    try:
        with gate.synthesis():
            raise RuntimeError("piper crashed")
    except RuntimeError:
        pass
    _waiter(gate, Turn(), threading.Event(), results).join(JOIN_S)
    assert results == [True]
