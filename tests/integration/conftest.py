"""Fixtures of the bundle tests: one bundle built for the whole session, its unpacked tree,
one install of it, and scratch roots.

Installing builds a venv from ~40 wheels (the slowest step of these tests), so tests that start
from an installed box share one install: each gets its own copy of it, at the path it was
installed to (the venv's scripts and the config name their paths absolutely, so a copy
elsewhere would run or check the original), restored before and removed after every test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.integration.bundles import (
    Installed,
    Snapshot,
    install,
    installer,
    linked_install,
    without_models,
)
from voicebox.bundle.tamper import unpack
from voicebox.paths import PROJECT_ROOT


@pytest.fixture(scope="session")
def signing_key_dir(tmp_path_factory) -> Path:
    """The build machine's signing key directory (empty: make-bundle makes the key)."""
    return tmp_path_factory.mktemp("signing") / "voicebox"


@pytest.fixture(scope="session")
def bundle(tmp_path_factory, signing_key_dir: Path) -> Path:
    """The host bundle of the dev models, built and signed by make-bundle as a user would."""
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, str(PROJECT_ROOT / "scripts" / "make-bundle"),
                           "--target", "host", "--profile", "dev", "--out", str(out)],
                          capture_output=True, text=True, check=False,
                          env={**os.environ, "VOICEBOX_SIGNING_DIR": str(signing_key_dir)})
    assert done.returncode == 0, done.stderr
    return Path(done.stdout.strip())


@pytest.fixture(scope="session")
def _unpacked_once(bundle: Path, tmp_path_factory) -> tuple[Path, Snapshot]:
    tree = unpack(bundle, tmp_path_factory.mktemp("unpacked"))
    return tree, Snapshot(tree)


@pytest.fixture(scope="session")
def _slim_once(_unpacked_once: tuple[Path, Snapshot], tmp_path_factory,
               signing_key_dir: Path) -> tuple[Path, Snapshot]:
    tree = without_models(_unpacked_once[0], tmp_path_factory.mktemp("slim"), signing_key_dir)
    return tree, Snapshot(tree)


@pytest.fixture
def unpacked(_unpacked_once: tuple[Path, Snapshot]) -> Iterator[Path]:
    """The bundle's tree (unpacked once per session), which changed copies of the bundle
    share their big files with; the test fails if it wrote into one of them."""
    tree, snapshot = _unpacked_once
    yield tree
    snapshot.assert_unchanged()


@pytest.fixture
def unpacked_without_models(_unpacked_once: tuple[Path, Snapshot],
                            _slim_once: tuple[Path, Snapshot]) -> Iterator[Path]:
    """The bundle's tree less its models, signed by the bundle's key (once per session): what
    tests of a refusal by signature change (the payload is unpacked but never read before that
    refusal). The test fails if it wrote into a file this shares with its copies."""
    yield _slim_once[0]
    _unpacked_once[1].assert_unchanged()
    _slim_once[1].assert_unchanged()


def empty_root(scratch: Path) -> Path:
    """An empty Debian-shaped root: the accounts files and /var/tmp, nothing of voicebox."""
    (scratch / "etc").mkdir(parents=True)
    (scratch / "var" / "tmp").mkdir(parents=True)
    for name in ("passwd", "group", "shadow", "gshadow"):
        shutil.copy2(Path("/etc") / name, scratch / "etc" / name)
    return scratch


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return empty_root(tmp_path / "root")


@dataclass(frozen=True)
class _Pristine:
    root: Path  # where it was installed: the tests' copy goes here
    tool: Path
    kept: Path  # the install as it was afterwards
    snapshot: Snapshot


@pytest.fixture(scope="session")
def _installed_once(bundle: Path, tmp_path_factory) -> _Pristine:
    home = tmp_path_factory.mktemp("installed")
    root = empty_root(home / "root")
    tool = installer(bundle, home / "tool")
    first = install(bundle, root, tool)
    assert first.returncode == 0, first.stdout + first.stderr
    linked_install(root, home / "kept")
    shutil.rmtree(root)
    return _Pristine(root, tool, home / "kept", Snapshot(home / "kept"))


@pytest.fixture
def installed(_installed_once: _Pristine) -> Iterator[Installed]:
    """The bundle installed (once per session) into an empty root, offline: this test's own
    copy, where it was installed; its files are hard links to the kept install's, except
    /etc (the config, accounts and trusted key, which tests and the installer rewrite)."""
    once = _installed_once
    linked_install(once.kept, once.root)
    yield Installed(once.root, once.tool)
    shutil.rmtree(once.root)
    once.snapshot.assert_unchanged()
