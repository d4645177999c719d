"""Versioned releases: each bundle's venv in its own directory, switched in by a symlink.

A venv cannot be moved (its scripts name their interpreter by absolute path), so it is built
where it will stay, ``/opt/voicebox/releases/<version>-<hash>/``, beside the one the service is
running; only after it is complete does ``current`` point at it (one rename). The release
``current`` pointed at before becomes ``previous``, so a failed upgrade can go back to it, and
older releases are pruned. Standard library only, like ``install``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

from install_base import InstallError, Layout, read_json, run

# What goes into a release's venv and lock: when none of these change, neither does the release.
RELEASE_FILES = ("requirements.txt", "models.lock")
MARKER = "MANIFEST.json"  # written last: a release directory without it is a partial one


def release_id(manifest: dict) -> str:
    """``<version>-<12 hex>``, the hash over the wheels, requirements and models.lock pins."""
    digest = hashlib.sha256()
    for path, pin in sorted(manifest["files"].items()):
        if path.startswith("wheels/") or path in RELEASE_FILES:
            digest.update(f"{path} {pin['sha256']}\n".encode())
    return f"{manifest['version']}-{digest.hexdigest()[:12]}"


class Releases:
    """The release directories under ``layout.releases`` and the two symlinks."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout

    def target(self, link: Path) -> str | None:
        """The release id a symlink points at, or None."""
        return Path(os.readlink(link)).name if link.is_symlink() else None

    def directory(self, release: str) -> Path:
        return self.layout.releases / release

    def manifest(self, release: str | None) -> dict:
        """The bundle manifest a release was built from ({} for none)."""
        return read_json(self.directory(release) / MARKER) if release else {}

    def is_complete(self, release: str) -> bool:
        return (self.directory(release) / MARKER).is_file()

    def build(self, release: str, stage: Path, manifest: dict) -> None:
        """The release's venv from the bundled wheels (``pip --no-index --require-hashes``), its
        models.lock, and last its manifest; a partial directory is removed first and on failure.
        """
        home = self.directory(release)
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True)
        venv = home / ".venv"
        system = ["--system-site-packages"] if manifest.get("system_site_packages") else []
        # --without-pip, and pip run from its bundled wheel: Debian's python3 has no ensurepip
        # unless python3-venv is installed, which a Pi without development tools may lack.
        # -I: the caller's PYTHONPATH must not make pip take a package as already installed.
        pip = next((stage / "wheels").glob("pip-*.whl"), None)
        if pip is None:
            raise InstallError("the bundle has no pip wheel", "rebuild it with "
                               "scripts/make-bundle")
        try:
            run([sys.executable, "-m", "venv", "--without-pip", *system, str(venv)],
                "create the venv")
            run([str(venv / "bin" / "python"), "-I", str(pip / "pip"), "install", "--quiet",
                 "--no-index", "--no-cache-dir", "--disable-pip-version-check",
                 "--find-links", str(stage / "wheels"), "--require-hashes", "-r",
                 str(stage / "requirements.txt")], "install the wheels")
            shutil.copyfile(stage / "models.lock", home / "models.lock")
            (home / MARKER).write_text(json.dumps(manifest, indent=1, sort_keys=True))
        except (InstallError, OSError):
            shutil.rmtree(home, ignore_errors=True)
            raise

    def switch(self, release: str) -> None:
        """Point ``current`` at ``release`` (one rename); the release it left becomes
        ``previous``."""
        lay = self.layout
        left = self.target(lay.current)
        _relink(lay.current, f"releases/{release}")
        if left is not None and left != release:
            _relink(lay.previous, f"releases/{left}")
        # models.lock follows the release: the config names /etc/voicebox/models.lock.
        if not lay.lock.is_symlink():
            lay.lock.parent.mkdir(parents=True, exist_ok=True)
            lay.lock.unlink(missing_ok=True)
            _relink(lay.lock, os.path.relpath(lay.current / "models.lock", lay.lock.parent))

    def roll_back(self, failed: str, to: str) -> None:
        """``current`` back to ``to``; the failed release is removed (a re-run builds it anew)."""
        _relink(self.layout.current, f"releases/{to}")
        if self.target(self.layout.previous) == to:
            self.layout.previous.unlink()
        shutil.rmtree(self.directory(failed), ignore_errors=True)

    def prune(self) -> list[str]:
        """Remove every release but ``current`` and ``previous``; the ids removed."""
        keep = {self.target(self.layout.current), self.target(self.layout.previous)}
        if not self.layout.releases.is_dir():
            return []
        removed = sorted(d.name for d in self.layout.releases.iterdir() if d.name not in keep)
        for name in removed:
            shutil.rmtree(self.directory(name))
        return removed


def _relink(link: Path, target: str) -> None:
    """Make ``link`` a symlink to ``target`` atomically (a new link renamed over the old)."""
    fresh = link.with_name(f".{link.name}.new")
    fresh.unlink(missing_ok=True)
    fresh.symlink_to(target)
    os.replace(fresh, link)
