"""Choosing audio devices by name: exact names win, substrings match, misses say what exists."""

from __future__ import annotations

import pytest

from voicebox.audio.devices import DeviceInfo, find_device, require_any
from voicebox.errors import AudioDeviceError


def device(index: int, name: str, inputs: int, outputs: int) -> DeviceInfo:
    return DeviceInfo(index, name, "ALSA", inputs, outputs, 48000.0)


DEVICES = [
    device(0, "vmicfeed", 32, 32),
    device(1, "vmic", 32, 32),
    device(2, "USB Audio Device: - (hw:2,0)", 1, 0),
    device(3, "vc4-hdmi-0: MAI PCM i2s-hifi-0 (hw:0,0)", 0, 2),
]


def test_empty_name_means_the_system_default() -> None:
    assert find_device(DEVICES, "", "input") is None


def test_exact_name_beats_a_longer_name_listed_first() -> None:
    assert find_device(DEVICES, "vmic", "input").index == 1


def test_substring_is_case_insensitive() -> None:
    assert find_device(DEVICES, "usb audio", "input").index == 2
    assert find_device(DEVICES, "HDMI", "output").index == 3


def test_direction_matters() -> None:
    with pytest.raises(AudioDeviceError, match="no output device matches 'USB'"):
        find_device(DEVICES, "USB", "output")


def test_a_miss_lists_what_is_available() -> None:
    with pytest.raises(AudioDeviceError) as caught:
        find_device(DEVICES, "ReSpeaker", "input")
    assert "vmicfeed, vmic, USB Audio Device" in str(caught.value)
    assert "audio.input_device" in caught.value.hint


def test_no_card_at_all_is_said_in_words_not_portaudio_s() -> None:
    with pytest.raises(AudioDeviceError, match="no sound card with a microphone") as caught:
        require_any([], "input")
    assert "plug in the USB sound card" in caught.value.hint
    with pytest.raises(AudioDeviceError, match="no sound card with a speaker"):
        require_any([device(0, "USB Audio Device: - (hw:2,0)", 1, 0)], "output")
    require_any(DEVICES, "input")
    require_any(DEVICES, "output")


class _PortAudio:
    """The two PortAudio calls ``_rate`` makes, for a device that does or does not take 48 kHz."""

    def __init__(self, takes_48k: bool) -> None:
        self.takes_48k = takes_48k

    def check_input_settings(self, **settings: object) -> None:
        if not self.takes_48k:
            raise RuntimeError(f"Invalid sample rate {settings['samplerate']}")

    check_output_settings = check_input_settings

    def query_devices(self, _index: object, _kind: str) -> dict[str, float]:
        return {"default_samplerate": 44100.0}


def test_streams_open_at_48_khz_when_the_device_takes_it() -> None:
    from voicebox.audio.link import _rate

    assert _rate(_PortAudio(takes_48k=True), None, "input") == 48000
    assert _rate(_PortAudio(takes_48k=True), None, "output") == 48000
    assert _rate(_PortAudio(takes_48k=False), None, "output") == 44100


class Stream:
    """What open_all needs of a PortAudio stream: start and close, recorded in order."""

    def __init__(self, name: str, log: list[str], fail_start: bool = False) -> None:
        self.name, self.log, self.fail_start = name, log, fail_start

    def start(self) -> None:
        if self.fail_start:
            raise RuntimeError(f"{self.name} would not start")
        self.log.append(f"start {self.name}")

    def close(self) -> None:
        self.log.append(f"close {self.name}")


def test_a_speaker_that_fails_to_open_does_not_leak_the_microphone() -> None:
    from voicebox.audio.link import open_all

    log: list[str] = []

    def speaker() -> Stream:
        raise OSError("Error opening OutputStream: Device unavailable")

    with pytest.raises(OSError, match="Device unavailable"):
        open_all([lambda: Stream("mic", log), speaker])
    assert log == ["close mic"]


def test_streams_start_after_the_hook_and_a_failed_start_closes_them_all() -> None:
    from voicebox.audio.link import open_all

    log: list[str] = []
    streams = open_all([lambda: Stream("mic", log), lambda: Stream("speaker", log)],
                       before_start=lambda opened: log.append(f"attach {opened[1].name}"))
    assert [s.name for s in streams] == ["mic", "speaker"]
    assert log == ["attach speaker", "start mic", "start speaker"]
    log.clear()
    with pytest.raises(RuntimeError, match="speaker would not start"):
        open_all([lambda: Stream("mic", log), lambda: Stream("speaker", log, fail_start=True)])
    assert log == ["start mic", "close mic", "close speaker"]
