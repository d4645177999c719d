"""The ``voicebox`` command (also ``python -m voicebox``).

Subcommands: ``run`` (the daemon), ``check`` (config and models; exit 0 if the box can run),
``devices`` (what PortAudio sees and which devices the config picks), ``turn`` (one spoken
conversation turn).
"""

from __future__ import annotations

import argparse
import faulthandler
import sys
from collections.abc import Sequence
from pathlib import Path

from voicebox import __version__
from voicebox.audio.devices import find_device, list_devices
from voicebox.check import render, run_checks
from voicebox.commands import run, turn
from voicebox.config import PROFILES, load_config
from voicebox.errors import VoiceboxError
from voicebox.ops.logging import CurrentStream, configure_logging
from voicebox.paths import default_config_path


def build_parser() -> argparse.ArgumentParser:
    """The argument parser: global options, then one subcommand."""
    parser = argparse.ArgumentParser(prog="voicebox", description="Offline voice assistant.")
    parser.add_argument("--version", action="version", version=f"voicebox {__version__}")
    parser.add_argument("--config", type=Path, default=default_config_path(),
                        help="TOML config file (default: $VOICEBOX_CONFIG or "
                             "/etc/voicebox/voicebox.toml, else built-in defaults)")
    parser.add_argument("--profile", choices=PROFILES, help="override the config's profile")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("run", help="run the voice assistant daemon (systemd starts this)")
    check = commands.add_parser("check", help="check config and model files")
    check.add_argument("--deep", action="store_true", help="verify full sha256 of every model")
    commands.add_parser("devices", help="list audio devices and the configured choice")
    turn.add_arguments(commands.add_parser(
        "turn", help="answer one spoken question from a WAV file (--wav) or text (--ask)"))
    return parser


def cmd_check(args: argparse.Namespace) -> int:
    """Print the check report; 0 when every check passed."""
    lines = run_checks(args.config, args.profile, args.deep)
    print(render(lines))
    return 0 if all(line.ok for line in lines) else 1


def cmd_devices(args: argparse.Namespace) -> int:
    """List devices and say which ones the config selects."""
    config = load_config(args.config, args.profile)
    devices = list_devices()
    for device in devices:
        print(f"{device.index:3d} {device.name} [{device.host_api}] "
              f"in={device.max_input_channels} out={device.max_output_channels} "
              f"{device.default_samplerate:.0f} Hz")
    if not devices:
        print("no audio devices (is the sound server running, or the card plugged in?)")
    for kind, wanted in (("input", config.audio.input_device),
                         ("output", config.audio.output_device)):
        chosen = find_device(devices, wanted, kind)
        print(f"{kind}: {chosen.name if chosen else 'system default'}"
              f" (audio.{kind}_device = {wanted!r})")
    return 0


def cmd_turn(args: argparse.Namespace) -> int:
    """One conversation turn with the configured models; logs go to stderr."""
    config = load_config(args.config, args.profile)
    configure_logging(config.logging.level, config.logging.format,
                      CurrentStream("stderr"))
    return turn.run(args, config)


def cmd_run(args: argparse.Namespace) -> int:
    """The daemon; logs go to stdout (journald under systemd) once the config is loaded."""
    # systemd's watchdog kills a hung daemon with SIGABRT: every thread's stack then lands
    # in the journal, which is what says where it hung.
    faulthandler.enable()
    return run.run(args.config, args.profile)


COMMANDS = {"run": cmd_run, "check": cmd_check, "devices": cmd_devices, "turn": cmd_turn}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; every expected failure becomes a one-paragraph message and exit 1."""
    args = build_parser().parse_args(argv)
    configure_logging("warning", "auto", CurrentStream("stderr"))
    try:
        return COMMANDS[args.command](args)
    except VoiceboxError as exc:
        print(f"voicebox {args.command}: {exc}", file=sys.stderr)
        return 1
