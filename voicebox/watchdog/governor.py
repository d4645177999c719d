"""The throttle governor: sensor readings in, a tier out. Pure: no I/O, no sleeps, no clock.

Four signals each hold a tier; the box's tier is the highest of them:

* ``temperature``: WARM/HOT/CRITICAL at ``warm_c``/``hot_c``/``critical_c``.
* ``memory``: CRITICAL while MemAvailable < ``low_memory_mb`` (action: the smallest models).
* ``swap``: HOT while swap use > ``swap_mb`` (action: prune history and caches).
* ``sensor``: WARM while the temperature sensor fails: we cannot see the heat, so we assume
  some. A machine with no sensor at all never raises it, and ignores temperature.

Every signal steps UP at once: heat and memory pressure hurt now. It steps DOWN only after its
reading has stayed past a margin (``hysteresis_c`` below the threshold; ``memory_margin_mb``
above ``low_memory_mb``; ``swap_margin_mb`` below ``swap_mb``) continuously for ``dwell_s``. One
reading back inside the margin restarts the dwell, so noise around a threshold cannot flap.

A signal steps down ONE rung of its own ladder per dwell (temperature CRITICAL -> HOT -> WARM
-> NORMAL; memory, swap and sensor have a single rung), never straight to where the reading
would allow. The reading was taken under the throttled load, so it does not tell what the
temperature will be once the load returns; restoring it a step at a time lets the next dwell
see the effect of each step before the next one, instead of releasing the full load at once and
overheating again.

MB here are MiB (2**20 bytes), like the config's ``*_mb`` settings.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from voicebox.config.schema import WatchdogConfig
from voicebox.watchdog.sensors import Readings

MB = 1024 * 1024


class Tier(enum.IntEnum):
    """How hard the box throttles; the value is the Prometheus gauge ``throttle_tier``."""

    NORMAL = 0
    WARM = 1
    HOT = 2
    CRITICAL = 3

    @property
    def label(self) -> str:
        """The lower-case name used in logs and on /health ("normal", "warm", ...)."""
        return self.name.lower()


@dataclass(frozen=True)
class Transition:
    """The box's tier changed: from ``previous`` to ``tier`` because of ``cause``."""

    previous: Tier
    tier: Tier
    cause: str  # the signal that drove it: temperature, memory, swap or sensor
    reading: str  # the reading that did, for a human
    at: float


@dataclass(frozen=True)
class _Assessment:
    """What one reading says about one signal.

    ``raised``: the tier the reading demands (stepping up). ``held``: the lowest tier the
    reading lets the signal keep once the margins are counted (stepping down); ``held`` is
    never below ``raised``. ``reason`` explains the reading for a step up, ``relief`` for a
    step down from ``level`` (given the dwell's seconds).
    """

    raised: Tier
    held: Tier
    reason: str
    relief: Callable[[Tier, float], str]


class _Signal:
    """One signal's tier with its step-down dwell timer."""

    def __init__(self, name: str, ladder: tuple[Tier, ...]) -> None:
        self.name = name
        self.ladder = ladder
        self.level = Tier.NORMAL
        self.reason = ""
        self.low_since: float | None = None

    def update(self, assessment: _Assessment | None, at: float, dwell_s: float) -> str | None:
        """Apply one reading (None: no information, so hold); the reading text if it moved."""
        if assessment is None:
            self.low_since = None  # we cannot tell that it stayed low
            return None
        if assessment.raised > self.level:
            self.level, self.reason, self.low_since = assessment.raised, assessment.reason, None
            return assessment.reason
        if assessment.held >= self.level:
            self.low_since = None
            return None
        if self.low_since is None:
            self.low_since = at
        if at - self.low_since < dwell_s:
            return None
        relief = assessment.relief(self.level, at - self.low_since)
        self.level = max(tier for tier in self.ladder if tier < self.level)
        self.reason = relief if self.level > Tier.NORMAL else ""
        self.low_since = at  # the next rung needs a dwell of its own
        return relief


