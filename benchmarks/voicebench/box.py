"""The daemon under test: ``voicebox run`` as a subprocess on the virtual sound card.

It runs as systemd runs it (``tests/rig/daemon.py``), with a config that only points it at the
virtual devices, asks for debug logs (what was heard is logged only there) and gives the
watchdog a steady 45 °C sensor: this machine's heat is not a Pi's, and a throttle that took a
thread away in the middle of a run would measure the room, not the code. Everything else is
the profile's defaults. Memory and CPU come from /proc, read between turns.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tests.rig.daemon import READY_TIMEOUT_S, DaemonProcess

CONFIG = """profile = "{profile}"

# Every question is asked without a wake word, on every profile (the Pi profiles default to
# wake mode): this benchmark times answers, not the wake word.
[listen]
mode = "always"

[audio]
input_device = "vmic"
output_device = "vspk"

[http]
port = 0

[watchdog]
temperature_path = "{temperature}"

[logging]
level = "debug"
format = "json"
"""


@dataclass(frozen=True)
class ProcStats:
    """One reading of a process: resident memory now, its peak so far, CPU time so far."""

    rss_mb: float
    peak_rss_mb: float
    cpu_s: float


def proc_stats(pid: int | str = "self") -> ProcStats:
    """VmRSS and VmHWM from /proc/PID/status, utime + stime from /proc/PID/stat."""
    status = Path(f"/proc/{pid}/status").read_text()
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    stat = Path(f"/proc/{pid}/stat").read_text()
    after_name = stat.rsplit(")", 1)[1].split()  # the name may hold spaces and brackets
    ticks = int(after_name[11]) + int(after_name[12])  # fields 14 and 15 of proc(5)
    return ProcStats(rss_mb=int(fields["VmRSS"].split()[0]) / 1024,
                     peak_rss_mb=int(fields["VmHWM"].split()[0]) / 1024,
                     cpu_s=ticks / os.sysconf("SC_CLK_TCK"))


class Box:
    """The daemon process (a new one after :meth:`restart`), its logs and turn records."""

    def __init__(self, env: dict[str, str], workdir: Path, profile: str,
                 extra_config: str = "") -> None:
        temperature = workdir / "temperature"
        temperature.write_text("45000\n")
        self._config = workdir / "voicebox.toml"
        self._base_config = CONFIG.format(profile=profile, temperature=temperature)
        self._config.write_text(self._base_config + extra_config)
        self._env = env
        self._workdir = workdir
        self.starts = 0
        self.process = self._new_process()

    def _new_process(self) -> DaemonProcess:
        """A process with a notify socket of its own (a stopped one leaves its socket file)."""
        self.starts += 1
        workdir = self._workdir / f"start-{self.starts}"
        workdir.mkdir()
        return DaemonProcess(self._config, workdir, env=self._env)

    def launch(self) -> None:
        """Start the process; it loads its models meanwhile (see :meth:`wait_ready`)."""
        self.process.start()

    def restart(self, extra_config: str | None = None) -> None:
        """Stop this daemon and start a fresh one, as ``systemctl restart`` would; with
        ``extra_config``, the fresh one's config ends with it instead of the first one's."""
        self.stop()
        if extra_config is not None:
            self._config.write_text(self._base_config + extra_config)
        self.process = self._new_process()
        self.launch()
        self.wait_ready()

    def wait_ready(self) -> None:
        """Return once it is ready and hears the microphone."""
        self.process.wait_for(lambda: self.process.notice("READY", "1"), READY_TIMEOUT_S,
                              "READY=1")
        self.process.wait_for(lambda: self.process.log("ready"), 10, "the ready record")
        self.process.wait_for(lambda: self.process.health()["mic"]["status"] == "ok", 30,
                              "the microphone to open")

    def stop(self) -> None:
        """SIGTERM, as systemd stops it."""
        self.process.stop()

    @property
    def pid(self) -> int:
        assert self.process.proc is not None
        return self.process.proc.pid

    def stats(self) -> ProcStats:
        return proc_stats(self.pid)

    def mark(self) -> int:
        """A position in the log: records after it are newer."""
        return len(self.process.logs)

    def records(self, event: str, since: int) -> list[dict[str, Any]]:
        """Log records named ``event`` after the mark ``since``."""
        return [r for r in list(self.process.logs)[since:] if r.get("event") == event]

    def text_of(self, turn_id: int, since: int) -> dict[str, Any]:
        """The turn's transcript and answer (the debug record ``turn-text``)."""
        found = [r for r in self.records("turn-text", since) if r.get("turn_id") == turn_id]
        return found[-1] if found else {}

    @staticmethod
    def at(record: dict[str, Any]) -> float:
        """When a log record was written, on this machine's monotonic clock (the log has UTC
        wall-clock time; both clocks are read now to convert)."""
        wall = datetime.fromisoformat(record["timestamp"].replace("Z", "+00:00")).timestamp()
        return wall - (time.time() - time.monotonic())

    def wait_idle(self, quiet_s: float, timeout: float) -> bool:
        """Whether the box was listening, with no status change for ``quiet_s``, in time."""
        def idle() -> bool:
            notices = [(at, f["STATUS"]) for at, f in list(self.process.notices)
                       if "STATUS" in f]
            return bool(notices) and notices[-1][1].startswith("listening") and (
                time.monotonic() - notices[-1][0] >= quiet_s)
        return poll(idle, timeout)

    def wait_answer(self, since: int, settle_s: float, timeout: float) -> dict[str, Any] | None:
        """The turn record of the question asked after ``since``: the last answered one, or,
        when only unanswered turns came and none for ``settle_s``, the last of those.
        Cancelled turns are ignored: they were replaced by a later one (or barged in on)."""
        deadline = time.monotonic() + timeout
        seen, quiet_since = 0, time.monotonic()
        while time.monotonic() < deadline:
            turns = [r for r in self.records("turn", since)
                     if not str(r.get("outcome")).startswith("cancelled")]
            answered = [r for r in turns if r.get("outcome") == "answered"]
            if answered:
                return answered[-1]
            if len(turns) != seen:
                seen, quiet_since = len(turns), time.monotonic()
            if turns and time.monotonic() - quiet_since > settle_s:
                return turns[-1]
            time.sleep(0.05)
        return None

    def wait_listening(self, turn_id: int, since_s: float, timeout: float) -> bool:
        """Whether the box, having spoken turn ``turn_id``, went back to listening."""
        speaking = f"speaking: turn {turn_id}"

        def done() -> bool:
            statuses = self.process.statuses(after=since_s)
            spoke = [i for i, s in enumerate(statuses) if s.startswith(speaking)]
            return bool(spoke) and any(s.startswith("listening")
                                       for s in statuses[spoke[0]:])
        return poll(done, timeout)


def poll(condition: Callable[[], bool], timeout: float) -> bool:
    """Whether ``condition`` came true within ``timeout`` seconds (checked every 50 ms)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True
