"""The daemon's per-turn record: one log line per question, metrics, the last error."""

from __future__ import annotations

import io
import json

import pytest
from prometheus_client import generate_latest

from voicebox.config import load_config
from voicebox.daemon.recorder import OPEN_TURNS, TurnRecorder
from voicebox.daemon.report import health_report
from voicebox.daemon.service import Daemon
from voicebox.events import (
    BARGE_IN,
    FirstAudio,
    FirstSentence,
    FirstToken,
    LlmDone,
    QuestionEnded,
    SttDone,
    TurnCancelled,
    TurnDone,
    TurnFailed,
    TurnStarted,
)
from voicebox.ops.metrics import Metrics


def turn_records(stream: io.StringIO) -> list[dict]:
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    return [line for line in lines if line["event"] == "turn"]


def sample(metrics: Metrics, name: str, **labels: str) -> float | None:
    return metrics.registry.get_sample_value(name, labels or None)


def answered(recorder: TurnRecorder, turn_id: int, t0: float = 100.0) -> None:
    """A whole turn with known times: speech ended at t0, first audio 0.8 s later."""
    recorder(TurnStarted(turn_id, at=t0 + 0.15))
    recorder(QuestionEnded(turn_id, at=t0))
    recorder(SttDone(turn_id, text="What is the capital of France?", language="en",
                     detected_language="en", language_probability=0.97, seconds=0.2,
                     at=t0 + 0.5))
    recorder(FirstToken(turn_id, at=t0 + 0.6))
    recorder(FirstSentence(turn_id, text="Paris.", at=t0 + 0.7))
    recorder(FirstAudio(turn_id, at=t0 + 0.8))
    recorder(LlmDone(turn_id, answer="Paris.", tokens=3, prompt_evaluated=40, at=t0 + 0.9))
    recorder(TurnDone(turn_id, answer="Paris.", spoken_sentences=1, at=t0 + 1.0))


def test_an_answered_turn_logs_one_record_with_every_stage_timing(log) -> None:
    metrics = Metrics()
    recorder = TurnRecorder(metrics)
    answered(recorder, 7)
    (record,) = turn_records(log)
    assert record["turn_id"] == 7
    assert record["outcome"] == "answered"
    assert record["language"] == "en"
    assert record["transcript_chars"] == len("What is the capital of France?")
    assert record["answer_tokens"] == 3
    assert record["stt_s"] == 0.2
    assert record["llm_first_token_s"] == pytest.approx(0.1, abs=1e-3)
    assert record["tts_first_audio_s"] == pytest.approx(0.1, abs=1e-3)
    assert record["voice_to_voice_s"] == pytest.approx(0.8, abs=1e-3)
    assert record["total_s"] == pytest.approx(1.0, abs=1e-3)
    assert recorder.turns == 1
    assert sample(metrics, "turns_total") == 1
    assert sample(metrics, "voice_to_voice_latency_seconds_count") == 1
    assert sample(metrics, "voice_to_voice_latency_seconds_sum") == pytest.approx(0.8)
    assert sample(metrics, "stt_latency_seconds_sum") == pytest.approx(0.2)
    assert sample(metrics, "llm_first_token_seconds_count") == 1
    assert sample(metrics, "tts_first_audio_seconds_count") == 1


def test_voice_to_voice_counts_from_the_submit_when_the_end_of_speech_is_unknown(log) -> None:
    recorder = TurnRecorder(Metrics())
    recorder(TurnStarted(1, at=10.0))
    recorder(SttDone(1, text="hi", language="en", detected_language="en",
                     language_probability=1.0, at=10.2))
    recorder(FirstAudio(1, at=10.9))
    recorder(TurnDone(1, answer="Hello.", spoken_sentences=1, at=11.0))
    record = turn_records(log)[0]
    assert record["voice_to_voice_s"] == pytest.approx(0.9)
    assert record["endpoint_s"] is None
    assert record["transcript_s"] == pytest.approx(0.2)


