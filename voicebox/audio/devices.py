"""Audio devices, found by name substring through PortAudio (sounddevice).

Never by index: indices move when a USB card re-enumerates or the sound server restarts, names
do not. PortAudio is imported lazily so that commands that do not touch audio (``check``) work
on a machine without libportaudio2.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from voicebox.errors import AudioDeviceError

PORTAUDIO_FIX = "install PortAudio: apt-get install libportaudio2"


@dataclass(frozen=True)
class DeviceInfo:
    """One device as PortAudio lists it."""

    index: int
    name: str
    host_api: str
    max_input_channels: int
    max_output_channels: int
    default_samplerate: float


def portaudio() -> Any:
    """The sounddevice module, or a clear error if the PortAudio library is missing."""
    try:
        import sounddevice
    except OSError as exc:
        raise AudioDeviceError(f"PortAudio is not available: {exc}", hint=PORTAUDIO_FIX) from None
    return sounddevice


def list_devices() -> list[DeviceInfo]:
    """Every device PortAudio currently knows."""
    sd = portaudio()
    apis = sd.query_hostapis()
    return [
        DeviceInfo(
            index=index,
            name=info["name"],
            host_api=apis[info["hostapi"]]["name"],
            max_input_channels=info["max_input_channels"],
            max_output_channels=info["max_output_channels"],
            default_samplerate=info["default_samplerate"],
        )
        for index, info in enumerate(sd.query_devices())
    ]


def find_device(devices: list[DeviceInfo], substring: str, kind: str) -> DeviceInfo | None:
    """The first ``kind`` ("input"/"output") device whose name contains ``substring``.

    An empty substring means the system default, returned as ``None``. An exact name match wins
    over a substring match, so "vmic" never picks "vmicfeed".
    """
    if not substring:
        return None
    usable = [d for d in devices if _channels(d, kind) > 0]
    exact = [d for d in usable if d.name == substring]
    matches = exact or [d for d in usable if substring.lower() in d.name.lower()]
    if not matches:
        names = ", ".join(d.name for d in usable) or "none"
        raise AudioDeviceError(
            f"no {kind} device matches {substring!r} (available {kind} devices: {names})",
            hint=f"set audio.{kind}_device to part of one of those names (voicebox devices)",
        )
    return matches[0]


def require_any(devices: list[DeviceInfo], kind: str) -> None:
    """Before opening the system default ``kind`` device: fail in words when PortAudio lists
    none at all (the USB card unplugged). PortAudio's own error for it is "Error querying
    device -1", which is what ``systemctl status`` showed of a box without its card."""
    if not any(_channels(d, kind) > 0 for d in devices):
        what = "microphone" if kind == "input" else "speaker"
        raise AudioDeviceError(
            f"no sound card with a {what}: PortAudio lists no {kind} device",
            hint="plug in the USB sound card; the box opens it as soon as it appears")


def _channels(device: DeviceInfo, kind: str) -> int:
    return device.max_input_channels if kind == "input" else device.max_output_channels
