"""The push-to-talk button and the status LED, through gpiozero.

Hold the button to talk: the question is what is said while it is held, whatever the VAD
hears. Press while the box speaks to interrupt it. No button configured means no GPIO at all,
so the same code runs on a desk machine. gpiozero calls back from its own thread; the
callbacks only post to the conductor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from voicebox.config.schema import GpioConfig
from voicebox.errors import VoiceboxError

BOUNCE_S = 0.02
BLINK_S = 0.25


class GpioError(VoiceboxError):
    """A configured pin cannot be used."""

    code = "gpio"


class Panel:
    """The button and LED that are configured (either may be absent)."""

    def __init__(self, config: GpioConfig, on_button: Callable[[bool], None]) -> None:
        self.button: Any = None
        self.led: Any = None
        try:
            self._open(config, on_button)
        except Exception as exc:  # gpiozero raises many kinds: a bad pin, no GPIO chip, busy
            self.close()
            raise GpioError(f"GPIO pin unusable: {exc}",
                            hint="check gpio.button_pin / gpio.led_pin, and that the service "
                                 "user is in the gpio group") from exc

    def _open(self, config: GpioConfig, on_button: Callable[[bool], None]) -> None:
        from gpiozero import LED, Button

        if config.button_pin:
            self.button = Button(config.button_pin, pull_up=True, bounce_time=BOUNCE_S)
            self.button.when_pressed = lambda: on_button(True)
            self.button.when_released = lambda: on_button(False)
        if config.led_pin:
            self.led = LED(config.led_pin)

    def show(self, state: str) -> None:
        """Listening: on; thinking: blinking; speaking: on; idle: off."""
        if self.led is None:
            return
        if state == "thinking":
            self.led.blink(on_time=BLINK_S, off_time=BLINK_S)
        elif state in ("listening", "speaking"):
            self.led.on()
        else:
            self.led.off()

    def close(self) -> None:
        """Release the pins."""
        for device in (self.button, self.led):
            if device is not None:
                device.close()
