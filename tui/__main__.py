"""``python -m tui``: the same as the ``kaartenbak`` command."""

import sys

from .cli import main

sys.exit(main())
