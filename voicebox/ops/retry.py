"""Load a model with retries and backoff, but never retry what waiting cannot fix.

A model load can fail for a passing reason (memory briefly short while another process exits,
a slow SD card): trying again after 2, 4, 8 s gets the box up without a person. A bad config
or a corrupt file fails the same way every time, so those stop at once with their own error.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from voicebox.errors import ConfigError, EngineLoadError, ModelError
from voicebox.ops.logging import get_logger

T = TypeVar("T")


def load_with_retry(what: str, load: Callable[[], T], *, attempts: int, backoff_s: float,
                    diagnose: Callable[[], None] = lambda: None,
                    sleep: Callable[[float], None] = time.sleep) -> T:
    """Call ``load`` up to ``attempts`` times, waiting ``backoff_s``, then twice that, ...

    ``diagnose`` runs after each failure and raises if the failure is permanent (for a model:
    a full sha256 check that turns a corrupt file into a :class:`ModelFileError`).
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
            failure = exc
            log.warning("load-failed", what=what, attempt=attempt, attempts=attempts,
                        error=str(exc))
    raise EngineLoadError(f"could not load {what} after {attempts} attempts: {failure}",
                          hint="check free memory; voicebox check --deep checks the files"
                          ) from failure
