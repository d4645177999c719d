"""Fixtures of the bundle tests: one bundle built for the whole session, and scratch roots."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

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


@pytest.fixture
def root(tmp_path: Path) -> Iterator[Path]:
    """An empty Debian-shaped root: the accounts files and /var/tmp, nothing of voicebox."""
    scratch = tmp_path / "root"
    (scratch / "etc").mkdir(parents=True)
    (scratch / "var" / "tmp").mkdir(parents=True)
    for name in ("passwd", "group", "shadow", "gshadow"):
        shutil.copy2(Path("/etc") / name, scratch / "etc" / name)
    yield scratch
