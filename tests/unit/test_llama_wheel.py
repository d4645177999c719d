"""The pure parts of the Pi's llama-cpp-python wheel: toolchain file, cache key, the tag the
libraries earn, what they may link, retagging. The cross build itself is checked by
``scripts/build-llama-wheel --check`` (minutes the first time: not a unit test)."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest

from tests.unit.wheels import build_wheel
from voicebox.bundle.abi import (
    EM_AARCH64,
    AbiError,
    LibraryNeeds,
    choose_tag,
    elf_machine,
    foreign_libraries,
    parse_objdump,
    platform_tags,
)
from voicebox.bundle.llama_wheel import (
    CrossBuild,
    LlamaWheelError,
    cache_key,
    cross_tools,
    toolchain_text,
)
from voicebox.bundle.wheelfile import instruction_counts, require_machine, retag

OBJDUMP = """
libllama.so:     file format elf64-littleaarch64

Dynamic Section:
  NEEDED               libggml.so.0
  NEEDED               libstdc++.so.6
  NEEDED               libm.so.6
  SONAME               libllama.so.0
  RUNPATH              $ORIGIN

Version References:
  required from libm.so.6:
    0x06969197 0x00 03 GLIBC_2.17
  required from libstdc++.so.6:
    0x0297f871 0x00 04 GLIBCXX_3.4.21
    0x0bafd179 0x00 02 CXXABI_1.3.9
  required from libc.so.6:
    0x06969197 0x00 05 GLIBC_2.17
    0x069691b3 0x00 06 GLIBC_2.33
