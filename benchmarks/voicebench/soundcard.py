"""The benchmark's side of the virtual sound card: a voice into the mic and an ear at each end.

The daemon and the baseline are measured on the same two recordings: the mic feed (the
monitor of ``vmicfeed``: what reaches the microphone, echo included) and the speaker (the
monitor of ``vspk``), both on the monotonic clock. The baseline plays into the same ``vspk``
(see speaker.py). While the baseline has its turn the daemon's microphone is muted: it goes on
receiving (silent) audio, so its device link stays healthy, but it must neither answer the
baseline's question nor hear the baseline's answer through the echo room.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from benchmarks.voicebench.measure import first_sound, last_sound, locate, quiet_from
from tests.rig.harness import Clip, MicFeed, SpeakerTap
from tests.rig.room import RoomSettings, draw_room
from tests.rig.vaudio import VirtualAudio

SEARCH_LEAD_S = 0.1
SEARCH_TAIL_S = 0.6
"""The clip reaches the mic some tens of milliseconds after it was written."""


@dataclass(frozen=True)
class Voice:
    """Where a played clip's voice was on the mic, in monotonic seconds."""

    start: float
    end: float
    match: float
    """Normalised correlation with the played clip: near 1 when it was found intact."""


@dataclass
class Ears:
    """The two recordings of one turn."""

    mic: SpeakerTap
    speaker: SpeakerTap

    def voice(self, clip: Clip, voiced: tuple[int, int], clip_rate: int) -> Voice:
        """Find the played ``clip`` on the mic; ``voiced`` is its voice in ``clip_rate``
        samples. Only the clip up to the end of the voice is searched for, so this works
        while noise after the voice is still playing."""
        if clip.started_at is None:
            raise RuntimeError("the clip has not started playing")
        rate = self.mic.rate
        first, last = (round(i * rate / clip_rate) for i in voiced)
        head = clip.samples[:last]
        audio = self.mic.audio
        at = round((clip.started_at - self.mic.time_at(0)) * rate)
        found = locate(audio, head, max(0, at - round(SEARCH_LEAD_S * rate)),
                       at + len(head) + round(SEARCH_TAIL_S * rate))
        return Voice(self.mic.time_at(found.lag + first), self.mic.time_at(found.lag + last),
                     found.ncc)

    def mic_audio(self, start: float, end: float) -> np.ndarray:
        """What the mic heard between two monotonic times."""
        return self.mic.audio[self._index(self.mic, start):self._index(self.mic, end)]

    def sound_after(self, after: float) -> float | None:
        """When the speaker first played something after ``after``."""
        found = first_sound(self.speaker.audio, self._index(self.speaker, after))
        return None if found is None else self.speaker.time_at(found)

    def last_sound(self, after: float, before: float) -> float | None:
        """The end of the last sound the speaker played between two times."""
        found = last_sound(self.speaker.audio, self._index(self.speaker, after),
                           self._index(self.speaker, before))
        return None if found is None else self.speaker.time_at(found + 1)

    def quiet_after(self, after: float, gap_s: float) -> float | None:
        """When, from ``after`` on, the speaker began to stay silent for ``gap_s``."""
        found = quiet_from(self.speaker.audio, self._index(self.speaker, after),
                           self.speaker.rate, gap_s)
        return None if found is None else self.speaker.time_at(found)

    def sounding(self, window_s: float = 0.03) -> bool:
        """Whether the speaker played something in the last ``window_s``."""
        tail = self.speaker.audio[-round(window_s * self.speaker.rate):]
        return first_sound(tail) is not None

    def wait_sound(self, after: float, timeout: float) -> float | None:
        """Block until the speaker plays something after ``after``; when it started."""
        deadline = time.monotonic() + timeout
        while (found := self.sound_after(after)) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        return found

    def wait_onset(self, after: float, gap_s: float, timeout: float) -> float | None:
        """Block until the speaker starts a phrase after ``after``: sound that follows at
        least ``gap_s`` of silence. Returns when it started, or None at the timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            quiet = self.quiet_after(after, gap_s)
            if quiet is not None and (onset := self.sound_after(quiet)) is not None:
                return onset
            time.sleep(0.02)
        return None

    def wait_quiet(self, gap_s: float, timeout: float) -> None:
        """Block until the speaker has been silent for the last ``gap_s`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.sounding(gap_s):
                return
            time.sleep(0.05)

    @staticmethod
    def _index(tap: SpeakerTap, at: float) -> int:
        return max(0, round((at - tap.time_at(0)) * tap.rate))


class SoundCard:
    """The private sound server, the echo room and the mic feed."""

    def __init__(self, seed: int) -> None:
        self.audio = VirtualAudio()
        self.room = draw_room({"delay_ms": (20, 120), "gain": (0.3, 0.7)},
                              random.Random(seed))
        self.feed = MicFeed(env=self.audio.env)

    def start(self) -> None:
        """Start the server and the feed, point this process's PortAudio at the card, and
        turn the echo room on."""
        self.audio.start()
        self.audio.apply_env()
        self.feed.start()
        self.audio.echo_on(self.room)

    def stop(self) -> None:
        """Stop everything this card started. Idempotent."""
        self.feed.stop()
        self.audio.stop()

    def change_room(self, room: RoomSettings) -> None:
        """Another room: the echo path changes at once (the daemon measures it again)."""
        self.audio.echo_off()
        self.room = room
        self.audio.echo_on(room)

    def mute_box(self, muted: bool) -> None:
        """Silence (or restore) what the daemon's microphone hears."""
        self.audio.pactl("set-source-mute", "vmic", "1" if muted else "0")

    @contextmanager
    def recording(self) -> Iterator[Ears]:
        """Record the mic feed and the speaker for the duration of the block."""
        mic = SpeakerTap(source="vmicfeed.monitor", env=self.audio.env)
        speaker = SpeakerTap(env=self.audio.env)
        mic.start()
        speaker.start()
        try:
            yield Ears(mic, speaker)
        finally:
            mic.stop()
            speaker.stop()
