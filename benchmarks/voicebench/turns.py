"""One measured turn at a time: the daemon's, the sequential baseline's, and a barge-in.

Every latency is taken from the two recordings (the mic feed and the speaker), never from the
code under test: voice-to-voice runs from the question's last voiced sample on the mic to the
answer's first sample on the speaker. The daemon's own turn record then splits that time into
its stages; whatever it does not account for (capture and playback buffers, the VAD's idea of
the end against the signal's) is the "audio in/out" part.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from benchmarks.voicebench.baseline import SequentialBaseline
from benchmarks.voicebench.box import Box, ProcStats, poll, proc_stats
from benchmarks.voicebench.questions import RATE, Spoken
from benchmarks.voicebench.soundcard import Ears, SoundCard, Voice
from benchmarks.voicebench.speaker import BaselineSpeaker
from tests.rig.harness import Clip
from voicebox.audio.resample import resample

TURN_TIMEOUT_S = 90.0
SETTLE_S = 3.0
"""An unanswered turn (noise, no speech) is final when nothing else came for this long."""
ECHO_TAIL_S = 0.4
PREROLL_S = 0.3
"""The baseline's recording starts this much before the voice, like the daemon's pre-roll."""
BASELINE_PLAY_S = 1.0
"""The baseline plays the first second of its answer: only the first sample is measured, and
the whole answers would add minutes to a run."""
SOUNDING_S = 10.0
"""How long a barge-in trial waits for the answer to start a phrase."""
PHRASE_GAP_S = 0.15
"""A pause this long (a comma, a full stop) separates two phrases of the answer."""
INTO_PHRASE_S = 0.2
"""The interruption starts this far into a phrase: the answer is surely sounding then."""
QUIET_GAP_S = 1.0
IDLE_S = 1.0
"""Each turn starts after the box has been listening, unchanged, for this long."""
BOX_RECORD = ("endpoint_s", "stt_s", "transcript_s", "llm_first_token_s", "first_sentence_s",
              "tts_first_audio_s", "answer_tokens")


def streamed_turn(card: SoundCard, box: Box, spoken: Spoken) -> dict[str, Any]:
    """Ask the daemon ``spoken`` and measure its answer; returns the turn's figures."""
    since, before = box.mark(), box.stats()
    with card.recording() as ears:
        asked = time.monotonic()
        clip = card.feed.play(spoken.samples, RATE)
        record = box.wait_answer(since, SETTLE_S, TURN_TIMEOUT_S) or {}
        if record.get("outcome") == "answered":
            box.wait_listening(record["turn_id"], asked, TURN_TIMEOUT_S)
        clip.wait(30)
        ears.wait_quiet(0.5, TURN_TIMEOUT_S)
        voice = ears.voice(clip, spoken.voiced, RATE)
        first = ears.sound_after(voice.end)
    time.sleep(ECHO_TAIL_S)
    heard = _latency(voice, first)
    return {
        **_question(spoken, "streamed"), "voice_to_voice_s": heard, "voice_match": voice.match,
        **{part: record.get(part) for part in BOX_RECORD},
        **_audio_parts(box, record, voice, first),
        "outcome": record.get("outcome", "no turn"), "answer_language": record.get("language"),
        **_texts(box, since, record), "turns": len(box.records("turn", since)),
        "false_barge_ins": len(box.records("barge-in", since)),
        **_usage(before, box.stats()),
    }


def _audio_parts(box: Box, record: dict[str, Any], voice: Voice,
                 first: float | None) -> dict[str, float | None]:
    """What the daemon's own timings leave out, split at its idea of the end of speech: on
    the way in (capture buffers, frame stamps) and on the way out (playback buffers)."""
    box_v2v, total = record.get("voice_to_voice_s"), record.get("total_s")
    if first is None or box_v2v is None or total is None:
        return {"box_voice_to_voice_s": box_v2v, "audio_io_s": None, "capture_s": None,
                "playback_s": None}
    speech_end = box.at(record) - total  # the record is written at the end of the turn
    return {"box_voice_to_voice_s": box_v2v, "audio_io_s": first - voice.end - box_v2v,
            "capture_s": speech_end - voice.end, "playback_s": first - speech_end - box_v2v}


def _texts(box: Box, since: int, record: dict[str, Any]) -> dict[str, Any]:
    """What the daemon heard and said: the answered turn's, else the first turn that heard
    words (its answer may have been cut off), and every turn's outcome for diagnosis."""
    turns = box.records("turn", since)
    texts = {r["turn_id"]: box.text_of(r["turn_id"], since) for r in turns}
    if record.get("outcome") != "answered":
        record = next((r for r in turns if texts[r["turn_id"]].get("transcript")), record)
    chosen = texts.get(record.get("turn_id"), {})
    return {"transcript": chosen.get("transcript", ""), "answer": chosen.get("answer", ""),
            "turn_log": [[r["turn_id"], r["outcome"], texts[r["turn_id"]].get("transcript")]
                         for r in turns]}


