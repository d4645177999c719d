"""Which pipeline turn carries each of the conversation rules' questions.

The rules (policy.py) number questions; the pipeline makes a :class:`Turn` for each one it
takes. The conductor maps between them to cancel or confirm a question's turn and to tell the
rules which question a pipeline event (an answer played, a tentative transcript) is about.
"""

from __future__ import annotations

import threading

from voicebox.messages import Turn


class QuestionTurns:
    """The pipeline's turn for each of the policy's questions (the last few).

    Written by the conductor thread, read by pipeline threads too (a tentative transcript
    arrives on the speech-to-text worker): a lock keeps a lookup from seeing a half-pruned map.
    """

    def __init__(self, keep: int = 8) -> None:
        self._keep = keep
        self._by_question: dict[int, Turn] = {}
        self._lock = threading.Lock()

    def add(self, question: int, turn: Turn) -> None:
        with self._lock:
            self._by_question[question] = turn
            for old in sorted(self._by_question)[:-self._keep]:
                del self._by_question[old]

    def get(self, question: int) -> Turn | None:
        with self._lock:
            return self._by_question.get(question)

    def question_of(self, turn: Turn) -> int | None:
        with self._lock:
            return next((q for q, known in self._by_question.items() if known is turn), None)

    def question_of_id(self, turn_id: int) -> int | None:
        """The question whose turn has ``turn_id`` (events carry the id, not the turn)."""
        with self._lock:
            return next((q for q, known in self._by_question.items()
                         if known.turn_id == turn_id), None)
