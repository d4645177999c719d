"""Published speeds of the Pi profile's models on a Raspberry Pi 5, each with where it was read.

A projection is only as good as these numbers, so every one names its source and what was
measured there; none was measured on a Pi by this project. Where no Pi 5 figure was found,
the nearest published one is used and its row says how it differs (another board with the
same Cortex-A76 cores, or the slower Pi 4 as an upper bound). Where nothing usable was found
the rate is ``None``, and the projection prints that stage as unknown instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rate:
    """One published speed: ``value`` in ``unit``, read at ``source``."""

    value: float | None
    unit: str
    """"rtf" (seconds of work per second of audio), "s/char" or "tok/s"."""
    source: str
    note: str


FQUIRIN = ("https://github.com/fquirin/speech-recognition-experiments/blob/"
           "baf21dc591fea825c4611e37c629dd3c6e00c009/README.md")
RSS25 = ("https://github.com/BotYue/Pi-Whisper-RSS25-Workshop/blob/"
         "ff03a71fc7c98c53b2e726861784a44c7c71dd50/Latency%20Analysis/latency_averages_Common.csv")
EDGE_TTS = ("https://github.com/ktomanek/edge_tts_comparison/blob/"
            "83984c9de90841e41950be8781e65c157dfe904f/Readme.md")
SHERPA_RTF = ("https://github.com/k2-fsa/sherpa/blob/master/"
              "docs/source/onnx/tts/pretrained_models/rtf.rst")
STRATOSPHERE = ("https://github.com/stratosphereips/StratosphereLinuxIPS/blob/"
                "33a814051b62830aa0a3dc98f3dab98dff249ede/docs/immune/research_rpi_llm_performance.md")
NOT_FOUND = "searched the docs/issues/code/pages corpora; no Pi 5 figure found"

WHISPER_TINY_RTF = Rate(
    0.39, "rtf", FQUIRIN,
    "faster-whisper (CTranslate2) tiny int8, 4 threads, 4 s clip, on an Orange Pi 5: "
    "the same 4x Cortex-A76 cores as the Pi 5, not a Pi 5")
WHISPER_TINY_PI5_S = Rate(
    1.25781, "s", RSS25,
    "faster-whisper tiny.en int8, Pi 5 4GB, mean over 10 short Common Voice clips")
WHISPER_BASE_PI5_S = Rate(
    2.27899, "s", RSS25,
    "faster-whisper base.en int8, Pi 5 4GB, the same 10 clips")
PIPER_LOW_S_PER_CHAR = Rate(
    0.53 / 88, "s/char", EDGE_TTS,
    "Piper en_US-lessac-low on a Pi 5: 0.53 s for the 88-character test sentence")
PIPER_MEDIUM_RTF = Rate(
    0.357, "rtf", SHERPA_RTF,
    "Piper en_US-lessac-medium via sherpa-onnx, 4 threads, on a Pi 4: an upper bound, "
    "the Pi 5 is faster")
QWEN_1_5B_Q4_K_M_TG = Rate(
    9.97, "tok/s", STRATOSPHERE,
    "qwen2.5:1.5b Q4_K_M generation on a Pi 5 (Ollama; llama.cpp was 10-20 % faster there)")
QWEN_1_5B_Q4_0_TG = Rate(None, "tok/s", "", NOT_FOUND)
QWEN_0_5B_TG = Rate(None, "tok/s", "", NOT_FOUND)
QWEN_PROMPT_PP = Rate(
    None, "tok/s", "",
    NOT_FOUND + " for prompt processing of Qwen2.5 1.5B/0.5B, Q4_0 or Q4_K_M")


def whisper_base_rtf() -> float:
    """Whisper base's real-time factor: tiny's, times base/tiny measured on one Pi 5.

    The Orange Pi 5 row gives tiny's real-time factor on A76 cores; the Pi 5 study gives how
    much longer base takes than tiny on the same clips. Their product is base's factor.
    """
    assert WHISPER_TINY_RTF.value and WHISPER_BASE_PI5_S.value and WHISPER_TINY_PI5_S.value
    return WHISPER_TINY_RTF.value * WHISPER_BASE_PI5_S.value / WHISPER_TINY_PI5_S.value


ALL: tuple[Rate, ...] = (
    WHISPER_TINY_RTF, WHISPER_TINY_PI5_S, WHISPER_BASE_PI5_S, PIPER_LOW_S_PER_CHAR,
    PIPER_MEDIUM_RTF, QWEN_1_5B_Q4_K_M_TG, QWEN_1_5B_Q4_0_TG, QWEN_0_5B_TG, QWEN_PROMPT_PP,
)


def whisper_base_rate() -> Rate:
    """Whisper base's derived real-time factor as a :class:`Rate` naming both sources."""
    return Rate(whisper_base_rtf(), "rtf", f"{FQUIRIN} x {RSS25}",
                "tiny's A76 real-time factor times the Pi 5 base/tiny time ratio")
