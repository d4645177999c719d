"""What the watchdog measures: CPU temperature, free RAM, swap use and CPU load.

The temperature comes from the kernel's sysfs file (millidegrees Celsius, as on the Pi 5) or,
where that file does not exist, from ``psutil.sensors_temperatures()``. A machine with no
sensor at all (a VM, a container) is told apart from a sensor that fails: the first reports no
temperature and no error, the second an error the governor treats as "assume it is warm".

:meth:`SystemSensors.read` never raises: the watchdog thread calls it forever, and a thread that
died on a bad read would leave the box without thermal protection. Temperature problems are
logged here, once when a kind of problem starts and once when it clears, never every sample.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from voicebox.ops.logging import get_logger
from voicebox.watchdog.cgroup import memory_headroom

MIN_PLAUSIBLE_C = -40.0
MAX_PLAUSIBLE_C = 150.0
# psutil sensor names of CPU temperatures, best first: Raspberry Pi, Intel, AMD.
PREFERRED_SENSORS = ("cpu_thermal", "coretemp", "k10temp")


@dataclass(frozen=True)
class Readings:
    """One sample of every signal the governor looks at, taken at ``at`` (time.monotonic())."""

    at: float
    temperature_c: float | None
    temperature_error: str
    memory_available_bytes: int
    swap_used_bytes: int
    cpu_percent: float


@dataclass(frozen=True)
class _Temperature:
    """A temperature or why there is none; ``kind`` groups errors for logging."""

    celsius: float | None = None
    error: str = ""
    kind: str = ""


class SystemSensors:
    """Reads the machine's sensors; one instance per watchdog thread (not thread-safe)."""

    def __init__(self, temperature_path: Path) -> None:
        self.temperature_path = temperature_path
        self._file_existed = temperature_path.exists()
        self._psutil_had_sensor = bool(_psutil_temperatures())
        self._problem = ""
        self._log = get_logger("watchdog")
        psutil.cpu_percent(interval=None)  # the first call only starts the measurement

    @property
    def has_temperature_sensor(self) -> bool:
        """False on a machine that had no temperature source at all when this was built."""
        return self._file_existed or self._psutil_had_sensor

    def read(self) -> Readings:
        """Sample every sensor now. Never raises; a failing temperature sets its error."""
        temperature = self._read_temperature()
        self._log_problem(temperature)
        return Readings(
            at=time.monotonic(),
            temperature_c=temperature.celsius,
            temperature_error=temperature.error,
            memory_available_bytes=_available_memory(),
            swap_used_bytes=int(psutil.swap_memory().used),
            cpu_percent=float(psutil.cpu_percent(interval=None)),
        )

    def _read_temperature(self) -> _Temperature:
        try:
            text = self.temperature_path.read_bytes().decode("ascii", errors="replace")
        except FileNotFoundError:
            if self._file_existed:
                return _Temperature(None, f"temperature file {self.temperature_path} vanished",
                                    "missing")
            return self._psutil_temperature()
        except OSError as exc:
            return _Temperature(None, self._unreadable(exc), "unreadable")
        return self._parse(text)

    def _unreadable(self, exc: OSError) -> str:
        if isinstance(exc, IsADirectoryError):
            return f"temperature file {self.temperature_path} is a directory"
        if isinstance(exc, PermissionError):
            return f"temperature file {self.temperature_path} is not readable: permission denied"
        reason = exc.strerror or str(exc)
        return f"temperature file {self.temperature_path} could not be read: {reason}"

    def _parse(self, text: str) -> _Temperature:
        content = text.strip()
        if not content:
            return _Temperature(None, f"temperature file {self.temperature_path} is empty",
                                "malformed")
        try:
            millidegrees = int(content)
        except ValueError:
            shown = content if len(content) <= 20 else content[:20] + "..."
            return _Temperature(None, f"temperature file {self.temperature_path} holds "
                                      f"{shown!r}, not millidegrees", "malformed")
        return _plausible(millidegrees / 1000)

    def _psutil_temperature(self) -> _Temperature:
        """The fallback; only a sensor psutil had at start-up can fail (else there is none)."""
        if not self._psutil_had_sensor:
            return _Temperature()  # no sensor at all: nothing to report, nothing failed
        try:
            sensors = psutil.sensors_temperatures()
        except Exception as exc:  # psutil parses odd hwmon files; any failure is a bad read
            return _Temperature(None, f"psutil could not read the temperature: {exc}", "psutil")
        celsius = _pick_cpu_temperature(sensors)
        if celsius is None:
            return _Temperature(None, "psutil no longer reports a temperature sensor", "psutil")
        return _plausible(celsius)

    def _log_problem(self, temperature: _Temperature) -> None:
        """Log a kind of problem when it starts and when it clears, not every sample."""
        if temperature.kind == self._problem:
            return
        if temperature.kind:
            self._log.warning("temperature-sensor-failed", error=temperature.error)
        else:
            self._log.info("temperature-sensor-recovered", temperature_c=temperature.celsius)
        self._problem = temperature.kind


def _available_memory() -> int:
    """MemAvailable, or less if the service's own cgroup limit is closer."""
    available = int(psutil.virtual_memory().available)
    headroom = memory_headroom()
    return available if headroom is None else min(available, headroom)


def _plausible(celsius: float) -> _Temperature:
    if MIN_PLAUSIBLE_C <= celsius <= MAX_PLAUSIBLE_C:
        return _Temperature(celsius)
    return _Temperature(None, f"temperature {celsius:.1f} °C is implausible (expected "
                              f"{MIN_PLAUSIBLE_C:g} to {MAX_PLAUSIBLE_C:g} °C)", "implausible")


def _psutil_temperatures() -> dict:
    """psutil's sensors, or none where psutil cannot read them (or has no such function)."""
    try:
        return psutil.sensors_temperatures() or {}
    except Exception:  # an unreadable sensor at start-up is the same as no sensor
        return {}


def _pick_cpu_temperature(sensors: dict) -> float | None:
    """The CPU's temperature from psutil's sensors: a known CPU sensor first, else the first."""
    names = [name for name in PREFERRED_SENSORS if name in sensors]
    names += [name for name in sensors if name not in PREFERRED_SENSORS]
    for name in names:
        for entry in sensors[name]:
            if entry.current is not None:
                return float(entry.current)
    return None
