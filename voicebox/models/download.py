"""Download model files by URL (the Pi's models) with resume and retries, verified on arrival.

Used by scripts/make-bundle on a connected machine. A 1 GB file over a flaky link must not
start again from zero: the bytes go to a ``.download`` file next to the target, and each retry
asks the server for the rest (HTTP Range). Only a complete file is checked and placed through
:meth:`ModelStore.place`, which refuses it unless its size and sha256 match models.lock.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from http import HTTPStatus
from pathlib import Path

from voicebox.errors import FetchError, ModelFileError
from voicebox.models.fetch import Progress, files_needing_fetch
from voicebox.models.lock import ModelFile
from voicebox.models.store import CHUNK, ModelStore

ATTEMPTS = 6
FIRST_BACKOFF_S = 1.0
TIMEOUT_S = 30.0



def fetch_from_urls(store: ModelStore, progress: Progress, attempts: int = ATTEMPTS,
                    backoff_s: float = FIRST_BACKOFF_S) -> int:
    """Put every file of the store's profile in place; returns how many were downloaded."""
    needed = files_needing_fetch(store, progress)
    for model_file in needed:
        if not model_file.url:
            raise FetchError(f"{model_file.model}/{model_file.name} has no URL in models.lock",
                             hint="add its url, or fetch it with scripts/fetch-dev-models")
        partial = download(model_file, store.path_of(model_file), progress, attempts,
                           backoff_s)
        try:
            store.place(model_file, _chunks(partial))
        finally:
            partial.unlink(missing_ok=True)
        progress(f"ok   {model_file.model}/{model_file.name} (sha256 verified)")
    return len(needed)


def download(model_file: ModelFile, final: Path, progress: Progress,
             attempts: int = ATTEMPTS, backoff_s: float = FIRST_BACKOFF_S, *,
             sleep: Callable[[float], None] = time.sleep) -> Path:
    """Fetch ``model_file.url`` into ``final``'s ``.download`` file, resuming; returns it.

    Waits ``backoff_s``, then twice that, ... between attempts, and not after the last one:
    nothing follows it but the error.
    """
    partial = final.with_name(f".{final.name}.download")
    partial.parent.mkdir(parents=True, exist_ok=True)
    for attempt in range(1, attempts + 1):
        reason = _attempt(model_file, partial)
        if reason is None or attempt == attempts:
            break
        progress(f"retry {model_file.model}/{model_file.name} after attempt {attempt}: "
                 f"{reason}; {_size(partial)} of {model_file.size} bytes so far")
        sleep(backoff_s * 2 ** (attempt - 1))
    size = _size(partial)
    if size != model_file.size:
        if size > model_file.size:
            partial.unlink()
        raise ModelFileError(str(final), f"{model_file.size} bytes",
                             f"{size} bytes after {attempts} attempts",
                             hint="check the network and run make-bundle again (it resumes)")
    return partial


def _attempt(model_file: ModelFile, partial: Path) -> str | None:
    """One try at the rest of the file: None once it is all there, else why it is not.

    A 4xx answer will not change by waiting: it raises at once.
    """
    if _size(partial) >= model_file.size:
        return None
    try:
        _get_rest(model_file.url, partial, _size(partial))
    except urllib.error.HTTPError as exc:
        if exc.code < 500:
            raise FetchError(f"{model_file.url}: HTTP {exc.code} {exc.reason}",
                             hint="the URL in models.lock is wrong or gone") from exc
        return f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError) as exc:
        return str(exc)
    return None if _size(partial) >= model_file.size else "the connection ended early"


def _get_rest(url: str, partial: Path, have: int) -> None:
    """Append what the server sends from byte ``have`` on (or everything, if it ignores
    the Range header and answers 200)."""
    request = urllib.request.Request(url, headers={"Range": f"bytes={have}-"} if have else {})
    with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
        resumed = response.status == HTTPStatus.PARTIAL_CONTENT
        with partial.open("ab" if resumed else "wb") as handle:
            for block in iter(lambda: response.read(CHUNK), b""):
                handle.write(block)


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        yield from iter(lambda: handle.read(CHUNK), b"")
