"""Which utterances may become questions: the wake word, the follow-up window and the button.

A pure part of the conversation's rules (policy.py asks it; tests/unit/test_listening.py
tests it with plain times). The modes:

- ``always``: every utterance is a question (the dev profile, and the box before wake words).
- ``button``: only what is said while the button is held; the VAD's utterances are ignored.
- ``wake``: an utterance is a question when a wake word opened it. Either in the same breath
  ("Hey Jarvis, what time is it"): the question is the audio *after* the detection, cut from
  the utterance before transcription, so speech-to-text never sees the wake phrase and its
  misspellings ("Hey Travis") need no text rules. Or alone ("Hey Jarvis" ... pause): it opens
  listening for ``open_s`` (the earcon plays, the LED lights), and speech starting in that
  window is the question; a window that closes unused counts as a false wake. After an
  answer, speech starting within ``follow_up_s`` needs no wake word.

The button opens a question in every mode.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from voicebox.audio.rates import PROCESSING_RATE

if TYPE_CHECKING:
    from voicebox.audio.wake import WakeDetector

MIN_QUESTION_S = 0.3
"""Speech after the wake word shorter than this is the tail of the wake word, not a question."""

RELEASE_GRACE_S = 0.5
"""The held utterance ends at the frame after the button is released (10-20 ms later); a
release that captured nothing ends none, and must not leave the next utterance admitted."""

MODES = ("wake", "always", "button")


@dataclass
class Counters:
    """What the wake word did, for /health and /metrics."""

    detections: int = 0
    wake_questions: int = 0
    """Questions a wake word opened (in the same breath or after the earcon)."""
    false_wakes: int = 0
    """Wake words that opened listening with no question following."""
    follow_ups: int = 0
    """Questions asked without the wake word, within the follow-up window."""


@dataclass(frozen=True)
class ListeningStatus:
    """The gate as /health and /metrics show it, published whole by the conductor thread."""

    mode: str
    wake_word: str | None
    open: bool
    counters: Counters
    detector_cpu_s: float
    """CPU time the detector has used (its share of a core: divide by the uptime)."""


@dataclass
class ListeningGate:
    """The state between events; every method takes the time of the event."""

    mode: str = "always"
    open_s: float = 5.0
    follow_up_s: float = 6.0
    open_until: float | None = None
    """A wake word said alone opened listening until then."""
    follow_up_until: float | None = None
    wake_at: float | None = None
    """When the wake word was heard in the utterance in progress."""
    admitted: str = ""
    """Why, in wake mode, the utterance in progress may be a question without a wake word in
    it: "wake" (it started while listening was open) or "follow-up" ("" = it may not)."""
    held: bool = False
    """The button was pressed: the next utterance to end is its question."""
    released_at: float | None = None
    in_utterance: bool = False

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"listening mode {self.mode!r} is not one of {', '.join(MODES)}")
        self.counters = Counters()

    def is_open(self, now: float) -> bool:
        """Listening was opened by a wake word alone and has not closed (the LED shows it)."""
        return self.open_until is not None and now <= self.open_until

    def status(self, wake_word: str | None, detector: WakeDetector | None) -> ListeningStatus:
        """A frozen copy for other threads (the counters are copied, never shared)."""
        return ListeningStatus(self.mode, wake_word, self.open_until is not None,
                               Counters(**vars(self.counters)),
                               detector.busy_s if detector is not None else 0.0)

    def speech_started(self, now: float) -> None:
        """An utterance began: it is admitted if the mode, a window or the button allows it."""
        self.in_utterance, self.wake_at = True, None
        if self.mode == "wake" and self.is_open(now):
            self.admitted, self.open_until = "wake", None
        elif (self.mode == "wake" and self.follow_up_until is not None
              and now <= self.follow_up_until):
            self.admitted = "follow-up"
        else:
            self.admitted = ""

    def wake(self, at: float) -> bool:
        """The wake word was heard; True if it opens listening now (no utterance to hold it:
        the VAD has not started one, so play the earcon at once)."""
        self.counters.detections += 1
        self.follow_up_until = None
        if self.in_utterance:
            self.wake_at = at
            return False
        self.open_until = at + self.open_s
        return True

    def button(self, pressed: bool, now: float) -> None:
        """Push-to-talk: the utterance it ends is a question, in every mode."""
        self.held, self.released_at = (True, None) if pressed else (self.held, now)

    def question(self, samples: np.ndarray, speech_end: float) -> np.ndarray | None:
        """The audio to transcribe for an utterance that (tentatively) ended at ``speech_end``,
        or None when it is no question (yet): no wake word, or only the wake word."""
        if self.held or self.mode == "always":
            return samples
        if self.wake_at is not None:
            after = speech_end - self.wake_at
            if after < MIN_QUESTION_S:
                return None
            return samples[-round(after * PROCESSING_RATE):]
        return samples if self.admitted else None

    def finish(self, samples: np.ndarray, speech_end: float,
               now: float) -> tuple[np.ndarray | None, bool]:
        """The utterance is over: its question (as :meth:`question`), and True if it held only
        the wake word, which opens listening until ``now + open_s`` (play the earcon)."""
        asked = self.question(samples, speech_end)
        alone = self.wake_at is not None and asked is None
        if asked is not None and not self.held:
            self._count_question()
        self.forget()
        if alone:
            self.open_until = now + self.open_s
        return asked, alone

    def forget(self) -> None:
        """Drop what is known about the utterance in progress (it ended as echo, or the sound
        card went away), counting nothing."""
        self.in_utterance, self.held, self.wake_at, self.admitted = False, False, None, ""
        self.released_at = None

    def answered(self, now: float) -> None:
        """An answer finished playing: the follow-up window opens."""
        if self.mode == "wake" and self.follow_up_s > 0:
            self.follow_up_until = now + self.follow_up_s

    def tick(self, now: float) -> None:
        """Close a listening window nobody spoke into (a false wake); forget a button release
        that captured nothing."""
        if self.released_at is not None and now - self.released_at > RELEASE_GRACE_S:
            self.held, self.released_at = False, None
        if self.open_until is not None and now > self.open_until and not self.in_utterance:
            self.open_until = None
            self.counters.false_wakes += 1

    def _count_question(self) -> None:
        if self.wake_at is not None or self.admitted == "wake":
            self.counters.wake_questions += 1
        elif self.admitted == "follow-up":
            self.counters.follow_ups += 1
