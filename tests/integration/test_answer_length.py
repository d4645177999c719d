"""The LLM's answer is cut at its spoken length, and the model stops generating there."""

from __future__ import annotations

import dataclasses
import time

from tests.integration.test_pipeline import STORYTELLER, WAIT_S, answer_audio
from voicebox.conductor.pipeline import Engines, Pipeline
from voicebox.conductor.timeline import Timeline
from voicebox.config import Config
from voicebox.events import AnswerCut, LlmDone, TurnDone
from voicebox.speech.markup import read_aloud


def test_a_rambling_answer_is_cut_at_three_sentences_and_the_model_stops(
        engines: Engines, config: Config, timeline: Timeline, speak) -> None:
    rambling = dataclasses.replace(config, llm=dataclasses.replace(
        config.llm, system_prompt=STORYTELLER, max_tokens=400, max_sentences=3, max_words=60))
    running = Pipeline(engines, rambling, timeline, skills=None)
    running.start()
    try:
        turn = running.submit(speak("Tell me a long story about a dragon."))
        chunks = answer_audio(running, turn)
        done = timeline.wait_until_final(turn.turn_id, WAIT_S)
        assert isinstance(done, TurnDone)
        cut = timeline.first(turn.turn_id, AnswerCut)
        assert isinstance(cut, AnswerCut), "the story was not cut"
        # The splitter may say a runaway sentence (over 220 characters: a small model looping
        # "a dragon, a dragon, ...") in two pieces; what is said is still exactly what was kept.
        assert len(chunks) == done.spoken_sentences >= cut.sentences
        assert cut.sentences <= 3
        assert cut.words <= 60 or cut.sentences == 1
        assert done.answer == read_aloud(cut.kept, "en")   # units spelt out for the voice
        llm = timeline.first(turn.turn_id, LlmDone)
        assert llm.tokens < 400, "the model went on after the answer was long enough"
        assert llm.answer.startswith(cut.kept.split()[0])
        (exchange,) = running.history.exchanges(time.monotonic())
        assert exchange.assistant == cut.kept and not exchange.interrupted
    finally:
        assert running.stop()
