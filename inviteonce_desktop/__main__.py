"""``python -m inviteonce_desktop``: the same as the ``inviteonce`` command."""

import sys

from .cli import main

sys.exit(main())
