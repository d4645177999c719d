"""``voicebox run`` as systemd would run it: a subprocess with a notify socket of our own.

The harness binds the datagram socket systemd would bind, passes it as ``$NOTIFY_SOCKET`` with
``$WATCHDOG_USEC``, and keeps everything the daemon says: notify messages and JSON log lines,
each with the monotonic time it arrived.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

READY_TIMEOUT_S = 180.0

CONFIG = """
[audio]
input_device = "vmic"
output_device = "vspk"

[llm]
max_tokens = 60

[http]
port = 0

[watchdog]
interval_s = 0.5
temperature_path = "{temperature}"

[logging]
level = "info"
format = "json"
"""


def write_config(workdir: Path, temperature_c: float = 48.0, extra: str = "") -> Path:
    """A config for the virtual sound card in ``workdir``, any free HTTP port, JSON logs, a
    temperature file reading ``temperature_c``; ``extra`` TOML is appended."""
    temperature = workdir / "temp"
    temperature.write_text(f"{round(temperature_c * 1000)}\n")
    config = workdir / "voicebox.toml"
    config.write_text(CONFIG.format(temperature=temperature) + extra)
    return config


def parse_notice(data: bytes) -> dict[str, str]:
    """One notify datagram ("READY=1\nSTATUS=listening") as a dict."""
    return dict(line.split("=", 1) for line in data.decode().splitlines())


class DaemonProcess:
    """One daemon subprocess and what it reported."""

    def __init__(self, config: Path, workdir: Path, env: Mapping[str, str] | None = None,
                 watchdog_usec: int = 1_000_000) -> None:
        self._socket_path = str(workdir / "notify.sock")
        self._notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._notify.bind(self._socket_path)
        self._notify.settimeout(0.2)
        self.env = {**os.environ, **(env or {}), "NOTIFY_SOCKET": self._socket_path,
                    "WATCHDOG_USEC": str(watchdog_usec), "PYTHONUNBUFFERED": "1"}
        self.args = [sys.executable, "-m", "voicebox", "--config", str(config), "run"]
        self.notices: list[tuple[float, dict[str, str]]] = []
        self.logs: list[dict[str, Any]] = []
        self.other_output: list[str] = []
        self._changed = threading.Condition()
        self.proc: subprocess.Popen[str] | None = None

    def start(self) -> None:
        """Start the process and the two reader threads."""
        self.proc = subprocess.Popen(self.args, env=self.env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._read_logs, name="test-daemon-logs", daemon=True).start()
        threading.Thread(target=self._read_notices, name="test-daemon-notify",
                         daemon=True).start()

    def start_ready(self) -> None:
        """Start, and return once systemd would have been told READY=1 and the ready record
        (which names the HTTP port) was read: the two come by different pipes, either first."""
        self.start()
        self.wait_for(lambda: self.notice("READY", "1") and self.log("ready"), READY_TIMEOUT_S,
                      "READY=1 and the ready record")

    def _read_logs(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        for line in self.proc.stdout:
            with self._changed:
                try:
                    self.logs.append(json.loads(line))
                except json.JSONDecodeError:
                    self.other_output.append(line.rstrip())
                self._changed.notify_all()

    def _read_notices(self) -> None:
        while True:
            try:
                data = self._notify.recv(4096)
            except TimeoutError:
                if self.proc is not None and self.proc.poll() is not None:
                    return  # exited, and nothing more is queued
                continue
            except OSError:  # closed by stop()
                return
            fields = parse_notice(data)
            with self._changed:
                self.notices.append((time.monotonic(), fields))
                self._changed.notify_all()

    def wait_for(self, found: Callable[[], Any], timeout: float, what: str) -> Any:
        """Block until ``found()`` is truthy; fail with the daemon's output otherwise."""
        with self._changed:
            if not self._changed.wait_for(
                    lambda: found() or (self.proc is not None and self.proc.poll() is not None),
                    timeout) or not found():
                raise AssertionError(f"timed out or exited waiting for {what}; "
                                     f"output: {self.tail()}")
            return found()

    def notice(self, key: str, value: str | None = None, after: float = 0.0) -> dict | None:
        """The first notify message with ``key`` (and ``value``) that arrived after ``after``."""
        return next((fields for at, fields in list(self.notices)
                     if at > after and key in fields
                     and (value is None or fields[key] == value)), None)

    def statuses(self, after: float = 0.0) -> list[str]:
        """Every STATUS= line, in order."""
        return [fields["STATUS"] for at, fields in list(self.notices)
                if at > after and "STATUS" in fields]

    def pings(self, after: float = 0.0) -> list[float]:
        """Arrival times of WATCHDOG=1."""
        return [at for at, fields in list(self.notices)
                if at > after and fields.get("WATCHDOG") == "1"]

    def log(self, event: str, **match: Any) -> dict | None:
        """The last log record named ``event`` whose fields include ``match``."""
        return next((record for record in reversed(list(self.logs))
                     if record.get("event") == event
                     and all(record.get(k) == v for k, v in match.items())), None)

    @property
    def port(self) -> int:
        """The HTTP port the daemon said it bound (the config asks for any free one)."""
        ready = self.log("ready")
        assert ready is not None, "the daemon has not logged ready yet"
        return int(ready["http_port"])

    def get(self, path: str, method: str = "GET") -> tuple[int, str]:
        """One HTTP request to the daemon's socket: (status, body)."""
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", method=method)
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def health(self) -> dict[str, Any]:
        """GET /health, parsed."""
        return json.loads(self.get("/health")[1])

    def tail(self, lines: int = 15) -> str:
        """The last log events and any non-JSON output, for failure messages."""
        events = [f"{r.get('level')}:{r.get('event')}" for r in self.logs[-lines:]]
        return f"{events} {self.other_output[-lines:]}"

    def kill(self) -> None:
        """SIGKILL, as a crash or a power cut would end it (nothing runs on the way out)."""
        assert self.proc is not None and self.proc.poll() is None, "the daemon is not running"
        self.proc.kill()
        self.proc.wait(10)
        self._notify.close()

    def stop(self, timeout: float = 10.0) -> int | None:
        """SIGTERM and wait; kill if it will not stop. Returns the exit status."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._notify.close()
        return self.proc.returncode
