"""Upgrades from one bundle to the next in a scratch root, offline: each bundle is a release of
its own, ``current`` is switched to it, the one before is kept, older ones are pruned, and a
release whose `voicebox check` fails is rolled back.

Needs root (unshare), as CI has.
"""

from __future__ import annotations

import os
from pathlib import Path

from tests.integration.bundles import Installed, install, offline
from voicebox.bundle.tamper import rebuilt


def releases(root: Path) -> dict[str, str]:
    """Where ``current`` and ``previous`` point, and which release directories exist."""
    prefix = root / "opt" / "voicebox"
    links = {name: Path(os.readlink(prefix / name)).name for name in ("current", "previous")
             if (prefix / name).is_symlink()}
    return {**links, "all": " ".join(sorted(d.name for d in (prefix / "releases").iterdir()))}


def with_lock_note(note: str):
    """A models.lock change that leaves it valid: a new release, which passes its check."""
    def change(stage: Path) -> None:
        lock = stage / "models.lock"
        lock.write_text(lock.read_text() + f"\n# {note}\n")
    return change


def break_the_lock(stage: Path) -> None:
    """A models.lock the installed `voicebox check` refuses."""
    lock = stage / "models.lock"
    lock.write_text(lock.read_text().replace("version = 1", "version = 99", 1))


def test_an_upgrade_switches_keeps_the_previous_release_and_prunes_older_ones(
        installed: Installed, unpacked: Path, tmp_path: Path, signing_key_dir: Path) -> None:
    root, tool = installed.root, installed.tool
    first = releases(root)["current"]
    second_bundle = rebuilt(unpacked, tmp_path / "b", with_lock_note("second"),
                            signing_key_dir)
    upgraded = install(second_bundle, root, tool)
    assert upgraded.returncode == 0, upgraded.stdout + upgraded.stderr
    second = releases(root)["current"]
    assert second != first
    assert releases(root) == {"current": second, "previous": first,
                              "all": " ".join(sorted((first, second)))}
    assert "# second" in (root / "etc" / "voicebox" / "models.lock").read_text()

    third = install(rebuilt(unpacked, tmp_path / "c", with_lock_note("third"),
                            signing_key_dir), root, tool)
    assert third.returncode == 0, third.stdout + third.stderr
    after = releases(root)
    assert after["previous"] == second
    assert after["all"] == " ".join(sorted((second, after["current"])))
    assert "1 old releases pruned" in third.stdout


def test_a_failing_check_after_an_upgrade_rolls_back_to_the_previous_release(
        installed: Installed, unpacked: Path, tmp_path: Path, signing_key_dir: Path) -> None:
    root, tool = installed.root, installed.tool
    good = releases(root)
    record = (root / "opt" / "voicebox" / "MANIFEST.json").read_text()
    lock = (root / "etc" / "voicebox" / "models.lock").read_text()
    bad = rebuilt(unpacked, tmp_path / "bad", break_the_lock, signing_key_dir)

    failed = install(bad, root, tool)
    assert failed.returncode == 1
    assert "FAIL models.lock" in failed.stdout
    assert f"rolled back to {good['current']}" in failed.stdout
    assert releases(root) == good
    assert (root / "opt" / "voicebox" / "MANIFEST.json").read_text() == record
    assert (root / "etc" / "voicebox" / "models.lock").read_text() == lock
    voicebox = root / "opt" / "voicebox" / "current" / ".venv" / "bin" / "voicebox"
    config = root / "etc" / "voicebox" / "voicebox.toml"
    assert offline(voicebox, "--config", config, "check").returncode == 0

    again = install(bad, root, tool)
    assert again.returncode == 1
    assert "nothing to do" not in again.stdout
    assert "rolled back" in again.stdout
