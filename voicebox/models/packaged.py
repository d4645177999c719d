"""Model files that ship inside an installed Python package (the wake-word models).

Why a kind of pin of its own: the model store fetches and places files, but these arrive with
their package (pip installs the wheel, checked by its own hash in the Pi bundle), so there is
nothing to fetch, only something to trust. models.lock still pins each by size and sha256 in a
``[[packaged]]`` table, and the bytes are checked where pip put them: a wheel of another
version, or a file changed after installing, is refused with the file, both hashes and the fix.
The files are tens of kilobytes, so they are hashed every time they are loaded.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
from pathlib import Path

from voicebox.errors import ModelFileError
from voicebox.models.lock import PackagedFile
from voicebox.models.store import sha256_of


def verified_path(pin: PackagedFile) -> Path:
    """Where the installed package holds ``pin``, after checking version, size and sha256."""
    name, version = pin.package.split("==")
    fix = f"pip install --force-reinstall {pin.package}"
    try:
        installed = importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        raise ModelFileError(pin.path, pin.package, "package not installed", hint=fix) from None
    if installed != version:
        raise ModelFileError(pin.path, pin.package, f"{name} {installed} installed", hint=fix)
    spec = importlib.util.find_spec(pin.path.split("/")[0])
    if spec is None or not spec.submodule_search_locations:
        raise ModelFileError(pin.path, pin.package, "package not importable", hint=fix)
    path = Path(next(iter(spec.submodule_search_locations))).parent / pin.path
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ModelFileError(str(path), f"{pin.size} bytes", "no file", hint=fix) from None
    digest = sha256_of(path) if size == pin.size else "not computed"
    if size != pin.size or digest != pin.sha256:
        raise ModelFileError(str(path), f"{pin.size} bytes, sha256 {pin.sha256}",
                             f"{size} bytes, sha256 {digest}", hint=fix)
    return path
