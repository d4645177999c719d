"""The installer's steps (see ``install``): each one changes something only when needed and
says what it did, so a second run of the same bundle reports that nothing changed.

Standard library only, like ``install``: this runs on a Pi that has no venv yet.
"""

from __future__ import annotations

import filecmp
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path

UNIT = "voicebox.service"
CHUNK = 1 << 20


class InstallError(Exception):
    """What went wrong, and what to do about it."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(f"{message}\n  fix: {hint}")


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file (as voicebox.models.store computes it: this file cannot import
    voicebox, which is not installed yet when it runs)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


class Layout:
    """Where everything goes, under ``root`` (``/`` on a real install)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.is_host = root == Path("/")
        self.prefix = self.path("/opt/voicebox")
        self.venv = self.prefix / ".venv"
        self.etc = self.path("/etc/voicebox")
        self.config = self.etc / "voicebox.toml"
        self.models = self.path("/var/lib/voicebox/models")
        self.unit = self.path(f"/etc/systemd/system/{UNIT}")
        self.sysusers = self.path("/usr/lib/sysusers.d/voicebox.conf")
        self.installed = self.prefix / "MANIFEST.json"

    def path(self, absolute: str) -> Path:
        """``absolute`` inside the root."""
        return self.root / absolute.lstrip("/")

    @staticmethod
    def machine() -> str:
        return platform.machine()

    @staticmethod
    def python_version() -> str:
        return f"{sys.version_info[0]}.{sys.version_info[1]}"

    def has_model(self, bundle_path: str, pin: dict) -> bool:
        """A model file of the bundle is already in place with the right size (cheap check)."""
        target = self.models / bundle_path.removeprefix("models/")
        return target.is_file() and target.stat().st_size == pin["size"]


