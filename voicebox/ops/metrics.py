"""The Prometheus metrics the daemon exports on /metrics (prometheus_client, own registry).

An own registry rather than the global one: tests and a second daemon in the same process
(never in production) do not collide, and nothing a library registers leaks into the output.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

LATENCY_BUCKETS = (0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0)


class Metrics:
    """Every metric the box reports, in one registry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.memory_available = Gauge("system_memory_available_bytes",
                                      "RAM available without swapping", registry=r)
        self.cpu_temperature = Gauge("system_cpu_temperature_celsius", "CPU temperature",
                                     registry=r)
        self.cpu_percent = Gauge("system_cpu_percent", "CPU use over the last interval",
                                 registry=r)
        self.swap_used = Gauge("system_swap_usage_bytes", "Swap in use", registry=r)
        self.stt_latency = self._histogram("stt_latency_seconds", "End of speech to transcript")
        self.llm_first_token = self._histogram("llm_first_token_seconds",
                                               "Transcript to the first token")
        self.tts_first_audio = self._histogram("tts_first_audio_seconds",
                                               "First sentence to its audio")
        self.voice_to_voice = self._histogram("voice_to_voice_latency_seconds",
                                              "End of speech to the first answer audio")
        self.turns = Counter("turns_total", "Questions answered", registry=r)
        self.barge_ins = Counter("barge_ins_total", "Answers interrupted by the user",
                                 registry=r)
        self.errors = Counter("pipeline_errors_total", "Failed pipeline stages",
                              ["stage", "code"], registry=r)
        self.skill_answers = Counter("skill_answers_total",
                                     "Questions answered by a local skill, not the LLM",
                                     ["skill"], registry=r)
        self.announcements = Counter("announcements_total",
                                     "Timers and alarms announced", registry=r)
        self.timers_running = Gauge("timers_running", "Timers and alarms set and not ended",
                                    registry=r)
        self.timers_ringing = Gauge("timers_ringing", "Timers and alarms ringing, not stopped",
                                    registry=r)
        self.audio_queue_depth = Gauge("audio_queue_depth", "Audio chunks waiting to play",
                                       registry=r)
        self.echo_delay = Gauge("echo_delay_seconds",
                                "Measured delay of the echo behind what the speaker played",
                                registry=r)
        self.echo_drift = Gauge("echo_drift_ppm", "Drift of the echo delay (two clocks)",
                                registry=r)
        self.echo_erle = Gauge("echo_return_loss_enhancement_db",
                               "How much the echo canceller takes off the echo (live median)",
                               registry=r)
        self.echo_aligned = Gauge("echo_aligned", "1 while the far end is aligned to its echo",
                                  registry=r)
        self.listen_mode = Gauge("listen_mode", "1 for the listening mode and wake word in use",
                                 ["mode", "wake_word"], registry=r)
        self.wake = {
            "detections": Counter("wake_detections_total", "Wake words detected", registry=r),
            "wake_questions": Counter("wake_questions_total",
                                      "Questions a wake word opened", registry=r),
            "false_wakes": Counter("false_wakes_total",
                                   "Wake words with no question following", registry=r),
            "follow_ups": Counter("follow_ups_total",
                                  "Questions asked without the wake word after an answer",
                                  registry=r),
        }
        self._wake_seen: dict[str, int] = {}
        self.throttle_tier = Gauge("throttle_tier",
                                   "Watchdog tier: 0 normal, 1 warm, 2 hot, 3 critical",
                                   registry=r)

    def show_echo(self, delay_ms: float | None, drift_ppm: float | None,
                  erle_db: float | None, aligned: bool) -> None:
        """The echo path's gauges; NaN where nothing is known yet."""
        nan = float("nan")
        self.echo_delay.set(delay_ms / 1000 if delay_ms is not None else nan)
        self.echo_drift.set(drift_ppm if drift_ppm is not None else nan)
        self.echo_erle.set(erle_db if erle_db is not None else nan)
        self.echo_aligned.set(1 if aligned else 0)

    def show_listening(self, mode: str, wake_word: str | None, counts: dict[str, int]) -> None:
        """The mode, and the wake counters brought up to ``counts`` (the conductor keeps the
        totals; a Prometheus counter only goes up, by what happened since the last call)."""
        self.listen_mode.labels(mode=mode, wake_word=wake_word or "").set(1)
        for name, counter in self.wake.items():
            new = counts[name] - self._wake_seen.get(name, 0)
            if new > 0:
                counter.inc(new)
            self._wake_seen[name] = counts[name]

    def _histogram(self, name: str, documentation: str) -> Histogram:
        return Histogram(name, documentation, buckets=LATENCY_BUCKETS, registry=self.registry)
