"""Helpers for the bundle tests: the installer as it travels, runs with no network, changed
copies of a bundle (damaged, or rebuilt with a different models.lock), and cheap copies of an
installed root.

Copies share the bundle's and the install's big files by hard link instead of writing them again
(a bundle is ~560 MB, an installed root ~1 GB; each changed bundle used to be unpacked whole and
packed again). A shared file must never be written in place, so each copy checks afterwards
that its originals are as they were (``Snapshot``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from voicebox.bundle.build import INSTALLER, TOP
from voicebox.bundle.signing import ensure_key, public_key, sign
from voicebox.models.store import sha256_of

# Under these, files are big and shared by hard link; everything else in a copy is its own.
SHARED_DIRS = ("models", "wheels", "opt", "var")


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


def linked_copy(source: Path, dest: Path) -> None:
    """``source`` copied to ``dest`` (metadata and symlinks kept): files under SHARED_DIRS
    as hard links, all others as files of their own."""
    dest.mkdir(parents=True)
    for entry in source.iterdir():
        link = ["--link"] if entry.name in SHARED_DIRS else []
        subprocess.run(["cp", "-a", *link, str(entry), str(dest / entry.name)], check=True)


def unpack(bundle: Path, into: Path) -> Path:
    """The bundle's tree, unpacked once to be shared by every changed copy of it."""
    with tarfile.open(bundle) as archive:
        archive.extractall(into, filter="data")
    return into / TOP


def tampered(unpacked: Path, work: Path, change: Callable[[Path], None]) -> Path:
    """A copy of the bundle with ``change`` applied to its tree (the manifest is left as it
    was: the change is damage the installer must find). ``change`` must replace a shared file
    (unlink, then write), never write into it."""
    stage = work / "unpacked" / TOP
    original = Snapshot(unpacked)
    linked_copy(unpacked, stage)
    change(stage)
    original.assert_unchanged()
    copy = work / "tampered.tar"
    with tarfile.open(copy, "w") as archive:
        archive.add(stage, arcname=TOP)
    shutil.rmtree(stage.parent)
    return copy


def rebuilt(unpacked: Path, work: Path, change: Callable[[Path], None], key_dir: Path
            ) -> Path:
    """A copy of the bundle with ``change`` applied, its manifest made to match and signed by
    the key in ``key_dir`` (made if absent), as make-bundle would have built it there."""
    def change_and_sign(stage: Path) -> None:
        change(stage)
        signed(stage, unpacked, key_dir)

    return tampered(unpacked, work, change_and_sign)


def signed(stage: Path, unpacked: Path, key_dir: Path) -> None:
    """List every file of ``stage`` in its manifest and sign it, as make-bundle does. A file
    still linked to ``unpacked``'s (the same bytes) keeps its pin there instead of being read
    again."""
    pins = json.loads((unpacked / "MANIFEST.json").read_text())["files"]

    def pin(path: Path) -> dict:
        name = path.relative_to(stage).as_posix()
        if name in pins and (unpacked / name).exists() and path.samefile(unpacked / name):
            return pins[name]
        return {"size": path.stat().st_size, "sha256": sha256_of(path)}

    key = ensure_key(key_dir)
    (stage / "signing-key.pem").write_bytes(public_key(key))
    manifest = json.loads((stage / "MANIFEST.json").read_text())
    manifest["files"] = {p.relative_to(stage).as_posix(): pin(p) for p in sorted(
        stage.rglob("*")) if p.is_file() and not p.name.startswith("MANIFEST.json")}
    (stage / "MANIFEST.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
    sign(key, stage / "MANIFEST.json", stage / "MANIFEST.json.sig")


def without_models(unpacked: Path, into: Path, key_dir: Path) -> Path:
    """The bundle's tree without its model files (~70% of it), signed like the bundle: for
    tests of refusals by signature, which come before the manifest's file list is used."""
    stage = into / TOP
    linked_copy(unpacked, stage)
    shutil.rmtree(stage / "models")
    signed(stage, unpacked, key_dir)
    return stage
