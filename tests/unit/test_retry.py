"""Model loading retries transient failures with backoff, never permanent ones."""

from __future__ import annotations

import pytest

from voicebox.errors import ConfigError, EngineLoadError, ModelFileError
from voicebox.ops.retry import load_with_retry


class FlakyLoader:
    """Fails ``failures`` times with OSError (as a load under memory pressure does)."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.calls <= self.failures:
            raise OSError("cannot allocate memory")
        return "model"


def test_transient_failures_are_retried_with_doubling_waits() -> None:
    waits: list[float] = []
    loader = FlakyLoader(failures=2)
    assert load_with_retry("llm", loader, attempts=3, backoff_s=2.0, sleep=waits.append) == "model"
    assert waits == [2.0, 4.0]


def test_gives_up_after_the_last_attempt_with_the_cause() -> None:
    waits: list[float] = []
    with pytest.raises(EngineLoadError, match="after 3 attempts: cannot allocate") as caught:
        load_with_retry("llm", FlakyLoader(failures=5), attempts=3, backoff_s=2.0,
                        sleep=waits.append)
    assert waits == [2.0, 4.0]
    assert caught.value.code == "engine-load"


def test_a_corrupt_file_found_by_the_diagnosis_stops_at_once() -> None:
    waits: list[float] = []

    def diagnose() -> None:
        raise ModelFileError("/m/x.gguf", "sha256 aa", "sha256 bb (corrupt)", hint="refetch")

    with pytest.raises(ModelFileError):
        load_with_retry("llm", FlakyLoader(failures=1), attempts=3, backoff_s=2.0,
                        diagnose=diagnose, sleep=waits.append)
    assert waits == []


def test_config_errors_are_never_retried() -> None:
    calls = []

    def load() -> None:
        calls.append(1)
        raise ConfigError("f.toml", "llm.threads", 0, "between 1 and 16")

    with pytest.raises(ConfigError):
        load_with_retry("llm", load, attempts=3, backoff_s=2.0, sleep=lambda _: None)
    assert calls == [1]
