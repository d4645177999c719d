"""scripts/pi-emulate's "run to READY" step: the installed box's ``voicebox run`` started in the
emulated Pi the way systemd starts it from the unit the installer put there, told READY=1 on a
notify socket of ours, then stopped with SIGTERM as systemd stops it.

The command line, user, groups, environment, working and state directories, umask and stop
timeout are read from the installed unit (etc/systemd/system/voicebox.service in the root), not
copied here, so a change to systemd/voicebox.service is what gets tried. What cannot be had
without systemd (its sandbox: ProtectSystem, DevicePolicy, the syscall filter, MemoryMax) is
left out; the real Pi has it. There is no sound card in the emulated root: a box whose USB card
is unplugged must still start and say so, so READY is required without one.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import signal
import socket
import struct
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from pi_emulate_root import INSTALLED, StepFailed, clean_env, in_pi, tail

UNIT = "etc/systemd/system/voicebox.service"  # the installer's copy, relative to the root
NOTIFY_IN_ROOT = "/run/pi-emulate-notify"  # where the daemon sees our socket
READY_TIMEOUT_S = 1800.0  # TimeoutStartSec=300 on a Pi; loading is 10-30x slower here
FAULT_TIMEOUT_S = 300.0  # for the status line to say the sound card is missing, after READY
UCRED = struct.Struct("3i")  # struct ucred: pid, uid, gid (SCM_CREDENTIALS)


@dataclass
class Unit:
    """The parts of a unit's [Service] section that shape how the daemon is started."""

    exec_start: list[str]
    user: str = "root"
    group: str = ""
    groups: list[str] = field(default_factory=list)
    environment: dict[str, str] = field(default_factory=dict)
    working_directory: str = "/"
    umask: str = "0022"
    runtime_directory: str = ""
    runtime_mode: str = "0755"
    state_directory: str = ""
    configuration_directory: str = ""
    timeout_stop_s: float = 90.0
    watchdog_s: float = 0.0


def seconds(value: str) -> float:
    """A systemd time span ("10", "10s", "1min 30s", "500ms") in seconds."""
    units = {"ms": 0.001, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600}
    total = 0.0
    for part in value.split():
        number = part.rstrip("abcdefghijklmnopqrstuvwxyz")
        total += float(number) * units[part[len(number):] or "s"]
    return total


def read_unit(text: str) -> Unit:
    """The unit file's [Service] settings that ``start_command`` mirrors (repeated
    Environment= and SupplementaryGroups= lines add up, as in systemd)."""
    settings: dict[str, list[str]] = {}
    section = ""
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("["):
            section = line
        elif section == "[Service]" and "=" in line and not line.startswith(("#", ";")):
            key, value = line.split("=", 1)
            settings.setdefault(key.strip(), []).append(value.strip())
    one = {key: values[-1] for key, values in settings.items()}
    environment = dict(pair.split("=", 1) for value in settings.get("Environment", [])
                       for pair in shlex.split(value))
    return Unit(
        exec_start=shlex.split(one["ExecStart"]), user=one.get("User", "root"),
        group=one.get("Group", ""), environment=environment,
        groups=[g for value in settings.get("SupplementaryGroups", []) for g in value.split()],
        working_directory=one.get("WorkingDirectory", "/"), umask=one.get("UMask", "0022"),
        runtime_directory=one.get("RuntimeDirectory", ""),
        runtime_mode=one.get("RuntimeDirectoryMode", "0755"),
        state_directory=one.get("StateDirectory", ""),
        configuration_directory=one.get("ConfigurationDirectory", ""),
        timeout_stop_s=seconds(one.get("TimeoutStopSec", "90")),
        watchdog_s=seconds(one.get("WatchdogSec", "0")))


def service_env(unit: Unit, cpu: str) -> dict[str, str]:
    """What systemd puts in the service's environment (systemd 252, Debian 12), plus QEMU_CPU
    for qemu itself. No WATCHDOG_PID: the daemon's PID is not known before it starts, and
    without it WATCHDOG_USEC counts for the process that reads it, as it does here."""
    env = clean_env(cpu)
    env.update({"HOME": f"/var/lib/{unit.user}", "USER": unit.user, "LOGNAME": unit.user,
                "SHELL": "/usr/sbin/nologin", "NOTIFY_SOCKET": NOTIFY_IN_ROOT})
    for name, directory, base in (("RUNTIME", unit.runtime_directory, "/run"),
                                  ("STATE", unit.state_directory, "/var/lib"),
                                  ("CONFIGURATION", unit.configuration_directory, "/etc")):
        if directory:
            env[f"{name}_DIRECTORY"] = f"{base}/{directory}"
    if unit.watchdog_s:
        env["WATCHDOG_USEC"] = str(round(unit.watchdog_s * 1e6))
    return {**env, **unit.environment}


