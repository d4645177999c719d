"""The bundled .debs' dependency check (scripts/install_debs.py), with real apt on packages
built here: ``apt-get install --simulate`` changes nothing on this machine."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from voicebox.paths import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
from install_base import InstallError  # the stdlib installer's modules, not a package
from install_debs import check_dependencies, deb_package


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
