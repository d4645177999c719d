"""Where voicebox finds its files when the config does not say.

The same code runs from a source checkout (development), from a venv installed by the offline
bundle, and under systemd (which hands us ``$STATE_DIRECTORY``), so defaults follow that order.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def default_lock_path() -> Path:
    """models.lock: ``$VOICEBOX_LOCK``, else the one at the root of a source checkout."""
    return Path(os.environ.get("VOICEBOX_LOCK", PROJECT_ROOT / "models.lock"))


def default_model_store() -> Path:
    """The model store: ``$VOICEBOX_MODEL_DIR``, systemd's state dir, else the XDG data dir."""
    if "VOICEBOX_MODEL_DIR" in os.environ:
        return Path(os.environ["VOICEBOX_MODEL_DIR"])
    if "STATE_DIRECTORY" in os.environ:
        return Path(os.environ["STATE_DIRECTORY"].split(":")[0]) / "models"
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "voicebox" / "models"


def default_state_dir() -> Path:
    """Where the box keeps what it must not forget (timers): ``$VOICEBOX_STATE_DIR``,
    systemd's ``$STATE_DIRECTORY`` (/var/lib/voicebox), else the XDG state dir."""
    if "VOICEBOX_STATE_DIR" in os.environ:
        return Path(os.environ["VOICEBOX_STATE_DIR"])
    if "STATE_DIRECTORY" in os.environ:
        return Path(os.environ["STATE_DIRECTORY"].split(":")[0])
    state_home = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(state_home) / "voicebox"


def default_timers_file() -> Path:
    """The timers file in the state directory."""
    return default_state_dir() / "timers.json"


def default_config_path() -> Path | None:
    """The config file: ``$VOICEBOX_CONFIG``, else /etc/voicebox/voicebox.toml if present."""
    if "VOICEBOX_CONFIG" in os.environ:
        return Path(os.environ["VOICEBOX_CONFIG"])
    system = Path("/etc/voicebox/voicebox.toml")
    return system if system.exists() else None
