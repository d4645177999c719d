"""The listening settings: what opens a question, and which wake words each engine knows.

Kept apart from :mod:`.schema` because the wake-word table is the one part that follows the
installed packages (their models are pinned in models.lock)."""

from __future__ import annotations

from dataclasses import dataclass

from voicebox.config.rules import InvalidCombination, setting

WAKE_WORDS = {
    "microwakeword": ("alexa", "hey_jarvis", "hey_mycroft", "okay_nabu"),
    "openwakeword": ("alexa", "hey_jarvis", "hey_mycroft", "hey_rhasspy", "okay_nabu"),
}
"""The models inside pymicro-wakeword 2.5.0 and pyopen-wakeword 1.1.0, each pinned in
models.lock."""


@dataclass(frozen=True)
class ListenConfig:
    """What opens a question: a wake word, any speech, or only the button (which works in
    every mode). The Pi profiles listen for the wake word; the dev machine answers everything."""

    mode: str = setting("always", "wake = a wake word opens a question; always = every "
                        "utterance is one; button = only push-to-talk",
                        choices=("wake", "always", "button"))
    wake_engine: str = setting(
        "microwakeword", "microwakeword (Apache-2.0 models) or openwakeword (CC BY-NC-SA 4.0 "
        "models: non-commercial use only; pip install voicebox[openwakeword])",
        choices=tuple(WAKE_WORDS))
    wake_word: str = setting("hey_jarvis", "the wake word listened for in wake mode",
                             choices=tuple(sorted(set().union(*WAKE_WORDS.values()))))
    open_s: float = setting(5.0, "after a wake word said alone, silence this long closes "
                                 "listening again", min=1.0, max=30.0)
    follow_up_s: float = setting(6.0, "after an answer, speech starting within this many "
                                      "seconds needs no wake word; 0 = always say it",
                                 min=0.0, max=60.0)

    def __post_init__(self) -> None:
        known = WAKE_WORDS[self.wake_engine]
        if self.wake_word not in known:
            raise InvalidCombination(
                "listen.wake_word", self.wake_word,
                f"{self.wake_engine} knows {', '.join(repr(w) for w in known)}")
