"""The throttle applying limits to a real pipeline: a model that cannot load, swap pressure,
the order of a switch for memory, the models it replaces."""

from __future__ import annotations

import dataclasses
import io
import json
import threading
import time
from pathlib import Path

import pytest

from benchmarks.voicebench.box import poll
from voicebox.conductor.pipeline import Engines, Pipeline
from voicebox.config import Config
from voicebox.daemon.throttle import Throttle
from voicebox.engines import load_chat, load_stt
from voicebox.llm.chat import ChatModel
from voicebox.llm.history import Exchange
from voicebox.models.store import ModelStore
from voicebox.ops.liveness import Liveness
from voicebox.speech.stt import SpeechToText
from voicebox.watchdog.governor import Tier
from voicebox.watchdog.limits import limits_for


def records(stream: io.StringIO, event: str) -> list[dict]:
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    return [line for line in lines if line["event"] == event]


def store_without(config: Config, tmp_path: Path, missing: str) -> tuple[Config, ModelStore]:
    """The real store, less one model: what a box looks like after a bad copy."""
    for model in config.models.store.iterdir():
        if model.name != missing:
            (tmp_path / model.name).symlink_to(model)
    changed = dataclasses.replace(config, models=dataclasses.replace(
        config.models, store=tmp_path, load_attempts=1))
    return changed, ModelStore.from_config(changed.models)


def test_a_small_model_that_cannot_load_keeps_the_models_in_use(
        engines: Engines, config: Config, tmp_path: Path, log) -> None:
    broken, store = store_without(config, tmp_path, "whisper-tiny-en-dev")
    pipeline = Pipeline(engines, broken, lambda _event: None)
    errors: list[tuple[str, str, str]] = []
    throttle = Throttle(broken, store, pipeline, dict(engines.names),
                        on_error=lambda *error: errors.append(error),
                        interrupt=lambda _reason: None, stopping=threading.Event())
    throttle.apply(limits_for(Tier.CRITICAL, False, False, broken))
    assert throttle.models["stt"] == "whisper-base"
    assert throttle.limits.stt_tier == "standard"
    assert throttle.limits.model_tier == "small", "the LLM did switch (the dev profile's one)"
    assert throttle.limits.max_tokens < config.llm.max_tokens, "the rest still applies"
    assert errors and errors[0][:2] == ("model-file", "throttle")
    (failure,) = records(log, "throttle-model-load-failed")
    assert "whisper-tiny-en-dev" in failure["error"]


def test_swap_pressure_prunes_the_history_to_the_last_exchange(
        engines: Engines, config: Config, log) -> None:
    pipeline = Pipeline(engines, config, lambda _event: None)
    for number in range(4):
        pipeline.history.add(Exchange(f"question {number}", f"answer {number}", "en",
                                      turn_id=number), time.monotonic())
    throttle = Throttle(config, ModelStore.from_config(config.models), pipeline,
                        dict(engines.names), on_error=lambda *_: None,
                        interrupt=lambda _reason: None, stopping=threading.Event())
    throttle.apply(limits_for(Tier.HOT, False, True, config))
    users = [e.user for e in pipeline.history.exchanges(time.monotonic())]
    assert users == ["question 3"]
    (pruned,) = records(log, "memory-pruned")
    assert pruned["history_dropped"] == 3
    throttle.apply(limits_for(Tier.HOT, False, True, config))
    assert len(records(log, "memory-pruned")) == 1, "pruned again while still pruned"


def test_a_failing_request_leaves_the_throttle_running_and_watched(
        engines: Engines, config: Config, log) -> None:
    def interrupt(_reason: str) -> None:
        raise RuntimeError("the conductor is gone")

    stopping = threading.Event()
    pipeline = Pipeline(engines, config, lambda _event: None)
    throttle = Throttle(config, ModelStore.from_config(config.models), pipeline,
                        dict(engines.names), on_error=lambda *_: None, interrupt=interrupt,
                        stopping=stopping)
    liveness = Liveness([throttle.vital()], config.watchdog.stall_s)
    throttle.start()
    shorter = dataclasses.replace(throttle.limits, max_tokens=40)
    throttle.request(shorter, emergency=True)
    assert poll(lambda: bool(records(log, "throttle-apply-failed")), 10)
    assert throttle.is_alive() and liveness.stalled(time.monotonic()) == {}
    shortest = dataclasses.replace(throttle.limits, max_tokens=30)
    throttle.request(shortest)
    assert poll(lambda: throttle.limits == shortest, 10), "the next request is applied"
    stopping.set()
    throttle.join(2.0)
    assert liveness.stalled(time.monotonic()) == {"throttle": "throttle thread died"}


def stt_loaded(stt: SpeechToText) -> bool:
    return stt._model.model.model_is_loaded


def llm_loaded(chat: ChatModel) -> bool:
    return chat._llama._model.model is not None  # llama-cpp-python frees it on close()


class WatchingStore(ModelStore):
    """The real store, noting whether the models in use were still loaded when each new model
    was looked up (just before it loads)."""

    in_use: Engines

    def model(self, role: str, tier: str = "standard", language: str = ""):
        if role in ("stt", "llm"):
            self.seen.append((role, tier, stt_loaded(self.in_use.stt),
                              llm_loaded(self.in_use.chat)))
        return super().model(role, tier, language)


