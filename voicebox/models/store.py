"""The model store: verified local paths for the models a profile names.

Layout: ``<root>/<model>/<file>``, one directory per model (whisper loads a directory, piper an
.onnx with its .onnx.json beside it). Sizes are checked at every start because a truncated copy
is the common failure and costs nothing to detect; the full sha256 is checked when a file is
placed in the store and by ``voicebox check --deep``, because hashing 2 GB on a Pi at every
boot would delay the first answer by a minute.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from voicebox.config.schema import ModelsConfig
from voicebox.errors import ModelError, ModelFileError
from voicebox.models.lock import TIERS, ModelEntry, ModelFile, ModelLock, load_lock

CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def fix_hint(model_file: ModelFile) -> str:
    """The command that puts a correct copy of ``model_file`` in the store."""
    if model_file.parts:
        return "run scripts/fetch-dev-models (fetches and verifies the dev models)"
    return ("install the offline bundle again (scripts/install BUNDLE), or on a connected "
            "machine build one with scripts/make-bundle")


@dataclass(frozen=True)
class VerifiedModel:
    """A model whose files are present with the pinned sizes."""

    entry: ModelEntry
    directory: Path

    def file(self, suffix: str) -> Path:
        """The path of the model's file whose name ends with ``suffix``."""
        for model_file in self.entry.files:
            if model_file.name.endswith(suffix):
                return self.directory / model_file.name
        raise ModelError(f"model {self.entry.name} has no file ending in {suffix!r}",
                         hint="fix models.lock: the engine needs that file")


class Languages(NamedTuple):
    """Which languages a question may be in, and which of them the box answers in."""

    heard: tuple[str, ...]
    spoken: tuple[str, ...]


class ModelStore:
    """Resolves (role, tier, language) to verified model files for one models.lock profile."""

    def __init__(self, lock: ModelLock, root: Path, profile: str) -> None:
        self.lock = lock
        self.root = root
        self.profile = profile
        self.models = lock.profile(profile)

    @classmethod
    def from_config(cls, models: ModelsConfig) -> ModelStore:
        """The store the config names, for its models.lock profile."""
        return cls(load_lock(models.lock), models.store, models.profile)

    def languages(self, wanted: tuple[str, ...], fallback: str) -> Languages:
        """The languages the box listens for (``wanted``, or every voice) and speaks.

        A question in a language without a voice is still understood and answered in the
        fallback language, so only the fallback must have a voice.
        """
        voices = self.voices()
        if fallback not in voices:
            raise ModelError(f"no voice for the fallback language {fallback} in profile "
                             f"{self.profile!r} (voices: {', '.join(sorted(voices))})",
                             hint="set stt.fallback_language to a language with a voice, "
                                  "or add a voice to models.lock")
        heard = wanted or tuple(sorted(voices))
        spoken = tuple(sorted({lang for lang in (*heard, fallback) if lang in voices}))
        return Languages(heard, spoken)

    def path_of(self, model_file: ModelFile) -> Path:
        """Where ``model_file`` lives in the store."""
        return self.root / model_file.model / model_file.name

    def select(self, role: str, tier: str = "standard", language: str = "") -> ModelEntry:
        """The profile's model for ``role`` at ``tier``, else the nearest tier it has.

        A profile may have a single LLM for both tiers (the dev profile does): asking for the
        small tier then gives the only one, rather than failing the watchdog's step down.
        """
        candidates = [m for m in self.models if m.role == role
                      and (not language or role != "tts" or m.language == language)]
        if not candidates:
            wanted = f"{role} {language}".strip()
            raise ModelError(f"profile {self.profile!r} in {self.lock.path} has no {wanted} model",
                             hint="add one to the profile in models.lock")
        wanted_rank = TIERS.index(tier)
        return min(candidates, key=lambda m: abs(TIERS.index(m.tier) - wanted_rank))

    def voices(self) -> dict[str, ModelEntry]:
        """The profile's TTS voices by language: the languages the box can answer in."""
        return {m.language: m for m in self.models if m.role == "tts"}

    def model(self, role: str, tier: str = "standard", language: str = "") -> VerifiedModel:
        """A verified (sizes checked) model for ``role`` at ``tier``; raises if unusable."""
        entry = self.select(role, tier, language)
        self.verify(entry)
        return VerifiedModel(entry, self.root / entry.name)

    def verify(self, entry: ModelEntry, deep: bool = False) -> None:
        """Raise :class:`ModelFileError` for the first missing, truncated or corrupt file."""
        for model_file in entry.files:
            self.verify_file(model_file, deep)

    def verify_file(self, model_file: ModelFile, deep: bool = False) -> None:
        """Check one file's size (and its sha256 when ``deep``)."""
        path = self.path_of(model_file)
        expected = f"{model_file.size} bytes"
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            raise ModelFileError(str(path), expected, "no file",
                                 hint=fix_hint(model_file)) from None
        if size != model_file.size:
            state = "truncated" if size < model_file.size else "too long"
            raise ModelFileError(str(path), expected, f"{size} bytes ({state})",
                                 hint=fix_hint(model_file))
        if deep:
            digest = sha256_of(path)
            if digest != model_file.sha256:
                raise ModelFileError(str(path), f"sha256 {model_file.sha256}",
                                     f"sha256 {digest} (corrupt)", hint=fix_hint(model_file))

    def place(self, model_file: ModelFile, chunks: Iterable[bytes]) -> Path:
        """Write ``chunks`` as ``model_file``, verifying size and sha256 before it appears.

        The bytes go to a temporary name in the same directory and are renamed only when they
        match the pin, so a crash or a bad source never leaves a wrong file under the real name.
        """
        final = self.path_of(model_file)
        final.parent.mkdir(parents=True, exist_ok=True)
        partial = final.with_name(f".{final.name}.partial")
        digest = hashlib.sha256()
        size = 0
        with partial.open("wb") as handle:
            for block in chunks:
                handle.write(block)
                digest.update(block)
                size += len(block)
        found = f"{size} bytes, sha256 {digest.hexdigest()}"
        if size != model_file.size or digest.hexdigest() != model_file.sha256:
            partial.unlink()
            raise ModelFileError(
                str(final), f"{model_file.size} bytes, sha256 {model_file.sha256}", found,
                hint="the source does not match models.lock: check the source, never the pin",
            )
        os.replace(partial, final)
        return final
