"""voicebox: an offline voice assistant appliance for the Raspberry Pi 5."""

__version__ = "0.1.0"
