"""What every installer step shares: the error type, where things go, and running a command.

Standard library only, like ``install``: this runs on a Pi that has no venv yet.
"""

from __future__ import annotations

import filecmp
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

UNIT = "voicebox.service"
CHUNK = 1 << 20


class InstallError(Exception):
    """What went wrong, and what to do about it."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(f"{message}\n  fix: {hint}")


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file (as voicebox.models.store computes it: this file cannot import
    voicebox, which is not installed yet when it runs)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


class Layout:
    """Where everything goes, under ``root`` (``/`` on a real install).

    The code lives in versioned releases, ``/opt/voicebox/releases/<id>/`` (a venv, the
    bundle's manifest and models.lock each); ``current`` and ``previous`` are symlinks to two
    of them, and the unit runs ``/opt/voicebox/current/.venv/bin/voicebox``, so switching
    ``current`` is one atomic rename and the running service keeps its venv until restarted.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.is_host = root == Path("/")
        self.prefix = self.path("/opt/voicebox")
        self.releases = self.prefix / "releases"
        self.current = self.prefix / "current"
        self.previous = self.prefix / "previous"
        self.venv = self.current / ".venv"
        self.etc = self.path("/etc/voicebox")
        self.config = self.etc / "voicebox.toml"
        self.lock = self.etc / "models.lock"
        self.trusted_key = self.etc / "bundle-signing.pem"
        self.models = self.path("/var/lib/voicebox/models")
        self.unit = self.path(f"/etc/systemd/system/{UNIT}")
        self.sysusers = self.path("/usr/lib/sysusers.d/voicebox.conf")
        # Written only after `voicebox check` passed: what is installed and working.
        self.installed = self.prefix / "MANIFEST.json"
        # Model files the installer placed, with the size, mtime and sha256 it saw.
        self.models_state = self.prefix / "models-state.json"

    def path(self, absolute: str) -> Path:
        """``absolute`` inside the root."""
        return self.root / absolute.lstrip("/")

    @staticmethod
    def machine() -> str:
        return platform.machine()

    @staticmethod
    def python_version() -> str:
        return f"{sys.version_info[0]}.{sys.version_info[1]}"

    def has_model(self, bundle_path: str, pin: dict) -> bool:
        """A model file of the bundle is already in place with the right size (cheap check)."""
        target = self.models / bundle_path.removeprefix("models/")
        return target.is_file() and target.stat().st_size == pin["size"]


def run(command: list[str], purpose: str) -> None:
    """Run ``command``; its last lines of output become the error when it fails."""
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-6:])
        raise InstallError(f"could not {purpose} ({' '.join(command[:3])}): {tail}",
                           "fix the cause above and run the installer again")


def read_json(path: Path) -> dict:
    """The JSON object in ``path``, or {} when it is absent or unreadable (never installed)."""
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` in one rename, so a crash leaves the old or the new file, not half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.install")
    partial.write_text(text)
    os.replace(partial, path)


def copy_if_different(source: Path, target: Path) -> bool:
    """Copy unless ``target`` already has the same bytes; True when it copied."""
    if target.exists() and not target.is_symlink() and filecmp.cmp(source, target,
                                                                   shallow=False):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    shutil.copyfile(source, target)
    return True
