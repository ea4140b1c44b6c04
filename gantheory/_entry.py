"""The ``gantheory`` console script: :func:`gantheory.cli.main`, with Ctrl-C answered in one line
even while the command is still starting (importing numpy and scipy takes a moment)."""

from __future__ import annotations

import sys


def main() -> int:
    """Import the command line and run it; exit status 130 if Ctrl-C comes during the import."""
    try:
        from gantheory.cli import main as run
    except KeyboardInterrupt:
        print("gantheory: interrupted", file=sys.stderr, flush=True)
        return 130
    return run()
