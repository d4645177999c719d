"""The configuration, as frozen dataclasses: one per subsystem.

Each field documents itself and declares its allowed values (see :mod:`.rules`); the loader
checks every field generically. ``__post_init__`` only checks what single fields cannot:
combinations. Everything here is immutable and validated once at start-up, so the threads that
read it never see a half-applied or invalid value.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from voicebox.config.listen import ListenConfig
from voicebox.config.rules import InvalidCombination, setting
from voicebox.paths import default_lock_path, default_model_store, default_timers_file

LANGUAGE_CODE = r"[a-z]{2}"
LANGUAGE_NAMES = "two-letter ISO 639-1 codes such as en, de, fr"
GPIO_PIN = r"|GPIO\d{1,2}|BOARD\d{1,2}"
PIN_NAMES = "empty, GPIOn or BOARDn (gpiozero pin names)"
PROFILES = ("dev", "pi5-performance", "pi5-balanced")

@dataclass(frozen=True)
class ModelsConfig:
    """Which model files to use and where they live."""

    lock: Path = setting(default_lock_path, "models.lock: every model file with size and sha256")
    store: Path = setting(default_model_store, "directory holding verified model files")
    profile: str = setting("dev", "the models.lock profile naming the models this box runs")
    load_attempts: int = setting(3, "tries to load an engine before giving up", min=1, max=10)
    load_backoff_s: float = setting(2.0, "wait before the 2nd try; doubled for each next one",
                                    min=0.0, max=60.0)


@dataclass(frozen=True)
class AudioConfig:
    """Microphone and speaker, chosen by name (indices move when USB audio re-enumerates)."""

    input_device: str = setting("", "substring of the microphone's name; empty = system default")
    output_device: str = setting("", "substring of the speaker's name; empty = system default")
    latency_s: float = setting(0.05, "PortAudio stream latency in seconds", min=0.01, max=0.5)
    echo_cancellation: bool = setting(True, "cancel the box's own voice from the microphone")


@dataclass(frozen=True)
class VadConfig:
    """Voice activity detection and endpointing (webrtcvad modes: 3 is the strictest).

    How the timings combine is the endpointer's rule (it counts whole 10 ms frames), checked
    by building its settings while loading: see :mod:`voicebox.config.components`.
    """

    mode: int = setting(3, "webrtcvad aggressiveness while listening", min=0, max=3)
    speaking_mode: int = setting(3, "webrtcvad aggressiveness while the box speaks", min=0, max=3)
    start_ms: int = setting(150, "speech needed before an utterance starts", min=30, max=2000)
    hangover_ms: int = setting(500, "silence that ends an utterance", min=100, max=5000)
    preroll_ms: int = setting(300, "audio kept from before the start", min=0, max=2000)
    max_utterance_s: float = setting(15.0, "longest utterance before it is cut", min=1, max=120)
    adaptive_end: bool = setting(
        True, "end a question by how its words so far end: sooner when they are a finished "
        "sentence, later when they stop mid-phrase ('what is the', 'um'); off: always "
        "hangover_ms")
    finished_ms: int = setting(
        250, "silence that ends a finished sentence (adaptive_end; at most hangover_ms)",
        min=160, max=5000)
    unfinished_ms: int = setting(
        1200, "silence a speaker who stopped mid-phrase is given to go on (adaptive_end; at "
        "least hangover_ms)", min=160, max=10000)
    barge_in_grace_ms: int = setting(
        500, "start of each answer during which talking over it is not a barge-in (the echo "
        "canceller catches up with the new sound)", min=0, max=2000)


@dataclass(frozen=True)
class SttConfig:
    """Speech-to-text with faster-whisper (int8 on the CPU)."""

    threads: int = setting(2, "CPU threads for the whisper encoder/decoder", min=1, max=16)
    beam_size: int = setting(1, "beam width; 1 (greedy) is fastest", min=1, max=10)
    window_s: float = setting(10.0, "shortest encoder window; whisper's own is 30 s (slow)",
                              min=5.0, max=30.0)
    languages: tuple[str, ...] = setting(
        (), "languages a question may be in (those without a voice are answered in the "
        "fallback language); empty = every language with a voice",
        pattern=LANGUAGE_CODE, allowed=LANGUAGE_NAMES,
    )
    fallback_language: str = setting(
        "en", "language used when detection is unsure", pattern=LANGUAGE_CODE,
        allowed=LANGUAGE_NAMES,
    )
    language_threshold: float = setting(
        0.5, "detection probability needed to trust it", min=0.0, max=1.0
    )
    no_speech_threshold: float = setting(
        0.6, "no-speech probability above which a segment is dropped", min=0.0, max=1.0
    )
    logprob_threshold: float = setting(
        -1.0, "average log-probability below which a segment is dropped", min=-10.0, max=0.0
    )

    def __post_init__(self) -> None:
        if self.languages and self.fallback_language not in self.languages:
            raise InvalidCombination(
                "stt.fallback_language", self.fallback_language, "must be one of stt.languages"
            )


@dataclass(frozen=True)
class LlmConfig:
    """The language model (llama.cpp)."""

    threads: int = setting(1, "CPU threads while generating (it pauses while a sentence is "
                               "synthesised)", min=1, max=16)
    prompt_threads: int = setting(2, "CPU threads while reading the prompt", min=1, max=16)
    context_tokens: int = setting(2048, "context window in tokens", min=256, max=32768)
    max_tokens: int = setting(160, "longest answer in tokens", min=8, max=2048)
    max_sentences: int = setting(3, "most sentences spoken of an answer; generation stops "
                                    "there", min=1, max=50)
    max_words: int = setting(60, "most words spoken of an answer (the first sentence is always "
                                 "said whole); generation stops there", min=5, max=1000)
    temperature: float = setting(0.3, "sampling temperature; low keeps small models sane",
                                 min=0.0, max=2.0)
    history_turns: int = setting(5, "past turns kept in the conversation", min=0, max=50)
    history_idle_s: float = setting(300.0, "idle time after which history is forgotten",
                                    min=0, max=86400)
    system_prompt: str = setting(
        "You are a helpful voice assistant. Answer in one to three short spoken sentences. "
        "No lists, no markdown. Answer in the language the user speaks.",
        "instructions given to the model before every conversation",
    )

    def __post_init__(self) -> None:
        if self.max_tokens >= self.context_tokens:
            raise InvalidCombination(
                "llm.max_tokens", self.max_tokens, "must be smaller than llm.context_tokens"
            )


@dataclass(frozen=True)
class TtsConfig:
    """Text-to-speech with Piper."""

    threads: int = setting(2, "CPU threads for synthesis (the LLM waits meanwhile)",
                           min=1, max=16)
    length_scale: float = setting(1.0, "speaking pace: above 1 is slower", min=0.5, max=2.0)
    noise_scale: float = setting(0.667, "variation in the voice; 0 = the same every time",
                                 min=0.0, max=1.0)
    noise_w_scale: float = setting(0.8, "variation in the rhythm; 0 = the same every time",
                                   min=0.0, max=1.0)
    output_rate: int = setting(
        0, "playback sample rate in Hz; 0 = the voice's own rate",
        choices=(0, 16000, 22050, 24000, 44100, 48000),
    )


@dataclass(frozen=True)
class WatchdogConfig:
    """The thermal and memory governor."""

    interval_s: float = setting(2.0, "seconds between sensor readings", min=0.2, max=60)
    temperature_path: Path = setting(
        Path("/sys/class/thermal/thermal_zone0/temp"), "sysfs file with millidegrees Celsius"
    )
    warm_c: float = setting(70.0, "temperature of the 'warm' tier", min=30, max=110)
    hot_c: float = setting(75.0, "temperature of the 'hot' tier", min=30, max=110)
    critical_c: float = setting(80.0, "temperature of the 'critical' tier", min=30, max=110)
    hysteresis_c: float = setting(5.0, "cooling needed below a threshold to step down",
                                  min=0.5, max=20)
    dwell_s: float = setting(30.0, "time a reading must stay low before stepping down",
                             min=0, max=600)
    low_memory_mb: int = setting(1024, "free RAM below which the small models are used",
                                 min=64, max=65536)
    swap_mb: int = setting(500, "swap use above which history and caches are pruned",
                           min=1, max=65536)
    memory_margin_mb: int = setting(
        512, "free RAM above low_memory_mb needed to return to the larger models; "
        "more than they take over the small ones", min=0, max=65536,
    )
    swap_margin_mb: int = setting(100, "swap use must fall this far below swap_mb to stop pruning",
                                  min=0, max=65536)
    stall_s: float = setting(
        20.0, "a thread silent this long counts as hung: systemd's watchdog then restarts "
        "the service", min=1, max=600,
    )

    def __post_init__(self) -> None:
        if not self.warm_c < self.hot_c < self.critical_c:
            raise InvalidCombination(
                "watchdog.hot_c", self.hot_c,
                "thresholds must rise: warm_c < hot_c < critical_c",
            )
        if self.swap_margin_mb >= self.swap_mb:
            raise InvalidCombination(
                "watchdog.swap_margin_mb", self.swap_margin_mb,
                "must be below watchdog.swap_mb, or swap pressure could never end",
            )


@dataclass(frozen=True)
class HttpConfig:
    """The local health and metrics socket."""

    host: str = setting("127.0.0.1", "address to bind; keep it on loopback",
                        choices=("127.0.0.1", "::1", "localhost"))
    port: int = setting(8321, "TCP port; 0 picks a free one", min=0, max=65535)


@dataclass(frozen=True)
class GpioConfig:
    """The push-to-talk button and the status LED (gpiozero pin names)."""

    button_pin: str = setting("", "button pin such as GPIO17; empty = no button", pattern=GPIO_PIN,
                         allowed=PIN_NAMES)
    led_pin: str = setting("", "LED pin such as GPIO27; empty = no LED", pattern=GPIO_PIN,
                         allowed=PIN_NAMES)


@dataclass(frozen=True)
class LoggingConfig:
    """Structured logs: JSON lines for journald, readable lines on a terminal."""

    level: str = setting("info", "lowest level logged",
                         choices=("debug", "info", "warning", "error"))
    format: str = setting("auto", "auto = JSON unless stdout is a terminal",
                          choices=("auto", "json", "console"))


@dataclass(frozen=True)
class SkillsConfig:
    """Questions answered on the box before the LLM: the time, timers, alarms, small sums."""

    enabled: bool = setting(True, "answer the time, date, timers, alarms, 'stop', 'say that "
                                  "again' and sums locally; false = the LLM answers everything")
    timers_file: Path = setting(default_timers_file,
                                "where timers and alarms are kept across restarts")
    max_timer_h: float = setting(24.0, "longest timer in hours", min=0.01, max=720)
    max_timers: int = setting(10, "timers and alarms running at once", min=1, max=100)
    ring_times: int = setting(6, "most announcements of an ended timer unless 'stop' is said "
                                 "or the button pressed", min=1, max=20)
    ring_every_s: float = setting(10.0, "seconds between those announcements", min=5, max=600)
    ring_limit_s: float = setting(60.0, "an ended timer stops ringing this long after it "
                                        "started, whatever is left of ring_times",
                                  min=5, max=3600)


SECTIONS: dict[str, type] = {
    "models": ModelsConfig,
    "audio": AudioConfig,
    "vad": VadConfig,
    "listen": ListenConfig,
    "stt": SttConfig,
    "llm": LlmConfig,
    "tts": TtsConfig,
    "watchdog": WatchdogConfig,
    "http": HttpConfig,
    "gpio": GpioConfig,
    "logging": LoggingConfig,
    "skills": SkillsConfig,
}


@dataclass(frozen=True)
class Config:
    """The whole validated configuration; ``source`` names where it came from."""

    profile: str
    source: str
    models: ModelsConfig
    audio: AudioConfig
    vad: VadConfig
    listen: ListenConfig
    stt: SttConfig
    llm: LlmConfig
    tts: TtsConfig
    watchdog: WatchdogConfig
    http: HttpConfig
    gpio: GpioConfig
    logging: LoggingConfig
    skills: SkillsConfig