def sequential_turn(card: SoundCard, baseline: SequentialBaseline, speaker: BaselineSpeaker,
                    spoken: Spoken, hangover_s: float) -> dict[str, Any]:
    """The same question through the baseline: wait out the same hang-over after the voice,
    then transcribe, answer, synthesise and play, one after the other."""
    card.mute_box(True)
    try:
        with card.recording() as ears:
            clip = card.feed.play(spoken.samples, RATE)
            voice = _heard(ears, clip, spoken)
            time.sleep(max(0.0, voice.end + hangover_s - time.monotonic()))
            ended = time.monotonic()
            utterance = ears.mic_audio(voice.start - PREROLL_S, ended)
            before = proc_stats()
            result = baseline.answer(resample(utterance, ears.mic.rate, RATE))
            after = proc_stats()
            play = time.monotonic()
            if len(result.samples):
                speaker.play(result.samples[:round(BASELINE_PLAY_S * result.rate)],
                             result.rate)
            first = ears.wait_sound(voice.end, 10) if len(result.samples) else None
            clip.wait(30)
            ears.wait_quiet(0.5, TURN_TIMEOUT_S)
        time.sleep(ECHO_TAIL_S)
    finally:
        card.mute_box(False)
    return {
        **_question(spoken, "sequential"), "voice_to_voice_s": _latency(voice, first),
        "voice_match": voice.match, "endpoint_s": ended - voice.end, "stt_s": result.stt_s,
        "llm_first_token_s": result.llm_first_token_s, "llm_s": result.llm_s,
        "tts_s": result.tts_s, "audio_io_s": None if first is None else first - play,
        "outcome": "answered" if result.answer else "no speech",
        "answer_language": result.language, "transcript": result.transcript,
        "answer": result.answer, **_usage(before, after),
    }


def barge_in_trial(card: SoundCard, box: Box, story: Spoken, interruption: Spoken,
                   talk_after_s: float, *,
                   before_talking: Callable[[], dict[str, Any]] | None = None
                   ) -> dict[str, Any]:
    """Ask for a story, talk over the answer ``talk_after_s`` into it (inside a phrase, so
    that it is sounding when the interruption begins), and measure from the interruption's
    first voiced sample to the end of the answer's last sound: the end of the last sound
    before the first silence of ``QUIET_GAP_S`` after the daemon decided it was a barge-in
    (pauses between sentences are shorter; the answer to the interruption comes seconds
    later). ``before_talking``'s figures, taken just before the interruption, are the trial's
    "echo"."""
    since = box.mark()
    with card.recording() as ears:
        asked = time.monotonic()
        card.feed.play(story.samples, RATE)
        answer_at = ears.wait_sound(asked, TURN_TIMEOUT_S)
        onset = None if answer_at is None else ears.wait_onset(answer_at + talk_after_s,
                                                               PHRASE_GAP_S, SOUNDING_S)
        if onset is None:
            box.wait_idle(IDLE_S, TURN_TIMEOUT_S)
            return {"kind": "barge-in", "latency_s": None, "echo": {},
                    "false_barge_ins": len(box.records("barge-in", since)),
                    "problem": "the story answer was over before the interruption",
                    "turn_log": _texts(box, since, {})["turn_log"]}
        time.sleep(max(0.0, onset + INTO_PHRASE_S - time.monotonic()))
        echo = before_talking() if before_talking is not None else {}
        early = len(box.records("barge-in", since))
        clip = card.feed.play(interruption.samples, RATE)
        poll(lambda: len(box.records("barge-in", since)) > early, 15)
        record = box.wait_answer(box.mark(), SETTLE_S, TURN_TIMEOUT_S) or {}
        if record.get("outcome") == "answered":
            box.wait_listening(record["turn_id"], asked, TURN_TIMEOUT_S)
        ears.wait_quiet(1.0, TURN_TIMEOUT_S)
        voice = ears.voice(clip, interruption.voiced, RATE)
    time.sleep(ECHO_TAIL_S)
    barge_ins = box.records("barge-in", since)
    caught = barge_ins[early:early + 1]
    latency = detected = None
    problem = "no barge-in was detected"
    if caught:
        detected = box.at(caught[0]) - voice.start
        quiet = ears.quiet_after(voice.start + detected, QUIET_GAP_S)
        if quiet is None:
            problem = "the speaker did not go quiet after the barge-in"
        elif (stopped := ears.last_sound(voice.start, quiet)) is None:
            problem = "the answer was already silent when the interruption began"
        else:
            latency, problem = stopped - voice.start, None
    return {"kind": "barge-in", "latency_s": latency, "detected_s": detected, "problem": problem,
            "echo": echo,
            "talked_after_s": voice.start - answer_at,
            "false_barge_ins": len(barge_ins) - len(caught),
            "turn_log": _texts(box, since, {})["turn_log"]}


def _heard(ears: Ears, clip: Clip, spoken: Spoken) -> Voice:
    """The clip's voice on the mic, as soon as its end has been recorded."""
    while clip.started_at is None:
        time.sleep(0.01)
    time.sleep(max(0.0, clip.started_at + spoken.voiced[1] / RATE + 0.2 - time.monotonic()))
    return ears.voice(clip, spoken.voiced, RATE)


def _latency(voice: Voice, first: float | None) -> float | None:
    return _latency_between(voice.end, first)


def _latency_between(start: float, end: float | None) -> float | None:
    return None if end is None else end - start


def _question(spoken: Spoken, kind: str) -> dict[str, Any]:
    question = spoken.question
    return {"kind": kind, "question": question.label, "reference": question.text,
            "language": question.language, "noise": question.noise}


def _usage(before: ProcStats, after: ProcStats) -> dict[str, float]:
    return {"cpu_s": after.cpu_s - before.cpu_s, "rss_mb": after.rss_mb,
            "peak_rss_mb": after.peak_rss_mb}
