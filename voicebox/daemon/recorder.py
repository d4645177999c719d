"""The daemon's event sink: one structured log record per turn, metrics, and the last error.

Stages report a turn piece by piece from several threads; the recorder gathers the pieces by
turn id and, when the turn ends, writes the one record an admin reads in journald (turn id,
language, transcript length, each stage's timing, the outcome) and feeds the histograms. A
tentative turn withdrawn because the user went on talking was never a question: it is not
counted and not logged above debug.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from voicebox.events import (
    BARGE_IN,
    Announced,
    AnswerCut,
    FirstAudio,
    FirstSentence,
    FirstToken,
    LlmDone,
    QuestionEnded,
    SkillAnswered,
    SttDone,
    TurnCancelled,
    TurnDone,
    TurnEvent,
    TurnFailed,
    TurnStarted,
)
from voicebox.ops.logging import get_logger
from voicebox.ops.metrics import Metrics

OPEN_TURNS = 16  # turns still collecting events; older ones are abandoned (never finished)


@dataclass
class TurnRecord:
    """What one turn reported so far, keyed by event type."""

    turn_id: int
    events: dict[type, TurnEvent] = field(default_factory=dict)
    failures: list[TurnFailed] = field(default_factory=list)
    end_known_at: float | None = None
    """When the end of the question was confirmed: QuestionEnded is emitted then, but its
    ``at`` is the earlier end of speech, so the time it arrived is kept here."""

    @property
    def endpoint_s(self) -> float | None:
        """Seconds from the end of speech until the end was confirmed (the hang-over)."""
        ended = self.events.get(QuestionEnded)
        if ended is None or self.end_known_at is None:
            return None
        return round(self.end_known_at - ended.at, 3)

    def span(self, start: type, end: type) -> float | None:
        """Seconds between two of the turn's events, if both happened."""
        first, last = self.events.get(start), self.events.get(end)
        return round(last.at - first.at, 3) if first and last else None

    @property
    def answer_start(self) -> type:
        """Where the answer's first text came from: the LLM's first token or a skill."""
        return SkillAnswered if SkillAnswered in self.events else FirstToken

    @property
    def speech_end(self) -> type:
        """Voice-to-voice counts from the end of speech when known, else from the submit."""
        return QuestionEnded if QuestionEnded in self.events else TurnStarted


@dataclass(frozen=True)
class LastError:
    """The most recent failure, for /health."""

    code: str
    stage: str
    message: str
    wall_time: float


