"""Applies the watchdog's limits to the running pipeline without stopping the service.

Loading a model takes seconds, so it happens here, on a thread of its own, while the box goes
on talking with the models it has; the stages take the new ones between turns and close the
ones they replace (see :class:`~voicebox.conductor.slot.EngineSlot`). For heat the smaller
model is loaded first and swapped in; for a memory shortage the larger one leaves memory
first, since both would not fit. The conversation history belongs to the pipeline, not to a
model, so it survives every switch. A model that fails to load is logged with its code and the
box keeps (or reloads) the one it had: throttling is a protection, and losing the voice would
be worse than running warm. The limits recorded are those in force, role by role.
"""

from __future__ import annotations

import ctypes
import dataclasses
import gc
import threading
import time
from collections.abc import Callable
from typing import Any

from voicebox.conductor.mailbox import Mailbox
from voicebox.conductor.pipeline import Pipeline
from voicebox.conductor.slot import EngineSlot
from voicebox.conductor.stages import LlmSettings
from voicebox.config import Config
from voicebox.engines import load_chat, load_stt
from voicebox.errors import VoiceboxError
from voicebox.models.store import ModelStore
from voicebox.ops.liveness import Vital
from voicebox.ops.logging import get_logger
from voicebox.watchdog.governor import Tier
from voicebox.watchdog.limits import Limits, limits_for

EMERGENCY = "emergency throttle"
KEEP_WHEN_PRUNING = 1  # exchanges kept when swap is short: the one the user may refer to
ErrorSink = Callable[[str, str, str], None]
SMALL = "small"
RELEASE_WAIT_S = 30.0
"""How long a stage may take to free its model: it does so between turns, after an answer."""
LOADERS: dict[str, Callable[[Config, ModelStore, str], tuple[Any, str]]] = {
    "stt": load_stt, "llm": load_chat}
LOAD_STALL_S = 180.0
"""How long one step may take before the thread counts as hung: loading a model from a slow SD
card under memory pressure takes tens of seconds while the box goes on talking, so only a
load that never ends is a hang."""