class Installer:
    """Runs the steps against a verified, unpacked bundle (``stage``)."""

    def __init__(self, layout: Layout, stage: Path | None) -> None:
        self.layout = layout
        self.stage = stage
        self.changed: list[str] = []

    def say(self, step: str, outcome: str, changed: bool) -> None:
        print(f"install: {step}: {outcome}", flush=True)
        if changed:
            self.changed.append(step)

    def install(self, manifest: dict) -> int:
        """Every step, then `voicebox check`; 0 when the check passes."""
        self.venv(manifest)
        self.system_libraries()
        self.service_user()
        self.models(manifest)
        self.config(manifest)
        self.unit()
        self.layout.installed.write_text(json.dumps(manifest, indent=1, sort_keys=True))
        if not self.changed:
            print(f"install: nothing to do: voicebox {manifest['version']} (profile "
                  f"{manifest['profile']}) is installed and matches the bundle", flush=True)
        return self.check()

    def venv(self, manifest: dict) -> None:
        """Build the venv where it will run (a venv cannot be moved: its scripts name their
        interpreter by absolute path); the old one waits beside it and comes back if pip fails.
        """
        lay, stage = self.layout, self.stage
        if _wheels(manifest) == _wheels(_read_json(lay.installed)) and (
                lay.venv / "bin" / "voicebox").exists():
            self.say("venv", f"unchanged ({lay.venv})", False)
            return
        old = lay.prefix / ".venv.old"
        shutil.rmtree(old, ignore_errors=True)
        lay.prefix.mkdir(parents=True, exist_ok=True)
        if lay.venv.exists():
            lay.venv.rename(old)
        system = ["--system-site-packages"] if manifest.get("system_site_packages") else []
        # --without-pip, and pip run from its bundled wheel: Debian's python3 has no ensurepip
        # unless python3-venv is installed, which a Pi without development tools may lack.
        # -I: the caller's PYTHONPATH must not make pip take a package as already installed.
        pip = next((stage / "wheels").glob("pip-*.whl"), None)
        if pip is None:
            raise InstallError("the bundle has no pip wheel", "rebuild it with "
                               "scripts/make-bundle")
        try:
            _run([sys.executable, "-m", "venv", "--without-pip", *system, str(lay.venv)],
                 "create the venv")
            _run([str(lay.venv / "bin" / "python"), "-I", str(pip / "pip"), "install", "--quiet",
                  "--no-index", "--no-cache-dir", "--disable-pip-version-check",
                  "--find-links", str(stage / "wheels"), "--require-hashes", "-r",
                  str(stage / "requirements.txt")], "install the wheels")
        except InstallError:
            shutil.rmtree(lay.venv, ignore_errors=True)
            if old.exists():
                old.rename(lay.venv)
            raise
        shutil.rmtree(old, ignore_errors=True)
        self.say("venv", f"installed {len(_wheels(manifest)) - 1} wheels into {lay.venv}", True)

    def system_libraries(self) -> None:
        """PortAudio and the libraries it needs, from the bundled .debs, each one only if the
        system lacks it (a real install only). A Pi without a desktop has no JACK client
        library: libportaudio2 alone would be left unconfigured by dpkg."""
        if not self.layout.is_host:
            self.say("system libraries", "left to the image (--root install)", False)
            return
        debs = {_deb_field(deb, "Package"): deb for deb in sorted(
            (self.stage / "debs").glob("*.deb"))}
        missing = {name: deb for name, deb in debs.items() if not _dpkg_installed(name)}
        if not missing:
            self.say("system libraries", f"present ({', '.join(debs)})", False)
            return
        _run(["dpkg", "-i", *map(str, missing.values())], "install PortAudio")
        self.say("system libraries", f"installed {', '.join(missing)}", True)

    def service_user(self) -> None:
        """The voicebox user in the audio and gpio groups, via systemd-sysusers."""
        changed = _copy_if_different(self.stage / "systemd" / "voicebox.sysusers",
                                     self.layout.sysusers)
        root = [] if self.layout.is_host else [f"--root={self.layout.root}"]
        self.layout.path("/etc").mkdir(parents=True, exist_ok=True)
        _run(["systemd-sysusers", *root, str(self.layout.sysusers)], "create the user")
        self.say("service user", "voicebox (groups audio, gpio)", changed)

    def models(self, manifest: dict) -> None:
        """Place each model file unless an identical one is there; drop models no longer used."""
        wanted = {p.removeprefix("models/"): pin for p, pin in manifest["files"].items()
                  if p.startswith("models/")}
        placed = 0
        for name, pin in sorted(wanted.items()):
            target = self.layout.models / name
            if target.is_file() and target.stat().st_size == pin["size"] and (
                    sha256_of(target) == pin["sha256"]):
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f".{target.name}.install")
            shutil.copyfile(self.stage / "models" / name, partial)
            os.replace(partial, target)
            placed += 1
        stale = _remove_stale(self.layout.models, set(wanted))
        self.say("models", f"{placed} placed, {len(wanted) - placed} kept, {stale} stale "
                           f"removed ({self.layout.models})", bool(placed or stale))

    def config(self, manifest: dict) -> None:
        """models.lock always follows the bundle; the config is never overwritten."""
        lay = self.layout
        lock_changed = _copy_if_different(self.stage / "models.lock", lay.etc / "models.lock")
        if lay.config.exists():
            self.say("config", f"kept the existing {lay.config}", lock_changed)
            return
        text = (self.stage / "voicebox.toml").read_text()
        for key, value in (("lock", lay.etc / "models.lock"), ("store", lay.models)):
            text = re.sub(rf'^{key} = ".*"$', f'{key} = "{value}"', text, count=1, flags=re.M)
        lay.config.write_text(text)
        self.say("config", f"installed {lay.config} (profile {manifest['profile']})", True)

    def unit(self) -> None:
        """Install and enable the unit; on a running system, (re)start it if anything changed."""
        lay = self.layout
        changed = _copy_if_different(self.stage / "systemd" / UNIT, lay.unit)
        wants = lay.path(f"/etc/systemd/system/multi-user.target.wants/{UNIT}")
        enabled = wants.is_symlink()
        # systemd may not be running (a chroot, an image being prepared): enabling is only
        # symlinks and works offline; reloading and restarting need the running manager.
        running = Path("/run/systemd/system").exists()
        if lay.is_host:
            if running:
                _run(["systemctl", "daemon-reload"], "reload systemd")
            _run(["systemctl", "enable", UNIT], "enable the service")
            if running and (changed or self.changed):
                _run(["systemctl", "restart", UNIT], "start the service")
        else:
            _run(["systemctl", f"--root={lay.root}", "enable", UNIT], "enable the service")
        self.say("systemd unit", f"{lay.unit}, enabled", changed or not enabled)

    def check(self) -> int:
        """The installed `voicebox check`: config, lock and every model file."""
        command = [str(self.layout.venv / "bin" / "voicebox"), "--config",
                   str(self.layout.config), "check"]
        try:
            result = subprocess.run(command, capture_output=True, text=True, check=False)
        except OSError as exc:
            raise InstallError(f"the installed voicebox does not run: {exc}",
                               "run the installer again; if it repeats, rebuild the bundle"
                               ) from exc
        print(result.stdout.rstrip(), result.stderr.rstrip(), sep="\n", flush=True)
        return result.returncode

    def uninstall(self, purge: bool) -> None:
        """Stop, disable and remove; the config and models stay unless ``purge``."""
        lay = self.layout
        if lay.unit.exists():
            root = [] if lay.is_host else [f"--root={lay.root}"]
            now = ["--now"] if lay.is_host else []
            _run(["systemctl", *root, "disable", *now, UNIT], "disable the service")
        removed = [p for p in (lay.unit, lay.sysusers, lay.prefix) if p.exists()]
        if purge:
            removed += [p for p in (lay.etc, lay.models.parent) if p.exists()]
        for path in removed:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        print(f"install: removed {', '.join(map(str, removed)) or 'nothing (not installed)'}"
              + ("" if purge else f"; kept {lay.etc} and {lay.models} (--purge removes them)"))


def _wheels(manifest: dict) -> dict:
    return {p: pin for p, pin in manifest.get("files", {}).items()
            if p.startswith("wheels/") or p == "requirements.txt"}


def _deb_field(deb: Path, field: str) -> str:
    result = subprocess.run(["dpkg-deb", "--field", str(deb), field], capture_output=True,
                            text=True, check=False)
    if result.returncode != 0:
        raise InstallError(f"{deb.name} is not a Debian package: {result.stderr.strip()}",
                           "copy the bundle again, or rebuild it with scripts/make-bundle")
    return result.stdout.strip()


def _dpkg_installed(package: str) -> bool:
    result = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True,
                            text=True, check=False)
    return result.stdout.strip() == "install ok installed"


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def _copy_if_different(source: Path, target: Path) -> bool:
    if target.exists() and filecmp.cmp(source, target, shallow=False):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return True


def _remove_stale(models: Path, wanted: set[str]) -> int:
    """Delete model files the new bundle no longer has (an upgrade changed the profile)."""
    stale = [p for p in models.rglob("*") if p.is_file()
             and p.relative_to(models).as_posix() not in wanted] if models.exists() else []
    for path in stale:
        path.unlink()
    for directory in sorted((d for d in models.glob("*") if d.is_dir()), reverse=True):
        if not any(directory.iterdir()):
            directory.rmdir()
    return len(stale)


def _run(command: list[str], purpose: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-6:])
        raise InstallError(f"could not {purpose} ({' '.join(command[:3])}): {tail}",
                           "fix the cause above and run the installer again")
