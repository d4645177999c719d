"""One small exception tree for everything voicebox reports to a person.

Every error carries a stable ``code`` (used in logs, /health and metrics labels) and a
``hint``: the action that fixes it. A person reading ``systemctl status`` or journald should
never have to read a traceback to know what to do next.
"""

from __future__ import annotations


class VoiceboxError(Exception):
    """Base of all errors voicebox raises on purpose."""

    code = "internal"

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message}\n  fix: {self.hint}"
        return self.message


class ConfigError(VoiceboxError):
    """The configuration file (or a command-line override) is invalid."""

    code = "config"

    def __init__(self, source: str, key: str, value: object, allowed: str) -> None:
        self.source = source
        self.key = key
        self.value = value
        self.allowed = allowed
        super().__init__(
            f"{source}: {key} = {value!r} is not valid: {allowed}",
            hint=f"edit {key} in {source}",
        )


class ConfigSyntaxError(ConfigError):
    """The configuration file cannot be read as TOML at all.

    There is no key to name yet, so the message says where the parser stopped (line and
    column, both counted from 1 as editors do), what it found wrong there and what the line
    reads: enough to fix it in an editor without knowing TOML's grammar.
    """

    def __init__(self, source: str, line: int, column: int, problem: str) -> None:
        where = f"line {line}, column {column}"
        # Not ConfigError's "key = value is not valid" wording: there is no key or value yet.
        VoiceboxError.__init__(self, f"{source}: {where}: {problem}",
                               hint=f"correct line {line} of {source}")
        self.source, self.key, self.value, self.allowed = source, where, None, problem
        self.line = line
        self.column = column


class ModelError(VoiceboxError):
    """A model file or the models.lock that describes it cannot be used."""

    code = "model"


class ModelLockError(ModelError):
    """models.lock itself is malformed."""

    code = "model-lock"


class ModelFileError(ModelError):
    """A model file is missing, truncated or corrupt.

    The message names the file, what was expected and what was found, so a person can tell a
    half-finished copy from a tampered one.
    """

    code = "model-file"

    def __init__(self, path: str, expected: str, found: str, *, hint: str) -> None:
        self.path = path
        self.expected = expected
        self.found = found
        super().__init__(f"model file {path}: expected {expected}, found {found}", hint=hint)


class FetchError(ModelError):
    """Fetching a model from its source (a registry package or a URL) failed."""

    code = "model-fetch"


class AudioDeviceError(VoiceboxError):
    """An audio device is missing, busy or vanished."""

    code = "audio-device"


class AudioFileError(VoiceboxError):
    """A WAV file given on the command line cannot be read or written."""

    code = "audio-file"


class EngineLoadError(VoiceboxError):
    """An engine would not load even after retries (the files themselves were verified)."""

    code = "engine-load"


class SttError(VoiceboxError):
    """Speech-to-text failed."""

    code = "stt"


class LlmError(VoiceboxError):
    """The language model failed."""

    code = "llm"


class TtsError(VoiceboxError):
    """Text-to-speech failed."""

    code = "tts"
