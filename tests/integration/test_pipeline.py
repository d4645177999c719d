"""The turn pipeline with the real dev models: streaming, cancelling, failures, history."""

from __future__ import annotations

import dataclasses
import queue
import time

import numpy as np
import pytest

from tests.conftest import espeak
from voicebox.conductor.pipeline import BUSY, Engines, Pipeline
from voicebox.conductor.stages import APOLOGIES, NOT_CAUGHT
from voicebox.conductor.timeline import Timeline
from voicebox.config import Config
from voicebox.events import (
    FirstAudio,
    FirstSentence,
    FirstToken,
    LlmDone,
    SttDone,
    TurnCancelled,
    TurnDone,
    TurnFailed,
    TurnStarted,
)
from voicebox.llm.prompt import build_messages
from voicebox.messages import AudioChunk, EndOfAnswer, Turn

STORYTELLER = "You are a storyteller. Tell long stories of many sentences."
WAIT_S = 90


def answer_audio(pipeline: Pipeline, turn: Turn) -> list[AudioChunk]:
    """The turn's audio chunks, up to its EndOfAnswer."""
    chunks = []
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        try:
            item = pipeline.audio_out.get(timeout=0.1)
        except queue.Empty:
            continue
        if item.turn is turn and isinstance(item, EndOfAnswer):
            return chunks
        if item.turn is turn:
            chunks.append(item)
    raise AssertionError("no end of answer")


@pytest.fixture
def storyteller(engines: Engines, config: Config, timeline: Timeline):
    long_answers = dataclasses.replace(config, llm=dataclasses.replace(
        config.llm, system_prompt=STORYTELLER, max_tokens=200, max_sentences=50,
        max_words=1000))
    running = Pipeline(engines, long_answers, timeline)
    running.start()
    yield running
    assert running.stop()


def kinds(timeline: Timeline, turn: Turn) -> list[type]:
    return [type(e) for e in timeline.events(turn.turn_id)]


def test_a_spoken_question_gets_a_spoken_answer(pipeline: Pipeline, timeline: Timeline,
                                                speak) -> None:
    turn = pipeline.submit(speak("What is the capital of France?"))
    chunks = answer_audio(pipeline, turn)
    assert chunks and all(c.sample_rate == 22050 for c in chunks)
    assert sum(len(c.samples) for c in chunks) > 22050 // 2
    done = timeline.wait_until_final(turn.turn_id, WAIT_S)
    assert isinstance(done, TurnDone) and done.spoken_sentences == len(chunks)
    order = [TurnStarted, SttDone, FirstToken, FirstSentence, FirstAudio, TurnDone]
    seen = kinds(timeline, turn)
    assert [k for k in seen if k in order] == order
    times = [timeline.first(turn.turn_id, k).at for k in order]
    assert times == sorted(times)
    assert timeline.first(turn.turn_id, SttDone).text == "What is the capital of France?"
    (exchange,) = pipeline.history.exchanges(time.monotonic())
    assert exchange.user == "What is the capital of France?" and not exchange.interrupted


def test_first_audio_comes_before_the_llm_has_finished(storyteller: Pipeline,
                                                       timeline: Timeline, speak) -> None:
    turn = storyteller.submit(speak("Tell me a story about a dragon."))
    chunks = answer_audio(storyteller, turn)
    assert len(chunks) >= 2
    first_audio = timeline.first(turn.turn_id, FirstAudio)
    llm_done = timeline.first(turn.turn_id, LlmDone)
    assert first_audio.at < llm_done.at, "the first sentence was not spoken while generating"


def test_silence_gives_no_answer(pipeline: Pipeline, timeline: Timeline) -> None:
    turn = pipeline.submit(np.zeros(32000, np.float32))
    assert answer_audio(pipeline, turn) == []
    assert timeline.first(turn.turn_id, SttDone).text == ""
    assert timeline.first(turn.turn_id, TurnDone).spoken_sentences == 0
    assert timeline.first(turn.turn_id, FirstToken) is None
    assert pipeline.history.exchanges(time.monotonic()) == ()


