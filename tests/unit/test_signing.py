"""The build machine's signing key: made once, private to its owner, and reused."""

from __future__ import annotations

import stat
import subprocess
from pathlib import Path

from voicebox.bundle.signing import PUBLIC, ensure_key, public_key, sign


def test_the_key_is_made_once_private_and_then_reused(tmp_path: Path) -> None:
    directory = tmp_path / "signing"
    key = ensure_key(directory)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    first = public_key(key)
    assert first.startswith(b"-----BEGIN PUBLIC KEY-----")
    assert (directory / PUBLIC).read_bytes() == first
    assert ensure_key(directory) == key
    assert public_key(key) == first


def test_a_signature_verifies_over_the_exact_bytes_only(tmp_path: Path) -> None:
    key = ensure_key(tmp_path / "signing")
    message, signature = tmp_path / "MANIFEST.json", tmp_path / "MANIFEST.json.sig"
    message.write_text('{"version": "0.1.0"}')
    sign(key, message, signature)
    assert len(signature.read_bytes()) == 64

    def verify() -> int:
        return subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey",
                               str(tmp_path / "signing" / PUBLIC), "-rawin", "-in",
                               str(message), "-sigfile", str(signature)],
                              capture_output=True, check=False).returncode

    assert verify() == 0
    message.write_text('{"version": "0.1.1"}')
    assert verify() != 0
