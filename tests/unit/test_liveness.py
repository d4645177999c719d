"""Thread liveness: the condition for pinging systemd's watchdog."""

from __future__ import annotations

import threading

from voicebox.ops.liveness import Liveness, Vital


class Stamped:
    """A progress stamp a test moves by hand."""

    def __init__(self, at: float) -> None:
        self.at = at


def running_thread(stop: threading.Event) -> threading.Thread:
    thread = threading.Thread(target=stop.wait, name="test-alive", daemon=True)
    thread.start()
    return thread


def test_threads_that_progress_are_alive_and_a_silent_one_is_stalled() -> None:
    stop = threading.Event()
    busy, stuck = Stamped(100.0), Stamped(100.0)
    liveness = Liveness([Vital("capture", running_thread(stop), lambda: busy.at),
                         Vital("llm", running_thread(stop), lambda: stuck.at)], stall_s=20)
    busy.at = 125.0
    assert liveness.stalled(110.0) == {}
    assert liveness.stalled(125.0) == {"llm": "llm thread stalled for 25 s"}
    assert liveness.progress_ages(125.0) == {"capture": 0.0, "llm": 25.0}
    stop.set()


def test_a_thread_that_died_is_reported_even_with_a_fresh_stamp() -> None:
    dead = threading.Thread(target=lambda: None, name="test-dead")
    dead.start()
    dead.join()
    liveness = Liveness([Vital("tts", dead, lambda: 10.0)], stall_s=20)
    assert liveness.stalled(10.0) == {"tts": "tts thread died"}


def test_a_thread_with_its_own_allowance_is_judged_by_it() -> None:
    stop = threading.Event()
    loading = Stamped(100.0)
    liveness = Liveness([Vital("throttle", running_thread(stop), lambda: loading.at,
                               stall_s=120)], stall_s=20)
    assert liveness.stalled(200.0) == {}, "a long model load is not a hang"
    assert liveness.stalled(221.0) == {"throttle": "throttle thread stalled for 121 s"}
    stop.set()
