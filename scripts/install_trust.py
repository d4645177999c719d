"""The bundle's signature: its manifest must be signed by the key this box trusts.

The first install trusts the key its bundle carries (``signing-key.pem``) and records it in
``/etc/voicebox/bundle-signing.pem``; every later bundle must be signed by that key, so an
update is refused when it is unsigned, signed by another key, or its manifest was changed
after signing. The check runs before the manifest's file list is used.

Ed25519 verification is OpenSSL's, called through ctypes on the libcrypto that Python's own
hashlib and ssl modules link (always present on Raspberry Pi OS, where the ``openssl`` command
is not guaranteed): no key handling or curve arithmetic is done here, and nothing is added to
the Pi. Standard library only, like ``install``.
"""

from __future__ import annotations

import base64
import ctypes
import ctypes.util
import hashlib
from pathlib import Path

from install_base import InstallError, Layout, write_atomically

SIGNATURE = "MANIFEST.json.sig"
BUNDLE_KEY = "signing-key.pem"
# RFC 8410: an Ed25519 SubjectPublicKeyInfo is this DER prefix and the 32-byte key.
ED25519_SPKI = bytes.fromhex("302a300506032b6570032100")
EVP_PKEY_ED25519 = 1087  # NID_ED25519
REBUILD = "build the bundle again with scripts/make-bundle (it signs it) on the machine " \
          "that built this box's first bundle"


def check_signature(stage: Path, layout: Layout) -> str:
    """Refuse the bundle unless its manifest is signed by the trusted key (the bundle's own
    key on a first install). Returns the bundle's public key, to trust after the install."""
    signature = stage / SIGNATURE
    if not signature.is_file():
        raise InstallError(f"the bundle is not signed (no {SIGNATURE}); refused, nothing was "
                           f"changed", REBUILD)
    try:
        offered = (stage / BUNDLE_KEY).read_text()
    except (OSError, UnicodeDecodeError) as exc:
        raise InstallError(f"the bundle carries no readable public key ({BUNDLE_KEY}: {exc}); "
                           f"refused, nothing was changed", REBUILD) from exc
    trusted = layout.trusted_key.read_text() if layout.trusted_key.exists() else offered
    key = _raw_key(trusted, layout.trusted_key if layout.trusted_key.exists() else BUNDLE_KEY)
    if _raw_key(offered, BUNDLE_KEY) != key:
        raise InstallError(
            f"the bundle was signed by another key ({fingerprint(offered)}) than the one this "
            f"box trusts ({fingerprint(trusted)}, {layout.trusted_key}); refused, nothing was "
            f"changed",
            f"install a bundle built with the trusted key; if the build machine's key was "
            f"replaced on purpose, remove {layout.trusted_key} and run the installer again "
            f"(it then trusts the new key)")
    if not _verifies(key, signature.read_bytes(), (stage / "MANIFEST.json").read_bytes()):
        raise InstallError(
            f"the manifest's signature does not verify with the key {fingerprint(trusted)}: "
            f"MANIFEST.json was changed after it was signed; refused, nothing was changed",
            "copy the bundle again from where it was built; " + REBUILD)
    return offered


def trust(layout: Layout, key: str) -> None:
    """Record the first bundle's key; later installs only ever verify against it."""
    if not layout.trusted_key.exists():
        write_atomically(layout.trusted_key, key)
        print(f"install: trusting the bundle signing key {fingerprint(key)} from now on "
              f"({layout.trusted_key})", flush=True)


def fingerprint(pem: str) -> str:
    """A short, comparable name of a public key: sha256 of its 32 bytes."""
    try:
        return "sha256:" + hashlib.sha256(_raw_key(pem, "key")).hexdigest()[:16]
    except InstallError:
        return "an unreadable key"


def _raw_key(pem: str, where: object) -> bytes:
    """The 32 key bytes of a PEM Ed25519 public key."""
    body = "".join(line for line in pem.strip().splitlines() if not line.startswith("-----"))
    try:
        der = base64.b64decode(body, validate=True)
    except ValueError:
        der = b""
    if not pem.lstrip().startswith("-----BEGIN PUBLIC KEY-----") or not der.startswith(
            ED25519_SPKI) or len(der) != len(ED25519_SPKI) + 32:
        raise InstallError(f"{where} is not an Ed25519 public key in PEM form",
                           "restore it from the build machine's ~/.config/voicebox/signing/"
                           "ed25519.pub.pem; " + REBUILD)
    return der[len(ED25519_SPKI):]


def _verifies(key: bytes, signature: bytes, message: bytes) -> bool:
    """OpenSSL's pure-Ed25519 verification (EVP_DigestVerify with no digest)."""
    crypto = _libcrypto()
    pkey = crypto.EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, None, key, len(key))
    context = crypto.EVP_MD_CTX_new()
    try:
        if not pkey or not context or crypto.EVP_DigestVerifyInit(
                context, None, None, None, pkey) != 1:
            raise InstallError("OpenSSL's libcrypto cannot load an Ed25519 key",
                               "install a libssl3 package (OpenSSL 3) and run again")
        return crypto.EVP_DigestVerify(context, signature, len(signature), message,
                                       len(message)) == 1
    finally:
        crypto.EVP_MD_CTX_free(context)
        crypto.EVP_PKEY_free(pkey)


def _libcrypto() -> ctypes.CDLL:
    name = ctypes.util.find_library("crypto") or "libcrypto.so.3"
    try:
        crypto = ctypes.CDLL(name)
    except OSError as exc:
        raise InstallError(f"OpenSSL's libcrypto ({name}) cannot be loaded: {exc}",
                           "install the libssl3 package and run the installer again") from exc
    pointer, size = ctypes.c_void_p, ctypes.c_size_t
    crypto.EVP_PKEY_new_raw_public_key.restype = pointer
    crypto.EVP_PKEY_new_raw_public_key.argtypes = [ctypes.c_int, pointer, ctypes.c_char_p, size]
    crypto.EVP_MD_CTX_new.restype = pointer
    crypto.EVP_DigestVerifyInit.argtypes = [pointer, pointer, pointer, pointer, pointer]
    crypto.EVP_DigestVerify.argtypes = [pointer, ctypes.c_char_p, size, ctypes.c_char_p, size]
    crypto.EVP_MD_CTX_free.argtypes = [pointer]
    crypto.EVP_PKEY_free.argtypes = [pointer]
    return crypto
