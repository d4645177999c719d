"""The notify protocol against a real datagram socket, as systemd would bind it."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from voicebox.commands.run import failure_on_status
from voicebox.daemon.signals import ShutdownRequested
from voicebox.errors import ConfigError
from voicebox.ops.sdnotify import STATUS_CHARS, Notifier, watchdog_interval


@pytest.fixture
def systemd(tmp_path: Path) -> Iterator[tuple[socket.socket, str]]:
    path = str(tmp_path / "notify")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(2)
    yield sock, path
    sock.close()


def received(sock: socket.socket) -> dict[str, str]:
    return dict(line.split("=", 1) for line in sock.recv(4096).decode().splitlines())


def test_ready_status_watchdog_and_stopping(systemd) -> None:
    sock, path = systemd
    notifier = Notifier(path)
    assert notifier.enabled
    assert notifier.ready("listening")
    assert received(sock) == {"READY": "1", "STATUS": "listening"}
    assert notifier.status("\n  thinking:   turn 12\nREADY=1")
    assert received(sock) == {"STATUS": "thinking: turn 12"}, "one line: no field smuggled"
    assert notifier.status("failed: " + "x" * 1000)
    status = received(sock)["STATUS"]
    assert len(status) <= STATUS_CHARS and status.endswith("…")
    assert notifier.watchdog()
    assert received(sock) == {"WATCHDOG": "1"}
    assert notifier.stopping()
    assert received(sock) == {"STOPPING": "1", "STATUS": "stopping"}


def test_abstract_namespace_socket() -> None:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind("\0voicebox-test-notify")
    sock.settimeout(2)
    try:
        assert Notifier("@voicebox-test-notify").ready("up")
        assert received(sock)["READY"] == "1"
    finally:
        sock.close()


def test_without_systemd_every_call_is_a_no_op(monkeypatch) -> None:
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    notifier = Notifier()
    assert not notifier.enabled
    assert not notifier.ready("up") and not notifier.watchdog()


def test_a_vanished_socket_is_logged_not_raised(tmp_path: Path) -> None:
    assert not Notifier(str(tmp_path / "gone")).status("listening")


def test_the_socket_comes_from_the_environment(systemd, monkeypatch) -> None:
    sock, path = systemd
    monkeypatch.setenv("NOTIFY_SOCKET", path)
    assert Notifier().watchdog()
    assert received(sock) == {"WATCHDOG": "1"}


@pytest.mark.parametrize(("environ", "expected"), [
    ({"WATCHDOG_USEC": "30000000"}, 15.0),
    ({"WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "{pid}"}, 1.0),
    ({"WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "1"}, None),
    ({"WATCHDOG_USEC": "0"}, None),
    ({"WATCHDOG_USEC": "soon"}, None),
    ({}, None),
])
def test_watchdog_interval_is_half_of_systemds_and_only_for_this_process(
        environ, expected) -> None:
    environ = {key: value.format(pid=os.getpid()) for key, value in environ.items()}
    assert watchdog_interval(environ) == expected


@pytest.mark.parametrize(("error", "running", "status"), [
    (ValueError("tentative_s must be shorter"), False,
     "failed to start: ValueError: tentative_s must be shorter"),
    (ConfigError("/etc/v.toml", "vad.hangover_ms", 150, "160 ms or more"), False,
     "failed to start: /etc/v.toml: vad.hangover_ms = 150 is not valid: 160 ms or more"),
    (OSError("device vanished"), True, "failed: OSError: device vanished"),
])
def test_a_failure_goes_on_the_status_line_and_on_to_the_caller(
        systemd, error: Exception, running: bool, status: str) -> None:
    sock, path = systemd
    with pytest.raises(type(error)) as caught, failure_on_status(Notifier(path),
                                                                 lambda: running):
        raise error
    assert caught.value is error
    assert received(sock) == {"STATUS": status}


def test_a_signal_during_start_up_is_not_reported_as_a_failure(systemd) -> None:
    sock, path = systemd
    notifier = Notifier(path)
    with pytest.raises(ShutdownRequested), failure_on_status(notifier, lambda: False):
        raise ShutdownRequested
    notifier.status("next")
    assert received(sock) == {"STATUS": "next"}, "a status was sent for the signal"
