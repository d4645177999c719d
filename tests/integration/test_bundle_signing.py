"""The bundle's signature, in a scratch root, offline: the first install records the key its
bundle carries; an update must be signed by that key, and one that is unsigned, signed by
another key or whose manifest was changed after signing is refused before anything changes.

Needs root (unshare), as CI has.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.bundles import install, installer, tree
from voicebox.bundle.tamper import raise_the_version, rebuilt, tampered

TRUSTED = Path("etc") / "voicebox" / "bundle-signing.pem"


def note_in_the_lock(stage: Path) -> None:
    lock = stage / "models.lock"
    lock.write_text(lock.read_text() + "\n# an update\n")


def drop_the_signature(stage: Path) -> None:
    (stage / "MANIFEST.json.sig").unlink()


def installed_once(bundle: Path, root: Path, tmp_path: Path) -> Path:
    """Install ``bundle`` into ``root``; the installer it carries."""
    tool = installer(bundle, tmp_path / "tool")
    first = install(bundle, root, tool)
    assert first.returncode == 0, first.stdout + first.stderr
    return tool


def test_the_first_install_records_the_bundle_key(bundle: Path, root: Path,
                                                  tmp_path: Path, signing_key_dir: Path
                                                  ) -> None:
    installed_once(bundle, root, tmp_path)
    assert (root / TRUSTED).read_text() == (signing_key_dir / "ed25519.pub.pem").read_text()


def test_an_update_signed_by_the_same_key_is_accepted(bundle: Path, root: Path,
                                                      tmp_path: Path, signing_key_dir: Path
                                                      ) -> None:
    tool = installed_once(bundle, root, tmp_path)
    update = rebuilt(bundle, tmp_path / "update", note_in_the_lock, signing_key_dir)
    done = install(update, root, tool)
    assert done.returncode == 0, done.stdout + done.stderr


def test_an_update_signed_by_another_key_is_refused(bundle: Path, root: Path,
                                                    tmp_path: Path) -> None:
    tool = installed_once(bundle, root, tmp_path)
    before = tree(root)
    foreign = rebuilt(bundle, tmp_path / "foreign", note_in_the_lock, tmp_path / "other-key")
    refused = install(foreign, root, tool)
    assert refused.returncode == 1
    assert "the bundle was signed by another key" in refused.stderr
    assert f"remove {root / TRUSTED}" in refused.stderr
    assert tree(root) == before


@pytest.mark.parametrize(("change", "message"), [
    (raise_the_version, "the manifest's signature does not verify"),
    (drop_the_signature, "the bundle is not signed"),
])
def test_an_update_changed_after_signing_or_unsigned_is_refused(
        bundle: Path, root: Path, tmp_path: Path, change, message: str) -> None:
    tool = installed_once(bundle, root, tmp_path)
    before = tree(root)
    refused = install(tampered(bundle, tmp_path / "changed", change), root, tool)
    assert refused.returncode == 1
    assert message in refused.stderr
    assert tree(root) == before


def test_a_first_install_of_a_changed_manifest_is_refused_too(bundle: Path, root: Path,
                                                              tmp_path: Path) -> None:
    tool = installer(bundle, tmp_path / "tool")
    refused = install(tampered(bundle, tmp_path / "changed", raise_the_version), root, tool)
    assert refused.returncode == 1
    assert "the manifest's signature does not verify" in refused.stderr
    assert not (root / TRUSTED).exists()
