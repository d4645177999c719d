"""Helpers for the bundle tests: the installer as it travels, runs with no network, and
changed copies of a bundle (damaged, or rebuilt with a different models.lock)."""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path

from voicebox.bundle.build import INSTALLER, TOP
from voicebox.bundle.signing import ensure_key, public_key, sign
from voicebox.models.store import sha256_of


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


def tampered(bundle: Path, work: Path, change: Callable[[Path], None]) -> Path:
    """A copy of the bundle with ``change`` applied to its unpacked tree (the manifest is left
    as it was: the change is damage the installer must find)."""
    unpacked = work / "unpacked"
    with tarfile.open(bundle) as archive:
        archive.extractall(unpacked, filter="data")
    change(unpacked / TOP)
    copy = work / "tampered.tar"
    with tarfile.open(copy, "w") as archive:
        archive.add(unpacked / TOP, arcname=TOP)
    return copy


def rebuilt(bundle: Path, work: Path, change: Callable[[Path], None], key_dir: Path) -> Path:
    """A copy of the bundle with ``change`` applied, its manifest made to match and signed by
    the key in ``key_dir`` (made if absent), as make-bundle would have built it there."""
    def change_and_list(stage: Path) -> None:
        change(stage)
        key = ensure_key(key_dir)
        (stage / "signing-key.pem").write_bytes(public_key(key))
        manifest = json.loads((stage / "MANIFEST.json").read_text())
        manifest["files"] = {
            p.relative_to(stage).as_posix(): {"size": p.stat().st_size, "sha256": sha256_of(p)}
            for p in sorted(stage.rglob("*")) if p.is_file() and not p.name.startswith(
                "MANIFEST.json")}
        (stage / "MANIFEST.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
        sign(key, stage / "MANIFEST.json", stage / "MANIFEST.json.sig")

    return tampered(bundle, work, change_and_list)
