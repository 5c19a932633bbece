"""Entry point of the frozen app: the same main() as the installed `security-sandbox`."""

import multiprocessing
import sys

from sandbox.app.shell.main import main

if __name__ == "__main__":
    # Worker processes of a frozen app start this executable again; this hands them over.
    multiprocessing.freeze_support()
    sys.exit(main())
