"""The installer's TOML edit (scripts/install_config.py): the keys it sets change, and every
other byte of the admin's file stays as it was."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

from voicebox.paths import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
from install_base import InstallError  # the stdlib installer's modules, not a package
from install_config import set_strings

SOURCE = Path("voicebox.toml")
EXAMPLE = PROJECT_ROOT / "voicebox" / "config" / "voicebox.example.toml"
PATHS = {("models", "lock"): "/srv/box/etc/models.lock",
         ("models", "store"): "/srv/box/var/models"}


def test_the_example_gets_its_profile_and_paths_and_nothing_else_changes() -> None:
    text = EXAMPLE.read_text()
    edited = set_strings(text, {(None, "profile"): "pi5-balanced", **PATHS}, SOURCE)
    document = tomllib.loads(edited)
    assert document["profile"] == "pi5-balanced"
    assert document["models"]["lock"] == "/srv/box/etc/models.lock"
    assert document["models"]["store"] == "/srv/box/var/models"
    changed = [(a, b) for a, b in zip(text.splitlines(), edited.splitlines(), strict=True)
               if a != b]
    assert changed == [('profile = "pi5-performance"', 'profile = "pi5-balanced"'),
                       ('lock = "/etc/voicebox/models.lock"',
                        'lock = "/srv/box/etc/models.lock"'),
                       ('store = "/var/lib/voicebox/models"', 'store = "/srv/box/var/models"')]


def test_a_commented_key_and_the_same_key_in_another_table_are_left_alone() -> None:
    text = ('# lock = "commented"\n[audio]\nlock = "not this one"\n'
            '[models]\n# lock = "nor this"\nstore = "a"  # the admin\'s note\n')
    edited = set_strings(text, {("models", "lock"): "/x"}, SOURCE)
    assert edited == ('# lock = "commented"\n[audio]\nlock = "not this one"\n'
                      '[models]\nlock = "/x"\n# lock = "nor this"\nstore = "a"  # the admin\'s '
                      'note\n')


def test_a_missing_table_is_added_and_quotes_and_backslashes_are_escaped() -> None:
    edited = set_strings('profile = "dev"', {("models", "store"): 'C:\\models "x"'}, SOURCE)
    assert tomllib.loads(edited) == {"profile": "dev", "models": {"store": 'C:\\models "x"'}}


def test_a_key_written_as_a_dotted_key_is_refused_not_written_twice() -> None:
    with pytest.raises(InstallError, match="cannot set lock by editing single lines"):
        set_strings('models.lock = "/a"\n', {("models", "lock"): "/b"}, SOURCE)


def test_a_config_that_is_not_toml_names_the_file_and_the_place() -> None:
    with pytest.raises(InstallError, match=r"voicebox.toml is not valid TOML: .*line 2"):
        set_strings('profile = "dev"\nlock = \n', {("models", "lock"): "/b"}, SOURCE)
