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


@pytest.mark.parametrize("bug", [TypeError("load() got an unexpected keyword argument"),
                                 AttributeError("'NoneType' object has no attribute 'x'"),
                                 KeyError("sample_rate"), NameError("name 'Llama' is not "
                                                                    "defined")])
def test_a_programming_error_fails_at_once_as_itself(bug: Exception) -> None:
    calls, waits, diagnosed = [], [], []

    def load() -> None:
        calls.append(1)
        raise bug

    with pytest.raises(type(bug)) as caught:
        load_with_retry("llm", load, attempts=3, backoff_s=2.0,
                        diagnose=lambda: diagnosed.append(1), sleep=waits.append)
    assert caught.value is bug
    assert (calls, waits, diagnosed) == ([1], [], [1])


def test_a_corrupt_file_behind_any_error_is_named_as_such() -> None:
    def load() -> None:
        raise KeyError("num_speakers")        # what a damaged voice JSON can give

    def diagnose() -> None:
        raise ModelFileError("/m/en.onnx.json", "sha256 aa", "sha256 bb (corrupt)", hint="fix")

    with pytest.raises(ModelFileError):
        load_with_retry("tts", load, attempts=3, backoff_s=2.0, diagnose=diagnose,
                        sleep=lambda _: pytest.fail("retried"))


def test_memory_short_for_a_moment_is_retried() -> None:
    outcomes = iter([MemoryError(), "model"])

    def load() -> str:
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    waits: list[float] = []
    assert load_with_retry("llm", load, attempts=2, backoff_s=1.0, sleep=waits.append) == "model"
    assert waits == [1.0]


class LibraryLoadFailure(Exception):
    """An engine library's own 'could not load' error (llama-cpp-python uses ValueError)."""


def test_only_the_failures_the_caller_declares_are_retried_besides_io_and_memory() -> None:
    def load() -> None:
        raise LibraryLoadFailure("failed to load model from file")

    with pytest.raises(EngineLoadError, match="after 2 attempts: failed to load model"):
        load_with_retry("llm", load, passing=(LibraryLoadFailure,), attempts=2,
                        backoff_s=1.0, sleep=lambda _: None)
    with pytest.raises(LibraryLoadFailure):
        load_with_retry("llm", load, attempts=2, backoff_s=1.0,
                        sleep=lambda _: pytest.fail("an undeclared failure was retried"))
