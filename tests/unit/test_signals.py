"""SIGTERM/SIGINT: the first stops gracefully (or ends a start-up), a second exits at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading

import pytest

from voicebox.daemon.signals import ShutdownRequested, SignalHandlers


@pytest.fixture
def handlers():
    saved = {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGINT)}
    installed = SignalHandlers(threading.Event())
    installed.install()
    yield installed
    for signum, handler in saved.items():
        signal.signal(signum, handler)


def test_while_running_the_first_signal_only_requests_a_stop(handlers) -> None:
    handlers.running = True
    os.kill(os.getpid(), signal.SIGTERM)
    assert handlers.stop.wait(2)


def test_during_start_up_the_first_signal_ends_it_with_status_zero(handlers) -> None:
    with pytest.raises(ShutdownRequested) as raised:
        os.kill(os.getpid(), signal.SIGINT)
        threading.Event().wait(2)  # the handler runs in this thread and raises here
    assert raised.value.code == 0
    assert handlers.stop.is_set()


def test_a_second_signal_exits_at_once_even_when_the_stop_hangs() -> None:
    script = textwrap.dedent("""
        import os, signal, threading, time
        from voicebox.daemon.signals import SignalHandlers
        handlers = SignalHandlers(threading.Event())
        handlers.install()
        handlers.running = True
        os.kill(os.getpid(), signal.SIGTERM)   # graceful stop requested ...
        handlers.stop.wait(5)
        print("stopping", flush=True)
        os.kill(os.getpid(), signal.SIGTERM)   # ... but it hangs: the second one ends it
        time.sleep(30)
        print("not reached", flush=True)
    """)
    done = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True,
                          text=True, timeout=20)
    lines = done.stdout.splitlines()
    assert "stopping" in lines
    assert "not reached" not in lines
    assert "second-signal-exiting-now" in done.stdout
    assert done.returncode == 128 + signal.SIGTERM