class Throttle(threading.Thread):
    """Takes the newest requested limits and applies them, one request at a time."""

    def __init__(self, config: Config, store: ModelStore, pipeline: Pipeline,
                 models: dict[str, str], *, on_error: ErrorSink,
                 interrupt: Callable[[str], None], stopping: threading.Event) -> None:
        super().__init__(name="voicebox-throttle", daemon=True)
        self._config = config
        self._store = store
        self._pipeline = pipeline
        self._slots: dict[str, EngineSlot[Any]] = {"stt": pipeline.stt.models,
                                                   "llm": pipeline.llm.models}
        self.models = models
        self._on_error = on_error
        self._interrupt = interrupt
        self._stopping = stopping
        self._requests: Mailbox[tuple[Limits, bool]] = Mailbox()
        self._wake = threading.Event()
        self.limits = limits_for(Tier.NORMAL, False, False, config)
        self.requested = self.limits
        self.last_progress = time.monotonic()
        """Stamped every loop and before each model load: a watched vital (see liveness.py)."""
        self._log = get_logger("throttle")

    def vital(self) -> Vital:
        """This thread for the service watchdog: if it dies, thermal protection stops."""
        return Vital("throttle", self, lambda: self.last_progress, stall_s=LOAD_STALL_S)

    def request(self, limits: Limits, emergency: bool = False) -> None:
        """Apply ``limits`` soon; ``emergency`` also cuts the current answer short."""
        self.requested = limits
        self._requests.put((limits, emergency))
        self._wake.set()

    def run(self) -> None:
        """Apply requests until stopped; a bug in one request must not end thermal protection
        (the next request is applied from the limits in force)."""
        while not self._stopping.is_set():
            self.last_progress = time.monotonic()
            if not self._wake.wait(0.2):
                continue
            self._wake.clear()
            request = self._requests.take()
            if request is None:
                continue
            try:
                self.apply(*request)
            except Exception:
                self._log.exception("throttle-apply-failed", requested=request[0].effect)

    def apply(self, limits: Limits, emergency: bool = False) -> None:
        """Answer length and threads asked for first (the LLM stage takes them within 50 ms
        when idle, else at its next turn), then the models."""
        started = time.monotonic()
        current, pipeline = self.limits, self._pipeline
        pipeline.llm.request(LlmSettings(limits.max_tokens, limits.llm_threads,
                                         limits.prompt_threads))
        if emergency:
            self._interrupt(EMERGENCY)
            self._log.warning("answer-cut-short", reason=EMERGENCY)
        limits = self._switch_models(limits, current)
        if limits.prune and not current.prune:
            self._prune()
        self.limits = limits
        self._log.info("throttle-applied", **dataclasses.asdict(limits), models=self.models,
                       seconds=round(time.monotonic() - started, 2))

    def _switch_models(self, limits: Limits, current: Limits) -> Limits:
        """Load the models ``limits`` ask for, whisper first; returns the limits in force
        afterwards: a role whose model failed to load keeps its tier (and whisper its threads)."""
        config = self._config_for(limits)
        stt = (current.stt_tier, current.stt_threads)
        if (limits.stt_tier, limits.stt_threads) != stt and self._swap(
                "stt", config, limits.stt_tier, current, limits.memory_low):
            stt = (limits.stt_tier, limits.stt_threads)
        llm_tier = current.model_tier
        if llm_tier != limits.model_tier and self._swap(
                "llm", config, limits.model_tier, current, limits.memory_low):
            llm_tier = limits.model_tier
        return dataclasses.replace(limits, stt_tier=stt[0], stt_threads=stt[1],
                                   model_tier=llm_tier)

    def _swap(self, role: str, config: Config, tier: str, current: Limits,
              memory_low: bool) -> bool:
        """Load ``role``'s model of ``tier`` and hand it to its stage; False if it failed.

        For a memory shortage the larger model leaves memory first (both would not fit, and
        the kernel would swap or kill the box); if the smaller one then fails to load, the
        one freed is loaded again with its previous settings, so the box keeps its voice.
        """
        previous = current.stt_tier if role == "stt" else current.model_tier
        free_first = memory_low and tier == SMALL and previous != SMALL
        if free_first:
            self._free(role)
        try:
            self._load(role, config, tier)
            return True
        except VoiceboxError as error:
            self._failed(role, error, "keeping the model in use" if not free_first
                         else f"loading the {previous} model again")
        if free_first:
            try:
                self._load(role, self._config_for(current), previous)
            except VoiceboxError as error:
                self._failed(role, error, f"no {role} model: turns end with an apology")
        return False

    def _free(self, role: str) -> None:
        """Have the stage close its model between turns, and wait (bounded) until it has."""
        self.last_progress = time.monotonic()
        freed = self._slots[role].release().wait(RELEASE_WAIT_S)
        self._log.info("model-freed-first", role=role, model=self.models[role], freed=freed)

    def _load(self, role: str, config: Config, tier: str) -> None:
        self.last_progress = time.monotonic()
        engine, name = LOADERS[role](config, self._store, tier)
        self._slots[role].offer(engine)
        self.models = {**self.models, role: name}  # a new dict: /health reads a whole one

    def _failed(self, role: str, error: VoiceboxError, effect: str) -> None:
        self._log.error("throttle-model-load-failed", role=role, code=error.code,
                        error=error.message, effect=effect)
        self._on_error(error.code, "throttle", error.message)

    def _config_for(self, limits: Limits) -> Config:
        """The configuration with the limits' threads, for loading models."""
        return dataclasses.replace(
            self._config,
            stt=dataclasses.replace(self._config.stt, threads=limits.stt_threads),
            llm=dataclasses.replace(self._config.llm, threads=limits.llm_threads,
                                    prompt_threads=limits.prompt_threads))

    def _prune(self) -> None:
        """Swap is filling: drop old history, collect garbage, return free heap to the OS."""
        dropped = self._pipeline.history.prune(KEEP_WHEN_PRUNING)
        collected = gc.collect()
        trimmed = _trim_heap()
        self._log.warning("memory-pruned", history_dropped=dropped, objects_collected=collected,
                          heap_trimmed=trimmed)


def _trim_heap() -> bool:
    """glibc's malloc_trim(0): freed heap pages go back to the OS instead of to swap."""
    try:
        return bool(ctypes.CDLL("libc.so.6").malloc_trim(0))
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to trim
        return False
