"""models.lock: the pinned list of every model file voicebox may load.

One ``[[file]]`` entry per file: the model it belongs to, its role, tier and language, where it
comes from (an https URL, and/or registry packages holding its parts), its size and sha256.
``[profile.NAME]`` tables name the models a kind of box runs. Parsing is strict: a lock that
is wrong in any way is refused with the entry and field named, because every later check
(fetch, bundle, install, start-up) trusts it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from voicebox.errors import ModelLockError

ROLES = ("stt", "llm", "tts")
TIERS = ("small", "standard")
SHA256 = re.compile(r"[0-9a-f]{64}")
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
PACKAGE_PIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*==[A-Za-z0-9.+!-]+")
LOCK_FIX = "restore models.lock from the release (git checkout models.lock)"


@dataclass(frozen=True)
class PackagePart:
    """One piece of a file inside a registry package (split files have several)."""

    package: str
    path: str


@dataclass(frozen=True)
class ModelFile:
    """One pinned file of a model."""

    model: str
    name: str
    size: int
    sha256: str
    url: str
    parts: tuple[PackagePart, ...]


@dataclass(frozen=True)
class PackagedFile:
    """One pinned file inside an installed package, belonging to wake word ``wake_word``."""

    wake_word: str
    package: str
    """``name==version`` of the distribution that installs the file."""
    path: str
    """Relative to site-packages, starting with the import name."""
    size: int
    sha256: str


@dataclass(frozen=True)
class ModelEntry:
    """A model: the files an engine loads together, and what it is for."""

    name: str
    role: str
    tier: str
    language: str
    files: tuple[ModelFile, ...]

    @property
    def size(self) -> int:
        """Total bytes of the model's files."""
        return sum(f.size for f in self.files)


@dataclass(frozen=True)
class ModelLock:
    """The parsed models.lock."""

    path: Path
    models: Mapping[str, ModelEntry]
    profiles: Mapping[str, tuple[str, ...]]
    packaged: tuple[PackagedFile, ...] = ()

    def wake_words(self, package: str) -> dict[str, tuple[PackagedFile, ...]]:
        """The pinned files of each wake word inside distribution ``package``, by name."""
        files = [f for f in self.packaged if f.package.split("==")[0] == package]
        names = dict.fromkeys(f.wake_word for f in files)
        return {name: tuple(f for f in files if f.wake_word == name) for name in names}

    def profile(self, name: str) -> tuple[ModelEntry, ...]:
        """The models of profile ``name``."""
        if name not in self.profiles:
            known = ", ".join(sorted(self.profiles))
            raise ModelLockError(
                f"{self.path}: no profile {name!r} (profiles: {known})",
                hint="set models.profile in the config to one of those",
            )
        return tuple(self.models[m] for m in self.profiles[name])


