"""Model files: placed from the bundle, remembered, and removed only when they were ours.

The installer keeps a record (``/opt/voicebox/models-state.json``) of every model file it
placed or verified, with the size, mtime (ns) and sha256 it saw. It serves two ends:

- Checking gigabytes of models on every run would take minutes on a Pi: a file whose size and
  mtime still match its record is taken as verified without reading it (``--verify`` reads
  them all again). A file changed since, or never recorded, is hashed.
- Only recorded files are ever removed as stale: a file an admin put in the models directory,
  which no bundle listed, stays. A recorded file changed since it was placed is left too.

Standard library only, like ``install``.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from install_base import read_json, sha256_of, write_atomically


class ModelFiles:
    """The models directory and the installer's record of it."""

    def __init__(self, models: Path, state: Path, verify_all: bool = False) -> None:
        self.models = models
        self.state_path = state
        self.verify_all = verify_all
        self.state: dict[str, dict] = read_json(state)
        self.hashed = 0  # files read in full this run

    def place(self, source: Path, wanted: dict[str, dict]) -> int:
        """Copy each wanted file from ``source`` unless a verified identical one is in place;
        returns how many were copied. The record is saved before returning."""
        placed = 0
        try:
            for name, pin in sorted(wanted.items()):
                target = self.models / name
                if self._verified(target, name, pin):
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                partial = target.with_name(f".{target.name}.install")
                shutil.copyfile(source / name, partial)
                os.replace(partial, target)
                self._remember(name, target, pin["sha256"])
                placed += 1
        finally:
            self._save()
        return placed

    def remove_stale(self, keep: set[str]) -> tuple[int, list[str]]:
        """Remove recorded files not in ``keep``; returns how many, and the recorded files
        left because they changed since they were placed (someone else's now)."""
        removed, changed = 0, []
        for name in sorted(set(self.state) - keep):
            path, entry = self.models / name, self.state.pop(name)
            if not path.is_file():
                continue
            if _identity(path) != (entry["size"], entry["mtime_ns"]):
                changed.append(name)
                continue
            path.unlink()
            removed += 1
            _remove_empty_parents(path.parent, self.models)
        self._save()
        return removed, changed

    def _verified(self, target: Path, name: str, pin: dict) -> bool:
        """``target`` holds the pinned bytes: by its record when size and mtime are unchanged
        (unless verifying all), else by reading it."""
        if not target.is_file() or target.stat().st_size != pin["size"]:
            return False
        entry = self.state.get(name, {})
        if not self.verify_all and entry.get("sha256") == pin["sha256"] and _identity(
                target) == (entry.get("size"), entry.get("mtime_ns")):
            return True
        self.hashed += 1
        if sha256_of(target) != pin["sha256"]:
            return False
        self._remember(name, target, pin["sha256"])
        return True

    def _remember(self, name: str, path: Path, sha256: str) -> None:
        size, mtime_ns = _identity(path)
        self.state[name] = {"size": size, "mtime_ns": mtime_ns, "sha256": sha256}

    def _save(self) -> None:
        write_atomically(self.state_path, json.dumps(self.state, indent=1, sort_keys=True))


def _identity(path: Path) -> tuple[int, int]:
    """What changes when a file is rewritten: its size and modification time in ns."""
    status = path.stat()
    return status.st_size, status.st_mtime_ns


def _remove_empty_parents(directory: Path, top: Path) -> None:
    """Remove ``directory`` and its parents up to (not including) ``top`` while empty."""
    while directory != top and directory.is_dir() and not any(directory.iterdir()):
        directory.rmdir()
        directory = directory.parent