class Governor:
    """Turns a stream of :class:`Readings` into a throttle tier.

    Used from one thread (the watchdog's); other threads may read :attr:`tier`. After each
    :meth:`update` the daemon also reads :attr:`causes` (or :attr:`memory_low`,
    :attr:`swap_pressure`): a signal can start or end without changing the tier, e.g. swap
    pressure while the box is already CRITICAL from heat.
    """

    def __init__(self, config: WatchdogConfig) -> None:
        self.config = config
        self._signals = {
            "temperature": _Signal("temperature", tuple(Tier)),
            "memory": _Signal("memory", (Tier.NORMAL, Tier.CRITICAL)),
            "swap": _Signal("swap", (Tier.NORMAL, Tier.HOT)),
            "sensor": _Signal("sensor", (Tier.NORMAL, Tier.WARM)),
        }
        self._tier = Tier.NORMAL

    @property
    def tier(self) -> Tier:
        """The box's tier: the highest of the signals' tiers."""
        return self._tier

    @property
    def causes(self) -> dict[str, Tier]:
        """Signal name -> tier for every signal above NORMAL, highest first."""
        active = [(s.name, s.level) for s in self._signals.values() if s.level > Tier.NORMAL]
        return dict(sorted(active, key=lambda item: -item[1]))

    @property
    def reasons(self) -> dict[str, str]:
        """Signal name -> the reading that last moved it, for every active signal."""
        return {name: self._signals[name].reason for name in self.causes}

    @property
    def memory_low(self) -> bool:
        """True while free RAM is low: the daemon should run the smallest models."""
        return self._signals["memory"].level > Tier.NORMAL

    @property
    def swap_pressure(self) -> bool:
        """True while swap use is high: the daemon should prune history and caches."""
        return self._signals["swap"].level > Tier.NORMAL

    def update(self, readings: Readings) -> Transition | None:
        """Take one sample (``readings.at`` is the time); a Transition if the tier changed."""
        assessments = {
            "temperature": self._temperature(readings),
            "memory": self._memory(readings),
            "swap": self._swap(readings),
            "sensor": self._sensor(readings),
        }
        before = {name: signal.level for name, signal in self._signals.items()}
        moved = {}
        for name, signal in self._signals.items():
            text = signal.update(assessments[name], readings.at, self.config.dwell_s)
            if text is not None:
                moved[name] = text
        previous, self._tier = self._tier, max(s.level for s in self._signals.values())
        if self._tier == previous:
            return None
        cause = self._cause(previous, before, moved)
        return Transition(previous, self._tier, cause, moved[cause], readings.at)

    def _cause(self, previous: Tier, before: dict[str, Tier], moved: dict[str, str]) -> str:
        """Up: a signal that rose to the new tier. Down: one that left the previous tier."""
        if self._tier > previous:
            return next(name for name in moved if self._signals[name].level == self._tier)
        return next(name for name in moved if before[name] == previous)

    def _temperature(self, readings: Readings) -> _Assessment | None:
        celsius = readings.temperature_c
        if celsius is None:
            return None  # failed (the sensor signal covers it) or no sensor: hold
        c = self.config
        thresholds = {Tier.WARM: c.warm_c, Tier.HOT: c.hot_c, Tier.CRITICAL: c.critical_c}
        raised = max((t for t, limit in thresholds.items() if celsius >= limit),
                     default=Tier.NORMAL)
        held = max((t for t, limit in thresholds.items() if celsius >= limit - c.hysteresis_c),
                   default=Tier.NORMAL)
        reason = (f"temperature {celsius:.1f} °C >= {raised.label} {thresholds[raised]:.1f} °C"
                  if raised > Tier.NORMAL else "")

        def relief(level: Tier, seconds: float) -> str:
            return (f"temperature {celsius:.1f} °C < {level.label} {thresholds[level]:.1f} °C"
                    f" - {c.hysteresis_c:g} °C for {seconds:.0f} s")

        return _Assessment(raised, held, reason, relief)

    def _memory(self, readings: Readings) -> _Assessment:
        available = readings.memory_available_bytes / MB
        low, margin = self.config.low_memory_mb, self.config.memory_margin_mb
        raised = Tier.CRITICAL if available < low else Tier.NORMAL
        held = Tier.CRITICAL if available < low + margin else Tier.NORMAL
        return _Assessment(
            raised, held, f"available RAM {available:.0f} MB < {low} MB",
            lambda _level, seconds: (f"available RAM {available:.0f} MB >= {low} MB + "
                                     f"{margin} MB for {seconds:.0f} s"),
        )

    def _swap(self, readings: Readings) -> _Assessment:
        used = readings.swap_used_bytes / MB
        limit, margin = self.config.swap_mb, self.config.swap_margin_mb
        raised = Tier.HOT if used > limit else Tier.NORMAL
        held = Tier.HOT if used >= limit - margin else Tier.NORMAL
        return _Assessment(
            raised, held, f"swap used {used:.0f} MB > {limit} MB",
            lambda _level, seconds: (f"swap used {used:.0f} MB < {limit} MB - {margin} MB "
                                     f"for {seconds:.0f} s"),
        )

    @staticmethod
    def _sensor(readings: Readings) -> _Assessment:
        error = readings.temperature_error
        tier = Tier.WARM if error else Tier.NORMAL
        return _Assessment(
            tier, tier, f"temperature sensor failed: {error}",
            lambda _level, seconds: f"temperature sensor read fine for {seconds:.0f} s",
        )
