"""python -m simulator: the shift simulator without the siaga112 command."""

from simulator.cli import main

raise SystemExit(main())
