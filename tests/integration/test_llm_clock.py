"""The LLM is told the local date and time, and that does not cost the cached system prompt:
the real SmolLM2 through the real LLM stage, with llama.cpp's own prompt-token counter."""

from __future__ import annotations

import datetime as dt
import queue
import threading

from voicebox.conductor.cpu import SynthesisFirst
from voicebox.conductor.pipeline import Engines
from voicebox.conductor.stages import LlmStage, Wiring
from voicebox.conductor.timeline import Timeline
from voicebox.config import Config
from voicebox.events import LlmDone
from voicebox.llm.history import History
from voicebox.llm.prompt import system_message
from voicebox.messages import Transcript, Turn


class Clock:
    """A wall clock the test moves by hand."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def llm_stage(engines: Engines, config: Config, timeline: Timeline, clock: Clock) -> LlmStage:
    wiring = Wiring(emit=timeline, stopping=threading.Event(), transcripts=queue.Queue(),
                    pieces=queue.Queue(), sentences=queue.Queue(), audio_out=queue.Queue(),
                    cpu=SynthesisFirst())
    return LlmStage(wiring, engines.chat, config.llm, History(5, 300.0), clock=clock)


def ask(stage: LlmStage, timeline: Timeline, question: str) -> LlmDone:
    turn = Turn()
    stage.handle(Transcript(turn, question, "en", "en", 1.0))
    done = timeline.first(turn.turn_id, LlmDone)
    assert isinstance(done, LlmDone)
    return done


def test_the_prompt_carries_the_local_date_and_time(engines: Engines, config: Config) -> None:
    clock = Clock(dt.datetime(2026, 12, 3, 13, 59))
    stage = llm_stage(engines, config, Timeline(), clock)
    messages = stage.prompt("How many days until Christmas?", "en")
    assert messages[-2] == {"role": "system",
                            "content": "(Local time: Thursday, 3 December 2026, 13:59.)"}
    assert messages[-1]["content"] == "How many days until Christmas?"
    clock.now = dt.datetime(2027, 1, 1, 0, 5)
    assert "Friday, 1 January 2027, 00:05" in stage.prompt("Hi", "en")[-2]["content"]


def test_a_new_minute_does_not_make_the_model_read_the_system_prompt_again(
        engines: Engines, config: Config) -> None:
    clock = Clock(dt.datetime(2026, 12, 3, 13, 58, 50))
    timeline = Timeline()
    stage = llm_stage(engines, config, timeline, clock)
    chat = engines.chat
    system_tokens = chat.prompt_tokens([system_message(config.llm.system_prompt, "en")])
    first = ask(stage, timeline, "What is the capital of France?")
    clock.now = dt.datetime(2026, 12, 3, 14, 1, 10)     # two minutes later: a new note
    question = "And what is the capital of Germany?"
    second = ask(stage, timeline, question)
    note_and_question = chat.prompt_tokens([
        stage.prompt(question, "en")[-2], stage.prompt(question, "en")[-1]])
    assert system_tokens > 20, system_tokens
    assert first.prompt_evaluated > 0
    # only the new note and the question were read: the system prompt and the first
    # exchange (read ahead after the first answer) came from the KV cache
    assert second.prompt_evaluated <= note_and_question, (second.prompt_evaluated,
                                                          note_and_question)
