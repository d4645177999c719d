"""The watchdog's headroom in a real memory cgroup that a process fills with page cache.

A child process joins a fresh cgroup with a 1500 MiB limit (v1 memory.limit_in_bytes, or v2
memory.high with memory.max at 2 GiB: whichever hierarchy has the memory controller here),
takes 200 MiB of its own memory and writes 500 MiB to a file on disk. The kernel charges that
page cache to the group: the headroom must stay near the limit minus the anonymous memory, not
drop by the cache. Needs root and a cgroup memory controller, as CI has: without them it fails,
saying why, rather than skipping, so a missing controller is seen.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from voicebox.watchdog.cgroup import CGROUP_ROOT, memory_headroom

MIB = 1 << 20
LIMIT = 1500 * MIB
ANON = 200 * MIB
CACHE = 500 * MIB
TOLERANCE = 64 * MIB   # kernel memory, active file pages and the interpreter's own

CHILD = """
import os, sys
with open(sys.argv[1], "w") as procs:
    procs.write(str(os.getpid()))
anonymous = b"\\1" * int(sys.argv[2])          # every page written, so every page charged
block = bytes(1 << 20)
with open(sys.argv[3], "wb") as cache:
    for _ in range(int(sys.argv[4]) >> 20):
        cache.write(block)
print("filled", flush=True)
sys.stdin.read()
"""


def _memory_hierarchy() -> tuple[Path, str]:
    """The root of the hierarchy that has the memory controller, and its version."""
    if (CGROUP_ROOT / "memory" / "memory.limit_in_bytes").exists():
        return CGROUP_ROOT / "memory", "v1"
    controllers = CGROUP_ROOT / "cgroup.controllers"
    if controllers.exists() and "memory" in controllers.read_text().split():
        control = CGROUP_ROOT / "cgroup.subtree_control"
        if "memory" not in control.read_text().split():
            control.write_text("+memory")
        return CGROUP_ROOT, "v2"
    pytest.fail(f"no cgroup memory controller under {CGROUP_ROOT} (neither v1 "
                f"memory/memory.limit_in_bytes nor 'memory' in v2 cgroup.controllers)")


@pytest.fixture
def group() -> Iterator[tuple[Path, str]]:
    """A fresh memory cgroup with the limit set; removed afterwards."""
    try:
        hierarchy, version = _memory_hierarchy()
        directory = hierarchy / f"voicebox-test-{os.getpid()}"
        directory.mkdir()
    except OSError as exc:
        pytest.fail(f"cannot create a memory cgroup (this test needs root): {exc}")
    try:
        if version == "v1":
            (directory / "memory.limit_in_bytes").write_text(str(LIMIT))
        else:
            (directory / "memory.max").write_text(str(2048 * MIB))
            (directory / "memory.high").write_text(str(LIMIT))
        yield directory, version
    finally:
        _remove(directory)


def _remove(directory: Path) -> None:
    """rmdir, once the last member's exit has reached the cgroup."""
    deadline = time.monotonic() + 5
    while True:
        try:
            directory.rmdir()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _stat(directory: Path) -> dict[str, int]:
    pairs = (line.split() for line in (directory / "memory.stat").read_text().splitlines())
    return {key: int(value) for key, value in pairs}


def test_page_cache_in_the_group_leaves_the_headroom_alone(
        group: tuple[Path, str], tmp_path: Path) -> None:
    directory, version = group
    cache = tmp_path / "cache.bin"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(directory / "cgroup.procs"), str(ANON), str(cache),
         str(CACHE)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline() == "filled\n"
        headroom = memory_headroom(CGROUP_ROOT, Path(f"/proc/{child.pid}/cgroup"))
        stat = _stat(directory)
        usage = int((directory / ("memory.usage_in_bytes" if version == "v1"
                                  else "memory.current")).read_text())
    finally:
        child.kill()
        child.wait()
        cache.unlink(missing_ok=True)   # frees the cache before the group goes
    v1 = version == "v1"
    anonymous = stat["total_rss"] if v1 else stat["anon"]
    cached = stat["total_cache"] if v1 else stat["file"]
    assert stat["total_shmem" if v1 else "shmem"] < CACHE / 2, (
        f"{tmp_path} is on tmpfs: its pages are shared memory, not page cache the kernel can "
        f"drop; run pytest with --basetemp on a disk")
    assert cached > CACHE * 0.9, f"the write did not stay in the page cache: {stat}"
    assert anonymous > ANON, f"the child's memory was not charged to the group: {stat}"
    assert headroom is not None, f"no headroom figure for {version} group {directory}"
    assert abs(headroom - (LIMIT - anonymous)) < TOLERANCE, (
        f"headroom {headroom / MIB:.0f} MiB, limit - anonymous "
        f"{(LIMIT - anonymous) / MIB:.0f} MiB, limit - usage {(LIMIT - usage) / MIB:.0f} MiB")
