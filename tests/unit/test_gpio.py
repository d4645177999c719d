"""Push-to-talk and the LED with gpiozero's MockFactory driving real Button and LED objects."""

from __future__ import annotations

import time

import pytest
from gpiozero.pins.mock import MockFactory

from voicebox.config.schema import GpioConfig
from voicebox.gpio.button import GpioError, Panel

pytestmark = pytest.mark.usefixtures("mock_pins")


def wait_for(condition, timeout: float = 2.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_press_and_release_reach_the_conductor(mock_pins: MockFactory) -> None:
    events: list[bool] = []
    panel = Panel(GpioConfig(button_pin="GPIO17"), events.append)
    pin = mock_pins.pin(17)
    pin.drive_low()                      # pressed (pull-up: active low)
    wait_for(lambda: events == [True])
    time.sleep(0.05)
    pin.drive_high()
    wait_for(lambda: events == [True, False])
    panel.close()


def test_the_led_shows_the_state(mock_pins: MockFactory) -> None:
    panel = Panel(GpioConfig(led_pin="GPIO27"), lambda _: None)
    pin = mock_pins.pin(27)
    panel.show("listening")
    assert pin.state
    panel.show("idle")
    assert not pin.state
    panel.show("thinking")
    wait_for(lambda: pin.state)
    panel.close()


def test_nothing_configured_means_no_gpio() -> None:
    panel = Panel(GpioConfig(), lambda _: None)
    assert panel.button is None and panel.led is None
    panel.show("speaking")
    panel.close()


def test_the_same_pin_twice_is_a_clear_error() -> None:
    with pytest.raises(GpioError, match="GPIO pin unusable") as caught:
        Panel(GpioConfig(button_pin="GPIO17", led_pin="GPIO17"), lambda _: None)
    assert "gpio group" in caught.value.hint
