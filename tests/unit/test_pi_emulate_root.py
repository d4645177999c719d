"""What pi-emulate compares to call the emulated root unchanged after a refused install
(scripts/pi_emulate_root.py's root_changes): any file written, added, removed or re-pointed
counts; a directory's mtime alone does not (the installer's scratch directory comes and goes).
And its step of refused copies (refuse_tampered) on a bundle of a few bytes, the installer run
here instead of in the emulated Pi."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from tests.unit.smallbundle import small_bundle, trusting_root
from voicebox.paths import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
import pi_emulate_root  # a module of scripts/pi-emulate, not a package
from pi_emulate_root import BUNDLE, INSTALLED, refuse_tampered, root_changes


def upper(tmp_path: Path) -> Path:
    """An overlay's upper layer after an install: a release, its symlink, a scratch parent."""
    layer = tmp_path / "upper"
    (layer / "opt" / "voicebox" / "releases" / "a").mkdir(parents=True)
    (layer / "opt" / "voicebox" / "releases" / "a" / "file").write_text("x")
    (layer / "opt" / "voicebox" / "current").symlink_to("releases/a")
    (layer / "var" / "tmp").mkdir(parents=True)
    return layer


def test_scratch_that_came_and_went_is_no_change(tmp_path: Path) -> None:
    layer = upper(tmp_path)
    before = root_changes(layer)
    (layer / "var" / "tmp" / "voicebox-install-1").mkdir()
    (layer / "var" / "tmp" / "voicebox-install-1").rmdir()
    os.utime(layer / "var" / "tmp", ns=(1, 1))
    assert root_changes(layer) == before


def test_a_file_rewritten_added_or_a_symlink_moved_is_a_change(tmp_path: Path) -> None:
    layer = upper(tmp_path)
    before = root_changes(layer)
    (layer / "opt" / "voicebox" / "releases" / "a" / "file").write_text("y")
    os.utime(layer / "opt" / "voicebox" / "releases" / "a" / "file", ns=(2, 2))
    assert root_changes(layer) != before
    layer = upper(tmp_path / "2")
    before = root_changes(layer)
    (layer / "opt" / "voicebox" / "releases" / "b").mkdir()
    assert set(root_changes(layer)) - set(before) == {"opt/voicebox/releases/b"}
    layer = upper(tmp_path / "3")
    before = root_changes(layer)
    (layer / "opt" / "voicebox" / "current").unlink()
    (layer / "opt" / "voicebox" / "current").symlink_to("releases/b")
    changed = root_changes(layer)
    assert {k for k in changed if changed[k] != before[k]} >= {"opt/voicebox/current"}


def test_the_bundle_is_unpacked_once_and_its_three_copies_refused(tmp_path: Path,
                                                                    monkeypatch) -> None:
    home = tmp_path / "home"
    (home / "dist").mkdir(parents=True)
    shutil.move(small_bundle(tmp_path), home / "dist" / BUNDLE)
    layer = trusting_root(home / "overlay" / "upper", tmp_path / "key")
    (layer / INSTALLED).parent.mkdir(parents=True)
    (layer / INSTALLED).symlink_to("releases/a")

    def on_this_machine(home: Path, rootfs: Path, command: list[str]) -> list[str]:
        bundle = home / command[-1].removeprefix("/mnt/voicebox/")
        return [sys.executable, str(PROJECT_ROOT / "scripts" / "install"), "--root",
                str(layer), str(bundle)]

    monkeypatch.setattr(pi_emulate_root, "in_pi", on_this_machine)
    said = refuse_tampered(home, tmp_path / "rootfs", "cortex-a76")
    assert said.startswith("3 changed copies made here from the bundle unpacked once")
    assert said.count("refused (exit 1)") == 3, said
    assert not (home / "tampered").exists()
