"""The service's own memory limit, read from cgroup v2 and v1 files laid out as the kernel and
systemd make them (a real cgroup: tests/integration/test_cgroup_memory.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from voicebox.watchdog.cgroup import memory_headroom

GIB = 1024**3
MIB = 1024**2
V1_NO_LIMIT_4K_PAGES = "9223372036854771712"
V1_NO_LIMIT_16K_PAGES = "9223372036854759424"   # the Pi 5's kernel


def cgroup(tmp_path: Path, *, stat: dict[str, int] | None = None, **files: str
           ) -> tuple[Path, Path]:
    """A v2 group with ``files`` (memory_high= -> memory.high) and ``stat`` lines."""
    return _group(tmp_path, tmp_path / "system.slice" / "voicebox.service",
                  "0::/system.slice/voicebox.service\n", stat, files)


def cgroup_v1(tmp_path: Path, *, stat: dict[str, int] | None = None, **files: str
              ) -> tuple[Path, Path]:
    """A v1 memory group in systemd's hybrid layout (v2 mounted beside, without memory)."""
    membership = ("9:name=systemd:/system.slice/voicebox.service\n"
                  "4:memory:/system.slice/voicebox.service\n1:cpu,cpuacct:/\n0::/\n")
    return _group(tmp_path, tmp_path / "memory" / "system.slice" / "voicebox.service",
                  membership, stat, files)


def _group(root: Path, group: Path, membership: str, stat: dict[str, int] | None,
           files: dict[str, str]) -> tuple[Path, Path]:
    group.mkdir(parents=True)
    for name, value in files.items():
        (group / name.replace("_", ".", 1)).write_text(value + "\n")
    if stat is not None:
        (group / "memory.stat").write_text("".join(f"{k} {v}\n" for k, v in stat.items()))
    (root / "cgroup").write_text(membership)
    return root, root / "cgroup"


def test_headroom_is_the_tighter_limit_minus_what_is_used(tmp_path: Path) -> None:
    root, membership = cgroup(tmp_path, memory_high=str(5 * GIB), memory_max=str(6 * GIB),
                              memory_current=str(4 * GIB))
    assert memory_headroom(root, membership) == 1 * GIB


def test_inactive_page_cache_is_headroom_and_active_cache_is_not(tmp_path: Path) -> None:
    # 4 GiB used: 2.5 GiB of the service's own memory, 1 GiB of cache nobody read again
    # (files written, a model read once) and 0.5 GiB of model pages read for every token.
    root, membership = cgroup(
        tmp_path, memory_high=str(5 * GIB), memory_max=str(6 * GIB),
        memory_current=str(4 * GIB), stat={"anon": 2560 * MIB, "file": 1536 * MIB,
                                           "active_file": 512 * MIB,
                                           "inactive_file": 1 * GIB})
    assert memory_headroom(root, membership) == 2 * GIB


def test_no_limit_means_no_headroom_figure(tmp_path: Path) -> None:
    root, membership = cgroup(tmp_path, memory_high="max", memory_max="max",
                              memory_current=str(GIB))
    assert memory_headroom(root, membership) is None


def test_over_the_limit_is_zero_not_negative(tmp_path: Path) -> None:
    root, membership = cgroup(tmp_path, memory_max=str(GIB), memory_current=str(2 * GIB),
                              stat={"inactive_file": 100 * MIB})
    assert memory_headroom(root, membership) == 0


def test_cgroup_v1_counts_the_hierarchys_inactive_cache_as_headroom(tmp_path: Path) -> None:
    # total_ figures include child groups, as memory.usage_in_bytes does.
    root, membership = cgroup_v1(
        tmp_path, memory_limit_in_bytes=str(1500 * MIB), memory_usage_in_bytes=str(1000 * MIB),
        stat={"inactive_file": 100 * MIB, "total_rss": 350 * MIB,
              "total_inactive_file": 600 * MIB, "total_active_file": 50 * MIB})
    assert memory_headroom(root, membership) == 1100 * MIB


@pytest.mark.parametrize("no_limit", [V1_NO_LIMIT_4K_PAGES, V1_NO_LIMIT_16K_PAGES])
def test_cgroup_v1_without_a_limit_means_no_headroom_figure(tmp_path: Path,
                                                            no_limit: str) -> None:
    root, membership = cgroup_v1(tmp_path, memory_limit_in_bytes=no_limit,
                                 memory_usage_in_bytes=str(GIB))
    assert memory_headroom(root, membership) is None


def test_without_memory_stat_all_of_the_usage_counts(tmp_path: Path) -> None:
    root, membership = cgroup_v1(tmp_path, memory_limit_in_bytes=str(2 * GIB),
                                 memory_usage_in_bytes=str(GIB))
    assert memory_headroom(root, membership) == GIB


def test_no_membership_or_no_files_means_none(tmp_path: Path) -> None:
    assert memory_headroom(tmp_path, tmp_path / "missing") is None
    root, membership = cgroup(tmp_path, memory_max=str(GIB))   # no memory.current
    assert memory_headroom(root, membership) is None
    (tmp_path / "cgroup").write_text("4:memory:/process_api/abc\n0::/\n")   # v1, no files
    assert memory_headroom(root, membership) is None
