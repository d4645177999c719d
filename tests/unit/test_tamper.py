"""The changed copies pi-emulate has the emulated Pi refuse (voicebox.bundle.tamper), made from
a bundle of a few bytes and given to the real installer: each is refused for its own reason,
in the words pi-emulate requires, with the root left as it was. Fast, and no root needed: the
installer refuses before it would reach the network or anything of the system."""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
from pathlib import Path

from voicebox.bundle.build import TOP
from voicebox.bundle.signing import ensure_key, public_key
from voicebox.bundle.tamper import Refusal, rebuilt, refusals
from voicebox.paths import PROJECT_ROOT


def small_bundle(tmp_path: Path) -> Path:
    """Two wheels and a models.lock, listed and signed by the key in tmp_path/key."""
    stage = tmp_path / "small" / TOP
    (stage / "wheels").mkdir(parents=True)
    (stage / "wheels" / "b-1.0-py3-none-any.whl").write_bytes(b"second wheel " * 50)
    (stage / "wheels" / "a-1.0-py3-none-any.whl").write_bytes(b"first wheel " * 50)
    (stage / "models.lock").write_text("# no models\n")
    (stage / "MANIFEST.json").write_text(json.dumps({"version": "0.1.0"}))
    unsigned = tmp_path / "small.tar"
    with tarfile.open(unsigned, "w") as archive:
        archive.add(stage, arcname=TOP)
    return rebuilt(unsigned, tmp_path / "signed", lambda _: None, tmp_path / "key")


def listing(root: Path) -> list[tuple[str, int]]:
    return sorted((p.relative_to(root).as_posix(), p.stat().st_mtime_ns)
                  for p in root.rglob("*") if p.is_file())


def test_each_copy_is_refused_for_its_reason_and_the_root_is_left_as_it_was(
        tmp_path: Path) -> None:
    bundle = small_bundle(tmp_path)
    root = tmp_path / "root"
    (root / "var" / "tmp").mkdir(parents=True)
    trusted = root / "etc" / "voicebox" / "bundle-signing.pem"  # as after a first install
    trusted.parent.mkdir(parents=True)
    trusted.write_bytes(public_key(ensure_key(tmp_path / "key")))
    before = listing(root)
    copies = refusals(bundle, tmp_path / "copies")
    assert [copy.message for copy in copies] == [
        "wheels/a-1.0-py3-none-any.whl: expected sha256",
        "the manifest's signature does not verify", "the bundle was signed by another key"]
    for copy in copies:
        done = subprocess.run([sys.executable, str(PROJECT_ROOT / "scripts" / "install"),
                               "--root", str(root), str(copy.bundle)],
                              capture_output=True, text=True, check=False)
        assert copy.problems(done.returncode, done.stderr) == [], (copy.what, done.stderr)
        assert listing(root) == before
    assert not (tmp_path / "copies" / "wheel" / "unpacked").exists()


def test_an_install_or_another_refusal_is_not_taken_for_the_right_one() -> None:
    copy = Refusal("x", Path("x.tar"), "the manifest's signature does not verify")
    assert copy.problems(0, "install: all checks passed") == [
        "the installer exited 0", "no \"the manifest's signature does not verify\" in its "
        "output", "no 'nothing was changed' in its output"]
    assert copy.problems(1, "install: the bundle is not signed; refused, nothing was "
                            "changed") == [
        "no \"the manifest's signature does not verify\" in its output"]
