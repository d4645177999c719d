"""Signing the bundle's manifest with the build machine's ed25519 key.

The manifest lists every file of the bundle with its sha256, so signing it signs the bundle.
The key is made once per build machine with ``openssl genpkey -algorithm ed25519`` (OpenSSL 3
is on every Debian and Raspberry Pi OS machine; no Python dependency is added) and kept in
``~/.config/voicebox/signing/`` (``$VOICEBOX_SIGNING_DIR`` or ``$XDG_CONFIG_HOME`` move it),
never in the repository. The signature is ``openssl pkeyutl -sign -rawin`` over the manifest's
exact bytes (pure Ed25519, RFC 8032); the installer checks it against the public key it
trusts, which the first install took from its bundle (``scripts/install_trust.py``).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from voicebox.bundle.wheels import BundleError

PRIVATE = "ed25519.pem"
PUBLIC = "ed25519.pub.pem"


def signing_dir() -> Path:
    """Where this machine keeps its bundle signing key."""
    if "VOICEBOX_SIGNING_DIR" in os.environ:
        return Path(os.environ["VOICEBOX_SIGNING_DIR"])
    config = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(config) / "voicebox" / "signing"


def ensure_key(directory: Path) -> Path:
    """The private key in ``directory``, made (readable by its owner only) if absent."""
    key = directory / PRIVATE
    if key.is_file():
        return key
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = directory / f".{PRIVATE}.new"
    partial.unlink(missing_ok=True)
    partial.touch(mode=0o600)
    _openssl(["genpkey", "-algorithm", "ed25519", "-out", str(partial)], "make the signing key")
    os.replace(partial, key)
    _openssl(["pkey", "-in", str(key), "-pubout", "-out", str(directory / PUBLIC)],
             "write the public key")
    return key


def public_key(key: Path) -> bytes:
    """The PEM public key of the private ``key`` (what the bundle carries to the Pi)."""
    return _openssl(["pkey", "-in", str(key), "-pubout"], "read the public key")


def sign(key: Path, message: Path, signature: Path) -> None:
    """Write the raw 64-byte Ed25519 signature of ``message``'s bytes to ``signature``."""
    _openssl(["pkeyutl", "-sign", "-inkey", str(key), "-rawin", "-in", str(message),
              "-out", str(signature)], "sign the manifest")


def _openssl(arguments: list[str], purpose: str) -> bytes:
    try:
        result = subprocess.run(["openssl", *arguments], capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise BundleError(f"cannot {purpose}: openssl is not installed",
                          hint="apt-get install openssl") from exc
    if result.returncode != 0:
        raise BundleError(f"cannot {purpose}: openssl {arguments[0]} failed: "
                          f"{result.stderr.decode(errors='replace').strip()[-300:]}",
                          hint="check the key in " + str(signing_dir()) + " (remove it to "
                               "make a new one; Pis that trust the old key then refuse "
                               "updates until their trusted key is replaced)")
    return result.stdout
