"""Helpers for the bundle tests: the installer as it travels, runs with no network, a root's
listing, cheap copies of an installed root, and the bundle less its models. Changed copies of a
bundle are voicebox.bundle.tamper's (pi-emulate's too).

Copies share the bundle's and the install's big files by hard link instead of writing them again
(a bundle is ~560 MB, an installed root ~1 GB). A shared file must never be written in place, so
the fixtures check afterwards that the originals are as they were (``Snapshot``).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

from voicebox.bundle.build import INSTALLER, TOP
from voicebox.bundle.tamper import changed, linked_copy

# An installed root's big directories (the releases and their venvs, the models), shared by
# hard link between its copies; everything else (/etc) is each copy's own.
INSTALL_SHARED = ("opt", "var")


@dataclass(frozen=True)
class Installed:
    """A box the bundle was installed into (the first install there), and the installer."""

    root: Path
    tool: Path


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


class Snapshot:
    """The size and mtime of every file under ``top``: a file written in place through a hard
    link changes both, so ``assert_unchanged`` finds a copy that damaged its original."""

    def __init__(self, top: Path) -> None:
        self.top = top
        self.files = _identities(top)

    def assert_unchanged(self) -> None:
        assert _identities(self.top) == self.files, f"a shared file under {self.top} changed"


def _identities(top: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(top).as_posix(): (p.lstat().st_size, p.lstat().st_mtime_ns)
            for p in top.rglob("*") if not p.is_dir() or p.is_symlink()}


def linked_install(source: Path, dest: Path) -> None:
    """The installed root ``source`` copied to ``dest``, its INSTALL_SHARED as hard links."""
    linked_copy(source, dest, INSTALL_SHARED)


def without_models(unpacked: Path, into: Path, key_dir: Path) -> Path:
    """The bundle's tree (unpacked at ``unpacked``) without its model files (~70% of it),
    signed by the key in ``key_dir`` like the bundle: for tests of refusals by signature, which
    come before the manifest's file list is used. Its files are hard links to ``unpacked``'s."""
    return changed(unpacked, into / TOP, lambda stage: shutil.rmtree(stage / "models"),
                   key_dir)
