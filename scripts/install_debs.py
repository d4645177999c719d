"""The bundled Debian packages (PortAudio and what it needs), installed by apt with no network.

``dpkg -i`` installs a package whose dependencies are missing and leaves it unconfigured, so a
box could end up with a PortAudio that does not load. apt checks the dependencies first, with
the system's package sources switched off (an empty sources list), so that the only packages it
knows are the installed ones and the bundled files: a simulated install (which changes nothing)
must succeed, or the install stops before any package is touched and names what is missing.
With the sources on, apt would take a bundled package's version from the archive when its lists
have the same one, and then want to download it (found on an emulated Bookworm root).
Standard library only, like ``install``.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from install_base import InstallError

# No --no-download: with it, apt 2.6 skips copying the local files into place and fails with
# "Internal Error, Pathname to install is not absolute"; with no sources it cannot download.
APT = ["apt-get", "-q", "-o", "DPkg::Lock::Timeout=120", "install", "--no-install-recommends"]


def deb_package(deb: Path) -> str:
    """The package name a .deb file holds."""
    result = subprocess.run(["dpkg-deb", "--field", str(deb), "Package"], capture_output=True,
                            text=True, check=False)
    if result.returncode != 0:
        raise InstallError(f"{deb.name} is not a Debian package: {result.stderr.strip()}",
                           "copy the bundle again, or rebuild it with scripts/make-bundle")
    return result.stdout.strip()


def is_installed(package: str) -> bool:
    result = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True,
                            text=True, check=False)
    return result.stdout.strip() == "install ok installed"


def check_dependencies(debs: list[Path]) -> None:
    """Refuse, changing nothing, unless apt can install ``debs`` from themselves and what is
    already installed."""
    result = _apt(["--simulate"], debs)
    if result.returncode != 0:
        unmet = [line.strip() for line in (result.stdout + result.stderr).splitlines()
                 if "Depends:" in line or line.startswith("E:")]
        raise InstallError(
            "the bundled system libraries need packages this system does not have (nothing "
            "was changed):\n  " + "\n  ".join(unmet or [result.stderr.strip()[-300:]]),
            "install those packages from the Raspberry Pi OS image or a network, then run the "
            "installer again")


def install_debs(debs: list[Path]) -> None:
    """Install ``debs`` with apt after checking that nothing else is needed."""
    check_dependencies(debs)
    result = _apt(["-y"], debs)
    if result.returncode != 0:
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-6:])
        raise InstallError(f"could not install the system libraries (apt-get install): {tail}",
                           "fix the cause above and run the installer again")


def _apt(options: list[str], debs: list[Path]) -> subprocess.CompletedProcess:
    """apt-get install of the .deb files, knowing no package source but them."""
    with tempfile.TemporaryDirectory(prefix="voicebox-apt-") as empty:
        (Path(empty) / "sources.list").touch()
        (Path(empty) / "sources.list.d").mkdir()
        return subprocess.run(
            [*APT, "-o", f"Dir::Etc::SourceList={empty}/sources.list",
             "-o", f"Dir::Etc::SourceParts={empty}/sources.list.d", *options,
             *(str(deb.resolve()) for deb in debs)],  # a path, not a name, for apt
            capture_output=True, text=True, check=False,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
