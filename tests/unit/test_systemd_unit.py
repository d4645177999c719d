"""systemd/voicebox.service and systemd/voicebox.sysusers, checked by systemd's own tools.

`systemd-analyze verify` and `systemd-analyze security --offline` read the real unit file;
`systemd-sysusers` creates the account in a throwaway root. None of them needs a running
systemd, so this runs in CI and on any dev machine with the Debian package `systemd`.
A missing tool fails (never skips): a silently skipped check is how a unit rots.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
UNIT = REPO / "systemd" / "voicebox.service"
SYSUSERS = REPO / "systemd" / "voicebox.sysusers"
HOST_UNITS = Path("/usr/lib/systemd/system")
MAX_EXPOSURE = 3.0
INSTALL_HINT = "install the Debian package `systemd` (apt-get install systemd)"


def tool(name: str) -> str:
    """The path of a systemd tool, or a test failure saying which package brings it."""
    path = shutil.which(name) or shutil.which(name, path="/usr/bin:/bin:/usr/sbin:/sbin")
    if path is None:
        pytest.fail(f"{name} not found: {INSTALL_HINT}")
    return path


def run(*command: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(part) for part in command], capture_output=True, text=True,
                          timeout=60, check=False)


def parse_unit(text: str) -> dict[str, dict[str, list[str]]]:
    """Section -> key -> every value in order (DeviceAllow= and friends repeat)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        assert not line.endswith("\\"), f"line {number}: keep directives on one line"
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        key, sep, value = line.partition("=")
        assert sep and current is not None, f"line {number}: not a directive: {raw!r}"
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


@pytest.fixture(scope="module")
def unit() -> dict[str, dict[str, list[str]]]:
    return parse_unit(UNIT.read_text(encoding="utf-8"))


def last(unit: dict[str, dict[str, list[str]]], section: str, key: str) -> str:
    """The value in force (the last assignment wins for single-valued settings)."""
    values = unit.get(section, {}).get(key)
    assert values, f"[{section}] {key}= is not set"
    return values[-1]


def exec_path(unit: dict[str, dict[str, list[str]]]) -> str:
    return last(unit, "Service", "ExecStart").split()[0]


# --- systemd's own verdicts ------------------------------------------------------------------

def test_verify_is_clean(tmp_path: Path, unit: dict[str, dict[str, list[str]]]) -> None:
    """`systemd-analyze verify` on the unit as installed, in a root where ExecStart exists.

    Verify checks that ExecStart's binary is executable, and the venv only exists on the box,
    so the unit is verified inside a scratch root: the host's own units (for sysinit.target
    and the rest of the default dependencies), an executable stub where the installer puts
    the daemon, and the unit file unchanged in /etc/systemd/system. Verify reports parse
    problems (unknown keys, bad values) without changing its exit status, so any line
    about voicebox fails the test too.
    """
    analyze = tool("systemd-analyze")
    if not HOST_UNITS.is_dir():
        pytest.fail(f"{HOST_UNITS} is missing: {INSTALL_HINT}")
    root = tmp_path / "root"
    shutil.copytree(HOST_UNITS, root / HOST_UNITS.relative_to("/"), symlinks=True)
    stub = root / exec_path(unit).lstrip("/")
    stub.parent.mkdir(parents=True)
    stub.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    stub.chmod(0o755)
    installed = root / "etc/systemd/system" / UNIT.name
    installed.parent.mkdir(parents=True)
    shutil.copyfile(UNIT, installed)

    result = run(analyze, "verify", "--recursive-errors=no", f"--root={root}", installed)

    output = (result.stdout + result.stderr).strip()
    about_us = [line for line in output.splitlines() if "voicebox" in line]
    assert result.returncode == 0 and not about_us, (
        f"systemd-analyze verify (exit {result.returncode}):\n{output}")


def test_security_exposure_is_ok(unit: dict[str, dict[str, list[str]]]) -> None:
    """`systemd-analyze security --offline=true` rates the sandbox below 3.0 ("OK")."""
    analyze = tool("systemd-analyze")
    result = run(analyze, "security", "--offline=true", "--no-pager", UNIT)
    output = result.stdout + result.stderr
    found = re.search(r"Overall exposure level for voicebox\.service: (\d+(?:\.\d+)?)", output)
    assert result.returncode == 0 and found, f"no exposure level in:\n{output}"
    exposure = float(found.group(1))
    exposed = "\n".join(line.rstrip() for line in output.splitlines() if line.startswith("✗"))
    assert exposure < MAX_EXPOSURE, f"exposure {exposure} >= {MAX_EXPOSURE}:\n{exposed}"


# --- what the daemon depends on ------------------------------------------------------------

