"""The changed copies pi-emulate has the emulated Pi refuse (voicebox.bundle.tamper), made from
a bundle of a few bytes unpacked once and given to the real installer: each is refused for its
own reason, in the words pi-emulate requires, with the root left as it was, and the unpacked
tree they share files with is left as it was too. A copy signed again reads only the files its
change replaced. Fast, and no root needed: the installer refuses before it would reach the
network or anything of the system."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.unit.smallbundle import small_bundle, trusting_root
from voicebox.bundle import build
from voicebox.bundle.build import TOP
from voicebox.bundle.tamper import Refusal, changed, flip_a_byte, refusals, unpack
from voicebox.models.store import sha256_of
from voicebox.paths import PROJECT_ROOT


def listing(root: Path) -> list[tuple[str, int]]:
    return sorted((p.relative_to(root).as_posix(), p.stat().st_mtime_ns)
                  for p in root.rglob("*") if p.is_file())


def contents(top: Path) -> dict[str, str]:
    return {p.relative_to(top).as_posix(): sha256_of(p) for p in top.rglob("*") if p.is_file()}


def test_each_copy_is_refused_for_its_reason_and_the_root_is_left_as_it_was(
        tmp_path: Path) -> None:
    unpacked = unpack(small_bundle(tmp_path), tmp_path / "unpacked")
    root = trusting_root(tmp_path / "root", tmp_path / "key")
    before, shared = listing(root), contents(unpacked)
    copies = refusals(unpacked, tmp_path / "copies")
    assert [copy.message for copy in copies] == [
        "wheels/a-1.0-py3-none-any.whl: expected sha256",
        "the manifest's signature does not verify", "the bundle was signed by another key"]
    assert contents(unpacked) == shared  # the copies replaced what they changed
    for copy in copies:
        done = subprocess.run([sys.executable, str(PROJECT_ROOT / "scripts" / "install"),
                               "--root", str(root), str(copy.bundle)],
                              capture_output=True, text=True, check=False)
        assert copy.problems(done.returncode, done.stderr) == [], (copy.what, done.stderr)
        assert listing(root) == before
    assert not (tmp_path / "copies" / "wheel" / "unpacked").exists()


def test_a_rebuilt_copy_reads_again_only_what_its_change_replaced(
        tmp_path: Path, monkeypatch) -> None:
    unpacked = unpack(small_bundle(tmp_path), tmp_path / "unpacked")
    read: list[str] = []
    monkeypatch.setattr(build, "sha256_of", lambda path: read.append(path.name) or sha256_of(
        path))
    stage = changed(unpacked, tmp_path / "copy" / TOP,
                    lambda stage: flip_a_byte(stage / "wheels" / "a-1.0-py3-none-any.whl", 3),
                    tmp_path / "key")
    assert sorted(read) == ["a-1.0-py3-none-any.whl", "models.lock", "signing-key.pem"]
    assert (stage / "wheels" / "b-1.0-py3-none-any.whl").samefile(
        unpacked / "wheels" / "b-1.0-py3-none-any.whl")
    monkeypatch.undo()
    assert json.loads((stage / "MANIFEST.json").read_text())["files"] == build.manifest_files(
        stage)


def test_an_install_or_another_refusal_is_not_taken_for_the_right_one() -> None:
    copy = Refusal("x", Path("x.tar"), "the manifest's signature does not verify")
    assert copy.problems(0, "install: all checks passed") == [
        "the installer exited 0", "no \"the manifest's signature does not verify\" in its "
        "output", "no 'nothing was changed' in its output"]
    assert copy.problems(1, "install: the bundle is not signed; refused, nothing was "
                            "changed") == [
        "no \"the manifest's signature does not verify\" in its output"]
