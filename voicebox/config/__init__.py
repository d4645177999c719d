"""Configuration: one TOML file, frozen dataclasses per subsystem, validated once."""

from voicebox.config.load import load_config
from voicebox.config.schema import PROFILES, Config

__all__ = ["PROFILES", "Config", "load_config"]
