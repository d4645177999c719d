"""Conversation history: the last few exchanges, forgotten after a quiet spell.

A voice assistant on a kitchen counter talks to whoever is there: after some minutes of
silence the next question is a new conversation, and an old context would only confuse a small
model. Time is passed in, so the rules are tested with plain numbers.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace

# Interruptions of turns whose answer is not recorded yet; a cancelled turn may never record.
PENDING_LIMIT = 8


@dataclass(frozen=True)
class Exchange:
    """One question and the answer the user actually heard (``interrupted``: cut short by
    the user, not by the answer's length limit)."""

    user: str
    assistant: str
    language: str
    interrupted: bool = False
    turn_id: int = 0


class History:
    """The last ``max_turns`` exchanges; cleared when idle longer than ``idle_s``.

    Thread-safe: the LLM worker adds exchanges while a barge-in or the watchdog may clear it.
    """

    def __init__(self, max_turns: int, idle_s: float) -> None:
        self.max_turns = max_turns
        self.idle_s = idle_s
        self._exchanges: list[Exchange] = []
        self._last_activity: float | None = None
        self._heard: dict[int, tuple[str, bool]] = {}
        self._lock = threading.Lock()

    def exchanges(self, now: float) -> tuple[Exchange, ...]:
        """The exchanges to give the model at time ``now`` (empty after an idle spell)."""
        with self._lock:
            self._forget_if_idle(now)
            return tuple(self._exchanges)

    def add(self, exchange: Exchange, now: float) -> None:
        """Record an exchange, keeping at most ``max_turns``.

        When full, the oldest half goes at once rather than one exchange per turn: the prompt
        then keeps the same beginning for several turns, so llama.cpp's KV cache still holds
        it. Sliding one exchange per turn changed the beginning every turn and made the model
        re-read the whole history (~270 tokens, +0.5-0.9 s to the first token, measured).
        The newest exchange always stays: half of ``max_turns = 1`` is none, and the model
        then had no history every other turn (one turn slides, as there is no half to keep).
        """
        with self._lock:
            self._forget_if_idle(now)
            if exchange.turn_id in self._heard:
                heard, interrupted = self._heard.pop(exchange.turn_id)
                exchange = replace(exchange, assistant=heard,
                                   interrupted=interrupted or exchange.interrupted)
            self._exchanges.append(exchange)
            if len(self._exchanges) > self.max_turns:
                keep = min(self.max_turns, max(1, self.max_turns // 2))
                del self._exchanges[: len(self._exchanges) - keep]
            self._last_activity = now

    def interrupt(self, turn_id: int, heard: str) -> None:
        """The user cut turn ``turn_id``'s answer short after hearing ``heard``.

        The answer may already be recorded (the model is faster than speech) or not yet (it
        is still generating): either way the history ends up with what was heard, marked
        interrupted, because both paths take the same lock.
        """
        self._correct(turn_id, heard, interrupted=True)

    def shorten(self, turn_id: int, spoken: str) -> None:
        """Turn ``turn_id``'s answer was cut at its length limit after ``spoken``: keep that,
        not the words the model wrote past it (it stops a token or two later)."""
        self._correct(turn_id, spoken, interrupted=False)

    def _correct(self, turn_id: int, answer: str, interrupted: bool) -> None:
        with self._lock:
            for index, exchange in enumerate(self._exchanges):
                if exchange.turn_id == turn_id:
                    self._exchanges[index] = replace(
                        exchange, assistant=answer,
                        interrupted=interrupted or exchange.interrupted)
                    return
            self._heard[turn_id] = (answer, interrupted)
            while len(self._heard) > PENDING_LIMIT:
                del self._heard[min(self._heard)]

    def prune(self, keep: int) -> int:
        """Keep only the newest ``keep`` exchanges (memory is short); returns how many went."""
        with self._lock:
            dropped = max(0, len(self._exchanges) - keep)
            del self._exchanges[:dropped]
        return dropped

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._exchanges.clear()

    def _forget_if_idle(self, now: float) -> None:
        if self._last_activity is not None and now - self._last_activity > self.idle_s:
            self._exchanges.clear()
            self._last_activity = None