@pytest.mark.parametrize(("key", "expected"), [
    ("Type", "notify"),
    ("NotifyAccess", "main"),
    ("ExecStart", "/opt/voicebox/current/.venv/bin/voicebox run"),
    ("Restart", "on-failure"),
    ("User", "voicebox"),
    ("Group", "voicebox"),
    ("StateDirectory", "voicebox"),
    ("ConfigurationDirectory", "voicebox"),
    ("NoNewPrivileges", "yes"),
    ("ProtectSystem", "strict"),
    ("ProtectHome", "yes"),
    ("PrivateTmp", "yes"),
    ("CapabilityBoundingSet", ""),
    ("AmbientCapabilities", ""),
    ("IPAddressDeny", "any"),
    ("IPAddressAllow", "localhost"),
    ("DevicePolicy", "closed"),
    ("KillMode", "mixed"),
    ("StandardOutput", "journal"),
    ("SyslogIdentifier", "voicebox"),
    ("UMask", "0077"),
])
def test_service_setting(unit: dict[str, dict[str, list[str]]], key: str, expected: str) -> None:
    assert last(unit, "Service", key) == expected


def test_timeouts_fit_the_daemon(unit: dict[str, dict[str, list[str]]]) -> None:
    """Warm-up takes about a minute on a Pi; the watchdog outlasts the 20 s stall limit."""
    assert int(last(unit, "Service", "WatchdogSec")) > 20
    assert int(last(unit, "Service", "TimeoutStartSec")) >= 120
    assert 5 < int(last(unit, "Service", "TimeoutStopSec")) <= 30


def test_memory_is_capped(unit: dict[str, dict[str, list[str]]]) -> None:
    units = {"K": 2**10, "M": 2**20, "G": 2**30}

    def size(value: str) -> int:
        return int(value[:-1]) * units[value[-1]] if value[-1] in units else int(value)

    high, peak = size(last(unit, "Service", "MemoryHigh")), size(last(unit, "Service", "MemoryMax"))
    assert 4 * 2**30 <= high < peak <= 7 * 2**30, "the models need ~4 GB; leave the OS >= 1 GB"


def test_environment_points_at_the_config(unit: dict[str, dict[str, list[str]]]) -> None:
    environment = " ".join(unit["Service"]["Environment"]).split()
    assert "VOICEBOX_CONFIG=/etc/voicebox/voicebox.toml" in environment
    assert "PYTHONUNBUFFERED=1" in environment


def test_devices_and_sockets(unit: dict[str, dict[str, list[str]]]) -> None:
    allowed = {entry.split()[0] for entry in unit["Service"]["DeviceAllow"]}
    assert {"char-alsa", "char-gpiochip"} <= allowed
    families = set(last(unit, "Service", "RestrictAddressFamilies").split())
    assert families == {"AF_UNIX", "AF_INET", "AF_INET6"}


def test_lgpio_has_a_writable_working_directory(unit: dict[str, dict[str, list[str]]]) -> None:
    """lgpio makes its FIFO in the cwd; under ProtectSystem=strict only the runtime dir fits."""
    runtime = last(unit, "Service", "RuntimeDirectory")
    assert last(unit, "Service", "WorkingDirectory") == f"/run/{runtime}"


def test_installed_for_boot_after_sound(unit: dict[str, dict[str, list[str]]]) -> None:
    assert "sound.target" in last(unit, "Unit", "After").split()
    assert "sound.target" in last(unit, "Unit", "Wants").split()
    assert last(unit, "Install", "WantedBy") == "multi-user.target"


# --- the account ---------------------------------------------------------------------------

def test_sysusers_creates_the_account(tmp_path: Path,
                                      unit: dict[str, dict[str, list[str]]]) -> None:
    """systemd-sysusers, in a scratch root shaped like Debian (audio exists, gpio does not)."""
    sysusers = tool("systemd-sysusers")
    etc = tmp_path / "etc"
    etc.mkdir()
    (etc / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (etc / "group").write_text("root:x:0:\naudio:x:29:\n", encoding="utf-8")

    result = run(sysusers, f"--root={tmp_path}", SYSUSERS)

    assert result.returncode == 0, result.stdout + result.stderr
    groups = {fields[0]: fields for line in (etc / "group").read_text().splitlines()
              if (fields := line.split(":"))}
    users = {fields[0]: fields for line in (etc / "passwd").read_text().splitlines()
             if (fields := line.split(":"))}
    name = last(unit, "Service", "User")
    assert name in users and last(unit, "Service", "Group") in groups
    _, _, uid, gid, _, home, shell = users[name]
    assert int(uid) < 1000 and groups[name][2] == gid, "a system user with its own group"
    assert home == "/var/lib/voicebox" and shell.endswith("nologin")
    assert groups["audio"][2] == "29", "an existing group is left as it is"
    for group in last(unit, "Service", "SupplementaryGroups").split():
        assert name in groups[group][3].split(","), f"{name} is not in {group}"