def test_a_voice_without_words_is_told_it_was_not_caught(pipeline: Pipeline,
                                                         timeline: Timeline) -> None:
    """A hum (voiced for webrtcvad, no words for whisper) gets a short spoken "Sorry, I didn't
    catch that" instead of silence, and nothing goes to the LLM or the history."""
    t = np.arange(32000) / 16000
    hum = (0.2 * np.sin(2 * np.pi * (140 + 20 * np.sin(2 * np.pi * 3 * t)) * t)
           + 0.1 * np.sin(2 * np.pi * 280 * t)).astype(np.float32)
    turn = pipeline.submit(hum)
    chunks = answer_audio(pipeline, turn)
    assert timeline.first(turn.turn_id, SttDone).text == ""
    assert [chunk.text for chunk in chunks] == [NOT_CAUGHT["en"]]
    assert timeline.first(turn.turn_id, FirstToken) is None
    assert pipeline.history.exchanges(time.monotonic()) == ()


def test_cancel_mid_answer_stops_within_a_token_and_a_sentence(
        storyteller: Pipeline, timeline: Timeline, speak) -> None:
    turn = storyteller.submit(speak("Tell me a story about a dragon."))
    assert timeline.wait_for(turn.turn_id, (FirstAudio,), WAIT_S)
    assert storyteller.cancel("barge-in") is turn
    late_audio = []
    llm_done = timeline.wait_for(turn.turn_id, (LlmDone,), WAIT_S)
    time.sleep(0.5)                                     # let anything still in flight arrive
    while not storyteller.audio_out.empty():
        late_audio.append(storyteller.audio_out.get_nowait())
    assert len([c for c in late_audio if isinstance(c, AudioChunk)]) <= 1
    assert isinstance(llm_done, LlmDone) and llm_done.tokens < 200
    assert isinstance(timeline.first(turn.turn_id, TurnCancelled), TurnCancelled)
    assert timeline.first(turn.turn_id, TurnDone) is None
    (exchange,) = storyteller.history.exchanges(time.monotonic())
    assert exchange.interrupted and exchange.assistant == llm_done.answer
    assert storyteller.cancel("again") is None          # nothing left to cancel


def test_the_next_turn_reuses_the_conversation(pipeline: Pipeline, timeline: Timeline,
                                               speak) -> None:
    first = pipeline.submit(speak("What is the capital of France?"))
    answer_audio(pipeline, first)
    second = pipeline.submit(speak("And what is the capital of Germany?"))
    answer_audio(pipeline, second)
    assert len(pipeline.history.exchanges(time.monotonic())) == 2
    done = timeline.first(second.turn_id, LlmDone)
    assert done.prompt_evaluated < 40, "the first exchange was evaluated again"


def test_a_question_in_a_language_without_a_voice_is_answered_in_the_fallback(
        pipeline: Pipeline, timeline: Timeline) -> None:
    turn = pipeline.submit(espeak("Kannst du mir bitte sagen, wie das Wetter morgen in "
                                  "München wird?", "de"))
    assert answer_audio(pipeline, turn), "no spoken answer"
    heard = timeline.first(turn.turn_id, SttDone)
    assert heard.detected_language == "de" and "München" in heard.text
    assert heard.language == "en"                       # the dev box's only voice
    assert timeline.first(turn.turn_id, TurnDone) is not None


def test_the_conversation_is_read_ahead_even_when_the_history_drops_its_oldest_half(
        engines: Engines, config: Config, timeline: Timeline, speak) -> None:
    """With room for two exchanges, the third drops the oldest: the rest is re-read while the
    answer plays, so the next question still only costs its own words."""
    short_memory = dataclasses.replace(config, llm=dataclasses.replace(config.llm,
                                                                        history_turns=2))
    running = Pipeline(engines, short_memory, timeline)
    running.start()
    try:
        questions = ["What is the capital of France?", "What is the capital of Spain?",
                     "What is the capital of Italy?", "What is the capital of Germany?"]
        turns = []
        for question in questions:
            turns.append(running.submit(speak(question)))
            answer_audio(running, turns[-1])
            time.sleep(0.5)                             # the answer plays meanwhile
        history = running.history.exchanges(time.monotonic())
        assert len(history) < len(questions), "the history never dropped anything"
        question_tokens = max(len(engines.chat._llama.tokenize(q.encode(), add_bos=False))
                              for q in questions)
        for turn in turns[1:]:
            done = timeline.first(turn.turn_id, LlmDone)
            assert done.prompt_evaluated <= question_tokens + 8, (turn, done.prompt_evaluated)
    finally:
        assert running.stop()


