"""Helpers for the bundle tests: the installer as it travels, runs with no network, and a
root's listing. Changed copies of a bundle are voicebox.bundle.tamper's (pi-emulate's too)."""

from __future__ import annotations

import subprocess
import sys
import tarfile
from pathlib import Path

from voicebox.bundle.build import INSTALLER, TOP


def installer(bundle: Path, into: Path) -> Path:
    """The installer as it travels: inside the bundle."""
    with tarfile.open(bundle) as archive:
        for name in INSTALLER:
            archive.extract(f"{TOP}/{name}", into, filter="data")
    return into / TOP / "install"


def offline(*command: str | Path) -> subprocess.CompletedProcess:
    """Run with no network at all: a fresh network namespace has only a down loopback."""
    return subprocess.run(["unshare", "--net", *map(str, command)], capture_output=True,
                          text=True, check=False)


def install(bundle: Path, root: Path, tool: Path) -> subprocess.CompletedProcess:
    """Run the installer ``tool`` on ``bundle`` into ``root``, offline."""
    return offline(sys.executable, tool, "--root", root, bundle)


def tree(path: Path) -> list[str]:
    return sorted(p.relative_to(path).as_posix() for p in path.rglob("*"))

