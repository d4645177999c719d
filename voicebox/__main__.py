"""``python -m voicebox``: the same as the ``voicebox`` command."""

import sys

from voicebox.cli import main

sys.exit(main())
