"""The bundled .debs' dependency check (scripts/install_debs.py), with real apt on packages
built here or taken from this machine's archive: ``apt-get install --simulate`` changes nothing
on this machine."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from voicebox.paths import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
from install_base import InstallError  # the stdlib installer's modules, not a package
from install_debs import check_dependencies, deb_package, is_installed


def package(tmp_path: Path, name: str, depends: str) -> Path:
    """A real .deb named ``name`` that depends on ``depends``."""
    tree = tmp_path / name
    (tree / "DEBIAN").mkdir(parents=True)
    (tree / "DEBIAN" / "control").write_text(
        f"Package: {name}\nVersion: 1.0\nArchitecture: all\nMaintainer: voicebox tests "
        f"<tests@voicebox.invalid>\nDepends: {depends}\nDescription: a test package\n")
    deb = tmp_path / f"{name}.deb"
    subprocess.run(["dpkg-deb", "--build", str(tree), str(deb)], check=True,
                   capture_output=True)
    return deb


def test_a_deb_whose_dependencies_are_installed_or_bundled_passes(tmp_path: Path) -> None:
    base = package(tmp_path, "voicebox-test-base", "libc6")
    top = package(tmp_path, "voicebox-test-top", "voicebox-test-base, libc6")
    assert deb_package(top) == "voicebox-test-top"
    check_dependencies([base, top])


def test_a_deb_whose_dependency_is_missing_is_refused_by_name(tmp_path: Path) -> None:
    lonely = package(tmp_path, "voicebox-test-lonely", "libc6, voicebox-no-such-package")
    with pytest.raises(InstallError) as caught:
        check_dependencies([lonely])
    message = str(caught.value)
    assert "need packages this system does not have (nothing was changed)" in message
    assert "voicebox-no-such-package" in message
    assert "run the installer again" in message


def test_a_deb_whose_version_the_archive_also_has_is_taken_from_the_bundle(
        tmp_path: Path) -> None:
    """The emulated Pi's failure: with the system's sources on, apt took such a package from
    the archive and, offline, could not fetch it. ``sl`` is in Debian's lists (setup-dev ran
    apt-get update) and not installed on a development machine."""
    assert not is_installed("sl"), "this test needs a machine without the sl package"
    fetched = subprocess.run(["apt-get", "download", "sl"], cwd=tmp_path, capture_output=True,
                             text=True, check=False)
    assert fetched.returncode == 0, fetched.stderr
    check_dependencies(list(tmp_path.glob("sl_*.deb")))