class TurnRecorder:
    """Callable event sink; thread-safe."""

    def __init__(self, metrics: Metrics, clock: Callable[[], float] = time.monotonic) -> None:
        self._metrics = metrics
        self._clock = clock
        self._open: dict[int, TurnRecord] = {}
        self._lock = threading.Lock()
        self.turns = 0
        self.current_turn = 0
        self.last_error: LastError | None = None
        self.no_speech_run = 0
        """Questions in a row that ended "no speech". Every live question is speech the VAD
        found, so a run of them means the box cannot hear: a damaged STT model, a dead mic."""
        self._log = get_logger("turn")

    def __call__(self, event: TurnEvent) -> None:
        """Take one event; a final one closes its turn."""
        with self._lock:
            record = self._record(event.turn_id)
            record.events.setdefault(type(event), event)
            if isinstance(event, QuestionEnded) and record.end_known_at is None:
                record.end_known_at = self._clock()
            if isinstance(event, TurnStarted):
                self.current_turn = event.turn_id
            if isinstance(event, TurnFailed):
                record.failures.append(event)
                self._failed(event)
            if isinstance(event, TurnCancelled) and event.reason == BARGE_IN:  # even if closed
                self._metrics.barge_ins.inc()
            if not isinstance(event, TurnDone | TurnCancelled):
                return
            del self._open[event.turn_id]
        self._close(record)

    def error(self, code: str, stage: str, message: str) -> None:
        """A failure outside a turn (an audio device, a model switch) for /health."""
        self.last_error = LastError(code, stage, message, time.time())

    def _record(self, turn_id: int) -> TurnRecord:
        if turn_id not in self._open:
            while len(self._open) >= OPEN_TURNS:
                del self._open[min(self._open)]
            self._open[turn_id] = TurnRecord(turn_id)
        return self._open[turn_id]

    def _failed(self, event: TurnFailed) -> None:
        self._metrics.errors.labels(stage=event.stage, code=event.code).inc()
        self.error(event.code, event.stage, event.message)

    def _close(self, record: TurnRecord) -> None:
        announced = record.events.get(Announced)
        if isinstance(announced, Announced):
            self._metrics.announcements.inc()
            self._log.info("announcement", turn_id=record.turn_id,
                           outcome="said" if TurnDone in record.events else "interrupted")
            return
        stt = record.events.get(SttDone)
        if not isinstance(stt, SttDone):
            self._log.debug("turn-withdrawn", turn_id=record.turn_id)
            return
        if stt.text:
            self.turns += 1
            self._metrics.turns.inc()
        skill = record.events.get(SkillAnswered)
        if isinstance(skill, SkillAnswered):
            self._metrics.skill_answers.labels(skill=skill.skill).inc()
        timings = self._observe(record, stt)
        outcome = _outcome(record, stt)
        self.no_speech_run = self.no_speech_run + 1 if outcome["outcome"] == "no speech" else 0
        self._log.info("turn", turn_id=record.turn_id, **outcome, **timings)
        # What was said stays out of the default logs; debug level shows it when needed.
        done = record.events.get(TurnDone)
        self._log.debug("turn-text", turn_id=record.turn_id, transcript=stt.text,
                        answer=done.answer if isinstance(done, TurnDone) else "")

    def _observe(self, record: TurnRecord, stt: SttDone) -> dict[str, Any]:
        """Each stage's timing in seconds, also fed to the histograms."""
        timings = {
            "endpoint_s": record.endpoint_s,
            "stt_s": round(stt.seconds, 3),
            "transcript_s": record.span(record.speech_end, SttDone),
            "llm_first_token_s": record.span(SttDone, FirstToken),
            "skill_s": record.span(SttDone, SkillAnswered),
            "first_sentence_s": record.span(record.answer_start, FirstSentence),
            "tts_first_audio_s": record.span(FirstSentence, FirstAudio),
            "voice_to_voice_s": record.span(record.speech_end, FirstAudio),
            "total_s": record.span(record.speech_end, TurnDone),
        }
        histograms = {"stt_s": self._metrics.stt_latency,
                      "llm_first_token_s": self._metrics.llm_first_token,
                      "tts_first_audio_s": self._metrics.tts_first_audio,
                      "voice_to_voice_s": self._metrics.voice_to_voice}
        for name, histogram in histograms.items():
            if timings[name] is not None:
                histogram.observe(timings[name])
        return timings


def _outcome(record: TurnRecord, stt: SttDone) -> dict[str, Any]:
    """How the turn ended, in words, with what the admin needs to follow it up."""
    llm = record.events.get(LlmDone)
    skill = record.events.get(SkillAnswered)
    cancelled = record.events.get(TurnCancelled)
    if record.failures:
        outcome = "failed"
    elif isinstance(cancelled, TurnCancelled):
        outcome = f"cancelled: {cancelled.reason}"
    else:
        outcome = "answered" if stt.text else "no speech"
    fields: dict[str, Any] = {
        "outcome": outcome, "language": stt.language,
        "detected_language": stt.detected_language,
        "language_probability": round(stt.language_probability, 2),
        "transcript_chars": len(stt.text),
        "answer_tokens": llm.tokens if isinstance(llm, LlmDone) else 0,
        "answered_by": (f"skill:{skill.skill}" if isinstance(skill, SkillAnswered)
                        else "llm" if llm is not None else ""),
        "length_limited": AnswerCut in record.events,
    }
    if record.failures:
        fields["error_code"] = record.failures[0].code
        fields["error_stage"] = record.failures[0].stage
    return fields
