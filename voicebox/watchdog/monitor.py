"""The watchdog thread: read the sensors every few seconds, let the governor decide, report.

Reading and deciding live apart (``sensors`` does I/O, ``governor`` is pure); this thread is
the only place they meet, publishes the readings as gauges, logs each tier change with the
reading that caused it, and hands every verdict to the daemon, which applies what changed
(a signal such as swap pressure can start without changing the tier).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from voicebox.config.schema import WatchdogConfig
from voicebox.ops.logging import get_logger
from voicebox.ops.metrics import Metrics
from voicebox.watchdog.governor import Governor, Tier, Transition
from voicebox.watchdog.sensors import Readings, SystemSensors

VerdictSink = Callable[[Governor, Transition | None], None]


class WatchdogThread(threading.Thread):
    """Samples, governs and reports until stopped."""

    def __init__(self, config: WatchdogConfig, metrics: Metrics, on_verdict: VerdictSink,
                 stopping: threading.Event) -> None:
        super().__init__(name="voicebox-watchdog", daemon=True)
        self._interval = config.interval_s
        self._sensors = SystemSensors(config.temperature_path)
        self.governor = Governor(config)
        self._metrics = metrics
        self._on_verdict = on_verdict
        self._stopping = stopping
        self.readings: Readings | None = None
        self.transition: Transition | None = None
        self.last_progress = time.monotonic()
        self._log = get_logger("watchdog")

    @property
    def tier(self) -> Tier:
        """The tier in force."""
        return self.governor.tier

    def run(self) -> None:
        """One sample per interval; a failing sample is logged and the next one tried."""
        if not self._sensors.has_temperature_sensor:
            self._log.warning("no-temperature-sensor", path=str(self._sensors.temperature_path),
                              effect="temperature is not governed on this machine")
        while not self._stopping.is_set():
            self.last_progress = time.monotonic()
            try:
                self.sample()
            except Exception:  # the guard of the box must outlive its own bugs
                self._log.exception("watchdog-sample-failed")
            self._stopping.wait(self._interval)

    def sample(self) -> Transition | None:
        """Read, decide, publish; returns the tier change, if any."""
        readings = self._sensors.read()
        self.readings = readings
        self._publish(readings)
        transition = self.governor.update(readings)
        if transition is not None:
            self.transition = transition
            self._log.warning("throttle-tier-changed", previous=transition.previous.label,
                              tier=transition.tier.label, cause=transition.cause,
                              reading=transition.reading)
            self._metrics.throttle_tier.set(int(transition.tier))
        self._on_verdict(self.governor, transition)
        return transition

    def _publish(self, readings: Readings) -> None:
        metrics = self._metrics
        # NaN, not the last value, when the sensor cannot be read: a stale number would lie.
        temperature = readings.temperature_c
        metrics.cpu_temperature.set(math.nan if temperature is None else temperature)
        metrics.memory_available.set(readings.memory_available_bytes)
        metrics.swap_used.set(readings.swap_used_bytes)
        metrics.cpu_percent.set(readings.cpu_percent)
