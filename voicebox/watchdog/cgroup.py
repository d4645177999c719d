"""How much memory the service may still use before systemd's MemoryHigh/MemoryMax bites.

Under systemd the daemon runs in its own cgroup (v2) with MemoryMax=6G: on an 8 GB Pi the
system-wide MemAvailable can look fine while the service is about to be reclaimed or
OOM-killed at its own limit. The watchdog takes the smaller of the two as "free RAM".
Outside a limited cgroup (a desk machine, cgroup v1) there is no such limit: None.
"""

from __future__ import annotations

from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
SELF_CGROUP = Path("/proc/self/cgroup")


def memory_headroom(root: Path = CGROUP_ROOT, membership: Path = SELF_CGROUP) -> int | None:
    """Bytes left under the tighter of memory.high and memory.max, or None if unlimited."""
    group = _unified_group(membership)
    if group is None:
        return None
    directory = root / group.lstrip("/")
    limits = [_read_bytes(directory / name) for name in ("memory.high", "memory.max")]
    current = _read_bytes(directory / "memory.current")
    finite = [limit for limit in limits if limit is not None]
    if not finite or current is None:
        return None
    return max(0, min(finite) - current)


def _unified_group(membership: Path) -> str | None:
    """The cgroup v2 path of this process ("0::/system.slice/voicebox.service")."""
    try:
        lines = membership.read_text().splitlines()
    except OSError:
        return None
    return next((line[3:] for line in lines if line.startswith("0::")), None)


def _read_bytes(path: Path) -> int | None:
    """A cgroup memory file: a number of bytes, or "max" (no limit) -> None."""
    try:
        text = path.read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None
