"""Load a model with retries and backoff, but retry only what waiting can fix.

A model load can fail for a passing reason (memory briefly short while another process exits,
a slow SD card): trying again after 2, 4, 8 s gets the box up without a person. Only such
failures are retried: I/O errors, memory errors, and the errors the caller declares its engine
library raises for a model it could not load (llama-cpp-python's ValueError, CTranslate2's
RuntimeError). Anything else fails the same way every time (a TypeError, an AttributeError):
retrying it would only hide it behind a minute of waiting and an "after 3 attempts" message, so
it is raised at once, as itself. The caller's diagnosis still runs first, because a corrupt model
file can make a loader fail in any way (a KeyError from a damaged JSON header): it then names
the file instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from voicebox.errors import ConfigError, EngineLoadError, ModelError
from voicebox.ops.logging import get_logger

T = TypeVar("T")

PASSING: tuple[type[Exception], ...] = (OSError, MemoryError)
"""Failures any load may have for a passing reason: a read error, memory short for a moment."""


def load_with_retry(what: str, load: Callable[[], T], *, attempts: int, backoff_s: float,
                    passing: tuple[type[Exception], ...] = (),
                    diagnose: Callable[[], None] = lambda: None,
                    sleep: Callable[[float], None] = time.sleep) -> T:
    """Call ``load`` up to ``attempts`` times, waiting ``backoff_s``, then twice that, ...

    ``passing`` adds the library's own "could not load" errors to :data:`PASSING`.
    ``diagnose`` runs after each failure and raises if it is permanent (for a model: a full
    sha256 check that turns a corrupt file into a :class:`ModelFileError`).
    """
    log = get_logger("engines")
    failure: Exception | None = None
    for attempt in range(1, attempts + 1):
        if failure is not None:
            sleep(backoff_s * 2 ** (attempt - 2))
        try:
            return load()
        except (ConfigError, ModelError):
            raise
        except Exception as exc:
            diagnose()
            if not isinstance(exc, (*PASSING, *passing)):
                raise
            failure = exc
            log.warning("load-failed", what=what, attempt=attempt, attempts=attempts,
                        error=str(exc))
    raise EngineLoadError(f"could not load {what} after {attempts} attempts: {failure}",
                          hint="check free memory; voicebox check --deep checks the files"
                          ) from failure
