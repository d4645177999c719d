"""``voicebox check``: is this box able to run? A human report and an exit status.

Checks the config, models.lock and every model file of the configured profile (sizes, or full
sha256 with ``deep``), the wake word's files (always hashed: they are a few kilobytes), and
that every language detection may choose has a voice. Each problem
is reported with the command or edit that fixes it; checking goes on past a bad model so one
run lists everything that is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from voicebox.audio.wake_engines import ENGINE_PACKAGES
from voicebox.config import Config, load_config
from voicebox.errors import VoiceboxError
from voicebox.models.packaged import verified_path
from voicebox.models.store import ModelStore

MIB = 1 << 20


@dataclass(frozen=True)
class CheckLine:
    """One line of the report."""

    subject: str
    ok: bool
    detail: str
    hint: str = ""


def run_checks(config_path: Path | None, profile: str | None, deep: bool) -> list[CheckLine]:
    """Every check, in order; stops early only when later checks cannot be run."""
    try:
        config = load_config(config_path, profile)
    except VoiceboxError as exc:
        return [CheckLine("config", False, exc.message, exc.hint)]
    lines = [CheckLine("config", True, f"profile {config.profile} from {config.source}")]
    try:
        store = ModelStore.from_config(config.models)
    except VoiceboxError as exc:
        return [*lines, CheckLine("models.lock", False, exc.message, exc.hint)]
    lines.append(CheckLine("models.lock", True, f"{config.models.lock}, profile "
                           f"{store.profile}: {len(store.models)} models in {store.root}"))
    lines.extend(_model_lines(store, deep))
    lines.append(_wake_line(config, store))
    lines.append(_language_line(config, store))
    return lines


def _wake_line(config: Config, store: ModelStore) -> CheckLine:
    """The wake word's pinned files inside the installed package (hashed: a few kB)."""
    if config.listen.mode != "wake":
        return CheckLine("wake word", True,
                         f"not listened for (listen.mode = {config.listen.mode})")
    pins = store.lock.wake_words(ENGINE_PACKAGES[config.listen.wake_engine]).get(
        config.listen.wake_word, ())
    if not pins:
        return CheckLine("wake word", False, f"{store.lock.path} pins no files for "
                         f"{config.listen.wake_word!r}", "restore models.lock from the release")
    try:
        for pin in pins:
            verified_path(pin)
    except VoiceboxError as exc:
        return CheckLine("wake word", False, exc.message, exc.hint)
    return CheckLine("wake word", True, f"{config.listen.wake_word}: {len(pins)} file(s) in "
                     f"{pins[0].package}, sha256 verified")


def _model_lines(store: ModelStore, deep: bool) -> list[CheckLine]:
    lines = []
    how = "sha256 verified" if deep else "sizes checked"
    for entry in store.models:
        subject = f"{entry.role} {entry.tier} {entry.language}".rstrip()
        try:
            store.verify(entry, deep=deep)
        except VoiceboxError as exc:
            lines.append(CheckLine(subject, False, f"{entry.name}: {exc.message}", exc.hint))
        else:
            detail = (f"{entry.name}: {len(entry.files)} file(s), "
                      f"{entry.size / MIB:.1f} MiB, {how}")
            lines.append(CheckLine(subject, True, detail))
    return lines


def _language_line(config: Config, store: ModelStore) -> CheckLine:
    try:
        languages = store.languages(config.stt.languages, config.stt.fallback_language)
    except VoiceboxError as exc:
        return CheckLine("languages", False, exc.message, exc.hint)
    fallback = config.stt.fallback_language
    unvoiced = [lang for lang in languages.heard if lang not in languages.spoken]
    also = f"; {', '.join(unvoiced)} answered in {fallback}" if unvoiced else ""
    return CheckLine("languages", True, f"hears {', '.join(languages.heard)}; answers in "
                     f"{', '.join(languages.spoken)}{also}; fallback {fallback}")


def render(lines: list[CheckLine]) -> str:
    """The report a person reads: one line per check, fixes indented under failures."""
    width = max(len(line.subject) for line in lines)
    out = []
    for line in lines:
        mark = "ok  " if line.ok else "FAIL"
        out.append(f"{mark} {line.subject:<{width}}  {line.detail}")
        if line.hint:
            out.append(f"     {'':<{width}}  fix: {line.hint}")
    failures = sum(not line.ok for line in lines)
    out.append("all checks passed" if not failures else f"{failures} check(s) failed")
    return "\n".join(out)