def test_the_parts_of_voice_to_voice_follow_each_other_from_the_end_of_speech(log) -> None:
    now = [0.0]
    recorder = TurnRecorder(Metrics(), clock=lambda: now[0])
    recorder(TurnStarted(2, at=100.15))  # the tentative end: transcription starts
    now[0] = 100.52  # the hang-over is over: the end is confirmed, QuestionEnded goes out
    recorder(QuestionEnded(2, at=100.0))
    now[0] = 105.0  # a late duplicate must not move the confirmation
    recorder(QuestionEnded(2, at=100.0))
    recorder(SttDone(2, text="hi", language="en", detected_language="en",
                     language_probability=1.0, seconds=0.3, at=100.53))
    recorder(FirstToken(2, at=100.63))
    recorder(FirstSentence(2, text="Hello there.", at=100.8))
    recorder(FirstAudio(2, at=101.0))
    recorder(TurnDone(2, answer="Hello there.", spoken_sentences=1, at=101.2))
    record = turn_records(log)[0]
    assert record["endpoint_s"] == pytest.approx(0.52)
    assert record["stt_s"] == pytest.approx(0.3)
    assert record["transcript_s"] == pytest.approx(0.53)
    assert record["first_sentence_s"] == pytest.approx(0.17)
    parts = ("transcript_s", "llm_first_token_s", "first_sentence_s", "tts_first_audio_s")
    assert sum(record[part] for part in parts) == pytest.approx(record["voice_to_voice_s"])


def test_a_withdrawn_tentative_turn_is_neither_counted_nor_logged_as_a_turn(log) -> None:
    metrics = Metrics()
    recorder = TurnRecorder(metrics)
    recorder(TurnStarted(3))
    recorder(TurnCancelled(3, reason="speech resumed"))
    assert turn_records(log) == []
    assert recorder.turns == 0
    assert sample(metrics, "turns_total") == 0


def unheard(recorder: TurnRecorder, turn_id: int) -> None:
    """A turn whose speech the STT made nothing of."""
    recorder(TurnStarted(turn_id))
    recorder(SttDone(turn_id, text="", language="en", detected_language="en",
                     language_probability=0.4))
    recorder(TurnDone(turn_id, answer="", spoken_sentences=0))


def test_noise_without_words_is_logged_but_not_counted_as_a_question(log) -> None:
    recorder = TurnRecorder(Metrics())
    unheard(recorder, 4)
    (record,) = turn_records(log)
    assert record["outcome"] == "no speech"
    assert recorder.turns == 0


def test_a_failed_stage_is_counted_by_stage_and_code_and_becomes_the_last_error(log) -> None:
    metrics = Metrics()
    recorder = TurnRecorder(metrics)
    recorder(TurnStarted(5))
    recorder(SttDone(5, text="tell me", language="en", detected_language="en",
                     language_probability=1.0))
    recorder(TurnFailed(5, stage="llm", code="llm", message="context full"))
    recorder(TurnDone(5, answer="Sorry.", spoken_sentences=1))
    (record,) = turn_records(log)
    assert record["outcome"] == "failed"
    assert (record["error_code"], record["error_stage"]) == ("llm", "llm")
    assert sample(metrics, "pipeline_errors_total", stage="llm", code="llm") == 1
    assert recorder.last_error is not None
    assert recorder.last_error.message == "context full"


def test_barge_ins_are_counted_even_after_the_turn_finished_generating(log) -> None:
    metrics = Metrics()
    recorder = TurnRecorder(metrics)
    answered(recorder, 6)
    recorder(TurnCancelled(6, reason=BARGE_IN))
    recorder(TurnCancelled(8, reason="new question"))
    assert sample(metrics, "barge_ins_total") == 1
    assert b"barge_ins_total 1.0" in generate_latest(metrics.registry)


def test_a_cancelled_answer_says_why(log) -> None:
    recorder = TurnRecorder(Metrics())
    recorder(TurnStarted(9))
    recorder(SttDone(9, text="tell me a story", language="en", detected_language="en",
                     language_probability=1.0))
    recorder(TurnCancelled(9, reason=BARGE_IN))
    assert turn_records(log)[0]["outcome"] == "cancelled: barge-in"


def test_turns_that_never_end_do_not_pile_up(log) -> None:
    recorder = TurnRecorder(Metrics())
    for turn_id in range(1, 100):
        recorder(TurnStarted(turn_id))
    assert len(recorder._open) == OPEN_TURNS
    assert recorder.current_turn == 99



def test_questions_heard_as_nothing_in_a_row_are_a_health_problem_until_one_is_heard(
        log) -> None:
    daemon = Daemon(load_config())
    recorder = daemon.recorder
    for turn_id in (1, 2):
        unheard(recorder, turn_id)
    assert recorder.no_speech_run == 2
    assert not [p for p in health_report(daemon)["problems"] if "no speech" in p]
    unheard(recorder, 3)
    assert "3 questions in a row heard as no speech: check the microphone, then the STT " \
           "model" in health_report(daemon)["problems"]
    answered(recorder, 4)
    assert recorder.no_speech_run == 0
