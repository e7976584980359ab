"""``python -m classifier train|evaluate``: the same commands as ``siaga112 classifier``."""

from __future__ import annotations

import argparse
import sys

from classifier.cli import register


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv`` as a ``classifier`` command and run it."""
    parser = argparse.ArgumentParser(prog="python -m")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["classifier", *(sys.argv[1:] if argv is None else argv)])
    code: int = args.handler(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
