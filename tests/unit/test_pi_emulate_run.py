"""What pi-emulate's "run to READY" step takes from the unit and the notify socket
(scripts/pi_emulate_run.py), without emulation: the daemon is started as systemd/voicebox.service
says, and READY=1 is told apart by the PID that sent it (NotifyAccess=main)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from voicebox.ops.sdnotify import Notifier
from voicebox.paths import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
from pi_emulate_run import (  # a module of scripts/pi-emulate, not a package
    NOTIFY_IN_ROOT,
    NotifySocket,
    read_unit,
    seconds,
    service_env,
    start_command,
)

UNIT = read_unit((PROJECT_ROOT / "systemd" / "voicebox.service").read_text())


def test_the_unit_s_start_is_what_is_run() -> None:
    assert UNIT.exec_start == ["/opt/voicebox/current/.venv/bin/voicebox", "run"]
    assert (UNIT.user, UNIT.groups, UNIT.working_directory) == (
        "voicebox", ["audio", "gpio"], "/run/voicebox")
    assert UNIT.timeout_stop_s == 10 and UNIT.watchdog_s == 30
    script = start_command(UNIT)[-1]
    assert "--reuid=voicebox --regid=voicebox --groups=audio,gpio" in script
    assert script.index("umask 0077") < script.index("cd /run/voicebox") < script.index("exec")
    assert script.endswith("-- /opt/voicebox/current/.venv/bin/voicebox run")
    assert "chmod 0700 /run/voicebox" in script


def test_the_environment_is_systemd_s() -> None:
    env = service_env(UNIT, "cortex-a76")
    assert env["NOTIFY_SOCKET"] == NOTIFY_IN_ROOT
    assert env["WATCHDOG_USEC"] == "30000000"
    assert env["STATE_DIRECTORY"] == "/var/lib/voicebox"
    assert env["VOICEBOX_CONFIG"] == "/etc/voicebox/voicebox.toml"
    assert env["PYTHONUNBUFFERED"] == "1" and env["QEMU_CPU"] == "cortex-a76"


def test_time_spans() -> None:
    assert seconds("10") == 10 and seconds("1min 30s") == 90 and seconds("500ms") == 0.5


def test_a_notice_carries_its_sender_s_pid(tmp_path: Path) -> None:
    notify = NotifySocket(tmp_path / "notify")
    try:
        Notifier(str(tmp_path / "notify")).ready("listening")
        assert notify.receive(5.0) == (os.getpid(), {"READY": "1", "STATUS": "listening"})
        child = subprocess.run([sys.executable, "-c", "import os, sys; from voicebox.ops."
                                "sdnotify import Notifier; Notifier(sys.argv[1]).watchdog(); "
                                "print(os.getpid())", str(tmp_path / "notify")],
                               capture_output=True, text=True, check=True)
        assert notify.receive(5.0) == (int(child.stdout), {"WATCHDOG": "1"})
        assert notify.receive(0.01) is None
        assert (tmp_path / "notify").stat().st_mode & 0o777 == 0o777
    finally:
        notify.close()
