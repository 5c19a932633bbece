"""``python -m sandbox.cli``: the command line, as ``security-sandbox-cli``."""

import sys

from sandbox.cli.commands import main

sys.exit(main())
