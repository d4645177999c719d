"""Every wheel the target needs, and a requirements file that pins each one by sha256.

Two targets:

- ``host``: this machine's platform (how the path is tested here): ``pip wheel`` builds or
  takes from pip's cache every dependency, llama-cpp-python included.
- ``pi``: Raspberry Pi OS Bookworm, aarch64, CPython 3.11. ``pip download`` takes the binary
  wheels for that platform from the registry, given every manylinux tag a glibc 2.36 system
  accepts (pip does not widen ``--platform``). llama-cpp-python has no aarch64 wheel there:
  the one cross-compiled by ``llama_wheel`` (or one passed in) goes in, and its dependencies
  are resolved for the Pi.

Both resolve with requirements.lock's versions as constraints, and every wheel taken is then
checked against the lock's hashes (``voicebox.bundle.lock``): the Pi gets the versions CI
tested. pip itself is bundled too (its locked version): the installer runs it from its wheel
(Debian's python3 has no ensurepip without python3-venv). The installer runs ``pip install
--no-index --require-hashes``: a wheel that is missing or differs from the one bundled stops the
install before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from voicebox.bundle.abi import BOOKWORM_GLIBC, platform_tags
from voicebox.bundle.lock import Pin, check_wheels, constraints, read_lock
from voicebox.errors import VoiceboxError
from voicebox.paths import PROJECT_ROOT

PI_PLATFORMS = tuple(platform_tags("aarch64", BOOKWORM_GLIBC))
PI_PYTHON = "3.11"
PORTABLE_LLAMA = "-DGGML_NATIVE=OFF -DLLAVA_BUILD=OFF"


class BundleError(VoiceboxError):
    """The bundle cannot be built (or installed) as asked."""

    code = "bundle"


def collect_wheels(target: str, dest: Path, llama_wheel: Path | None = None) -> list[Path]:
    """Fill ``dest`` with the wheels of voicebox and all it depends on, for ``target``."""
    dest.mkdir(parents=True, exist_ok=True)
    pins = read_lock()
    with tempfile.TemporaryDirectory(prefix="voicebox-constraints-") as work:
        pinned = Path(work) / "constraints.txt"
        pinned.write_text(constraints(pins))
        _resolve(target, dest, pinned, llama_wheel, pins)
    wheels = sorted(dest.glob("*.whl"))
    check_wheels(wheels, pins)
    return wheels


def _resolve(target: str, dest: Path, pinned: Path, llama_wheel: Path | None,
             pins: dict[str, Pin]) -> None:
    """pip fills ``dest`` for ``target``, every version held to the constraints ``pinned``."""
    pip = [sys.executable, "-m", "pip"]
    if target == "host":
        env = {**os.environ, "CMAKE_ARGS": os.environ.get("CMAKE_ARGS", PORTABLE_LLAMA)}
        _run([*pip, "wheel", "--wheel-dir", str(dest), "-c", str(pinned), str(PROJECT_ROOT),
              "pip"], env)
    else:
        if llama_wheel is None:
            raise BundleError("no llama-cpp-python wheel for the Pi was given",
                              hint="build one with scripts/build-llama-wheel")
        check_wheels([llama_wheel], pins)
        _run([*pip, "wheel", "--no-deps", "--wheel-dir", str(dest), str(PROJECT_ROOT)])
        own = next(dest.glob("voicebox-*.whl"))
        platforms = [arg for name in PI_PLATFORMS for arg in ("--platform", name)]
        _run([*pip, "download", "--dest", str(dest), "--only-binary=:all:",
              "--python-version", PI_PYTHON, "--implementation", "cp", *platforms,
              "-c", str(pinned), str(own), str(llama_wheel), "pip"])


def requirements(wheels: list[Path]) -> str:
    """``name==version --hash=sha256:...`` for each wheel, the form --require-hashes wants."""
    lines = []
    for wheel in wheels:
        name, version = wheel.name.split("-")[:2]
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        lines.append(f"{name}=={version} --hash=sha256:{digest}")
    return "\n".join(lines) + "\n"


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if result.returncode != 0:
        tail = "\n".join(result.stderr.strip().splitlines()[-8:])
        raise BundleError(f"{' '.join(command[2:4])} failed: {tail}",
                          hint="check the connection to the package registry")
