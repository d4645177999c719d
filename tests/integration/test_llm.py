"""The real SmolLM2 model through llama.cpp: streaming, cancelling, and KV cache reuse."""

from __future__ import annotations

import threading

from voicebox.conductor.pipeline import Engines
from voicebox.config import Config
from voicebox.llm.history import Exchange
from voicebox.llm.prompt import build_messages

STORY = "Tell me a long story about a dragon who learns to bake bread."


def test_stream_yields_the_answer_piece_by_piece(engines: Engines, config: Config) -> None:
    messages = build_messages(config.llm.system_prompt, (), "What is the capital of France?",
                              "en")
    pieces = list(engines.chat.stream(messages, threading.Event(), max_tokens=40))
    assert len(pieces) > 1
    assert "".join(pieces).strip()


def test_cancel_from_another_thread_stops_within_one_token(engines: Engines,
                                                          config: Config) -> None:
    messages = build_messages(config.llm.system_prompt, (), STORY, "en")
    cancel = threading.Event()
    received: list[str] = []
    count_at_cancel: list[int] = []
    third_piece = threading.Event()

    def consume() -> None:
        for piece in engines.chat.stream(messages, cancel, max_tokens=150):
            received.append(piece)
            if len(received) == 3:
                third_piece.set()

    consumer = threading.Thread(target=consume, name="test-consumer")
    consumer.start()
    assert third_piece.wait(30)
    cancel.set()
    count_at_cancel.append(len(received))
    consumer.join(10)
    assert not consumer.is_alive()
    assert len(received) - count_at_cancel[0] <= 1
    assert len(received) < 150


def test_the_conversation_so_far_is_reused_from_the_kv_cache(engines: Engines,
                                                            config: Config) -> None:
    chat = engines.chat
    prompt = config.llm.system_prompt
    history: tuple[Exchange, ...] = ()
    evaluated = []
    for question in ("What is the capital of France?", "And of Germany?", "Which is bigger?"):
        messages = build_messages(prompt, history, question, "en")
        before = chat.prompt_tokens_read
        pieces = list(chat.stream(messages, threading.Event(), max_tokens=40))
        evaluated.append((chat.prompt_tokens_read - before, chat.prompt_tokens(messages)))
        history = (*history, Exchange(question, "".join(pieces).strip(), "en"))
    last_evaluated, last_prompt = evaluated[-1]
    assert last_evaluated < last_prompt / 2, evaluated   # only the new question was evaluated
