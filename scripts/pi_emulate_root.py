"""scripts/pi-emulate's emulated Pi: commands run in an overlay copy of the cached arm64 root,
under qemu, with no network; what that copy holds beyond the cached root; and the step that has
it refuse changed copies of the bundle. A module of its own to keep pi-emulate short.
"""

from __future__ import annotations

import os
import shlex
import shutil
import stat
import subprocess
import time
from pathlib import Path

from voicebox import __version__
from voicebox.bundle.tamper import refusals, unpack

BUNDLE = f"voicebox-{__version__}-pi-dev.tar"  # in the cache's dist/, made by make-bundle
INSTALLED = "opt/voicebox/current"  # the installer's release symlink, relative to the root


class StepFailed(Exception):
    """A step that did not work; the message says what to look at."""


def attempt(command: list[str], **kwargs) -> tuple[int, str]:
    """Run; its exit status and stdout+stderr (a refusal is expected to fail)."""
    result = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)
    return result.returncode, result.stdout + result.stderr


def run(command: list[str], what: str, **kwargs) -> str:
    """Run, return stdout+stderr; StepFailed with the output's tail when it fails."""
    code, output = attempt(command, **kwargs)
    if code != 0:
        raise StepFailed(f"{what} (exit {code}):\n{tail(output)}")
    return output


def tail(output: str, lines: int = 25) -> str:
    return "\n".join(output.strip().splitlines()[-lines:])


def clean_env(cpu: str | None) -> dict[str, str]:
    """What a root shell on the Pi would have: none of this machine's pip or Python settings
    (its find-links and constraints point at paths the Pi does not have)."""
    env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
           "HOME": "/root", "LANG": "C.UTF-8"}
    if cpu:
        env["QEMU_CPU"] = cpu
    return env


def install_command(bundle: str = f"dist/{BUNDLE}") -> list[str]:
    """The good bundle's installer on ``bundle`` (a path in the cache, seen at /mnt/voicebox)."""
    return ["python3", "/mnt/voicebox/installer/voicebox-bundle/install",
            f"/mnt/voicebox/{bundle}"]


def voicebox_command(*args: str) -> list[str]:
    return ["/opt/voicebox/current/.venv/bin/voicebox", "--config", "/etc/voicebox/voicebox.toml",
            *args]


def reset_overlay(home: Path) -> None:
    """A new copy of the root for this run: the overlay's upper layer starts empty."""
    for part in ("upper", "work"):
        shutil.rmtree(home / "overlay" / part, ignore_errors=True)
        (home / "overlay" / part).mkdir(parents=True)
    (home / "overlay" / "merged").mkdir(parents=True, exist_ok=True)


def in_pi(home: Path, rootfs: Path, command: list[str], loopback: bool = False,
          binds: dict[str, Path] | None = None) -> list[str]:
    """``command`` in the emulated Pi: the overlay root, /proc, /dev and the cache (at
    /mnt/voicebox) mounted in a private mount namespace, in a network namespace with nothing
    but a loopback, down unless ``loopback`` (a Pi's is up: the daemon's health socket binds
    127.0.0.1). ``binds``: host files seen at these paths in the root (the notify socket).

    No /sys: with this x86 machine's CPU lists there (and its /proc/cpuinfo), onnxruntime's
    cpuinfo library crashed the process (SIGSEGV); without them it warns and goes on."""
    merged = home / "overlay" / "merged"
    setup = [
        f"mount -t overlay overlay -o lowerdir={rootfs},upperdir={home}/overlay/upper,"
        f"workdir={home}/overlay/work {merged}",
        f"mount -t proc proc {merged}/proc",
        f"mount --rbind /dev {merged}/dev",
        f"mkdir -p {merged}/mnt/voicebox",
        f"mount --bind {home} {merged}/mnt/voicebox",
        *(["ip link set lo up"] if loopback else []),
    ]
    for inside, host in (binds or {}).items():
        target = shlex.quote(f"{merged}{inside}")
        setup += [f"touch {target}", f"mount --bind {shlex.quote(str(host))} {target}"]
    script = " && ".join([*setup, f"exec chroot {merged} " + shlex.join(command)])
    return ["unshare", "--net", "--mount", "--fork", "sh", "-c", script]


def offline(home: Path, rootfs: Path, cpu: str, command: list[str]) -> str:
    """``command`` run in the emulated Pi (``in_pi``); its output, StepFailed when it fails."""
    return run(in_pi(home, rootfs, command), " ".join(command[:3]), env=clean_env(cpu))


def root_changes(upper: Path) -> dict[str, tuple]:
    """What the emulated Pi's root holds beyond the cached root: its overlay's upper layer,
    each entry's type and mode, owner, size, mtime and link target. Not directories' mtimes:
    the installer's scratch directory in /var/tmp comes and goes, changing that of /var/tmp."""
    changes: dict[str, tuple] = {}
    for directory, dirs, files in os.walk(upper):
        for name in dirs + files:
            path = Path(directory) / name
            info = path.lstat()
            entry: tuple = (info.st_mode, info.st_uid, info.st_gid)
            if not stat.S_ISDIR(info.st_mode):
                entry += (info.st_size, info.st_mtime_ns,
                          os.readlink(path) if path.is_symlink() else "")
            changes[path.relative_to(upper).as_posix()] = entry
    return changes


def refuse_tampered(home: Path, rootfs: Path, cpu: str) -> str:
    """Changed copies of the bundle (voicebox.bundle.tamper's, as in the host's tests; made here
    from the bundle unpacked once) given to the installer in the emulated Pi that installed the
    bundle, offline: each must be refused for its own reason, in the host's words, with the root
    left as it was to the byte count and mtime. After the good install, so that a bundle of
    another key meets a box that trusts one and a refused update is seen to leave the installed
    release in place; the steps after this one then use that release."""
    upper, work = home / "overlay" / "upper", home / "tampered"
    shutil.rmtree(work, ignore_errors=True)
    try:
        begun = time.monotonic()
        copies = refusals(unpack(home / "dist" / BUNDLE, work / "bundle"), work)
        shutil.rmtree(work / "bundle")  # the copies are tars of their own
        said = [f"{len(copies)} changed copies made here from the bundle unpacked once in "
                f"{time.monotonic() - begun:.0f} s; "
                f"installed: {INSTALLED} -> {os.readlink(upper / INSTALLED)}"]
        for copy in copies:
            before, begun = root_changes(upper), time.monotonic()
            code, output = attempt(in_pi(home, rootfs, install_command(
                copy.bundle.relative_to(home).as_posix())), env=clean_env(cpu))
            problems = copy.problems(code, output)
            after = root_changes(upper)
            problems += [f"the root changed: {name}" for name in sorted(
                set(before) | set(after)) if before.get(name) != after.get(name)][:10]
            if problems:
                raise StepFailed(f"{copy.what}: " + "; ".join(problems) + f"\n{tail(output)}")
            said.append(f"{copy.what}: refused (exit {code}) in {time.monotonic() - begun:.0f}"
                        f" s; the root unchanged ({len(after)} entries beyond the cached root), "
                        f"{INSTALLED} -> {os.readlink(upper / INSTALLED)}\n    "
                        + output.strip().replace("\n", "\n    "))
        return "\n".join(said)
    finally:
        shutil.rmtree(work, ignore_errors=True)