@pytest.fixture
def fresh(engines: Engines, config: Config, store: ModelStore) -> Engines:
    """Standard models of this test's own: the session's must not be closed."""
    stt, stt_name = load_stt(config, store, "standard")
    chat, llm_name = load_chat(config, store, "standard")
    return Engines(stt, chat, engines.tts, {"stt": stt_name, "llm": llm_name,
                                            "tts": engines.names["tts"]})


def watched_throttle(fresh: Engines, config: Config) -> tuple[Throttle, WatchingStore]:
    store = WatchingStore.from_config(config.models)
    store.in_use, store.seen = fresh, []
    pipeline = Pipeline(fresh, config, lambda _event: None)
    throttle = Throttle(config, store, pipeline, dict(fresh.names), on_error=lambda *_: None,
                        interrupt=lambda _reason: None, stopping=threading.Event())
    return throttle, store


def test_a_memory_shortage_frees_the_larger_models_before_loading_the_smaller(
        fresh: Engines, config: Config, log) -> None:
    throttle, store = watched_throttle(fresh, config)
    pipeline = throttle._pipeline
    pipeline.start()
    try:
        throttle.apply(limits_for(Tier.NORMAL, True, False, config))
        assert store.seen == [("stt", "small", False, True), ("llm", "small", False, False)]
        assert [r["role"] for r in records(log, "model-freed-first") if r["freed"]] == [
            "stt", "llm"]
        assert poll(lambda: pipeline.stt.stt is not None and pipeline.llm.models.engine
                    is not None, 10), "the stages took the small models"
        assert not pipeline.stt.stt.multilingual
        assert (throttle.limits.stt_tier, throttle.limits.model_tier) == ("small", "small")
    finally:
        assert pipeline.stop()


def test_heat_loads_the_smaller_model_first_and_the_replaced_one_is_closed(
        fresh: Engines, config: Config) -> None:
    throttle, store = watched_throttle(fresh, config)
    pipeline = throttle._pipeline
    pipeline.start()
    try:
        throttle.apply(limits_for(Tier.CRITICAL, False, False, config))
        assert store.seen[0] == ("stt", "small", True, True), "load, then swap"
        assert poll(lambda: not stt_loaded(fresh.stt) and not llm_loaded(fresh.chat), 10)
        assert stt_loaded(pipeline.stt.stt)
    finally:
        assert pipeline.stop()


def test_when_the_llm_fails_after_whisper_switched_the_limits_say_what_is_loaded(
        engines: Engines, config: Config, tmp_path: Path) -> None:
    broken, store = store_without(config, tmp_path, "smollm2-135m-dev")
    pipeline = Pipeline(engines, broken, lambda _event: None)
    throttle = Throttle(broken, store, pipeline, dict(engines.names), on_error=lambda *_: None,
                        interrupt=lambda _reason: None, stopping=threading.Event())
    wanted = limits_for(Tier.CRITICAL, False, False, broken)
    throttle.apply(wanted)
    assert throttle.limits.stt_tier == "small" and throttle.limits.model_tier == "standard"
    assert throttle.limits.stt_threads == wanted.stt_threads
    assert throttle.models["stt"] == "whisper-tiny-en-dev"


def test_a_smaller_model_that_fails_after_the_larger_was_freed_brings_the_larger_back(
        fresh: Engines, config: Config, tmp_path: Path, log) -> None:
    broken, store = store_without(config, tmp_path, "whisper-tiny-en-dev")
    pipeline = Pipeline(fresh, broken, lambda _event: None)
    throttle = Throttle(broken, store, pipeline, dict(fresh.names), on_error=lambda *_: None,
                        interrupt=lambda _reason: None, stopping=threading.Event())
    pipeline.start()
    try:
        throttle.apply(limits_for(Tier.NORMAL, True, False, broken))
        assert throttle.limits.stt_tier == "standard" and throttle.models["stt"] == "whisper-base"
        assert not stt_loaded(fresh.stt), "it was freed first"
        assert poll(lambda: pipeline.stt.stt is not None, 10)
        assert pipeline.stt.stt.multilingual, "whisper base is back"
        (failed, *_) = records(log, "throttle-model-load-failed")
        assert failed["effect"] == "loading the standard model again"
    finally:
        assert pipeline.stop()


def test_answer_length_and_threads_are_applied_by_the_llm_stage_itself(
        engines: Engines, config: Config) -> None:
    pipeline = Pipeline(engines, config, lambda _event: None)
    throttle = Throttle(config, ModelStore.from_config(config.models), pipeline,
                        dict(engines.names), on_error=lambda *_: None,
                        interrupt=lambda _reason: None, stopping=threading.Event())
    before = (pipeline.llm.max_tokens, engines.chat.threads)
    hot = dataclasses.replace(limits_for(Tier.HOT, False, False, config),
                              stt_threads=throttle.limits.stt_threads)  # no model reload
    throttle.apply(hot)
    assert (pipeline.llm.max_tokens, engines.chat.threads) == before, "not from this thread"
    pipeline.start()
    try:
        assert poll(lambda: pipeline.llm.max_tokens == hot.max_tokens, 5)
        assert engines.chat.threads == (hot.llm_threads, hot.prompt_threads)
    finally:
        assert pipeline.stop()
        engines.chat.set_threads(*before[1])
