"""What a cross-built shared library asks of the system it loads on, and which wheel tag that
earns: pure functions over ELF headers and ``objdump -p`` text, so they are unit-tested here.

A wheel's manylinux tag is a promise: ``manylinux_2_X_aarch64`` says "loads on any aarch64
Linux with glibc 2.X or newer". pip on the Pi believes it, so the tag must come from what the
libraries really need (their GLIBC_ symbol versions), and the libraries must need nothing that
Raspberry Pi OS Bookworm lacks: a newer glibc or libstdc++, or a library a minimal image does
not have (libgomp.so.1 is the one that slips in: x86 dev machines always have it because gcc
pulls it in, a Pi without build tools does not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from voicebox.errors import VoiceboxError

EM_AARCH64 = 183  # ELF e_machine of 64-bit ARM
ELF_MAGIC = b"\x7fELF"

# Newest symbol versions each glibc baseline provides with the GCC runtime its distributions
# ship (as in auditwheel's manylinux policies). A library needing GLIBCXX_3.4.30 is only
# portable to systems with libstdc++ from GCC 12, whatever glibc symbols it needs.
BASELINES: tuple[tuple[int, dict[str, tuple[int, ...]]], ...] = (
    (17, {"GLIBCXX": (3, 4, 19), "CXXABI": (1, 3, 7), "GCC": (4, 8, 0)}),     # CentOS 7
    (28, {"GLIBCXX": (3, 4, 25), "CXXABI": (1, 3, 11), "GCC": (8, 0, 0)}),    # RHEL 8
    (31, {"GLIBCXX": (3, 4, 28), "CXXABI": (1, 3, 12), "GCC": (10, 0, 0)}),   # Debian 11
    (35, {"GLIBCXX": (3, 4, 30), "CXXABI": (1, 3, 13), "GCC": (12, 0, 0)}),   # Ubuntu 22.04
    (36, {"GLIBCXX": (3, 4, 30), "CXXABI": (1, 3, 13), "GCC": (12, 0, 0)}),   # Debian 12
)
BOOKWORM_GLIBC = 36  # Raspberry Pi OS Bookworm = Debian 12: glibc 2.36, GCC 12's libstdc++

# Libraries every glibc system has (glibc itself and the GCC runtime that Debian marks
# required): a wheel may link these and nothing else outside itself.
SYSTEM_LIBRARIES = frozenset({
    "libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1",
    "ld-linux-aarch64.so.1", "libstdc++.so.6", "libgcc_s.so.1",
})


class AbiError(VoiceboxError):
    """A library that would not load, or not everywhere its tag promises."""

    code = "abi"


@dataclass(frozen=True)
class LibraryNeeds:
    """What one shared library asks the dynamic loader for."""

    name: str
    needed: tuple[str, ...] = ()
    versions: dict[str, frozenset[str]] = field(default_factory=dict)  # library -> versions


def elf_machine(header: bytes) -> int | None:
    """e_machine of a little-endian ELF file from its first 20 bytes; None if not ELF."""
    if len(header) < 20 or not header.startswith(ELF_MAGIC):
        return None
    order = "little" if header[5] == 1 else "big"
    return int.from_bytes(header[18:20], order)


def parse_objdump(name: str, text: str) -> LibraryNeeds:
    """NEEDED entries and version references from ``objdump -p`` of one library."""
    needed = tuple(re.findall(r"^\s+NEEDED\s+(\S+)", text, flags=re.M))
    versions: dict[str, set[str]] = {}
    current = None
    for line in text.split("Version References:", 1)[-1].splitlines() if (
            "Version References:" in text) else []:
        required = re.match(r"\s+required from (\S+):", line)
        if required:
            current = required.group(1)
            versions.setdefault(current, set())
        elif current and (symbol := re.search(r"\s(\S+_[0-9][0-9.]*)$", line.strip())):
            versions[current].add(symbol.group(1))
    return LibraryNeeds(name, needed, {lib: frozenset(v) for lib, v in versions.items()})


def version_of(symbol: str) -> tuple[str, tuple[int, ...]]:
    """``GLIBCXX_3.4.30`` -> ("GLIBCXX", (3, 4, 30)); pads to three numbers."""
    prefix, _, number = symbol.rpartition("_")
    parts = tuple(int(p) for p in number.split("."))
    return prefix, (*parts, 0, 0, 0)[:3]


def newest(libraries: list[LibraryNeeds]) -> dict[str, tuple[int, ...]]:
    """The newest version the libraries need of each family (GLIBC, GLIBCXX, CXXABI, GCC)."""
    found: dict[str, tuple[int, ...]] = {}
    for library in libraries:
        for symbols in library.versions.values():
            for symbol in symbols:
                family, version = version_of(symbol)
                if family in ("GLIBC", "GLIBCXX", "CXXABI", "GCC"):
                    found[family] = max(found.get(family, (0,)), version)
    return found


def choose_tag(libraries: list[LibraryNeeds], arch: str = "aarch64",
               ceiling: int = BOOKWORM_GLIBC) -> str:
    """The lowest manylinux tag whose baseline provides every version the libraries need.

    Raises AbiError when even ``ceiling`` (Bookworm's glibc) is too old: such a wheel would
    install on the Pi and then fail to load.
    """
    need = newest(libraries)
    glibc = need.get("GLIBC", (2, 17, 0))
    for minor in range(17, ceiling + 1):
        # A system with glibc 2.<minor> has at least the runtime of the newest baseline below.
        runtime = next(r for m, r in reversed(BASELINES) if m <= minor)
        if glibc[:2] <= (2, minor) and all(need.get(f, (0,)) <= v for f, v in runtime.items()):
            return f"manylinux_2_{minor}_{arch}"
    shown = ", ".join(f"{f}_{'.'.join(map(str, v))}" for f, v in sorted(need.items()))
    raise AbiError(f"the libraries need {shown}: newer than glibc 2.{ceiling} with GCC 12's "
                   "libstdc++ (Raspberry Pi OS Bookworm) provides")


def foreign_libraries(libraries: list[LibraryNeeds]) -> dict[str, list[str]]:
    """Per library, what it links that is neither in the wheel nor on every system."""
    own = {lib.name for lib in libraries}
    found = {}
    for library in libraries:
        extra = [n for n in library.needed if n not in own and n not in SYSTEM_LIBRARIES]
        if extra:
            found[library.name] = extra
    return found


def platform_tags(arch: str = "aarch64", newest_glibc: int = BOOKWORM_GLIBC) -> list[str]:
    """Every platform tag pip must be given to take wheels for a glibc 2.``newest_glibc`` box.

    pip does not widen ``--platform``: given only manylinux2014 it never sees a
    manylinux_2_28 wheel, and quietly takes an older release or nothing. So every glibc
    minor from the newest down to 2.17 is listed, newest first (pip's own preference).
    """
    return ([f"manylinux_2_{minor}_{arch}" for minor in range(newest_glibc, 16, -1)]
            + [f"manylinux2014_{arch}", f"linux_{arch}"])