def start_command(unit: Unit) -> list[str]:
    """In the root: make the runtime directory and hand the state directory to the user as
    systemd does for RuntimeDirectory=/StateDirectory=, then the umask, the working directory,
    and ExecStart as the unit's user and groups, with no new privileges and no capabilities."""
    user, group = unit.user, unit.group or unit.user
    prepare = []
    if unit.runtime_directory:
        run_dir = f"/run/{unit.runtime_directory}"
        prepare += [f"mkdir -p {run_dir}", f"chown {user}:{group} {run_dir}",
                    f"chmod {unit.runtime_mode} {run_dir}"]
    if unit.state_directory:
        state = f"/var/lib/{unit.state_directory}"
        prepare += [f"mkdir -p {state}", f"chown -R {user}:{group} {state}"]
    setpriv = ["setpriv", f"--reuid={user}", f"--regid={group}",
               f"--groups={','.join(unit.groups)}" if unit.groups else "--clear-groups",
               "--no-new-privs", "--inh-caps=-all", "--"]
    prepare += [f"umask {unit.umask}", f"cd {shlex.quote(unit.working_directory)}",
                "exec " + shlex.join(setpriv + unit.exec_start)]
    return ["sh", "-c", " && ".join(prepare)]


class NotifySocket:
    """The datagram socket systemd binds for a Type=notify service, with the sender's
    credentials on each message: systemd takes READY=1 only from the main process
    (NotifyAccess=main), and the PID is also what SIGTERM goes to."""

    def __init__(self, path: Path) -> None:
        path.unlink(missing_ok=True)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
        self.sock.bind(str(path))
        path.chmod(0o777)  # as /run/systemd/notify: the daemon runs as another user

    def receive(self, timeout: float) -> tuple[int, dict[str, str]] | None:
        """One message: (sender's PID, its fields), or None after ``timeout`` seconds."""
        self.sock.settimeout(timeout)
        try:
            data, ancillary, _flags, _address = self.sock.recvmsg(
                4096, socket.CMSG_SPACE(UCRED.size))
        except TimeoutError:
            return None
        pid = next((UCRED.unpack(cdata[:UCRED.size])[0] for level, kind, cdata in ancillary
                    if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS), 0)
        return pid, dict(line.split("=", 1) for line in data.decode().splitlines() if "=" in line)

    def close(self) -> None:
        self.sock.close()


