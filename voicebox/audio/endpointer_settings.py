"""The endpointer's timings and the rules they must satisfy together.

Apart from :mod:`.endpointer` because the config loader builds these settings too (see
voicebox/config/components.py): a combination the endpointer refuses, such as a hang-over no
longer than its tentative end, is then refused by ``voicebox check`` and at daemon start,
naming the config key, before any model loads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from voicebox.audio.rates import FRAME_S
from voicebox.config.rules import InvalidCombination
from voicebox.config.schema import VadConfig

RESUME_WINDOW = 5  # frames looked at to decide that speech came back after a tentative end


def frames(seconds: float) -> int:
    """``seconds`` in whole 10 ms frames, as the endpointer counts time."""
    return round(seconds / FRAME_S)


@dataclass(frozen=True)
class EndpointerSettings:
    """Endpointing timings in seconds; each is rounded to whole 10 ms frames."""

    start_s: float = 0.15
    hangover_s: float = 0.5
    preroll_s: float = 0.3
    max_utterance_s: float = 15.0
    tentative_s: float = 0.15
    finished_s: float | None = None
    """Silence that ends an utterance whose tentative transcript is a finished sentence;
    None: the hang-over (no adaptive end)."""
    unfinished_s: float | None = None
    """Silence that ends one whose tentative transcript stops mid-phrase (the cap); None: the
    hang-over."""

    def shaped(self) -> tuple[float, float]:
        """(finished, unfinished) silences as the endpointer uses them: never a later end for
        a finished sentence nor an earlier one for an unfinished phrase than the hang-over
        (so a short ``hangover_s`` needs no other setting changed), and never past the longest
        utterance. The hang-over stands in for either left unset."""
        finished = self.hangover_s if self.finished_s is None else self.finished_s
        unfinished = self.hangover_s if self.unfinished_s is None else self.unfinished_s
        longest = self.max_utterance_s - FRAME_S
        return min(finished, self.hangover_s), min(max(unfinished, self.hangover_s), longest)
    start_ratio: float = 0.7
    resume_frames: int = 3

    def __post_init__(self) -> None:
        _check_durations(self)
        _check_combinations(self)

    @classmethod
    def from_config(cls, vad: VadConfig) -> EndpointerSettings:
        """The configured timings; the tentative end and ratios keep their measured defaults.
        With ``vad.adaptive_end`` off, every shape of transcript waits the hang-over.

        A combination the endpointer cannot work with is reported under the config key it
        came from (``vad.hangover_ms = 150``): the config loader builds these settings too,
        so ``voicebox check`` and the daemon refuse it before any model loads.
        """
        hangover_s = vad.hangover_ms / 1000
        shaped = ((vad.finished_ms / 1000, vad.unfinished_ms / 1000) if vad.adaptive_end
                  else (None, None))
        try:
            return cls(start_s=vad.start_ms / 1000, hangover_s=hangover_s,
                       preroll_s=vad.preroll_ms / 1000, max_utterance_s=vad.max_utterance_s,
                       finished_s=shaped[0], unfinished_s=shaped[1])
        except InvalidCombination as exc:
            key = CONFIG_KEYS[exc.key]
            raise InvalidCombination(f"vad.{key}", getattr(vad, key), exc.allowed) from None


CONFIG_KEYS = {"start_s": "start_ms", "hangover_s": "hangover_ms", "finished_s": "finished_ms"}
"""The settings :func:`_check_combinations` can blame, and the [vad] keys they come from."""


def _check_durations(s: EndpointerSettings) -> None:
    for name in ("start_s", "hangover_s", "max_utterance_s", "tentative_s", "finished_s",
                 "unfinished_s"):
        value = getattr(s, name)
        if value is None and name in ("finished_s", "unfinished_s"):
            continue  # None: the hang-over
        if not (math.isfinite(value) and frames(value) >= 1):
            raise ValueError(f"{name} must be at least one 10 ms frame, got {value!r}")
    if not (math.isfinite(s.preroll_s) and s.preroll_s >= 0):
        raise ValueError(f"preroll_s must be zero or more seconds, got {s.preroll_s!r}")
    if not 0 < s.start_ratio <= 1:
        raise ValueError(f"start_ratio must be in (0, 1], got {s.start_ratio!r}")
    if not 1 <= s.resume_frames <= RESUME_WINDOW:
        raise ValueError(f"resume_frames must be between 1 and {RESUME_WINDOW}, "
                         f"got {s.resume_frames!r}")


def _check_combinations(s: EndpointerSettings) -> None:
    """Durations compare in whole frames, as the endpointer counts them: 1000 ms is not
    shorter than 1.004 s here (both are 100 frames)."""
    tentative = frames(s.tentative_s)
    if tentative >= frames(s.hangover_s):
        raise InvalidCombination(
            "hangover_s", s.hangover_s, f"must be longer than the tentative end "
            f"({s.tentative_s * 1000:g} ms), which comes first, by a 10 ms frame: "
            f"{(tentative + 1) * FRAME_S * 1000:.0f} ms or more")
    for name in ("hangover_s", "start_s"):
        if frames(getattr(s, name)) >= frames(s.max_utterance_s):
            raise InvalidCombination(
                name, getattr(s, name), f"must be shorter than max_utterance_s "
                f"({s.max_utterance_s:g} s) by a 10 ms frame or more")
    if s.finished_s is not None and frames(s.finished_s) <= tentative:
        raise InvalidCombination(
            "finished_s", s.finished_s, f"must be longer than the tentative end "
            f"({s.tentative_s * 1000:g} ms), whose transcript it needs: "
            f"{(tentative + 1) * FRAME_S * 1000:.0f} ms or more")

