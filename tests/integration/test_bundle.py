"""The offline bundle, end to end: built here from the dev models, installed into a scratch root
inside a network namespace with no network, then used; and refused when it is damaged.

Needs root (unshare, mount namespaces), as CI has.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tests.integration.bundles import Installed, installer, offline, tree
from voicebox.bundle.tamper import flip_a_byte, rebuilt, tampered
from voicebox.paths import PROJECT_ROOT


def test_install_offline_then_check_and_a_turn_from_the_installed_venv(
        bundle: Path, root: Path, tmp_path: Path) -> None:
    install = installer(bundle, tmp_path)
    first = offline(sys.executable, install, "--root", root, bundle)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "all checks passed" in first.stdout
    venv = root / "opt" / "voicebox" / "current" / ".venv" / "bin" / "voicebox"
    config = root / "etc" / "voicebox" / "voicebox.toml"
    assert (root / "etc/systemd/system/multi-user.target.wants/voicebox.service").is_symlink()
    assert "voicebox:" in (root / "etc" / "passwd").read_text()
    group = (root / "etc" / "group").read_text()
    assert any(line.startswith("audio:") and "voicebox" in line for line in group.splitlines())

    answer = tmp_path / "answer.wav"
    turn = offline(venv, "--config", config, "turn", "--ask", "What is the capital of Spain?",
                   "--out", answer)
    assert turn.returncode == 0, turn.stdout + turn.stderr
    assert "heard:    What is the capital of Spain?" in turn.stdout
    assert answer.stat().st_size > 10_000

    config.write_text(config.read_text() + "\n# the admin's own note\n")
    own_model = root / "var" / "lib" / "voicebox" / "models" / "mine" / "custom.gguf"
    own_model.parent.mkdir()
    own_model.write_bytes(b"the admin's model")
    again = offline(sys.executable, install, "--root", root, bundle)
    assert again.returncode == 0, again.stderr
    assert "nothing to do" in again.stdout
    assert "0 read in full" in again.stdout
    assert "0 stale model files removed" in again.stdout
    assert own_model.read_bytes() == b"the admin's model"
    assert "kept the existing" in again.stdout
    assert "the admin's own note" in config.read_text()


def test_uninstall_keeps_config_and_models_unless_purged(installed: Installed) -> None:
    root, install = installed.root, installed.tool
    removed = offline(sys.executable, install, "--root", root, "--uninstall")
    assert removed.returncode == 0, removed.stderr
    assert not (root / "opt" / "voicebox").exists()
    assert not (root / "etc/systemd/system/voicebox.service").exists()
    assert (root / "etc" / "voicebox" / "voicebox.toml").exists()
    assert any((root / "var" / "lib" / "voicebox" / "models").iterdir())
    purged = offline(sys.executable, install, "--root", root, "--uninstall", "--purge")
    assert purged.returncode == 0
    assert not (root / "etc" / "voicebox").exists()
    assert not (root / "var" / "lib" / "voicebox").exists()


def flip_a_model_byte(stage: Path) -> None:
    """One bit of a model flipped, in a new file (the old one is shared: tamper.flip_a_byte)."""
    flip_a_byte(stage / "models" / "smollm2-135m-dev" / "SmolLM2-135M-Instruct.Q4_1.gguf",
                1_000_000)


def drop_a_wheel(stage: Path) -> None:
    next((stage / "wheels").glob("numpy-*.whl")).unlink()


def claim_another_cpu(stage: Path) -> None:
    manifest = json.loads((stage / "MANIFEST.json").read_text())
    manifest["machine"] = "aarch64"
    (stage / "MANIFEST.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize(("change", "message"), [
    # damage after signing, found by the manifest's hashes
    (flip_a_model_byte, "models/smollm2-135m-dev/SmolLM2-135M-Instruct.Q4_1.gguf: expected "
                        "sha256"),
    (drop_a_wheel, "wheels/numpy-"),
    # a bundle signed by its builder, for another machine
    (claim_another_cpu, "this bundle is for aarch64"),
])
def test_a_damaged_or_foreign_bundle_is_refused_before_anything_changes(
        bundle: Path, unpacked: Path, root: Path, tmp_path: Path, signing_key_dir: Path, *,
        change, message: str) -> None:
    bad = (rebuilt(unpacked, tmp_path, change, signing_key_dir) if change is claim_another_cpu
           else tampered(unpacked, tmp_path, change))
    before = tree(root)
    refused = offline(sys.executable, installer(bundle, tmp_path / "installer"), "--root",
                      root, bad)
    assert refused.returncode == 1
    assert message in refused.stderr
    assert "nothing was changed" in refused.stderr
    assert tree(root) == before


def test_too_little_disk_space_is_refused_before_anything_changes(
        bundle: Path, root: Path, tmp_path: Path) -> None:
    install = installer(bundle, tmp_path)
    small = f"mount -t tmpfs -o size=64m tmpfs {root}/var/tmp && exec {sys.executable} " \
            f"{install} --root {root} {bundle}"
    before = tree(root)
    refused = subprocess.run(["unshare", "--net", "--mount", "sh", "-c", small],
                             capture_output=True, text=True, check=False)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "not enough disk space to unpack the bundle" in refused.stderr
    assert tree(root) == before


def test_a_pi_bundle_refuses_an_x86_llama_wheel_before_downloading_anything(
        bundle: Path, tmp_path: Path) -> None:
    with tarfile.open(bundle) as archive:
        member = next(m for m in archive.getmembers() if "/wheels/llama_cpp_python-" in m.name)
        archive.extract(member, tmp_path, filter="data")
    x86 = tmp_path / member.name
    done = subprocess.run([sys.executable, str(PROJECT_ROOT / "scripts" / "make-bundle"),
                           "--target", "pi", "--llama-wheel", str(x86), "--out", str(tmp_path)],
                          capture_output=True, text=True, check=False,
                          env={**os.environ, "VOICEBOX_SIGNING_DIR": str(tmp_path / "key")})
    assert done.returncode == 1
    assert "is built for x86_64, not for aarch64" in done.stderr
    assert "scripts/build-llama-wheel" in done.stderr
    assert not list(tmp_path.glob("*.tar"))
