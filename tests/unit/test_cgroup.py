"""The service's own memory limit, read from cgroup v2 files laid out as systemd makes them."""

from __future__ import annotations

from pathlib import Path

from voicebox.watchdog.cgroup import memory_headroom

GIB = 1024**3


def cgroup(tmp_path: Path, **files: str) -> tuple[Path, Path]:
    group = tmp_path / "system.slice" / "voicebox.service"
    group.mkdir(parents=True)
    for name, value in files.items():
        (group / name.replace("_", ".")).write_text(value + "\n")
    membership = tmp_path / "cgroup"
    membership.write_text("0::/system.slice/voicebox.service\n")
    return tmp_path, membership


def test_headroom_is_the_tighter_limit_minus_what_is_used(tmp_path: Path) -> None:
    root, membership = cgroup(tmp_path, memory_high=str(5 * GIB), memory_max=str(6 * GIB),
                              memory_current=str(4 * GIB))
    assert memory_headroom(root, membership) == 1 * GIB


def test_no_limit_means_no_headroom_figure(tmp_path: Path) -> None:
    root, membership = cgroup(tmp_path, memory_high="max", memory_max="max",
                              memory_current=str(GIB))
    assert memory_headroom(root, membership) is None


def test_over_the_limit_is_zero_not_negative(tmp_path: Path) -> None:
    root, membership = cgroup(tmp_path, memory_max=str(GIB), memory_current=str(2 * GIB))
    assert memory_headroom(root, membership) == 0


def test_cgroup_v1_or_no_files_means_none(tmp_path: Path) -> None:
    v1 = tmp_path / "v1"
    v1.write_text("4:memory:/process_api/abc\n1:cpu:/\n")
    assert memory_headroom(tmp_path, v1) is None
    assert memory_headroom(tmp_path, tmp_path / "missing") is None
    root, membership = cgroup(tmp_path, memory_max=str(GIB))   # no memory.current
    assert memory_headroom(root, membership) is None
