"""Changed copies of a signed bundle, to show that the installer refuses them before it changes
anything. The host's installer tests and ``scripts/pi-emulate`` (inside the emulated Pi) make
them with these same functions, so the refusals proved on both are of the same damage, in the
same words.

The bundle is unpacked once (``unpack``); every changed copy is made from that tree, sharing
its wheels and models by hard link instead of writing them again (a bundle is ~560 MB), and is
packed into a tar of its own. ``tampered`` changes a copy after it was signed (its manifest left
as it was: damage the installer must find); ``rebuilt`` lists and signs the changed copy again,
as make-bundle would have built it with the key given (a genuine update, or a bundle from
another build machine), reading again only the files not shared: the copy's own small ones
and those the change replaced.

A change must never write into a shared file, which would change the unpacked tree and every
other copy with it: it replaces the file (unlink or rename over it, then write), as
``flip_a_byte`` does. Files outside the shared directories are each copy's own.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from voicebox.bundle.build import TOP, seal
from voicebox.bundle.signing import ensure_key

Change = Callable[[Path], None]
# A bundle's big directories: a changed copy shares their files with the unpacked tree.
SHARED = ("models", "wheels")
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


def unpack(bundle: Path, into: Path) -> Path:
    """The bundle's tree, unpacked once into ``into`` to be shared by every changed copy."""
    with tarfile.open(bundle) as archive:
        archive.extractall(into, filter="data")
    return into / TOP


def linked_copy(source: Path, dest: Path, shared: Iterable[str] = SHARED) -> None:
    """``source`` copied to ``dest`` (metadata and symlinks kept): the entries of ``source``
    named in ``shared`` with every file in them as a hard link, all others as files of their
    own."""
    dest.mkdir(parents=True)
    shared = set(shared)
    for entry in source.iterdir():
        link = ["--link"] if entry.name in shared else []
        subprocess.run(["cp", "-a", *link, str(entry), str(dest / entry.name)], check=True)


def changed(unpacked: Path, stage: Path, change: Change, key_dir: Path | None = None) -> Path:
    """``unpacked`` copied to ``stage`` (``linked_copy``) with ``change`` applied; with
    ``key_dir``, then listed and signed by the key there (made if absent) as make-bundle would
    have, the pins of files still linked to ``unpacked`` taken from its manifest. ``stage``."""
    linked_copy(unpacked, stage)
    change(stage)
    if key_dir is not None:
        seal(stage, ensure_key(key_dir), json.loads((stage / "MANIFEST.json").read_text()),
             linked_to=unpacked)
    return stage


def tampered(unpacked: Path, work: Path, change: Change) -> Path:
    """A copy of the bundle unpacked at ``unpacked``, with ``change`` applied, packed in
    ``work`` (the manifest is left as it was: the change is damage the installer must find)."""
    return _packed(changed(unpacked, work / "unpacked" / TOP, change), work / "tampered.tar")


def rebuilt(unpacked: Path, work: Path, change: Change, key_dir: Path) -> Path:
    """A copy of the bundle unpacked at ``unpacked``, with ``change`` applied, its manifest
    made to match and signed by the key in ``key_dir`` (made if absent), as make-bundle would
    have built it there; packed in ``work``."""
    return _packed(changed(unpacked, work / "unpacked" / TOP, change, key_dir),
                   work / "rebuilt.tar")


def _packed(stage: Path, copy: Path) -> Path:
    """``stage`` packed into the tar ``copy``; ``stage``'s directory removed (a file the change
    replaced is its own, as big as a model)."""
    with tarfile.open(copy, "w") as archive:
        archive.add(stage, arcname=TOP)
    shutil.rmtree(stage.parent)
    return copy


def flip_a_byte(path: Path, offset: int) -> None:
    """Invert the lowest bit of the byte at ``offset``: the same size, another sha256. The
    change is made in a copy that then replaces ``path``, so a file ``path`` shares by hard
    link is left as it was."""
    flipped = path.with_name(f"{path.name}.flipped")
    shutil.copyfile(path, flipped)
    with flipped.open("r+b") as handle:
        handle.seek(offset)
        byte = handle.read(1)
        handle.seek(offset)
        handle.write(bytes([byte[0] ^ 0x01]))
    flipped.replace(path)


def raise_the_version(stage: Path) -> None:
    """A manifest changed after it was signed (its files untouched)."""
    manifest = json.loads((stage / "MANIFEST.json").read_text())
    manifest["version"] = "9.9.9"
    (stage / "MANIFEST.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))


def refusals(unpacked: Path, work: Path) -> list[Refusal]:
    """Three copies (in ``work``) of the bundle unpacked at ``unpacked`` that a box which
    installed it must refuse: one byte of a wheel changed (the manifest's sha256 finds it), the
    manifest changed after signing (its signature finds it), and the bundle listed and signed
    again by another build machine's key (refused only where this bundle's key is trusted
    already, i.e. after a first install)."""
    wheel = f"wheels/{min(p.name for p in (unpacked / 'wheels').glob('*.whl'))}"

    def flip_a_wheel_byte(stage: Path) -> None:
        flip_a_byte(stage / wheel, (stage / wheel).stat().st_size // 2)

    return [
        Refusal("one byte of a wheel changed", tampered(unpacked, work / "wheel",
                                                        flip_a_wheel_byte),
                f"{wheel}: expected sha256"),
        Refusal("the manifest changed after signing", tampered(unpacked, work / "manifest",
                                                               raise_the_version),
                "the manifest's signature does not verify"),
        Refusal("signed by another key", rebuilt(unpacked, work / "foreign", lambda _: None,
                                                 work / "foreign" / "key"),
                "the bundle was signed by another key"),
    ]
