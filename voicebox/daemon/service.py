"""``voicebox run``: the appliance, from model loading to a clean stop.

The main thread loads and warms the models, starts the conversation, the watchdog, the health
socket and the button, tells systemd READY, then ticks: it keeps the ``systemctl status`` line
and the LED in step with what the box is doing, and pings systemd's watchdog only while every
thread shows recent progress. A signal ends the tick loop; the shutdown silences the speaker
and joins every thread within the time systemd allows.
"""

from __future__ import annotations

import threading
import time

from voicebox.conductor.conversation import Conversation
from voicebox.conductor.pipeline import Engines
from voicebox.config import Config
from voicebox.daemon.integrity import HashCheck
from voicebox.daemon.recorder import TurnRecorder
from voicebox.daemon.report import health_report
from voicebox.daemon.status import status_line
from voicebox.daemon.throttle import Throttle
from voicebox.engines import load_engines, warm_engines
from voicebox.gpio.button import Panel
from voicebox.models.store import ModelStore
from voicebox.ops.health import HealthServer
from voicebox.ops.liveness import Liveness, Vital
from voicebox.ops.logging import get_logger
from voicebox.ops.metrics import Metrics
from voicebox.ops.sdnotify import Notifier, watchdog_interval
from voicebox.skills.engine import Skills
from voicebox.watchdog.governor import Governor, Tier, Transition
from voicebox.watchdog.limits import limits_for
from voicebox.watchdog.monitor import WatchdogThread

TICK_S = 0.1
STOP_BUDGET_S = 4.0  # of the 5 s a stop may take: the rest is interpreter shutdown


