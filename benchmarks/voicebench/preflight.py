"""Before anything starts: are the profile's model files here? ``voicebox check`` decides.

``--profile pi5`` runs the Pi's model tier (pi5-performance in models.lock), which is not on a
development machine: then the run stops at once (exit 2) naming every missing file and how to
get it, instead of failing a minute later inside the daemon.
"""

from __future__ import annotations

from voicebox.check import run_checks

PROFILES = {"dev": "dev", "pi5": "pi5-performance"}
"""The benchmark's profile names and the models.lock profiles they run."""


def problems(profile: str) -> list[str]:
    """Every failed check of the profile, as lines with the fixes at the end (deduplicated)."""
    failed = [line for line in run_checks(None, profile, deep=False) if not line.ok]
    lines = [f"  {line.subject}: {line.detail}" for line in failed]
    hints = dict.fromkeys(line.hint for line in failed if line.hint)
    return [*lines, *(f"  fix: {hint}" for hint in hints)]


def refusal(name: str, profile: str, found: list[str]) -> str:
    """What the user reads when the profile cannot run here."""
    return (f"benchmarks/run --profile {name}: the {profile} models are not all present "
            f"on this machine:\n" + "\n".join(found) +
            f"\n  (`voicebox --profile {profile} check` shows the same list)")
