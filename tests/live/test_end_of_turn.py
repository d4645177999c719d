"""The adaptive end of turn through the live rig: a speaker who pauses mid-sentence is heard
whole (the fixed 500 ms hang-over cut these questions in two). The phrases are ones whisper
keeps cut off as they are ("...history of.", "...about."); it completes some others by itself
("who wrote the" comes out "who wrote it."), which no reading of the words can catch."""

from __future__ import annotations

import numpy as np
import pytest

from tests.live.talk import wait_until
from tests.rig.harness import MicFeed
from voicebox.conductor.conversation import Conversation
from voicebox.conductor.timeline import Timeline
from voicebox.events import SttDone, TurnDone
from voicebox.speech.tts import TextToSpeech

WAIT_S = 60
PAUSE_S = 0.6
QUIET = 1e-3  # below any voiced sample of the test voice: the synthesis' own leading silence


def voiced(text: str, voice: TextToSpeech) -> tuple[np.ndarray, int]:
    """``text`` spoken, its leading and trailing silence cut off, and its sample rate."""
    speech = voice.synthesize(text, "en")
    loud = np.flatnonzero(np.abs(speech.samples) > QUIET)
    return speech.samples[loud[0]:loud[-1] + 1], speech.sample_rate


@pytest.mark.parametrize("parts", [
    ("Tell me about the history of", "the city of Rome.", "Rome"),
    ("Tell me a story about", "a brave knight.", "brave"),
])
def test_a_600_ms_pause_mid_sentence_does_not_cut_the_question(
        conversation: Conversation, timeline: Timeline, rig, voice: TextToSpeech,
        parts: tuple[str, str, str]) -> None:
    """``parts``: what is said before the pause, after it, and a word only the end has."""
    first_part, second_part, last_word = parts
    feed: MicFeed = rig[0]
    first, rate = voiced(first_part, voice)
    second, _ = voiced(second_part, voice)
    pause = np.zeros(round(PAUSE_S * rate), np.float32)
    clip = feed.play(np.concatenate([first, pause, second]), rate)
    assert clip.wait(30)
    wait_until(lambda: timeline.events_of(TurnDone), WAIT_S, "the question was answered")
    heard = [event.text for event in timeline.events_of(SttDone)]
    assert len(heard) == 1 and heard[0].startswith(first_part) and last_word in heard[0], heard
