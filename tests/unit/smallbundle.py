"""A signed bundle of a few bytes, and a root that trusts its key: for the tests of
voicebox.bundle.tamper's changed copies and of pi-emulate's step that has them refused."""

from __future__ import annotations

import tarfile
from pathlib import Path

from voicebox.bundle.build import TOP, seal
from voicebox.bundle.signing import ensure_key, public_key


def small_bundle(tmp_path: Path) -> Path:
    """Two wheels and a models.lock, listed and signed by the key in tmp_path/key."""
    stage = tmp_path / "small" / TOP
    (stage / "wheels").mkdir(parents=True)
    (stage / "wheels" / "b-1.0-py3-none-any.whl").write_bytes(b"second wheel " * 50)
    (stage / "wheels" / "a-1.0-py3-none-any.whl").write_bytes(b"first wheel " * 50)
    (stage / "models.lock").write_text("# no models\n")
    seal(stage, ensure_key(tmp_path / "key"), {"version": "0.1.0"})
    bundle = tmp_path / "small.tar"
    with tarfile.open(bundle, "w") as archive:
        archive.add(stage, arcname=TOP)
    return bundle


def trusting_root(root: Path, key_dir: Path) -> Path:
    """``root`` made one that installed a bundle of the key in ``key_dir`` as far as a refusal
    can tell: that key trusted."""
    (root / "var" / "tmp").mkdir(parents=True)
    trusted = root / "etc" / "voicebox" / "bundle-signing.pem"
    trusted.parent.mkdir(parents=True)
    trusted.write_bytes(public_key(ensure_key(key_dir)))
    return root
