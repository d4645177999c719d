"""The thermal and memory watchdog: system sensors and the pure throttle governor."""

from voicebox.watchdog.governor import Governor, Tier, Transition
from voicebox.watchdog.sensors import Readings, SystemSensors

__all__ = ["Governor", "Readings", "SystemSensors", "Tier", "Transition"]
