"""The throttle applying limits to a real pipeline: a model that cannot load, swap pressure."""

from __future__ import annotations

import dataclasses
import io
import json
import threading
import time
from pathlib import Path

from benchmarks.voicebench.box import poll
from voicebox.conductor.pipeline import Engines, Pipeline
from voicebox.config import Config
from voicebox.daemon.throttle import Throttle
from voicebox.llm.history import Exchange
from voicebox.models.store import ModelStore
from voicebox.ops.liveness import Liveness
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
    assert throttle.limits.model_tier == "standard"
    assert throttle.limits.max_tokens < config.llm.max_tokens, "the rest still applies"
    assert pipeline.stt.next_model.take() is None
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
