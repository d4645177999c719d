"""What pi-emulate compares to call the emulated root unchanged after a refused install
(scripts/pi_emulate_root.py's root_changes): any file written, added, removed or re-pointed
counts; a directory's mtime alone does not (the installer's scratch directory comes and goes)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from voicebox.paths import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
from pi_emulate_root import root_changes  # a module of scripts/pi-emulate, not a package


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
