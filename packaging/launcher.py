"""The bundle's entry point: the ``inviteonce`` command."""

import multiprocessing
import sys

from inviteonce_desktop.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
