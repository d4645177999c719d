"""The bundle's signature, in a scratch root, offline: the first install records the key its
bundle carries; an update must be signed by that key, and one that is unsigned, signed by
another key or whose manifest was changed after signing is refused before anything changes.

The refused bundles are the real one less its model files (``unpacked_without_models``): the
signature is checked before anything in the bundle's file list is read, and leaving out the
models spares unpacking ~400 MB for each refusal. Needs root (unshare), as CI has.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.bundles import Installed, install, installer, tree
from voicebox.bundle.tamper import raise_the_version, rebuilt, tampered

TRUSTED = Path("etc") / "voicebox" / "bundle-signing.pem"


def note_in_the_lock(stage: Path) -> None:
    lock = stage / "models.lock"
    lock.write_text(lock.read_text() + "\n# an update\n")


def drop_the_signature(stage: Path) -> None:
    (stage / "MANIFEST.json.sig").unlink()


def test_the_first_install_records_the_bundle_key(installed: Installed, signing_key_dir: Path
                                                  ) -> None:
    trusted = (installed.root / TRUSTED).read_text()
    assert trusted == (signing_key_dir / "ed25519.pub.pem").read_text()


def test_an_update_signed_by_the_same_key_is_accepted(installed: Installed, unpacked: Path,
                                                      tmp_path: Path, signing_key_dir: Path
                                                      ) -> None:
    update = rebuilt(unpacked, tmp_path / "update", note_in_the_lock, signing_key_dir)
    done = install(update, installed.root, installed.tool)
    assert done.returncode == 0, done.stdout + done.stderr


def test_an_update_signed_by_another_key_is_refused(
        installed: Installed, unpacked_without_models: Path, tmp_path: Path) -> None:
    root = installed.root
    before = tree(root)
    foreign = rebuilt(unpacked_without_models, tmp_path / "foreign", note_in_the_lock,
                      tmp_path / "other-key")
    refused = install(foreign, root, installed.tool)
    assert refused.returncode == 1
    assert "the bundle was signed by another key" in refused.stderr
    assert f"remove {root / TRUSTED}" in refused.stderr
    assert tree(root) == before


@pytest.mark.parametrize(("change", "message"), [
    (raise_the_version, "the manifest's signature does not verify"),
    (drop_the_signature, "the bundle is not signed"),
])
def test_an_update_changed_after_signing_or_unsigned_is_refused(
        installed: Installed, unpacked_without_models: Path, tmp_path: Path, change,
        message: str) -> None:
    root = installed.root
    before = tree(root)
    changed = tampered(unpacked_without_models, tmp_path / "changed", change)
    refused = install(changed, root, installed.tool)
    assert refused.returncode == 1
    assert message in refused.stderr
    assert tree(root) == before


def test_a_first_install_of_a_changed_manifest_is_refused_too(
        bundle: Path, unpacked_without_models: Path, root: Path, tmp_path: Path) -> None:
    tool = installer(bundle, tmp_path / "tool")
    changed = tampered(unpacked_without_models, tmp_path / "changed", raise_the_version)
    refused = install(changed, root, tool)
    assert refused.returncode == 1
    assert "the manifest's signature does not verify" in refused.stderr
    assert not (root / TRUSTED).exists()