def test_a_failing_stt_apologises_and_the_next_turn_works(pipeline: Pipeline,
                                                          timeline: Timeline, speak) -> None:
    broken = pipeline.submit(np.full(16000, np.nan, np.float32))
    assert answer_audio(pipeline, broken), "the apology was not spoken"
    failed = timeline.first(broken.turn_id, TurnFailed)
    assert (failed.stage, failed.code) == ("stt", "stt") and "NaN" in failed.message
    assert timeline.first(broken.turn_id, TurnDone).answer == APOLOGIES["en"]
    fine = pipeline.submit(speak("What is the capital of France?"))
    assert answer_audio(pipeline, fine)
    assert timeline.first(fine.turn_id, TurnFailed) is None


def test_an_llm_error_keeps_the_history_consistent(pipeline: Pipeline, timeline: Timeline,
                                                   engines: Engines, config: Config,
                                                   speak) -> None:
    first = pipeline.submit(speak("What is the capital of France?"))
    answer_audio(pipeline, first)
    long_question = speak("Could you please explain to me in great detail why the sky is "
                          "blue during the day and red in the evening?")
    heard = engines.stt.transcribe(long_question).text
    needed = engines.chat.prompt_tokens(build_messages(config.llm.system_prompt, (), heard,
                                                       "en"))
    pipeline.llm.max_tokens = engines.chat.context_tokens - needed + 1   # leaves no room
    broken = pipeline.submit(long_question)
    assert answer_audio(pipeline, broken)
    failed = timeline.first(broken.turn_id, TurnFailed)
    assert (failed.stage, failed.code) == ("llm", "llm") and "too long" in failed.message
    assert [e.user for e in pipeline.history.exchanges(time.monotonic())] == [
        "What is the capital of France?"]
    pipeline.llm.max_tokens = config.llm.max_tokens
    again = pipeline.submit(speak("What is the capital of Spain?"))
    assert answer_audio(pipeline, again)
    assert len(pipeline.history.exchanges(time.monotonic())) == 2


def test_a_tentative_turn_is_transcribed_but_answered_only_when_confirmed(
        pipeline: Pipeline, timeline: Timeline, speak) -> None:
    turn = pipeline.submit(speak("What is the capital of France?"), confirmed=False)
    time.sleep(1.5)                                # far longer than transcription takes
    assert timeline.first(turn.turn_id, SttDone) is None
    assert timeline.first(turn.turn_id, FirstToken) is None
    pipeline.confirm(turn)
    assert answer_audio(pipeline, turn)
    assert timeline.first(turn.turn_id, SttDone).text == "What is the capital of France?"


def test_a_withdrawn_tentative_turn_leaves_no_trace(pipeline: Pipeline, timeline: Timeline,
                                                    speak) -> None:
    turn = pipeline.submit(speak("What is the capital of France?"), confirmed=False)
    assert pipeline.cancel("speech resumed") is turn
    nxt = pipeline.submit(speak("What is the capital of Spain?"))
    assert answer_audio(pipeline, nxt)
    assert timeline.first(turn.turn_id, SttDone) is None
    assert [e.user for e in pipeline.history.exchanges(time.monotonic())] == [
        "What is the capital of Spain?"]


def test_an_answer_cut_short_keeps_what_was_heard(pipeline: Pipeline, timeline: Timeline,
                                                  speak) -> None:
    turn = pipeline.submit(speak("What is the capital of France?"))
    answer_audio(pipeline, turn)                   # generated and synthesised, still playing
    assert pipeline.cancel("barge-in", heard="The capital", turn=turn) is turn
    (exchange,) = pipeline.history.exchanges(time.monotonic())
    assert (exchange.assistant, exchange.interrupted) == ("The capital", True)


def test_a_pipeline_too_busy_for_one_more_question_refuses_it_without_raising(
        engines: Engines, config: Config, timeline: Timeline, log) -> None:
    idle = Pipeline(engines, config, timeline)  # workers not started: nothing is taken
    waiting = [idle.submit(np.zeros(1600, np.float32)) for _ in range(2)]
    refused = idle.submit(np.zeros(1600, np.float32))
    assert refused.cancelled and not any(turn.cancelled for turn in waiting)
    cancelled = timeline.first(refused.turn_id, TurnCancelled)
    assert isinstance(cancelled, TurnCancelled) and cancelled.reason == BUSY
    assert '"turn-refused"' in log.getvalue()
