"""System sensors: the sysfs temperature file with real files, psutil as the fallback."""

from __future__ import annotations

import io
import json
from collections import namedtuple
from pathlib import Path

import psutil
import pytest

from voicebox.ops.logging import configure_logging
from voicebox.watchdog import SystemSensors

Entry = namedtuple("Entry", "label current high critical")


@pytest.fixture
def no_psutil_sensor(monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine where psutil finds no temperature (this dev machine, a VM, a container)."""
    monkeypatch.setattr(psutil, "sensors_temperatures", lambda: {}, raising=False)


def temp_file(tmp_path: Path, content: str) -> Path:
    path = tmp_path / "temp"
    path.write_text(content, encoding="ascii")
    return path


def test_sysfs_millidegrees_become_celsius(tmp_path: Path) -> None:
    sensors = SystemSensors(temp_file(tmp_path, "48312\n"))
    readings = sensors.read()
    assert readings.temperature_c == pytest.approx(48.312)
    assert readings.temperature_error == ""
    assert sensors.has_temperature_sensor


def test_memory_swap_and_cpu_come_from_psutil(tmp_path: Path) -> None:
    readings = SystemSensors(temp_file(tmp_path, "48312\n")).read()
    assert isinstance(readings.memory_available_bytes, int)
    assert 0 < readings.memory_available_bytes <= psutil.virtual_memory().total
    assert isinstance(readings.swap_used_bytes, int) and readings.swap_used_bytes >= 0
    assert isinstance(readings.cpu_percent, float) and 0.0 <= readings.cpu_percent <= 100.0
    assert isinstance(readings.at, float)


@pytest.mark.parametrize(("content", "error"), [
    ("abc\n", "holds 'abc', not millidegrees"),
    ("48.3\n", "holds '48.3', not millidegrees"),
    ("", "is empty"),
    ("\n", "is empty"),
    ("-60000\n", "temperature -60.0 °C is implausible (expected -40 to 150 °C)"),
    ("412000\n", "temperature 412.0 °C is implausible (expected -40 to 150 °C)"),
])
def test_bad_content_is_a_failing_sensor(tmp_path: Path, content: str, error: str) -> None:
    readings = SystemSensors(temp_file(tmp_path, content)).read()
    assert readings.temperature_c is None
    assert error in readings.temperature_error


def test_long_garbage_is_shortened_in_the_message(tmp_path: Path) -> None:
    readings = SystemSensors(temp_file(tmp_path, "x" * 500)).read()
    assert "'xxxxxxxxxxxxxxxxxxxx...'" in readings.temperature_error
    assert len(readings.temperature_error) < 120 + len(str(tmp_path))


def test_plausible_extremes_are_accepted(tmp_path: Path) -> None:
    path = temp_file(tmp_path, "-40000\n")
    sensors = SystemSensors(path)
    assert sensors.read().temperature_c == -40.0
    path.write_text("150000\n", encoding="ascii")
    assert sensors.read().temperature_c == 150.0


def test_a_file_that_vanishes_is_a_failure_not_a_missing_sensor(
        tmp_path: Path, no_psutil_sensor: None) -> None:
    path = temp_file(tmp_path, "48312\n")
    sensors = SystemSensors(path)
    path.unlink()
    readings = sensors.read()
    assert readings.temperature_c is None
    assert readings.temperature_error == f"temperature file {path} vanished"
    assert sensors.has_temperature_sensor


def test_a_directory_instead_of_the_file(tmp_path: Path) -> None:
    readings = SystemSensors(tmp_path).read()
    assert readings.temperature_c is None
    assert readings.temperature_error == f"temperature file {tmp_path} is a directory"


@pytest.mark.parametrize(("exc", "ending"), [
    (PermissionError(13, "Permission denied"), "is not readable: permission denied"),
    (OSError(5, "Input/output error"), "could not be read: Input/output error"),
])
def test_read_errors_the_file_system_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            exc: OSError, ending: str) -> None:
    """Root reads any file whatever its mode, and no file can be made to give an I/O error."""
    path = temp_file(tmp_path, "48312\n")
    sensors = SystemSensors(path)

    def fail(_self: Path) -> bytes:
        raise exc

    monkeypatch.setattr(Path, "read_bytes", fail)
    assert sensors.read().temperature_error == f"temperature file {path} {ending}"


def test_a_machine_without_any_sensor_reports_no_temperature_and_no_error(
        tmp_path: Path, no_psutil_sensor: None) -> None:
    sensors = SystemSensors(tmp_path / "missing")
    readings = sensors.read()
    assert readings.temperature_c is None
    assert readings.temperature_error == ""
    assert not sensors.has_temperature_sensor


def test_psutil_without_the_function_is_no_sensor(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(psutil, "sensors_temperatures", raising=False)   # macOS, Windows
    sensors = SystemSensors(tmp_path / "missing")
    assert sensors.read().temperature_error == ""
    assert not sensors.has_temperature_sensor


def fake_psutil(monkeypatch: pytest.MonkeyPatch, sensors: dict) -> None:
    monkeypatch.setattr(psutil, "sensors_temperatures", lambda: sensors, raising=False)


def test_psutil_is_the_fallback_and_prefers_a_cpu_sensor(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_psutil(monkeypatch, {"acpitz": [Entry("", 30.0, None, None)],
                              "coretemp": [Entry("Package id 0", 55.0, 80.0, 100.0)]})
    sensors = SystemSensors(tmp_path / "missing")
    assert sensors.has_temperature_sensor
    assert sensors.read().temperature_c == 55.0


def test_psutil_without_a_known_cpu_sensor_gives_the_first(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_psutil(monkeypatch, {"acpitz": [Entry("", 30.0, None, None)],
                              "nvme": [Entry("Composite", 40.0, None, None)]})
    assert SystemSensors(tmp_path / "missing").read().temperature_c == 30.0


def test_the_sysfs_file_wins_over_psutil(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_psutil(monkeypatch, {"coretemp": [Entry("", 55.0, None, None)]})
    assert SystemSensors(temp_file(tmp_path, "48000\n")).read().temperature_c == 48.0


def test_a_psutil_sensor_that_fails_later_is_a_failure(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_psutil(monkeypatch, {"cpu_thermal": [Entry("", 50.0, None, None)]})
    sensors = SystemSensors(tmp_path / "missing")

    def broken() -> dict:
        raise OSError("hwmon0 went away")

    monkeypatch.setattr(psutil, "sensors_temperatures", broken)
    assert sensors.read().temperature_error == ("psutil could not read the temperature: "
                                                "hwmon0 went away")
    fake_psutil(monkeypatch, {})
    assert sensors.read().temperature_error == "psutil no longer reports a temperature sensor"
    fake_psutil(monkeypatch, {"cpu_thermal": [Entry("", 900.0, None, None)]})
    assert "900.0 °C is implausible" in sensors.read().temperature_error


def test_a_problem_is_logged_when_it_starts_and_when_it_clears(tmp_path: Path) -> None:
    stream = io.StringIO()
    configure_logging("info", "json", stream)
    try:
        path = temp_file(tmp_path, "48312\n")
        sensors = SystemSensors(path)
        for content in ["48312", "abc", "def", "", "412000", "412000", "50000", "50000"]:
            path.write_text(content, encoding="ascii")
            sensors.read()
    finally:
        configure_logging("info", "json", io.StringIO())
    records = [json.loads(line) for line in stream.getvalue().splitlines()]
    events = [(r["event"], r.get("error", "")) for r in records]
    assert [event for event, _ in events] == [
        "temperature-sensor-failed",        # abc (and def, empty: still malformed)
        "temperature-sensor-failed",        # 412 °C: a different problem
        "temperature-sensor-recovered",
    ]
    assert "holds 'abc'" in events[0][1]
    assert "implausible" in events[1][1]
