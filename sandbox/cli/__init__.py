"""The command line, ``security-sandbox-cli``: validate, run, sweep, convert, examples, import-cow, compare,
room.

The commands live in :mod:`sandbox.cli.commands`; ``python -m sandbox.cli`` runs them too.
"""

from sandbox.cli.commands import main

__all__ = ["main"]
