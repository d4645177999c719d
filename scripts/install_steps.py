"""The installer's steps (see ``install``): each one changes something only when needed and
says what it did, so a second run of the same bundle reports that nothing changed.

The new release is built beside the running one and switched in; when the service does not
start or `voicebox check` fails, ``current`` goes back to the previous release and the service
is restarted on it. What is installed (``/opt/voicebox/MANIFEST.json``) is recorded only after
the check passed, so a run after a failure tries again. Standard library only, like
``install``: this runs on a Pi that has no venv yet.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from install_base import (
    UNIT,
    InstallError,
    Layout,
    copy_if_different,
    read_json,
    run,
    write_atomically,
)
from install_config import set_strings
from install_debs import deb_package, install_debs, is_installed
from install_models import ModelFiles
from install_release import Releases, release_id


class Installer:
    """Runs the steps against a verified, unpacked bundle (``stage``)."""

    def __init__(self, layout: Layout, stage: Path | None, verify_models: bool = False) -> None:
        self.layout = layout
        self.stage = stage
        self.releases = Releases(layout)
        self.model_files = ModelFiles(layout.models, layout.models_state, verify_models)
        self.changed: list[str] = []

    def say(self, step: str, outcome: str, changed: bool) -> None:
        print(f"install: {step}: {outcome}", flush=True)
        if changed:
            self.changed.append(step)

    def install(self, manifest: dict) -> int:
        """Every step, the switch to the new release, then start and `voicebox check`; 0 when
        they pass. On a failure after an upgrade, the previous release is switched back in."""
        release = release_id(manifest)
        self.release(release, manifest)
        self.system_libraries()
        self.service_user()
        self.models(manifest)
        self.config(manifest)
        self.unit()
        left = self.releases.target(self.layout.current)
        if left != release:
            self.releases.switch(release)
            self.say("release", f"current -> {release}" + (f" (was {left})" if left else ""),
                     True)
        if read_json(self.layout.installed) != manifest:
            self.changed.append("record")  # not recorded yet: a previous run failed, or new
        elif not self.changed:
            print(f"install: nothing to do: voicebox {manifest['version']} (profile "
                  f"{manifest['profile']}) is installed and matches the bundle", flush=True)
        status = self.start_and_check()
        if status != 0:
            return self.roll_back(release, left)
        write_atomically(self.layout.installed, json.dumps(manifest, indent=1, sort_keys=True))
        stale, changed = self.model_files.remove_stale(self._wanted_models())
        pruned = self.releases.prune()
        # Installs before releases had their venv here; the service no longer runs it.
        shutil.rmtree(self.layout.prefix / ".venv", ignore_errors=True)
        kept = f" (kept, changed since installed: {', '.join(changed)})" if changed else ""
        print(f"install: voicebox {manifest['version']} ({release}) installed and checked; "
              f"{stale} stale model files removed{kept}, {len(pruned)} old releases pruned",
              flush=True)
        return 0

    def release(self, release: str, manifest: dict) -> None:
        """Build the release's venv unless a complete one is already there."""
        if self.releases.is_complete(release):
            self.say("release", f"{release} present ({self.releases.directory(release)})",
                     False)
            return
        self.releases.build(release, self.stage, manifest)
        self.say("release", f"built {release}: {len(_wheels(manifest))} wheels into "
                            f"{self.releases.directory(release) / '.venv'}", True)

    def start_and_check(self) -> int:
        """(Re)start the service if anything changed (a running system only), then the
        installed `voicebox check`; non-zero when either fails."""
        if self.layout.is_host and _systemd_running() and self.changed:
            try:
                run(["systemctl", "restart", UNIT], "start the service")
            except InstallError as error:
                print(f"install: {error}", flush=True)
                return 1
        return self.check()

    def roll_back(self, failed: str, left: str | None) -> int:
        """``current`` back to the release it left, restarted; 1 (the install failed)."""
        if left is None or left == failed:
            print(f"install: {failed} did not start or failed its check, and there is no "
                  f"earlier release to go back to; it stays in place but is not recorded as "
                  f"installed: fix the cause above and run the installer again", flush=True)
            return 1
        self.releases.roll_back(failed, left)
        restarted = ""
        if self.layout.is_host and _systemd_running():
            run(["systemctl", "restart", UNIT], "restart the previous release")
            restarted = ", service restarted"
        print(f"install: rolled back to {left}{restarted}; {failed} removed and nothing "
              f"recorded: fix the cause above and run the installer again", flush=True)
        return 1

    def _wanted_models(self) -> set[str]:
        """Model files the current and the previous release use (both must stay runnable)."""
        wanted: set[str] = set()
        for link in (self.layout.current, self.layout.previous):
            files = self.releases.manifest(self.releases.target(link)).get("files", {})
            wanted |= {p.removeprefix("models/") for p in files if p.startswith("models/")}
        return wanted

    def system_libraries(self) -> None:
        """PortAudio and the libraries it needs, from the bundled .debs, each one only if the
        system lacks it (a real install only). A Pi without a desktop has no JACK client
        library: libportaudio2 alone would not load (apt checks that first, install_debs)."""
        if not self.layout.is_host:
            self.say("system libraries", "left to the image (--root install)", False)
            return
        debs = {deb_package(deb): deb for deb in sorted((self.stage / "debs").glob("*.deb"))}
        missing = {name: deb for name, deb in debs.items() if not is_installed(name)}
        if not missing:
            self.say("system libraries", f"present ({', '.join(debs)})", False)
            return
        install_debs(list(missing.values()))
        self.say("system libraries", f"installed {', '.join(missing)}", True)

    def service_user(self) -> None:
        """The voicebox user in the audio and gpio groups, via systemd-sysusers."""
        changed = copy_if_different(self.stage / "systemd" / "voicebox.sysusers",
                                    self.layout.sysusers)
        root = [] if self.layout.is_host else [f"--root={self.layout.root}"]
        self.layout.path("/etc").mkdir(parents=True, exist_ok=True)
        run(["systemd-sysusers", *root, str(self.layout.sysusers)], "create the user")
        self.say("service user", "voicebox (groups audio, gpio)", changed)

    def models(self, manifest: dict) -> None:
        """Place each model file unless a verified identical one is there. Files no release
        uses any more are removed only after the new release passed its check (a rollback
        needs them), and only those a bundle placed (install_models)."""
        wanted = {p.removeprefix("models/"): pin for p, pin in manifest["files"].items()
                  if p.startswith("models/")}
        placed = self.model_files.place(self.stage / "models", wanted)
        self.say("models", f"{placed} placed, {len(wanted) - placed} kept, "
                           f"{self.model_files.hashed} read in full ({self.layout.models})",
                 bool(placed))

    def config(self, manifest: dict) -> None:
        """The config is installed only when there is none, and never overwritten (models.lock
        is the release's: /etc/voicebox/models.lock links to it)."""
        lay = self.layout
        if lay.config.exists():
            self.say("config", f"kept the existing {lay.config}", False)
            return
        source = self.stage / "voicebox.toml"
        text = set_strings(source.read_text(), {
            (None, "profile"): manifest["profile"], ("models", "lock"): str(lay.lock),
            ("models", "store"): str(lay.models)}, source)
        lay.config.parent.mkdir(parents=True, exist_ok=True)
        lay.config.write_text(text)
        self.say("config", f"installed {lay.config} (profile {manifest['profile']})", True)

    def unit(self) -> None:
        """Install and enable the unit (it is restarted once the new release is in)."""
        lay = self.layout
        changed = copy_if_different(self.stage / "systemd" / UNIT, lay.unit)
        wants = lay.path(f"/etc/systemd/system/multi-user.target.wants/{UNIT}")
        enabled = wants.is_symlink()
        # systemd may not be running (a chroot, an image being prepared): enabling is only
        # symlinks and works offline; reloading and restarting need the running manager.
        if lay.is_host:
            if _systemd_running():
                run(["systemctl", "daemon-reload"], "reload systemd")
            run(["systemctl", "enable", UNIT], "enable the service")
        else:
            run(["systemctl", f"--root={lay.root}", "enable", UNIT], "enable the service")
        self.say("systemd unit", f"{lay.unit}, enabled", changed or not enabled)

    def check(self) -> int:
        """The installed `voicebox check`: config, lock and every model file."""
        command = [str(self.layout.venv / "bin" / "voicebox"), "--config",
                   str(self.layout.config), "check"]
        try:
            result = subprocess.run(command, capture_output=True, text=True, check=False)
        except OSError as exc:
            print(f"install: the installed voicebox does not run: {exc}", flush=True)
            return 1
        print(result.stdout.rstrip(), result.stderr.rstrip(), sep="\n", flush=True)
        return result.returncode

    def uninstall(self, purge: bool) -> None:
        """Stop, disable and remove; the config and models stay unless ``purge``."""
        lay = self.layout
        if lay.unit.exists():
            root = [] if lay.is_host else [f"--root={lay.root}"]
            now = ["--now"] if lay.is_host else []
            run(["systemctl", *root, "disable", *now, UNIT], "disable the service")
        removed = [p for p in (lay.unit, lay.sysusers, lay.prefix, lay.lock)
                   if p.exists() or p.is_symlink()]
        if purge:
            removed += [p for p in (lay.etc, lay.models.parent) if p.exists()]
        for path in removed:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
        print(f"install: removed {', '.join(map(str, removed)) or 'nothing (not installed)'}"
              + ("" if purge else f"; kept {lay.config} and {lay.models} (--purge removes "
                                  f"them)"))


def _systemd_running() -> bool:
    return Path("/run/systemd/system").exists()


def _wheels(manifest: dict) -> list[str]:
    return [p for p in manifest.get("files", {}) if p.startswith("wheels/")]
