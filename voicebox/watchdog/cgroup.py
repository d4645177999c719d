"""How much memory the service may still use before its own cgroup limit bites.

Under systemd the daemon runs in its own cgroup with a memory limit (MemoryHigh/MemoryMax, or
MemoryLimit on cgroup v1): on an 8 GB Pi the system-wide MemAvailable can look fine while the
service is about to be reclaimed or OOM-killed at its own limit. The watchdog takes the smaller
of the two as "free RAM". Without a limit (a desk machine) there is no such figure: None.

What counts as used is the memory the kernel cannot take back. The group's usage
(``memory.current``, v1 ``memory.usage_in_bytes``) also counts the page cache charged to it:
every file the service read or wrote, the memory-mapped model files among them. Counted as
used, 700 MB of cache written in a 1500M/2G group moved the tier from normal to critical while
the service's own (anonymous) memory was ~350 MB. So the group's inactive file pages
(``inactive_file``, v1 ``total_inactive_file``) are not counted: they are the cache the kernel
reclaims first when the group nears its limit, without touching recently used pages (dirty
ones are written back first). Active file pages are counted as used although the kernel can
reclaim them too: they are the pages read again and again, the model weights llama.cpp maps and
reads for every token among them, and taking them back would make every token read the model
from the SD card again. This is the "working set" that Kubernetes evicts on, for the same
reason.

cgroup v1 and v2 may be mixed on one host (systemd's hybrid layout: v2 mounted beside the v1
controllers). The memory controller is on one of them only: this reads v1's memory hierarchy
when /proc/self/cgroup names one, else the unified (v2) group, each where systemd and container
runtimes mount it (/sys/fs/cgroup/memory for v1, /sys/fs/cgroup for v2).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
SELF_CGROUP = Path("/proc/self/cgroup")

V1_UNLIMITED = 1 << 62
"""v1 writes "no limit" as the largest page-aligned number below 2**63, which depends on the
page size (4 KiB on x86, 16 KiB on the Pi 5's kernel); no real limit comes near 2**62."""


@dataclass(frozen=True)
class Layout:
    """Where one cgroup version keeps its memory figures."""

    limits: tuple[str, ...]
    usage: str
    reclaimable: str
    """The memory.stat key of the group's inactive file pages, its children included."""


V2 = Layout(limits=("memory.high", "memory.max"), usage="memory.current",
            reclaimable="inactive_file")
V1 = Layout(limits=("memory.limit_in_bytes",), usage="memory.usage_in_bytes",
            reclaimable="total_inactive_file")


def memory_headroom(root: Path = CGROUP_ROOT, membership: Path = SELF_CGROUP) -> int | None:
    """Bytes left under the group's tightest limit for memory the kernel cannot reclaim,
    or None if the group has no limit (or no memory controller)."""
    found = _memory_group(root, membership)
    if found is None:
        return None
    directory, layout = found
    limits = [_read_bytes(directory / name) for name in layout.limits]
    finite = [limit for limit in limits if limit is not None and limit < V1_UNLIMITED]
    usage = _read_bytes(directory / layout.usage)
    if not finite or usage is None:
        return None
    in_use = max(0, usage - _stat(directory / "memory.stat", layout.reclaimable))
    return max(0, min(finite) - in_use)


def _memory_group(root: Path, membership: Path) -> tuple[Path, Layout] | None:
    """This process's memory cgroup directory and its layout, from /proc/self/cgroup lines
    such as "4:memory:/system.slice/voicebox.service" (v1) or "0::/system.slice/..." (v2)."""
    try:
        lines = membership.read_text().splitlines()
    except OSError:
        return None
    unified = None
    for line in lines:
        hierarchy, _, rest = line.partition(":")
        controllers, _, group = rest.partition(":")
        if "memory" in controllers.split(","):
            return root / "memory" / group.lstrip("/"), V1
        if hierarchy == "0" and not controllers:
            unified = root / group.lstrip("/")
    return None if unified is None else (unified, V2)


def _read_bytes(path: Path) -> int | None:
    """A cgroup memory file: a number of bytes, or "max" (no limit) or no file -> None."""
    try:
        text = path.read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _stat(path: Path, key: str) -> int:
    """One figure of memory.stat ("key value" lines); 0 if absent, so that nothing is taken
    for reclaimable that the kernel did not report."""
    try:
        lines = path.read_text().splitlines()
    except OSError:
        return 0
    values = dict(line.partition(" ")[::2] for line in lines)
    text = values.get(key, "").strip()
    return int(text) if text.isdigit() else 0
