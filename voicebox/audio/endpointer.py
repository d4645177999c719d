"""Endpointing: where an utterance starts and where it ends, from per-frame VAD decisions.

Why a pure state machine: the capture thread feeds it one 10 ms frame at a time and acts on
what it returns, so every timing rule can be tested exactly with frame patterns. ``now`` only
stamps decisions; durations are counted in frames, because the audio itself is the clock (a
late callback must not make an utterance shorter or longer than the speech it holds).

Why a tentative end: speech-to-text takes longer than the hang-over, so once the silence is
long enough to be the end *probably*, the utterance so far is announced (``TentativeEnd``) and
the caller starts transcribing it while the hang-over runs. ``SpeechResumed`` withdraws it;
``UtteranceEnded`` confirms it with exactly the same samples, so the speculative transcript
can be used as it is. For that, speech blips after a tentative end that are too short to
withdraw it count as silence: they neither restart the hang-over nor join the utterance.

Why hints: how the words so far end says whether the pause is the end (see
voicebox/speech/turn_shape.py). The conductor passes the tentative transcript's shape back
(:meth:`Endpointer.hint`) and this utterance then ends after ``finished_s`` of silence (a
finished question is answered sooner) or ``unfinished_s`` ("what is the", "um": the speaker is
given time to go on) instead of the hang-over. A hint never shortens an end below the silence
already counted: it is checked by the next frame, like the hang-over. Without a hint the
hang-over stands, so an endpointer nobody hints ends every utterance as it always did.

Every sample belongs to at most one utterance: the pre-roll ring is emptied when an utterance
starts and stays empty until it ends, so a restart after truncation continues where the cut
utterance stopped instead of repeating its end.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from itertools import islice
from typing import NamedTuple

import numpy as np

from voicebox.audio.clock import PassedTime
from voicebox.audio.endpointer_settings import (
    RESUME_WINDOW,
    EndpointerSettings,
    frames,
)
from voicebox.audio.rates import FRAME_S, FRAME_SAMPLES
from voicebox.speech.turn_shape import TurnShape

MIN_START_FRAMES = 3
"""A shorter start window would let a single click start an utterance."""


@dataclass(frozen=True)
class SpeechStarted:
    """An utterance began; ``at`` is the start of the first frame of the start window."""

    at: float


@dataclass(frozen=True, eq=False)
class TentativeEnd:
    """Silence reached ``tentative_s``: ``samples`` (pre-roll + speech) can be transcribed now;
    their last sample ends at ``speech_end``.

    ``eq=False`` (also below): arrays have no single truth value to compare decisions by.
    """

    at: float
    samples: np.ndarray
    speech_end: float


@dataclass(frozen=True)
class SpeechResumed:
    """Speech came back before the hang-over ended: the tentative end is withdrawn."""

    at: float


@dataclass(frozen=True, eq=False)
class UtteranceEnded:
    """The utterance is over. ``speech_end`` is the end time of the last sample in ``samples``."""

    at: float
    samples: np.ndarray
    speech_end: float
    truncated: bool


Decision = SpeechStarted | TentativeEnd | SpeechResumed | UtteranceEnded


class _Frame(NamedTuple):
    samples: np.ndarray
    speech: bool
    end: float


@dataclass
class _Utterance:
    """The audio and silence bookkeeping of the utterance being captured."""

    frames: list[np.ndarray]
    length: int
    """Frames counted against ``max_utterance_s``: the start window onwards, not the pre-roll."""
    audio_end: float
    speech_frames: int = 0
    """How many of ``frames`` end with the last speech frame; the rest is trailing silence."""
    speech_end: float = 0.0
    silence: int = 0
    tentative: bool = False
    hangover: int | None = None
    """Frames of silence that end this utterance, set by the transcript's shape (see
    :meth:`Endpointer.hint`); None for the configured hang-over."""
    forced: bool = False
    recent: deque[bool] = field(default_factory=lambda: deque(maxlen=RESUME_WINDOW))

    def add(self, samples: np.ndarray, end: float) -> None:
        self.frames.append(samples)
        self.length += 1
        self.audio_end = end

    def mark_speech(self, end: float) -> None:
        """The newest frame is speech: the utterance extends to it and silence starts over."""
        self.speech_frames = len(self.frames)
        self.speech_end = end
        self.silence = 0
        self.tentative = False
        self.hangover = None
        self.recent.clear()

    def speech_samples(self) -> np.ndarray:
        return np.concatenate(self.frames[: self.speech_frames])


class Endpointer:
    """Turns (frame, is_speech, now) into utterance decisions; not thread-safe (one feeder)."""

    def __init__(self, settings: EndpointerSettings) -> None:
        self._settings = settings
        self._start_frames = max(MIN_START_FRAMES, frames(settings.start_s))
        # round() first: 0.28 * 25 is 7.000000000000001, and must need 7 frames, not 8.
        self._start_needed = math.ceil(round(settings.start_ratio * self._start_frames, 9))
        self._preroll_frames = frames(settings.preroll_s)
        self._tentative_frames = frames(settings.tentative_s)
        self._hangover_frames = frames(settings.hangover_s)
        finished, unfinished = settings.shaped()
        self._shaped_frames = {TurnShape.FINISHED: frames(finished),
                               TurnShape.UNFINISHED: frames(unfinished),
                               TurnShape.UNSURE: self._hangover_frames}
        self._max_frames = frames(settings.max_utterance_s)
        self._ring: deque[_Frame] = deque(maxlen=self._preroll_frames + self._start_frames)
        self._utterance: _Utterance | None = None
        self._time = PassedTime()

    @property
    def state(self) -> str:
        """``idle``, ``speech``, or ``trailing`` (silence after speech, hang-over running)."""
        if self._utterance is None:
            return "idle"
        return "trailing" if self._utterance.silence else "speech"

    def reset(self) -> None:
        """Forget everything, including the pre-roll and the last time seen."""
        self._ring.clear()
        self._utterance = None
        self._time.reset()

    def feed(self, frame: np.ndarray, is_speech: bool, now: float) -> list[Decision]:
        """One 10 ms frame and its VAD decision; ``now`` is the time at the end of the frame."""
        _check_frame(frame)
        self._time.advance(now)
        if self._utterance is None:
            return self._feed_idle(_Frame(frame.copy(), bool(is_speech), now))
        return self._feed_utterance(self._utterance, frame.copy(), bool(is_speech), now)

    def force_start(self, now: float) -> None:
        """Push-to-talk pressed: capture from now (plus the pre-roll) until :meth:`force_end`.

        A forced utterance ignores the VAD for its end (the user decides), so it produces no
        tentative end; only ``max_utterance_s`` still cuts it. Pressing during a VAD utterance
        keeps what was captured and makes it forced, which voids a pending tentative end.
        """
        self._time.advance(now)
        if self._utterance is not None:
            self._utterance.mark_speech(self._utterance.audio_end)
            self._utterance.forced = True
            return
        preroll = list(self._ring)[max(0, len(self._ring) - self._preroll_frames):]
        self._ring.clear()
        self._utterance = _Utterance(frames=[f.samples for f in preroll], length=0,
                                     audio_end=preroll[-1].end if preroll else now, forced=True)

    def force_end(self, now: float) -> UtteranceEnded | None:
        """Push-to-talk released: the utterance including any trailing audio, or None if idle
        or nothing was captured. Back to idle either way."""
        self._time.advance(now)
        utterance, self._utterance = self._utterance, None
        if utterance is None or not utterance.frames:
            return None
        utterance.forced = True
        return self._finish(utterance, now, truncated=False)


    def hint(self, shape: TurnShape, speech_end: float) -> bool:
        """The transcript of the tentative end at ``speech_end`` reads as ``shape``: end the
        utterance after that shape's silence instead of the hang-over (sooner for a finished
        question, later, up to ``unfinished_s``, for one stopped mid-phrase).

        Applied, and True, only while that very tentative end stands: a hint that arrives after
        speech resumed (or the utterance ended) describes words that are no longer the end.
        The end itself is decided by the next frame, as every other end is.
        """
        utterance = self._utterance
        if (utterance is None or utterance.forced or not utterance.tentative
                or utterance.speech_end != speech_end):
            return False
        utterance.hangover = self._shaped_frames[shape]
        return True

    def _feed_idle(self, frame: _Frame) -> list[Decision]:
        """Remember the frame; start once enough of the window is speech (unseen = silence)."""
        self._ring.append(frame)
        window = list(islice(reversed(self._ring), self._start_frames))
        if sum(f.speech for f in window) < self._start_needed:
            return []
        frames = list(self._ring)
        self._ring.clear()
        utterance = _Utterance(frames=[f.samples for f in frames], length=len(window),
                               audio_end=frame.end)
        utterance.mark_speech(frame.end)
        self._utterance = utterance
        return [SpeechStarted(at=window[-1].end - FRAME_S)]

    def _feed_utterance(self, utterance: _Utterance, samples: np.ndarray, is_speech: bool,
                        now: float) -> list[Decision]:
        utterance.add(samples, now)
        decisions: list[Decision] = []
        if not utterance.forced:
            decisions.extend(self._track_silence(utterance, is_speech, now))
        hangover = self._hangover_frames if utterance.hangover is None else utterance.hangover
        if utterance.silence >= hangover:
            decisions.append(self._finish(utterance, now, truncated=False))
        elif utterance.length >= self._max_frames:
            decisions.append(self._finish(utterance, now, truncated=True))
        return decisions

    def _track_silence(self, utterance: _Utterance, is_speech: bool,
                       now: float) -> list[Decision]:
        """Count silence; announce the tentative end, or withdraw it when speech is back."""
        if utterance.tentative:
            utterance.recent.append(is_speech)
            if sum(utterance.recent) >= self._settings.resume_frames:
                utterance.mark_speech(now)
                return [SpeechResumed(at=now)]
            utterance.silence += 1
            return []
        if is_speech:
            utterance.mark_speech(now)
            return []
        utterance.silence += 1
        if utterance.silence < self._tentative_frames:
            return []
        utterance.tentative = True
        return [TentativeEnd(at=now, samples=utterance.speech_samples(),
                             speech_end=utterance.speech_end)]

    def _finish(self, utterance: _Utterance, now: float, truncated: bool) -> UtteranceEnded:
        """End the utterance: VAD ends stop at the last speech frame; forced ones keep all."""
        self._utterance = None
        if utterance.forced:
            samples, end = np.concatenate(utterance.frames), utterance.audio_end
        else:
            samples, end = utterance.speech_samples(), utterance.speech_end
        return UtteranceEnded(at=now, samples=samples, speech_end=end, truncated=truncated)


def _check_frame(frame: object) -> None:
    expected = f"a 1-D float32 array of {FRAME_SAMPLES} samples (10 ms at 16 kHz)"
    if not isinstance(frame, np.ndarray):
        raise ValueError(f"frame must be {expected}, got {type(frame).__name__}")
    if frame.dtype != np.float32 or frame.shape != (FRAME_SAMPLES,):
        raise ValueError(f"frame must be {expected}, got {frame.dtype} array of shape "
                         f"{frame.shape}")
