"""requirements.lock and the check make-bundle runs on every wheel it bundles."""

from __future__ import annotations

import hashlib
import re
import tomllib
from pathlib import Path

import pytest

from voicebox.bundle.lock import LockError, check_wheels, constraints, normalize, read_lock
from voicebox.paths import PROJECT_ROOT


def named(requirement: str) -> str:
    return normalize(re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0])


def test_the_lock_pins_every_dependency_dev_tool_and_build_tool_with_hashes() -> None:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())
    wanted = [*project["project"]["dependencies"],
              *project["project"]["optional-dependencies"]["dev"],
              *project["project"]["optional-dependencies"]["openwakeword"],
              *project["build-system"]["requires"], "pip"]
    pins = read_lock()
    assert sorted({named(r) for r in wanted} - set(pins)) == []
    assert [name for name, pin in pins.items() if not pin.hashes] == []


def wheel(directory: Path, name: str, data: bytes) -> Path:
    path = directory / name
    path.write_bytes(data)
    return path


def test_only_locked_files_at_locked_versions_pass(tmp_path: Path) -> None:
    good = b"a locked wheel"
    lock = tmp_path / "requirements.lock"
    lock.write_text(f"numpy==2.4.6 \\\n    --hash=sha256:{hashlib.sha256(good).hexdigest()}\n"
                    "llama-cpp-python==0.3.36 \\\n    --hash=sha256:" + "0" * 64 + "\n")
    pins = read_lock(lock)
    assert constraints(pins) == "llama-cpp-python==0.3.36\nnumpy==2.4.6\n"
    check_wheels([wheel(tmp_path, "numpy-2.4.6-cp311-cp311-manylinux_2_27_aarch64.whl", good),
                  wheel(tmp_path, "llama_cpp_python-0.3.36-cp311-cp311-linux_aarch64.whl",
                        b"built here"),
                  wheel(tmp_path, "voicebox-0.1.0-py3-none-any.whl", b"ours")], pins)

    cases = [("numpy-2.4.6-cp311-cp311-manylinux_2_28_x86_64.whl", b"another file",
              "its sha256 is not one requirements.lock lists"),
             ("numpy-2.4.5-cp311-cp311-manylinux_2_28_x86_64.whl", good,
              "requirements.lock pins numpy 2.4.6"),
             ("llama_cpp_python-0.3.16-cp311-cp311-linux_aarch64.whl", b"built here",
              "requirements.lock pins llama_cpp_python 0.3.36"),
             ("six-1.17.0-py2.py3-none-any.whl", b"six", "six is not in requirements.lock")]
    for name, data, message in cases:
        with pytest.raises(LockError, match=re.escape(message)) as caught:
            check_wheels([wheel(tmp_path, name, data)], pins)
        assert "pip-compile" in caught.value.hint