class Daemon:
    """Everything ``voicebox run`` owns; ``start``, ``serve`` and ``shutdown`` in that order."""

    def __init__(self, config: Config, notifier: Notifier | None = None,
                 stop: threading.Event | None = None) -> None:
        self.config = config
        self.notifier = notifier or Notifier()
        self.stop_requested = stop or threading.Event()
        self.metrics = Metrics()
        self.recorder = TurnRecorder(self.metrics)
        self.started_at = time.monotonic()
        self._threads_stop = threading.Event()
        self.watchdog = WatchdogThread(config.watchdog, self.metrics, self._verdict,
                                       self._threads_stop)
        self.throttle: Throttle | None = None
        self.conversation: Conversation | None = None
        self.skills: Skills | None = None
        self.liveness = Liveness([], config.watchdog.stall_s)
        self.http: HealthServer | None = None
        self.panel: Panel | None = None
        self.hashcheck: HashCheck | None = None
        self.status = ""
        self.stalled: dict[str, str] = {}
        self._ping_every = watchdog_interval()
        self._last_ping = 0.0
        self._shown = ""
        self._log = get_logger("daemon")

    def start(self, engines: Engines | None = None) -> None:
        """Open the health socket, load and warm the models (unless warm ``engines`` are
        given), start every thread, then tell systemd we are ready.

        The socket comes first: a taken port fails in a second instead of after a minute of
        loading, and /health answers "failing: models not loaded yet" meanwhile.
        """
        self.http = HealthServer(self.config.http.host, self.config.http.port,
                                 lambda: health_report(self), self.metrics)
        self.http.start()
        store = ModelStore.from_config(self.config.models)
        if engines is None:
            self.notifier.status("loading models")
            engines = load_engines(self.config, store)
            self.notifier.status("warming up the models")
            warm_engines(engines, self.config)
        conversation = Conversation(engines, self.config, self.recorder)
        self.throttle = Throttle(self.config, store, conversation.pipeline, dict(engines.names),
                                 on_error=self.recorder.error,
                                 interrupt=conversation.interrupt, stopping=self._threads_stop)
        self.liveness = Liveness(
            [*conversation.vitals(), self.throttle.vital(),
             Vital("watchdog", self.watchdog, lambda: self.watchdog.last_progress)],
            self.config.watchdog.stall_s)
        self.panel = Panel(self.config.gpio, conversation.push_to_talk)
        self.conversation = conversation
        self.skills = conversation.pipeline.skills
        conversation.start()
        self.throttle.start()
        self.watchdog.start()
        self._log.info("ready", models=dict(engines.names), http_port=self.http.port,
                       button=self.config.gpio.button_pin or None,
                       startup_s=round(time.monotonic() - self.started_at, 1))
        self.status = self._status_line()
        self.notifier.ready(self.status)
        self.hashcheck = HashCheck(store, self._threads_stop)
        self.hashcheck.start()

    def serve(self) -> None:
        """Tick until a stop is requested."""
        while not self.stop_requested.wait(TICK_S):
            self.tick(time.monotonic())

    def tick(self, now: float) -> None:
        """Status line, LED, gauges and the watchdog ping."""
        conversation = self.conversation
        if conversation is None:
            return
        self.metrics.audio_queue_depth.set(conversation.playback.queue_depth)
        echo = conversation.listener.echo_status
        listening = conversation.snapshot.listening
        self.metrics.show_listening(listening.mode, listening.wake_word,
                                    vars(listening.counters))
        self.metrics.show_echo(echo.alignment.delay_ms, echo.alignment.drift_ppm, echo.erle_db,
                               echo.alignment.aligned)
        if self.skills is not None:
            timers = self.skills.status
            self.metrics.timers_running.set(len(timers.running))
            self.metrics.timers_ringing.set(timers.ringing)
        state = conversation.state.value
        if self.panel is not None and state != self._shown:
            self.panel.show(state)
            self._shown = state
        self._check_liveness(now)
        status = self._status_line()
        if status != self.status:
            self.status = status
            self.notifier.status(status)

    def _check_liveness(self, now: float) -> None:
        stalled = self.liveness.stalled(now)
        if stalled.keys() != self.stalled.keys() and stalled:
            problems = "; ".join(stalled.values())
            self._log.error("threads-stalled", problems=problems,
                            effect="no more watchdog pings: systemd restarts the service")
            self.recorder.error("stalled", "daemon", problems)
        self.stalled = stalled
        due = self._ping_every is not None and now - self._last_ping >= self._ping_every
        if due and not stalled:
            self.notifier.watchdog()
            self._last_ping = now

    def _status_line(self) -> str:
        if self.hashcheck is not None and self.hashcheck.status.corrupt:
            return self.hashcheck.status.corrupt[0]
        conversation = self.conversation
        if conversation is None:
            return "starting"
        if self.stalled:
            return f"stalled ({'; '.join(self.stalled.values())}); waiting for a restart"
        return status_line(conversation.state, self.recorder.current_turn,
                           conversation.audio_status, self.throttle_note())

    def throttle_note(self) -> str:
        """What the watchdog's tier does to the answers, or "" when not throttled."""
        tier = self.watchdog.tier
        effect = self.throttle.requested.effect if self.throttle is not None else ""
        if tier == Tier.NORMAL and not effect:
            return ""
        return f"throttled ({tier.label}): {effect or 'recovering'}"

    def _verdict(self, governor: Governor, transition: Transition | None) -> None:
        """After each watchdog sample (on its thread): request what changed."""
        throttle = self.throttle
        if throttle is None:
            return
        limits = limits_for(governor.tier, governor.memory_low, governor.swap_pressure,
                            self.config)
        if limits != throttle.requested:
            emergency = (transition is not None and transition.tier == Tier.CRITICAL
                         and transition.tier > transition.previous)
            throttle.request(limits, emergency)

    def shutdown(self, timeout: float = STOP_BUDGET_S) -> bool:
        """Silence the speaker, stop and join everything; False if a thread hung."""
        self.notifier.stopping()
        self._threads_stop.set()
        joined = True
        if self.conversation is not None:
            joined = self.conversation.stop(timeout * 0.75)
        if self.http is not None:
            self.http.stop(timeout * 0.1)
        if self.panel is not None:
            self.panel.close()
        for thread in (self.watchdog, self.throttle, self.hashcheck):
            if thread is not None and thread.is_alive():
                thread.join(timeout * 0.1)
        self._log.info("stopped", clean=joined, turns=self.recorder.turns,
                       uptime_s=round(time.monotonic() - self.started_at))
        return joined
