"""The bundled Debian packages (PortAudio and what it needs), installed by apt with no network.

``dpkg -i`` installs a package whose dependencies are missing and leaves it unconfigured, so a
box could end up with a PortAudio that does not load. apt checks the dependencies first: a
simulated install (``apt-get install --simulate --no-download``, which changes nothing) must
need nothing beyond the bundled packages and what is installed; otherwise the install stops
before any package is touched and names what is missing. Standard library only, like
``install``.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from install_base import InstallError, run

APT = ["apt-get", "-q", "-o", "DPkg::Lock::Timeout=120", "install", "--no-download",
       "--no-install-recommends"]
WOULD_INSTALL = re.compile(r"^Inst (\S+)", re.M)


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
    bundled = {deb_package(deb) for deb in debs}
    paths = [str(deb.resolve()) for deb in debs]  # a path, not a name, for apt
    result = subprocess.run([*APT, "--simulate", *paths], capture_output=True, text=True,
                            check=False)
    if result.returncode != 0:
        unmet = [line.strip() for line in (result.stdout + result.stderr).splitlines()
                 if "Depends:" in line or line.startswith("E:")]
        raise InstallError(
            "the bundled system libraries need packages this system does not have (nothing "
            "was changed):\n  " + "\n  ".join(unmet or [result.stderr.strip()[-300:]]),
            "install those packages from the Raspberry Pi OS image or a network, then run the "
            "installer again")
    fetched = sorted(set(WOULD_INSTALL.findall(result.stdout)) - bundled)
    if fetched:
        raise InstallError(
            f"the bundled system libraries need {', '.join(fetched)}, which is neither "
            f"installed nor in the bundle (nothing was changed)",
            f"install {' '.join(fetched)} (apt-get install) while a network is there, then run "
            f"the installer again")


def install_debs(debs: list[Path]) -> None:
    """Install ``debs`` with apt after checking that nothing else is needed."""
    check_dependencies(debs)
    os.environ.setdefault("DEBIAN_FRONTEND", "noninteractive")
    run([*APT, "-y", *(str(deb.resolve()) for deb in debs)], "install the system libraries")
