"""`python -m entrypoints.cli`: the siaga112 command."""

from entrypoints.cli import main

raise SystemExit(main())
