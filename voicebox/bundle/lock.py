"""requirements.lock: the one set of dependency versions and file hashes every install uses.

``scripts/setup-dev`` (and so CI) installs it with ``pip --require-hashes``; make-bundle
resolves the bundle's wheels with its versions as constraints and then checks that every wheel
it took is one of the files the lock pins (pip-compile --generate-hashes lists the sha256 of
every file of a version on the registry, so the Pi's aarch64 wheels are in it too). Only the
wheels built here are exempt from the hash check, not from the version pin: voicebox itself,
and llama-cpp-python (built from its sdist, or cross-built for the Pi).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from voicebox.errors import VoiceboxError
from voicebox.paths import PROJECT_ROOT

LOCK = PROJECT_ROOT / "requirements.lock"
BUILT_HERE = frozenset({"voicebox", "llama-cpp-python"})
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")
HASH = re.compile(r"--hash=sha256:([0-9a-f]{64})")
REFRESH = "refresh the lock as README says (pip-compile ... -o requirements.lock)"


class LockError(VoiceboxError):
    """The wheels do not match requirements.lock, or it cannot be read."""

    code = "lock"


@dataclass(frozen=True)
class Pin:
    """One locked dependency: its version and the sha256 of every file of that version."""

    version: str
    hashes: frozenset[str]


def normalize(name: str) -> str:
    """PEP 503: names compare lower-cased with runs of -, _ and . as one -."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_lock(path: Path = LOCK) -> dict[str, Pin]:
    """The pins of a pip-compile lock file, by normalized name."""
    try:
        text = path.read_text()
    except OSError as exc:
        raise LockError(f"cannot read {path}: {exc}", hint="git checkout requirements.lock"
                        ) from exc
    pins: dict[str, Pin] = {}
    for requirement in text.replace("\\\n", " ").splitlines():
        found = PIN.match(requirement.strip())
        if found:
            pins[normalize(found.group(1))] = Pin(found.group(2),
                                                  frozenset(HASH.findall(requirement)))
    if not pins:
        raise LockError(f"{path} pins nothing", hint=REFRESH)
    return pins


def constraints(pins: dict[str, Pin]) -> str:
    """The lock as a pip constraints file (versions only: pip takes no hashes there)."""
    return "".join(f"{name}=={pin.version}\n" for name, pin in sorted(pins.items()))


def check_wheels(wheels: list[Path], pins: dict[str, Pin]) -> None:
    """Every wheel is at its locked version and, unless built here, one of the locked files."""
    problems = []
    for wheel in wheels:
        name, version = wheel.name.split("-")[:2]
        if normalize(name) == "voicebox":
            continue
        pin = pins.get(normalize(name))
        if pin is None:
            problems.append(f"{wheel.name}: {name} is not in requirements.lock")
        elif version != pin.version:
            problems.append(f"{wheel.name}: requirements.lock pins {name} {pin.version}")
        elif normalize(name) not in BUILT_HERE and hashlib.sha256(
                wheel.read_bytes()).hexdigest() not in pin.hashes:
            problems.append(f"{wheel.name}: its sha256 is not one requirements.lock lists")
    if problems:
        raise LockError("the bundle's wheels differ from requirements.lock:\n  "
                        + "\n  ".join(problems), hint=REFRESH)
