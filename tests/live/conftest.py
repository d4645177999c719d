"""The session's virtual sound card.

Live tests must run on a real, real-time audio path or not at all: if the rig cannot start
(PipeWire or PortAudio missing), every test that needs it fails with the reason; it never skips,
because a skipped audio suite looks green in CI.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.rig.vaudio import RigError, VirtualAudio


@pytest.fixture(scope="session")
def vaudio() -> Iterator[VirtualAudio]:
    """A started ``VirtualAudio`` whose env is applied to this process and PortAudio."""
    rig = VirtualAudio()
    with pytest.MonkeyPatch.context() as env:
        for name, value in rig.env.items():  # restored when the session ends
            env.setenv(name, value)
        problem = None
        try:
            rig.start()
            rig.apply_env()
        except (RigError, OSError) as exc:  # OSError: no PortAudio library
            rig.stop()
            problem = f"the virtual sound card did not start: {exc}"
        if problem:  # outside the except block: the reason once, not a chained traceback
            pytest.fail(problem, pytrace=False)
        try:
            yield rig
        finally:
            rig.stop()
