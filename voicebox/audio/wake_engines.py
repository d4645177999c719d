"""The two wake-word libraries behind one small interface: 16-bit PCM in, the best score out.

microWakeWord (pymicro-wakeword, the default) and openWakeWord (pyopen-wakeword, optional)
both ship their models and a TFLite library inside the wheel; they differ in how the models
are described (microWakeWord: a .json naming its .tflite and cut-off; openWakeWord: a .tflite
per word plus two shared feature models, cut-off 0.5). Each adapter is built from the files
models.lock pins, already verified, so no library ever picks a model file by itself.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Protocol

from voicebox.errors import ModelError

OPEN_WAKE_WORD_CUTOFF = 0.5
"""openWakeWord's own default threshold."""
OPEN_WAKE_WORD_FEATURES = ("melspectrogram.tflite", "embedding_model.tflite")

ENGINE_PACKAGES = {"microwakeword": "pymicro-wakeword", "openwakeword": "pyopen-wakeword"}
"""The distribution that installs each engine (and the model files models.lock pins in it)."""


class WakeModel(Protocol):
    """What the detector needs from a wake-word library."""

    cutoff: float

    def score(self, pcm: bytes) -> float:
        """The highest probability the audio so far (plus ``pcm``) gives; 0 if none yet."""

    def reset(self) -> None:
        """Forget all audio."""


class MicroWakeWordModel:
    """microWakeWord: a .json (the model's cut-off, window) that names its .tflite."""

    def __init__(self, name: str, paths: dict[str, Path]) -> None:
        from pymicro_wakeword import MicroWakeWord, MicroWakeWordFeatures

        config, model = paths.get(f"{name}.json"), paths.get(f"{name}.tflite")
        if config is None or model is None:
            raise _unpinned(name, paths, f"{name}.json and {name}.tflite")
        named = json.loads(config.read_text(encoding="utf-8"))["model"]
        if config.parent / named != model:
            raise ModelError(f"wake word {name!r}: its config loads {named}, not the pinned "
                             f"{model.name}", hint="restore models.lock from the release")
        self._model = MicroWakeWord.from_config(config)
        self._features = MicroWakeWordFeatures()
        self.cutoff = self._model.probability_cutoff

    def score(self, pcm: bytes) -> float:
        scores = [self._model.process_streaming_prob(f) or 0.0
                  for f in self._features.process_streaming(pcm)]
        return max(scores, default=0.0)

    def reset(self) -> None:
        self._features.reset()
        self._model.reset()


class OpenWakeWordModel:
    """openWakeWord: the word's .tflite over shared melspectrogram and embedding models."""

    def __init__(self, name: str, paths: dict[str, Path]) -> None:
        from pyopen_wakeword import OpenWakeWord, OpenWakeWordFeatures

        needed = (f"{name}.tflite", *OPEN_WAKE_WORD_FEATURES)
        if any(file not in paths for file in needed):
            raise _unpinned(name, paths, ", ".join(needed))
        mel, embedding = (paths[file] for file in OPEN_WAKE_WORD_FEATURES)
        self._model = OpenWakeWord.from_model(paths[f"{name}.tflite"])
        self._features = OpenWakeWordFeatures(
            melspectrogram_model=mel, embedding_model=embedding,
            libtensorflowlite_c_path=self._model.libtensorflowlite_c_path)
        self.cutoff = OPEN_WAKE_WORD_CUTOFF

    def score(self, pcm: bytes) -> float:
        scores = [p for f in self._features.process_streaming(pcm)
                  for p in self._model.process_streaming(f)]
        return max(scores, default=0.0)

    def reset(self) -> None:
        self._features.reset()
        self._model.reset()


ENGINES: dict[str, type[MicroWakeWordModel] | type[OpenWakeWordModel]] = {
    "microwakeword": MicroWakeWordModel, "openwakeword": OpenWakeWordModel}


def _unpinned(name: str, paths: dict[str, Path], wanted: str) -> ModelError:
    return ModelError(f"wake word {name!r}: models.lock pins {', '.join(sorted(paths))}, "
                      f"not {wanted}", hint="restore models.lock from the release")
