"""Published speeds of the Pi profile's models on a Raspberry Pi 5, each with where it was read.

A projection is only as good as these numbers, so every one names its source and what was
measured there; none was measured on a Pi by this project. Where no Pi 5 figure was found,
the nearest published one is used and its row says how it differs (another board with the
same Cortex-A76 cores, the slower Pi 4 as an upper bound, another quantisation, or a model of
similar size scaled by parameter count). Where nothing usable was found the rate is ``None``,
and the projection prints that stage as unknown instead of guessing.
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
DAMBERGN = ("https://github.com/dambergn/ollama-benchmarks/blob/"
            "b7d6bb5e637caa5a34724adb4d4b93eeda4e6d1b/data/qwen2.5_0.5b%20Raspberry%20Pi%205.md")
EDGE_AI_STUDY = ("https://github.com/davidscarth/edge-ai-study/blob/"
                 "016c9338ef1bd3771840b526fe35601023a9e037/RASPI5.md")
QWEN_1_5B_CARD = "https://huggingface.co/Qwen/Qwen2.5-1.5B-Instruct-GGUF"
QWEN_0_5B_CARD = "https://huggingface.co/Gensyn/Qwen2.5-0.5B-Instruct"
"""An unmodified copy of Qwen's 0.5B-Instruct card (the one read)."""

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
QWEN_1_5B_TG = Rate(
    9.97, "tok/s", STRATOSPHERE,
    "qwen2.5:1.5b Q4_K_M generation on a Pi 5 (Ollama; llama.cpp was 10-20 % faster there). "
    "No Pi 5 figure for Q4_0 was found: the Q4_K_M one stands in")
QWEN_0_5B_TG = Rate(
    20.35, "tok/s", DAMBERGN,
    "Ollama qwen2.5:0.5b on a Pi 5, eval rate over 242 tokens (its quantisation is not "
    "stated there; no Q4_0 figure was found)")
LLAMA_1B_PP = Rate(
    72.93, "tok/s", EDGE_AI_STUDY,
    "llama-bench pp512 of Llama 3.2 1B Q4_K_M (1.24 B params), Pi 5, 4 threads, CPU only, "
    "llama.cpp b9307 built with OpenBLAS. Q4_0, repacked for ARM at load, should read "
    "faster, so times from this are on the slow side")
LLAMA_1B_PARAMS_B = 1.24
"""Parameters of Llama 3.2 1B, in billions, as the same table gives them."""
QWEN_1_5B_PARAMS_B = 1.54
"""Qwen2.5-1.5B-Instruct's parameters in billions (its model card, QWEN_1_5B_CARD)."""
QWEN_0_5B_PARAMS_B = 0.49
"""Qwen2.5-0.5B-Instruct's parameters in billions (its model card, QWEN_0_5B_CARD)."""


def scaled(rate: Rate, model: str, from_params_b: float, to_params_b: float,
           card: str) -> Rate:
    """``rate`` (tokens per second) of ``model``, of ``from_params_b`` billion parameters,
    carried over to a model of ``to_params_b`` (whose parameter count ``card`` gives).

    A token costs about two operations per parameter, so where the exact model has no
    published figure, the nearest one scales inversely with the parameter count. This
    ignores architecture (attention, vocabulary) and says so in the note.
    """
    if rate.value is None or rate.unit != "tok/s":
        raise ValueError("only a known speed in tok/s can be scaled by parameters")
    return Rate(rate.value * from_params_b / to_params_b, rate.unit, f"{rate.source} + {card}",
                f"scaled from {model} at {from_params_b:g} B params to {to_params_b:g} B "
                f"({rate.note})")


QWEN_1_5B_PP = scaled(LLAMA_1B_PP, "Llama 3.2 1B", LLAMA_1B_PARAMS_B, QWEN_1_5B_PARAMS_B,
                      QWEN_1_5B_CARD)
QWEN_0_5B_PP = scaled(LLAMA_1B_PP, "Llama 3.2 1B", LLAMA_1B_PARAMS_B, QWEN_0_5B_PARAMS_B,
                      QWEN_0_5B_CARD)


def whisper_base_rtf() -> float:
    """Whisper base's real-time factor: tiny's, times base/tiny measured on one Pi 5.

    The Orange Pi 5 row gives tiny's real-time factor on A76 cores; the Pi 5 study gives how
    much longer base takes than tiny on the same clips. Their product is base's factor.
    """
    assert WHISPER_TINY_RTF.value and WHISPER_BASE_PI5_S.value and WHISPER_TINY_PI5_S.value
    return WHISPER_TINY_RTF.value * WHISPER_BASE_PI5_S.value / WHISPER_TINY_PI5_S.value


ALL: tuple[Rate, ...] = (
    WHISPER_TINY_RTF, WHISPER_TINY_PI5_S, WHISPER_BASE_PI5_S, PIPER_LOW_S_PER_CHAR,
    PIPER_MEDIUM_RTF, QWEN_1_5B_TG, QWEN_0_5B_TG, LLAMA_1B_PP, QWEN_1_5B_PP, QWEN_0_5B_PP,
)


def whisper_base_rate() -> Rate:
    """Whisper base's derived real-time factor as a :class:`Rate` naming both sources."""
    return Rate(whisper_base_rtf(), "rtf", f"{FQUIRIN} x {RSS25}",
                "tiny's A76 real-time factor times the Pi 5 base/tiny time ratio")
