"""Read and retag a binary wheel: the shared libraries inside it, what they need, and a new
platform tag that says where they load.

scikit-build-core tags what it builds with the machine it runs on (``linux_x86_64`` here), even
when CMake cross-compiled every library for aarch64; pip on the Pi would then refuse it, or, with
a hand-edited name, trust a tag nobody checked. So the tag is chosen from the libraries
(``abi.choose_tag``) and written into the file name, the WHEEL file and the RECORD.
"""

from __future__ import annotations

import base64
import hashlib
import re
import subprocess
import tempfile
import zipfile
from pathlib import Path

from voicebox.bundle.abi import EM_AARCH64, AbiError, LibraryNeeds, elf_machine, parse_objdump

SHARED_LIBRARY = re.compile(r"\.so(\.\d+)*$")
I8MM = ("smmla", "ummla", "usmmla", "usdot", "sudot", "bfmmla")  # not on the Pi 5's Cortex-A76
INSTRUCTION = r"^\s*[0-9a-f]+:\s+(?:[0-9a-f]{8}\s+)?([a-z][\w.]*)[ \t]*(.*)$"  # objdump -d
MACHINES = {62: "x86_64", 183: "aarch64", 40: "arm", 3: "i386"}


def libraries(wheel: Path) -> dict[str, bytes]:
    """Every shared library in the wheel, by its path inside the wheel."""
    with zipfile.ZipFile(wheel) as archive:
        return {name: archive.read(name) for name in archive.namelist()
                if SHARED_LIBRARY.search(name.rsplit("/", 1)[-1])}


def require_machine(wheel: Path, machine: int = EM_AARCH64) -> dict[str, bytes]:
    """The wheel's libraries; AbiError if there are none or one is not an ELF for ``machine``
    (an x86 build passed for the Pi is caught here, before any tool is needed)."""
    found = libraries(wheel)
    if not found:
        raise AbiError(f"{wheel.name} holds no shared library: not a build of llama.cpp")
    for name, data in sorted(found.items()):
        got = elf_machine(data[:20])
        if got != machine:
            what = "not an ELF file" if got is None else f"built for {_machine(got)}"
            raise AbiError(f"{wheel.name}: {name} is {what}, not for {_machine(machine)}")
    return found


def inspect(wheel: Path, objdump: str, machine: int = EM_AARCH64) -> list[LibraryNeeds]:
    """What each library of ``wheel`` needs (``objdump -p``), after require_machine."""
    needs = []
    with tempfile.TemporaryDirectory(prefix="voicebox-abi-") as tmp:
        for name, data in sorted(require_machine(wheel, machine).items()):
            copy = Path(tmp) / name.replace("/", "_")
            copy.write_bytes(data)
            needs.append(parse_objdump(name.rsplit("/", 1)[-1], _run([objdump, "-p", str(copy)])))
    return needs


def instruction_counts(disassembly: str) -> dict[str, int]:
    """How often the dot-product, i8mm and SVE instructions occur in ``objdump -d`` text.

    The Pi 5's Cortex-A76 has dotprod but neither i8mm nor SVE: one such instruction on a hot
    path is a SIGILL on the Pi (and runs fine under qemu, whose default CPU has them all).
    """
    mnemonics = re.findall(INSTRUCTION, disassembly, flags=re.M)
    counts = {"sdot/udot": 0, "i8mm": 0, "sve": 0}
    for mnemonic, operands in mnemonics:
        if mnemonic in ("sdot", "udot"):
            counts["sdot/udot"] += 1
        elif mnemonic in I8MM:
            counts["i8mm"] += 1
        elif re.search(r"\bz\d+\.[bhsdq]\b|\bp\d+/[zm]\b", operands):
            counts["sve"] += 1
    return counts


def disassemble(wheel: Path, objdump: str) -> dict[str, dict[str, int]]:
    """instruction_counts for each distinct library file of the wheel (copies counted once)."""
    seen: dict[str, str] = {}
    counts = {}
    with tempfile.TemporaryDirectory(prefix="voicebox-abi-") as tmp:
        for name, data in sorted(libraries(wheel).items()):
            digest = hashlib.sha256(data).hexdigest()
            if digest in seen:
                continue
            seen[digest] = name
            copy = Path(tmp) / "lib.so"
            copy.write_bytes(data)
            counts[name] = instruction_counts(_run([objdump, "-d", "--no-show-raw-insn",
                                                    str(copy)]))
    return counts


def retag(wheel: Path, tag: str, dest: Path, keep: tuple[str, ...] = ()) -> Path:
    """A copy of ``wheel`` in ``dest`` tagged ``py3-none-<tag>`` (name, WHEEL and RECORD);
    with ``keep``, only the files under those prefixes and the .dist-info go in."""
    name, version = wheel.name.split("-")[:2]
    target = dest / f"{name}-{version}-py3-none-{tag}.whl"
    with zipfile.ZipFile(wheel) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    info = next(n.rsplit("/", 1)[0] for n in entries if n.endswith(".dist-info/WHEEL"))
    if keep:
        entries = {n: d for n, d in entries.items() if n.startswith((*keep, f"{info}/"))}
    lines = [line for line in entries[f"{info}/WHEEL"].decode().splitlines()
             if not line.startswith(("Tag:", "Root-Is-Purelib:"))]
    lines += ["Root-Is-Purelib: false", f"Tag: py3-none-{tag}"]
    entries[f"{info}/WHEEL"] = ("\n".join(lines) + "\n").encode()
    record = [f"{path},sha256={_digest(data)},{len(data)}" for path, data in entries.items()
              if path != f"{info}/RECORD"]
    entries[f"{info}/RECORD"] = ("\n".join([*record, f"{info}/RECORD,,"]) + "\n").encode()
    dest.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for path, data in entries.items():
            out.writestr(path, data)
    return target


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def _machine(number: int) -> str:
    return MACHINES.get(number, f"ELF machine {number}")


def _run(command: list[str]) -> str:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise AbiError(f"{' '.join(command[:2])} failed: {result.stderr.strip()[-300:]}")
    return result.stdout
