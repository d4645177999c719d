"""Changed copies of a signed bundle, to show that the installer refuses them before it changes
anything. The host's installer tests and ``scripts/pi-emulate`` (inside the emulated Pi) make
them with these same functions, so the refusals proved on both are of the same damage, in the
same words.

``tampered`` changes a copy after it was signed (its manifest left as it was: damage the
installer must find); ``rebuilt`` lists and signs the changed copy again, as make-bundle would
have built it with the key given (a genuine update, or a bundle from another build machine).
"""

from __future__ import annotations

import json
import shutil
import tarfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from voicebox.bundle.build import TOP, seal
from voicebox.bundle.signing import ensure_key

Change = Callable[[Path], None]
# In every refusal before the installer changes anything, whatever the reason.
UNCHANGED = "nothing was changed"


@dataclass(frozen=True)
class Refusal:
    """A changed copy of a bundle and the words that must be in the installer's refusal."""

    what: str
    bundle: Path
    message: str

    def problems(self, returncode: int, output: str) -> list[str]:
        """What is wrong with the installer's answer to this copy (nothing: refused right)."""
        wrong = [] if returncode != 0 else ["the installer exited 0"]
        return wrong + [f"no {said!r} in its output" for said in (self.message, UNCHANGED)
                        if said not in output]


def tampered(bundle: Path, work: Path, change: Change) -> Path:
    """A copy of the bundle with ``change`` applied to its unpacked tree (the manifest is left
    as it was: the change is damage the installer must find)."""
    unpacked = work / "unpacked"
    with tarfile.open(bundle) as archive:
        archive.extractall(unpacked, filter="data")
    change(unpacked / TOP)
    copy = work / "tampered.tar"
    with tarfile.open(copy, "w") as archive:
        archive.add(unpacked / TOP, arcname=TOP)
    shutil.rmtree(unpacked)  # a Pi bundle unpacked is another half gigabyte
    return copy


def rebuilt(bundle: Path, work: Path, change: Change, key_dir: Path) -> Path:
    """A copy of the bundle with ``change`` applied, its manifest made to match and signed by
    the key in ``key_dir`` (made if absent), as make-bundle would have built it there."""
    def change_and_seal(stage: Path) -> None:
        change(stage)
        seal(stage, ensure_key(key_dir), json.loads((stage / "MANIFEST.json").read_text()))

    return tampered(bundle, work, change_and_seal)


def flip_a_byte(path: Path, offset: int) -> None:
    """Invert the lowest bit of the byte at ``offset``: the same size, another sha256."""
    with path.open("r+b") as handle:
        handle.seek(offset)
        byte = handle.read(1)
        handle.seek(offset)
        handle.write(bytes([byte[0] ^ 0x01]))


def raise_the_version(stage: Path) -> None:
    """A manifest changed after it was signed (its files untouched)."""
    manifest = json.loads((stage / "MANIFEST.json").read_text())
    manifest["version"] = "9.9.9"
    (stage / "MANIFEST.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))


def refusals(bundle: Path, work: Path) -> list[Refusal]:
    """Three copies of ``bundle`` (in ``work``) that a box which installed it must refuse: one
    byte of a wheel changed (the manifest's sha256 finds it), the manifest changed after signing
    (its signature finds it), and the bundle listed and signed again by another build machine's
    key (refused only where this bundle's key is trusted already, i.e. after a first install)."""
    with tarfile.open(bundle) as archive:
        wheel = min(name for name in archive.getnames()
                    if name.startswith(f"{TOP}/wheels/") and name.endswith(".whl"))
    wheel = wheel.removeprefix(f"{TOP}/")

    def flip_a_wheel_byte(stage: Path) -> None:
        flip_a_byte(stage / wheel, (stage / wheel).stat().st_size // 2)

    return [
        Refusal("one byte of a wheel changed", tampered(bundle, work / "wheel",
                                                        flip_a_wheel_byte),
                f"{wheel}: expected sha256"),
        Refusal("the manifest changed after signing", tampered(bundle, work / "manifest",
                                                               raise_the_version),
                "the manifest's signature does not verify"),
        Refusal("signed by another key", rebuilt(bundle, work / "foreign", lambda _: None,
                                                 work / "foreign" / "key"),
                "the bundle was signed by another key"),
    ]