def load_lock(path: Path) -> ModelLock:
    """Read and validate models.lock at ``path``."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelLockError(f"models.lock not found at {path}", hint=LOCK_FIX) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ModelLockError(f"{path}: not valid TOML: {exc}", hint=LOCK_FIX) from None
    return parse_lock(document, path)


def parse_lock(document: dict[str, Any], path: Path) -> ModelLock:
    """Validate an already-parsed lock document (kept apart so tests can feed dicts)."""
    if document.get("version") != 1:
        _fail(path, "version", f"must be 1, found {document.get('version')!r}")
    unknown = sorted(set(document) - {"version", "file", "profile", "packaged"})
    if unknown:
        _fail(path, unknown[0], "is not a models.lock key (version, file, profile, packaged)")
    models = _group_models(path, document.get("file", []))
    profiles = {
        name: _parse_profile(path, name, spec, models)
        for name, spec in document.get("profile", {}).items()
    }
    packaged = _parse_packaged(document.get("packaged", []), path)
    return ModelLock(path=path, models=models, profiles=profiles, packaged=packaged)


def _fail(path: Path, where: str, problem: str) -> None:
    raise ModelLockError(f"{path}: {where} {problem}", hint=LOCK_FIX)


FILE_KEYS = {"model", "name", "role", "tier", "language", "size", "sha256", "url", "parts"}


def _group_models(path: Path, entries: Any) -> dict[str, ModelEntry]:
    if not isinstance(entries, list) or not entries:
        _fail(path, "file", "must be a non-empty array of [[file]] tables")
    grouped: dict[str, list[tuple[ModelFile, tuple[str, str, str]]]] = {}
    for index, raw in enumerate(entries, start=1):
        where = f"[[file]] #{index}"
        model_file, kind = _parse_file(path, where, raw)
        siblings = grouped.setdefault(model_file.model, [])
        if any(f.name == model_file.name for f, _ in siblings):
            _fail(path, where, f"repeats file {model_file.name!r} of model {model_file.model!r}")
        if siblings and siblings[0][1] != kind:
            _fail(path, where, f"role/tier/language differ from model {model_file.model!r}")
        siblings.append((model_file, kind))
    return {
        name: ModelEntry(name, *files[0][1], files=tuple(f for f, _ in files))
        for name, files in grouped.items()
    }


def _parse_file(path: Path, where: str, raw: Any) -> tuple[ModelFile, tuple[str, str, str]]:
    if not isinstance(raw, dict):
        _fail(path, where, "must be a table")
    unknown = sorted(set(raw) - FILE_KEYS)
    if unknown:
        _fail(path, where, f"has unknown key {unknown[0]!r}")
    model = _text(path, where, raw, "model", SAFE_NAME)
    name = _text(path, where, raw, "name", SAFE_NAME)
    where = f"{where} ({model}/{name})"
    role = _choice(path, where, raw, "role", ROLES)
    tier = _choice(path, where, raw, "tier", TIERS)
    language = raw.get("language", "")
    if language != "" and not (isinstance(language, str) and re.fullmatch("[a-z]{2}", language)):
        _fail(path, where, f"language {language!r} is not a two-letter code")
    if role == "tts" and not language:
        _fail(path, where, "is a voice without a language")
    size = raw.get("size")
    if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
        _fail(path, where, f"size {size!r} is not a positive integer")
    sha256 = _text(path, where, raw, "sha256", SHA256)
    url = raw.get("url", "")
    if url and not (isinstance(url, str) and url.startswith("https://")):
        _fail(path, where, f"url {url!r} is not an https URL")
    parts = _parse_parts(path, where, raw.get("parts", []))
    if not url and not parts:
        _fail(path, where, "has no source (url or parts)")
    return ModelFile(model, name, size, sha256, url, parts), (role, tier, language)


def _parse_parts(path: Path, where: str, raw: Any) -> tuple[PackagePart, ...]:
    if not isinstance(raw, list):
        _fail(path, where, "parts must be an array of {package, path} tables")
    parts = []
    for part in raw:
        if not (isinstance(part, dict) and set(part) == {"package", "path"}):
            _fail(path, where, f"part {part!r} must have exactly package and path")
        if not (isinstance(part["package"], str) and PACKAGE_PIN.fullmatch(part["package"])):
            _fail(path, where, f"part package {part['package']!r} is not pinned as name==version")
        inner = part["path"]
        if not isinstance(inner, str) or not inner or inner.startswith("/") or ".." in inner:
            _fail(path, where, f"part path {inner!r} must be relative to site-packages")
        parts.append(PackagePart(part["package"], inner))
    return tuple(parts)


def _text(path: Path, where: str, raw: dict[str, Any], key: str, pattern: re.Pattern) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not pattern.fullmatch(value):
        _fail(path, where, f"{key} {value!r} is missing or malformed")
    return value


def _choice(path: Path, where: str, raw: dict[str, Any], key: str, choices: tuple) -> str:
    value = raw.get(key)
    if value not in choices:
        _fail(path, where, f"{key} {value!r} is not one of {', '.join(choices)}")
    return value


def _parse_profile(path: Path, name: str, spec: Any,
                   models: Mapping[str, ModelEntry]) -> tuple[str, ...]:
    where = f"[profile.{name}]"
    if not isinstance(spec, dict) or set(spec) != {"models"} or not isinstance(
            spec["models"], list):
        _fail(path, where, "must hold exactly models = [names]")
    seen: dict[tuple[str, str, str], str] = {}
    for model in spec["models"]:
        if model not in models:
            _fail(path, where, f"names unknown model {model!r}")
        entry = models[model]
        slot = (entry.role, entry.tier, entry.language if entry.role == "tts" else "")
        if slot in seen:
            _fail(path, where, f"has two models for {'/'.join(filter(None, slot))}: "
                               f"{seen[slot]} and {model}")
        seen[slot] = model
    missing = sorted(set(ROLES) - {role for role, _, _ in seen})
    if missing:
        _fail(path, where, f"has no {missing[0]} model")
    return tuple(spec["models"])


PACKAGED_KEYS = {"wake_word", "package", "path", "size", "sha256"}


def _parse_packaged(raw: Any, path: Path) -> tuple[PackagedFile, ...]:
    """The ``[[packaged]]`` entries: model files inside an installed package (see
    voicebox/models/packaged.py), pinned here like every other model file."""
    if not isinstance(raw, list):
        _fail(path, "packaged", "must be an array of [[packaged]] tables")
    return tuple(_parse_packaged_file(entry, path, f"[[packaged]] #{index}")
                 for index, entry in enumerate(raw, start=1))


def _parse_packaged_file(raw: Any, path: Path, where: str) -> PackagedFile:
    if not isinstance(raw, dict) or set(raw) != PACKAGED_KEYS:
        _fail(path, where, f"must have exactly the keys {', '.join(sorted(PACKAGED_KEYS))}")
    checks = {"wake_word": SAFE_NAME, "package": PACKAGE_PIN, "sha256": SHA256,
              "path": re.compile(r"[A-Za-z0-9_]+(/[A-Za-z0-9_][A-Za-z0-9._-]*)+")}
    for key, pattern in checks.items():
        if not (isinstance(raw[key], str) and pattern.fullmatch(raw[key])):
            _fail(path, where, f"{key} {raw[key]!r} is missing or malformed")
    size = raw["size"]
    if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
        _fail(path, where, f"size {size!r} is not a positive integer")
    return PackagedFile(raw["wake_word"], raw["package"], raw["path"], size, raw["sha256"])
