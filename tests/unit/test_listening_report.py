"""The listening gate on /metrics: counters follow the conductor's totals, by their growth."""

from __future__ import annotations

from prometheus_client import generate_latest

from voicebox.audio.wake import WakeDetected
from voicebox.conductor.listening import ListeningGate
from voicebox.conductor.policy import ConversationPolicy, Tick
from voicebox.ops.metrics import Metrics


def test_wake_counters_on_metrics_grow_by_what_happened_since_the_last_tick() -> None:
    rules = ConversationPolicy(gate=ListeningGate("wake", open_s=5.0, follow_up_s=6.0))
    metrics = Metrics()
    rules.step(WakeDetected("hey_jarvis", 1.0, 0.99), 1.0)   # opens listening until 6.0
    status = rules.gate.status("hey_jarvis", None)
    assert status.open and status.counters.detections == 1
    metrics.show_listening(status.mode, status.wake_word, vars(status.counters))
    rules.step(Tick(), 6.1)                                  # nothing asked: a false wake
    status = rules.gate.status("hey_jarvis", None)
    assert not status.open
    metrics.show_listening(status.mode, status.wake_word, vars(status.counters))
    metrics.show_listening(status.mode, status.wake_word, vars(status.counters))  # no change
    text = generate_latest(metrics.registry).decode()
    assert 'listen_mode{mode="wake",wake_word="hey_jarvis"} 1.0' in text
    assert "wake_detections_total 1.0" in text
    assert "false_wakes_total 1.0" in text
    assert "follow_ups_total 0.0" in text and "wake_questions_total 0.0" in text
