"""The offline bundle: built on a connected machine, installed by scripts/install."""