private flags = 0x0:
"""


def needs(*symbols: str, needed: tuple[str, ...] = ()) -> LibraryNeeds:
    return LibraryNeeds("libx.so", needed, {"libc.so.6": frozenset(symbols)})


def test_objdump_text_gives_the_needed_libraries_and_symbol_versions() -> None:
    parsed = parse_objdump("libllama.so", OBJDUMP)
    assert parsed.needed == ("libggml.so.0", "libstdc++.so.6", "libm.so.6")
    assert parsed.versions["libc.so.6"] == {"GLIBC_2.17", "GLIBC_2.33"}
    assert parsed.versions["libstdc++.so.6"] == {"GLIBCXX_3.4.21", "CXXABI_1.3.9"}


@pytest.mark.parametrize(("symbols", "tag"), [
    (("GLIBC_2.17",), "manylinux_2_17_aarch64"),
    (("GLIBC_2.17", "GLIBCXX_3.4.21", "CXXABI_1.3.9"), "manylinux_2_28_aarch64"),
    (("GLIBC_2.29",), "manylinux_2_29_aarch64"),
    (("GLIBC_2.29", "GLIBCXX_3.4.26"), "manylinux_2_31_aarch64"),
    (("GLIBC_2.34", "GLIBCXX_3.4.19"), "manylinux_2_34_aarch64"),
    (("GLIBC_2.17", "GLIBCXX_3.4.30"), "manylinux_2_35_aarch64"),
    (("GLIBC_2.36",), "manylinux_2_36_aarch64"),
])
def test_the_tag_is_the_oldest_baseline_that_has_every_needed_version(
        symbols: tuple[str, ...], tag: str) -> None:
    assert choose_tag([needs(*symbols)]) == tag


@pytest.mark.parametrize("symbol", ["GLIBC_2.38", "GLIBCXX_3.4.32", "CXXABI_1.3.15"])
def test_a_library_newer_than_bookworm_is_refused(symbol: str) -> None:
    with pytest.raises(AbiError, match="Raspberry Pi OS Bookworm"):
        choose_tag([needs("GLIBC_2.17", symbol)])


def test_libgomp_is_foreign_and_the_wheels_own_libraries_are_not() -> None:
    own = LibraryNeeds("libggml-base.so.0", ("libc.so.6", "libstdc++.so.6"))
    cpu = LibraryNeeds("libggml-cpu.so", ("libggml-base.so.0", "libgomp.so.1", "libm.so.6"))
    assert foreign_libraries([own, cpu]) == {"libggml-cpu.so": ["libgomp.so.1"]}


def test_pip_is_given_every_glibc_minor_down_to_manylinux2014() -> None:
    tags = platform_tags()
    assert tags[:2] == ["manylinux_2_36_aarch64", "manylinux_2_35_aarch64"]
    for tag in ("manylinux_2_28_aarch64", "manylinux_2_27_aarch64", "manylinux_2_17_aarch64",
                "manylinux2014_aarch64", "linux_aarch64"):
        assert tag in tags
    assert len(tags) == 36 - 17 + 1 + 2
    assert "manylinux_2_37_aarch64" not in tags


def test_the_toolchain_file_cross_compiles_for_the_pi_5_without_host_libraries() -> None:
    text = toolchain_text("aarch64-linux-gnu", "armv8.2-a+dotprod")
    assert "set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)" in text
    assert "set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)" in text
    assert "set(CMAKE_SYSTEM_PROCESSOR aarch64)" in text
    assert 'set(CMAKE_STRIP aarch64-linux-gnu-strip CACHE FILEPATH "")' in text
    assert 'set(CMAKE_CXX_FLAGS_INIT "-march=armv8.2-a+dotprod")' in text
    assert "set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)" in text
    assert "set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)" in text
    assert "i8mm" not in text


def test_the_cmake_options_are_portable_dotprod_without_openmp() -> None:
    args = CrossBuild("0.3.36").cmake_args(Path("/t/toolchain.cmake"))
    assert "-DCMAKE_TOOLCHAIN_FILE=/t/toolchain.cmake" in args
    assert "-DGGML_NATIVE=OFF" in args
    assert "-DGGML_CPU_ARM_ARCH=armv8.2-a+dotprod" in args
    assert "-DGGML_OPENMP=OFF" in args


def test_the_cache_key_follows_version_flags_toolchain_and_compiler_not_jobs() -> None:
    build = CrossBuild("0.3.36")
    toolchain = toolchain_text(build.triple, build.march)
    key = cache_key(build, toolchain, "gcc 12.2.0")
    assert key == cache_key(CrossBuild("0.3.36", jobs=8), toolchain, "gcc 12.2.0")
    assert len({key, cache_key(CrossBuild("0.3.35"), toolchain, "gcc 12.2.0"),
                cache_key(CrossBuild("0.3.36", march="armv8.2-a"), toolchain, "gcc 12.2.0"),
                cache_key(build, toolchain + "#", "gcc 12.2.0"),
                cache_key(build, toolchain, "gcc 12.3.0")}) == 5


def test_a_missing_cross_compiler_names_the_packages_to_install() -> None:
    with pytest.raises(LlamaWheelError) as error:
        cross_tools(which=lambda name: None if name.endswith("g++") else f"/usr/bin/{name}")
    assert "aarch64-linux-gnu-g++ not found" in str(error.value)
    assert "apt-get install gcc-aarch64-linux-gnu g++-aarch64-linux-gnu" in error.value.hint


def elf_header(machine: int) -> bytes:
    """The first 20 bytes of a 64-bit little-endian shared object for ``machine``."""
    return b"\x7fELF\x02\x01\x01" + bytes(9) + (3).to_bytes(2, "little") + (
        machine).to_bytes(2, "little")


def aarch64_header() -> bytes:
    return elf_header(EM_AARCH64)


def test_elf_machine_reads_the_header() -> None:
    assert elf_machine(aarch64_header()) == EM_AARCH64
    assert elf_machine(elf_header(62)) == 62
    assert elf_machine(Path(sys.executable).resolve().read_bytes()[:20]) in (62, EM_AARCH64)
    assert elf_machine(b"#!/bin/sh\n" + bytes(10)) is None


def test_an_x86_build_passed_for_the_pi_is_refused(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path, "llama-cpp-python", "0.3.36", {
        "llama_cpp/__init__.py": b"", "llama_cpp/lib/libllama.so": elf_header(62) + b"code"})
    with pytest.raises(AbiError, match="libllama.so is built for x86_64, not for aarch64"):
        require_machine(wheel)


def test_retag_rewrites_name_wheel_file_and_record(tmp_path: Path) -> None:
    library = aarch64_header() + b"rest of the library"
    wheel = build_wheel(tmp_path, "llama-cpp-python", "0.3.36", {
        "llama_cpp/__init__.py": b"", "llama_cpp/lib/libllama.so": library})
    tagged = retag(wheel, "manylinux_2_36_aarch64", tmp_path / "out")
    assert tagged.name == "llama_cpp_python-0.3.36-py3-none-manylinux_2_36_aarch64.whl"
    with zipfile.ZipFile(tagged) as archive:
        info = "llama_cpp_python-0.3.36.dist-info"
        meta = archive.read(f"{info}/WHEEL").decode()
        record = archive.read(f"{info}/RECORD").decode()
        assert archive.read("llama_cpp/lib/libllama.so") == library
    assert "Tag: py3-none-manylinux_2_36_aarch64" in meta and "py3-none-any" not in meta
    assert "Root-Is-Purelib: false" in meta
    wheel_line = next(line for line in record.splitlines() if "/WHEEL," in line)
    assert wheel_line.endswith(f",{len(meta)}")
    assert require_machine(tagged).keys() == {"llama_cpp/lib/libllama.so"}


def test_instruction_counts_tell_dotprod_from_i8mm_and_sve() -> None:
    text = """
   1a2b0:\tsdot\tv0.4s, v1.16b, v2.16b
   1a2b4:\tudot\tv3.4s, v4.16b, v5.16b
   1a2b8:\tsmmla\tv0.4s, v1.16b, v2.16b
   1a2bc:\tld1b\t{z0.b}, p0/z, [x0]
   1a2c0:\tadd\tx0, x0, #0x10
"""
    assert instruction_counts(text) == {"sdot/udot": 2, "i8mm": 1, "sve": 1}


def test_retag_can_keep_only_the_package(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path, "llama-cpp-python", "0.3.36", {
        "llama_cpp/__init__.py": b"", "include/llama.h": b"/* header */",
        "lib/libllama.so": aarch64_header()})
    trimmed = retag(wheel, "linux_aarch64", tmp_path / "out", keep=("llama_cpp/",))
    with zipfile.ZipFile(trimmed) as archive:
        names = set(archive.namelist())
        record = archive.read("llama_cpp_python-0.3.36.dist-info/RECORD").decode()
    assert "llama_cpp/__init__.py" in names
    assert not {"include/llama.h", "lib/libllama.so"} & names
    assert "include/llama.h" not in record
