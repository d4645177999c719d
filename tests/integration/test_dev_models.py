"""The real dev models: fetched by the project's script, verified by ``voicebox check``."""

from __future__ import annotations

import subprocess
import sys

from voicebox.paths import PROJECT_ROOT


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, check=False, timeout=600)


def test_fetch_is_idempotent_and_check_deep_passes() -> None:
    fetched = run("scripts/fetch-dev-models")
    assert fetched.returncode == 0, fetched.stderr
    again = run("scripts/fetch-dev-models")
    assert again.returncode == 0, again.stderr
    assert "0 file(s) fetched" in again.stderr
    check = run("-m", "voicebox", "check", "--deep")
    assert check.returncode == 0, check.stdout
    assert check.stdout.count("sha256 verified") == 4
    assert "all checks passed" in check.stdout
