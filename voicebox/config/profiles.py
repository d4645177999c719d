"""Built-in profiles: defaults for a kind of machine, beneath what the config file says.

A profile only sets values; the config file may override any of them. The dataclass defaults
are the development machine's, so the dev profile names its models and listens for the Pi's
four languages (it has only an English voice, so it answers the others in English). Figures
for the Pi 5 (4 Cortex-A76 cores, 4 or 8 GB) are unmeasured here. Speech recognition, generation and
synthesis take turns on the CPU (the LLM pauses while a sentence is synthesised: see
voicebox/conductor/cpu.py), so each may use every core. 'balanced' leaves one core free and
trades answer quality for heat and memory headroom. The Pi profiles answer only after the wake
word (a box in a living room hears the television); the dev profile answers every utterance, as
the live tests expect.
"""

from __future__ import annotations

from typing import Any

PROFILE_VALUES: dict[str, dict[str, dict[str, Any]]] = {
    "dev": {
        "models": {"profile": "dev"},
        "stt": {"languages": ["en", "de", "fr", "es"]},
    },
    "pi5-performance": {
        "models": {"profile": "pi5-performance"},
        "listen": {"mode": "wake"},
        "stt": {"threads": 4},
        "llm": {"threads": 4, "prompt_threads": 4, "max_tokens": 200, "context_tokens": 2048},
        "tts": {"threads": 4},
        "watchdog": {"warm_c": 70.0, "hot_c": 75.0, "critical_c": 80.0},
    },
    "pi5-balanced": {
        "models": {"profile": "pi5-balanced"},
        "listen": {"mode": "wake"},
        "stt": {"threads": 3},
        "llm": {"threads": 3, "prompt_threads": 3, "max_tokens": 120, "context_tokens": 1536},
        "tts": {"threads": 3},
        "watchdog": {"warm_c": 65.0, "hot_c": 72.0, "critical_c": 78.0},
    },
}


def profile_values(name: str) -> dict[str, dict[str, Any]]:
    """The section -> key -> value defaults of profile ``name`` (a deep copy)."""
    return {section: dict(values) for section, values in PROFILE_VALUES[name].items()}