def run_to_ready(home: Path, rootfs: Path, cpu: str) -> str:
    """Start the installed daemon as its unit says, offline; READY=1 from its main process
    within READY_TIMEOUT_S; then SIGTERM, and a clean exit (0) within TimeoutStopSec."""
    unit = read_unit((home / "overlay" / "upper" / UNIT).read_text())
    notify = NotifySocket(home / "notify.sock")
    command = in_pi(home, rootfs, start_command(unit), loopback=True,
                    binds={NOTIFY_IN_ROOT: home / "notify.sock"})
    output: list[str] = []
    begun = time.monotonic()
    proc = subprocess.Popen(command, env=service_env(unit, cpu), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    threading.Thread(target=lambda: [output.append(line) for line in proc.stdout or []],
                     daemon=True).start()
    print(f"{shlex.join(unit.exec_start)} as {unit.user} ({','.join(unit.groups)}), "
          f"{INSTALLED} -> {os.readlink(home / 'overlay' / 'upper' / INSTALLED)}", flush=True)
    said: list[str] = []
    try:
        pid = wait_ready(proc, notify, begun, output)
        said.append(f"READY=1 from the main process (PID {pid}) after "
                    f"{time.monotonic() - begun:.0f} s; {ready_record(output)}")
        said += settle(proc, notify, begun)
        stopped = time.monotonic()
        os.kill(pid, signal.SIGTERM)
        try:
            code = proc.wait(unit.timeout_stop_s)
        except subprocess.TimeoutExpired:
            os.kill(pid, signal.SIGKILL)
            raise StepFailed(f"still running {unit.timeout_stop_s:.0f} s (TimeoutStopSec) "
                             f"after SIGTERM; killed\n{tail(''.join(output))}") from None
        while (message := notify.receive(0.1)) is not None:
            said.append(f"  {time.monotonic() - begun:6.1f} s  {message[1]}")
        if code != 0:
            raise StepFailed(f"exit {code} after SIGTERM\n{tail(''.join(output))}")
        said.append(f"SIGTERM: exit 0 after {time.monotonic() - stopped:.1f} s "
                    f"(TimeoutStopSec={unit.timeout_stop_s:.0f}); {stopped_record(output)}")
        return "\n".join(said)
    finally:
        with contextlib.suppress(ProcessLookupError):  # KillMode=mixed: what is left after
            os.killpg(proc.pid, signal.SIGKILL)          # the main process gets SIGKILL
        proc.wait()
        notify.close()


def wait_ready(proc: subprocess.Popen, notify: NotifySocket, begun: float,
               output: list[str]) -> int:
    """The main process's PID once it sent READY=1; each message is printed as it comes (this
    takes minutes). StepFailed when it exits first or READY_TIMEOUT_S passes."""
    while time.monotonic() - begun < READY_TIMEOUT_S:
        message = notify.receive(1.0)
        if message is None:
            if proc.poll() is not None:
                raise StepFailed(f"exited ({proc.returncode}) before READY=1\n"
                                 f"{tail(''.join(output))}")
            continue
        pid, fields = message
        print(f"  {time.monotonic() - begun:6.1f} s  {fields}", flush=True)
        if fields.get("READY") == "1":
            if main_process(proc.pid) != pid:
                raise StepFailed(f"READY=1 from PID {pid}, not the main process "
                                 f"({main_process(proc.pid)}): NotifyAccess=main ignores it")
            return pid
    raise StepFailed(f"no READY=1 within {READY_TIMEOUT_S:.0f} s; killed\n"
                     f"{tail(''.join(output))}")


def settle(proc: subprocess.Popen, notify: NotifySocket, begun: float) -> list[str]:
    """After READY, the status line until it says the audio is lost (there is no sound card
    here): the fault a box with its USB card unplugged must show in ``systemctl status``.
    Watchdog pings are counted, not shown. StepFailed if it never says so or the daemon exits."""
    pings, since = 0, time.monotonic()
    while time.monotonic() - since < FAULT_TIMEOUT_S:
        message = notify.receive(1.0)
        if proc.poll() is not None:
            raise StepFailed(f"exited ({proc.returncode}) after READY=1")
        if message is None:
            continue
        pings += message[1].get("WATCHDOG") == "1"
        status = message[1].get("STATUS")
        if status is not None:
            print(f"  {time.monotonic() - begun:6.1f} s  {message[1]}", flush=True)
            if status.startswith("audio lost"):
                return [f"the missing sound card reported {time.monotonic() - since:.0f} s "
                        f"after READY; {pings} watchdog pings meanwhile"]
    raise StepFailed(f"no \"audio lost\" status within {FAULT_TIMEOUT_S:.0f} s of READY=1 "
                     f"without a sound card ({pings} watchdog pings)")


def main_process(unshare: int) -> int:
    """The service's main process: unshare's child (the command execs all the way to the
    daemon, so it keeps that PID)."""
    children = Path(f"/proc/{unshare}/task/{unshare}/children").read_text().split()
    return int(children[0]) if children else 0


def records(output: list[str], event: str) -> list[dict]:
    """The daemon's JSON log records named ``event``."""
    found = []
    for line in list(output):
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict) and record.get("event") == event:
            found.append(record)
    return found


def ready_record(output: list[str]) -> str:
    ready = records(output, "ready")
    if not ready:
        return "no ready record in its log"
    fields = ("startup_s", "models", "http_port", "button")
    return "ready record: " + ", ".join(f"{k}={ready[-1].get(k)}" for k in fields)


def stopped_record(output: list[str]) -> str:
    stopped = records(output, "stopped")
    if not stopped:
        return "no stopped record in its log"
    return "stopped record: " + ", ".join(f"{k}={v}" for k, v in stopped[-1].items()
                                          if k in ("clean", "turns", "uptime_s"))
