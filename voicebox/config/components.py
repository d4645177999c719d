"""The settings the daemon's components build from the config, built while loading it too.

Some limits belong to a component rather than to one config field: the endpointer counts in
whole 10 ms frames and announces its tentative end (150 ms, not configurable) before the
hang-over ends, so ``vad.hangover_ms = 150`` is in range and still unusable. Building the very
settings objects the daemon builds means the loader, and so ``voicebox check``, refuses exactly
what the components refuse, naming the config key, in a second: before, the daemon loaded
every model (a minute on a Pi) and then died on the component's ValueError.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from voicebox.config.schema import Config


def component_settings(config: Config) -> list[object]:
    """Every settings object the daemon builds from ``config``, in the daemon's own way.

    Raises :class:`~voicebox.config.rules.InvalidCombination` naming the config key of a
    value a component refuses.
    """
    # Imported here: these modules import voicebox.config themselves.
    from voicebox.audio.bargein import BargeInSettings
    from voicebox.audio.endpointer_settings import EndpointerSettings

    return [EndpointerSettings.from_config(config.vad), BargeInSettings.from_config(config.vad)]
