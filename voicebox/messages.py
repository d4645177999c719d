"""The vocabulary that crosses the pipeline's queues: frozen dataclasses, never bare tuples.

Every message names the :class:`Turn` it belongs to, so a worker can drop the items of a turn
that was cancelled (barge-in) without flushing anything of the next one.
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field

import numpy as np

_turn_ids = itertools.count(1)


class Turn:
    """One question and its answer: the control object every message of the turn points to.

    ``cancel`` is set when the answer must stop (barge-in, button, shutdown). ``confirmed`` is
    clear while the question is only tentatively over (the user paused): the transcript is
    made but held until the pause proves to be the end. ``enough`` is set when the answer has
    reached its spoken length (``llm.max_sentences``/``max_words``): the LLM stops at the
    next token, and nothing more of the turn is spoken.
    """

    __slots__ = ("cancel", "confirmed", "enough", "started_at", "turn_id")

    def __init__(self, confirmed: bool = True) -> None:
        self.turn_id = next(_turn_ids)
        self.started_at = time.monotonic()
        self.cancel = threading.Event()
        self.confirmed = threading.Event()
        self.enough = threading.Event()
        if confirmed:
            self.confirmed.set()

    @property
    def cancelled(self) -> bool:
        """True once the turn was cancelled; workers check it before each item."""
        return self.cancel.is_set()

    def __repr__(self) -> str:
        return f"Turn({self.turn_id})"


@dataclass(frozen=True)
class Utterance:
    """What the user said: 16 kHz mono float32 samples."""

    turn: Turn
    samples: np.ndarray = field(compare=False)


@dataclass(frozen=True)
class Transcript:
    """The recognised text, the language the answer will be in, and what was detected."""

    turn: Turn
    text: str
    language: str
    detected_language: str
    language_probability: float
    prompt: str = ""
    """What the LLM is asked instead of ``text``, when a skill turned the words into an
    instruction ("tell me more"); the history keeps ``text``, what the user said."""


@dataclass(frozen=True)
class TextPiece:
    """A piece of the answer as the LLM streams it (one token's worth of text).

    ``limited``: the answer's spoken length is limited (the LLM's; a skill's reply is said
    whole, however many timers it lists).
    """

    turn: Turn
    text: str
    language: str
    limited: bool = True


@dataclass(frozen=True)
class Sentence:
    """A complete sentence ready to be spoken."""

    turn: Turn
    text: str
    language: str
    index: int


@dataclass(frozen=True)
class AudioChunk:
    """Synthesised speech for one sentence: mono float32 at ``sample_rate``."""

    turn: Turn
    samples: np.ndarray = field(compare=False)
    sample_rate: int
    text: str


@dataclass(frozen=True)
class EndOfAnswer:
    """No more text (from the LLM) or audio (from TTS) will follow for this turn."""

    turn: Turn
    language: str
